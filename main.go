// Command lockviz makes lock contention visible: tasks think, request a
// shared lock, wait, hold it and release it, on a virtual clock.
//
//	lockviz                             # the live view of the playground
//	lockviz --scenario pool --speed 2   # the live view of another scenario
//	lockviz run --scenario rate-limit   # simulate headless, print a report
//	lockviz run --json                  # the summary as one JSON object
//	lockviz run --events                # the trace as JSON Lines
//	lockviz run --lines                 # the report, with the time on each line of code
//	lockviz run --compare fifo,barging  # the same run under each policy, side by side
//	lockviz compare starvation          # the live view under two policies side by side
//	lockviz scenarios                   # list the built-in scenarios
//	lockviz snapshot --at 2s            # the live view's screen at a moment, as text
//	lockviz record --lesson race -o x.gif  # a lesson recorded: .cast or .gif
//	lockviz lessons                     # list the lessons
//	lockviz export --python deadlock    # the scenario as a Python program on asyncio
//	lockviz publish x.cast -o x.html    # a recording as one web page that plays offline
//
// Bad input exits with status 2 and one line on stderr; a failed write of
// the output, or a live view that cannot use the terminal, exits with 1; a
// signal that ends the live view exits with 128 + its number.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/pyexport"
	"lockviz/sim/report"
	"lockviz/sim/scenario"
	"lockviz/ui"
	"lockviz/ui/lessons"
	"lockviz/ui/publish"
	"lockviz/ui/recording"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1   // the output could not be written, or the live view could not use the terminal
	exitUsage  = 2   // bad input: flags, scenario, arguments
	exitStuck  = 3   // the run deadlocked, or left tasks waiting on a leaked lock
	exitSignal = 128 // plus the number of the signal that ended the live view
)

func main() { os.Exit(execute(os.Args[1:], os.Stdout, os.Stderr)) }

// execute runs the command line args and returns the exit status.
func execute(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	out := &stickyWriter{w: stdout}
	root.SetOut(out)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil && out.err != nil {
		err = failure{out.err} // cobra writes help and usage unchecked
	}
	if err == nil {
		return exitOK
	}
	var sig signalled
	if errors.As(err, &sig) {
		return exitSignal + int(sig.Signal) // and quietly, as a process the signal killed
	}
	fmt.Fprintf(stderr, "lockviz: %s\n", errorLine(err))
	var f failure
	if errors.As(err, &f) {
		return exitFailed
	}
	if errors.As(err, new(stuck)) {
		return exitStuck
	}
	return exitUsage
}

// errorLine folds err's message onto one line and escapes, as %q does,
// every control or format character and every byte that is not UTF-8: a
// message echoes arguments and file contents, which must neither drive the
// terminal nor hide or reorder text.
func errorLine(err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	var b strings.Builder
	for i := 0; i < len(msg); {
		r, n := utf8.DecodeRuneInString(msg[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, msg[i])
		case format.IsControlOrFormat(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(msg[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isTerminal reports whether w is a terminal the live view can draw on.
func isTerminal(w io.Writer) bool {
	if s, ok := w.(*stickyWriter); ok {
		w = s.w
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// failure is an error of lockviz's surroundings rather than of its input:
// output that cannot be written, a terminal the live view cannot use.
type failure struct{ error }

func (e failure) Unwrap() error { return e.error }

// signalled is the signal that ended the live view, once the terminal is
// given back: an exit status rather than a message.
type signalled struct{ syscall.Signal }

func (s signalled) Error() string { return s.String() }

// stickyWriter remembers the first error of writing to w, so that output
// written without a check (cobra's help and usage) still cannot be lost
// with exit status 0.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

func newRootCmd() *cobra.Command {
	var (
		o      options
		v      viewFlags
		record string
	)
	root := &cobra.Command{
		Use:   "lockviz [scenario]",
		Short: "Make lock contention visible",
		Long: `lockviz simulates tasks that think, request a shared lock, wait, hold it and
release it, on a virtual clock, and shows who waits for whom.

Without a subcommand it opens the live view of a scenario, a built-in's
name or a file's path (playground when none is given): "lockviz deadlock".
Press ? there for the keys. "lockviz run" runs a scenario headless and
prints a report.`,
		Args:          cobra.MaximumNArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, opts, err := v.session(&o, args)
			if err != nil {
				if len(args) == 1 && v.lesson == "" {
					// Perhaps a command misspelt rather than a scenario.
					if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
						return fmt.Errorf("%w; or did you mean the command %q?", err, near[0])
					}
				}
				return err
			}
			var f *recordFile
			var rec *recording.Cast
			if record != "" {
				if f, err = openOutput(record, "--record", false); err != nil {
					return err
				}
				// The colours of a recording do not depend on the
				// terminal, so that lockviz record draws the same.
				if opts.Theme == ui.ThemeAuto {
					opts.Theme = ui.ThemeDark
				}
				ui.UseColours(opts.Theme, true)
				rec = recording.NewCast(v.title(s), v.origin(s, &o))
				opts.Recorder = rec
			}
			if !isTerminal(cmd.OutOrStdout()) {
				if f != nil {
					f.discard()
				}
				if opts.Script != nil {
					return errors.New("standard output is not a terminal: use \"lockviz record\" to play a key script headless")
				}
				return errors.New("standard output is not a terminal: use \"lockviz run\" for a headless run")
			}
			sig, err := ui.Run(ui.New(s.Config(), opts))
			if err != nil {
				return failure{fmt.Errorf("live view: %w", err)}
			}
			if f != nil {
				if err := f.write(rec); err != nil {
					return err
				}
			}
			if sig != nil {
				return signalled{sig.(syscall.Signal)}
			}
			return nil
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return err })
	root.AddCommand(newCompareCmd())
	o.addScenarioFlags(root.Flags())
	v.addFlags(root.Flags())
	root.Flags().StringVar(&v.keys, "keys", "", "play the key script `FILE` into the live view, then quit (see lockviz record)")
	root.Flags().StringVar(&v.lesson, "lesson", "", "play the lesson `NAME` (see lockviz lessons): its scenario and key script")
	root.Flags().StringVar(&record, "record", "", "record what the live view draws to `FILE.cast` (asciicast v2)")
	root.Flags().Lookup("until").Usage = "stop the live view, paused and finished, at this virtual time (a file's until is for lockviz run)"
	root.AddCommand(newRunCmd(), newScenariosCmd(), newSnapshotCmd(), newRecordCmd(), newLessonsCmd(), newExportCmd(), newPublishCmd())
	return root
}

func newRunCmd() *cobra.Command {
	var (
		o                     options
		asJSON, events, lines bool
		compare               string
	)
	cmd := &cobra.Command{
		Use:   "run [scenario]",
		Short: "Simulate a scenario headless and print a report",
		Long: `Simulate a scenario on the virtual clock and print a report: the figures,
a table of the tasks and, for short runs, a timeline. --json prints the
summary as one JSON object; --events prints every event as JSON Lines.

The scenario is a built-in's name or a file's path, as the one argument or
--scenario: "lockviz run deadlock". A scenario whose tasks loop forever
needs --until (or until in its file).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if asJSON && events {
				return errors.New("--json and --events cannot be combined")
			}
			if lines && (asJSON || events) {
				return errors.New("--lines adds to the text report: it cannot be combined with --json or --events")
			}
			if err := o.takeArg(args); err != nil {
				return err
			}
			if cmd.Flags().Changed("compare") {
				return runCompared(cmd.OutOrStdout(), &o, compare, asJSON, events || lines)
			}
			s, err := o.resolve()
			if err != nil {
				return err
			}
			out := textOutput
			switch {
			case asJSON:
				out = jsonOutput
			case events:
				out = eventsOutput
			}
			return runHeadless(cmd.OutOrStdout(), s, out, lines)
		},
	}
	o.addScenarioFlags(cmd.Flags())
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as one JSON object")
	cmd.Flags().BoolVar(&events, "events", false, "print the trace as JSON Lines, one event a line")
	cmd.Flags().BoolVar(&lines, "lines", false, "add to the report the time tasks spent on each line of their code")
	cmd.Flags().StringVar(&compare, "compare", "", "run the same tasks under each of these `POLICIES` (fifo,barging,none) and print them side by side")
	return cmd
}

func newCompareCmd() *cobra.Command {
	var (
		o        options
		v        viewFlags
		policies string
	)
	cmd := &cobra.Command{
		Use:   "compare [scenario]",
		Short: "Watch a scenario under two to four policies side by side",
		Long: `Open the live view of a scenario under two to four policies at once: the
same tasks and seed in each column (a band each when the window is narrow),
each with its lock, timeline and statistics, the better figures marked, all
on one clock and driven by the same keys. --policies names them; by default
the scenario's own and the next in the live view's cycle that behaves
differently (fifo and barging for a fifo scenario). A policy replaces every
lock's, as --policy does.

  lockviz compare starvation
  lockviz compare playground --policies fifo,barging,none`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfgs, opts, err := compareSession(&o, &v, args, policies, cmd.Flags().Changed("policies"))
			if err != nil {
				return err
			}
			if !isTerminal(cmd.OutOrStdout()) {
				return errors.New("standard output is not a terminal: use \"lockviz run --compare\" for a headless comparison")
			}
			sig, err := ui.RunCompare(ui.NewCompare(cfgs, opts))
			if err != nil {
				return failure{fmt.Errorf("live view: %w", err)}
			}
			if sig != nil {
				return signalled{sig.(syscall.Signal)}
			}
			return nil
		},
	}
	o.addScenarioFlags(cmd.Flags())
	cmd.Flags().StringVar(&policies, "policies", "", "the `POLICIES` to compare, two to four: fifo,barging,none (default: the scenario's own and the next that differs)")
	cmd.Flags().Float64Var(&v.speed, "speed", 1, "virtual seconds per real second")
	cmd.Flags().BoolVar(&v.paused, "paused", false, "start paused at time 0 (space runs it)")
	cmd.Flags().Var(flagOf(&v.theme, "theme", ui.ParseTheme), "theme", "colours for the terminal's background: auto (ask it), dark or light")
	cmd.Flags().Lookup("until").Usage = "stop, paused and finished, at this virtual time (a file's until is for lockviz run)"
	return cmd
}

// compareSession resolves the scenario under each policy of the list
// (given, or else the scenario's default pair) and the view's settings.
func compareSession(o *options, v *viewFlags, args []string, list string, given bool) ([]sim.Config, ui.Options, error) {
	if err := o.takeArg(args); err != nil {
		return nil, ui.Options{}, err
	}
	if !given {
		s, err := o.resolve()
		if err != nil {
			return nil, ui.Options{}, err
		}
		var names []string
		for _, p := range report.DefaultPolicies(s.Policy) {
			names = append(names, p.String())
		}
		list = strings.Join(names, ",")
	}
	ss, err := o.resolveEach("--policies", list)
	if err != nil {
		return nil, ui.Options{}, err
	}
	opts, err := v.options(ss[0], o)
	if err != nil {
		return nil, ui.Options{}, err
	}
	cfgs := make([]sim.Config, len(ss))
	for i, s := range ss {
		cfgs[i] = s.Config()
	}
	return cfgs, opts, nil
}

func newScenariosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tPOLICY\tTASKS\tDESCRIPTION")
			for _, s := range scenario.Builtins() {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", s.Name, s.Policy, s.NumTasks(), s.Description)
			}
			if err := tw.Flush(); err != nil {
				return failure{err}
			}
			return nil
		},
	}
}

// options are the flags that choose and change a scenario, shared by every
// command that runs one.
type options struct {
	scenario string
	over     scenario.Overrides
	fs       *pflag.FlagSet // the command's flags
	own      *pflag.FlagSet // the flags above, among them
}

// addScenarioFlags defines the scenario flags on fs.
func (o *options) addScenarioFlags(cmdFlags *pflag.FlagSet) {
	o.fs = cmdFlags
	// Defined apart first, so that resolve can tell them from the
	// command's own flags.
	fs := pflag.NewFlagSet("scenario", pflag.ContinueOnError)
	o.own = fs
	defer cmdFlags.AddFlagSet(fs)
	fs.StringVar(&o.scenario, "scenario", "playground", "built-in scenario `NAME` (see lockviz scenarios) or scenario FILE")
	fs.Var(flagOf(&o.over.Policy, "policy", lock.ParsePolicy), "policy", "lock policy: fifo, semaphore, barging or none")
	fs.Var(flagOf(&o.over.Permits, "int", intIn(1, sim.MaxTasks)), "permits", "holders at once, for the semaphore policy")
	fs.Var(flagOf(&o.over.Tasks, "N", intIn(1, sim.MaxTasks)), "tasks", "replace the tasks with N copies of the first, named task-1 … task-N")
	fs.Var(flagOf(&o.over.Hold, "dist", scenario.ParseDist), "hold", "hold time of every task: 1s, exp:100ms or uniform:50ms-150ms")
	fs.Var(flagOf(&o.over.Think, "dist", scenario.ParseDist), "think", "think time of every task, as --hold")
	fs.Var(flagOf(&o.over.Iterations, "int", intIn(0, int(^uint(0)>>1))), "iterations", "acquisitions per task; 0 loops forever")
	fs.Var(flagOf(&o.over.Timeout, "duration", scenario.ParseDuration), "timeout", "acquire timeout of every task; 0 waits forever")
	fs.Var(flagOf(&o.over.Seed, "uint", parseSeed), "seed", "random seed")
	fs.Var(flagOf(&o.over.Until, "duration", scenario.ParseDuration), "until", "virtual time to stop at; 0 runs until every task finishes")
}

// takeArg takes the scenario from the command's one argument, if given.
func (o *options) takeArg(args []string) error {
	if len(args) == 0 {
		return nil
	}
	if o.fs.Changed("scenario") {
		return fmt.Errorf("two scenarios given, %q and --scenario %s: give one", args[0], o.scenario)
	}
	o.scenario = args[0]
	return nil
}

// resolve loads the scenario and applies the flags given; the description
// then says which flags changed it.
func (o *options) resolve() (scenario.Scenario, error) {
	s, err := scenario.Load(o.scenario)
	if err != nil {
		return s, err
	}
	if p := o.over.Permits; p != nil && *p != 1 {
		policy := s.Policy
		if o.over.Policy != nil {
			policy = *o.over.Policy
		}
		if policy != lock.Semaphore {
			return s, fmt.Errorf("--permits applies to the semaphore policy, not %s: add --policy semaphore", policy)
		}
	}
	s2, err := s.Override(o.over)
	if err != nil {
		return s2, fmt.Errorf("scenario %s with the flags given: %w", s.Name, err)
	}
	var changed []string
	o.fs.Visit(func(f *pflag.Flag) {
		if f.Name != "scenario" && o.own.Lookup(f.Name) != nil {
			changed = append(changed, "--"+f.Name+" "+f.Value.String())
		}
	})
	if len(changed) > 0 {
		s2.Description = strings.TrimSpace(s2.Description + " [" + strings.Join(changed, " ") + "]")
	}
	return s2, nil
}

// flagValue is a flag that sets *dst, nil until the flag is given.
type flagValue[T any] struct {
	dst   **T
	typ   string
	parse func(string) (T, error)
}

func flagOf[T any](dst **T, typ string, parse func(string) (T, error)) flagValue[T] {
	return flagValue[T]{dst, typ, parse}
}

func (f flagValue[T]) Set(s string) error {
	v, err := f.parse(s)
	if err != nil {
		return err
	}
	*f.dst = &v
	return nil
}

func (f flagValue[T]) String() string {
	if f.dst == nil || *f.dst == nil {
		return ""
	}
	return fmt.Sprint(**f.dst)
}

func (f flagValue[T]) Type() string { return f.typ }

func intIn(lo, hi int) func(string) (int, error) {
	return func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, errors.New("not an integer")
		}
		if n < lo || n > hi {
			return 0, fmt.Errorf("must be between %d and %d", lo, hi)
		}
		return n, nil
	}
}

func parseSeed(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, errors.New("not a non-negative integer")
	}
	return n, nil
}

// output is what a headless run prints.
type output int

const (
	textOutput   output = iota // the text report
	jsonOutput                 // the summary as JSON
	eventsOutput               // the trace as JSON Lines
)

// runHeadless runs s to its end, or to s.Until, and writes out to w.
func runHeadless(w io.Writer, s scenario.Scenario, out output, lines bool) error {
	if err := checkEnds(s); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	e := sim.New(s.Config())
	if lines {
		e.CountLines()
	}
	var rec *report.Recorder
	switch out {
	case textOutput:
		rec = report.NewRecorder(report.TimelineEvents, s.Policy)
		e.OnEvent(func(ev sim.Event) {
			if !rec.Add(ev) {
				e.OnEvent(nil) // too long for a timeline: stop paying for events
			}
		})
	case eventsOutput:
		tr := report.NewTrace(e)
		e.OnEvent(func(ev sim.Event) {
			bw.Write(tr.Line(ev)) // a failure sticks to bw and surfaces at Flush
		})
	}
	if err := finish(e, s); err != nil {
		return err
	}
	switch out {
	case textOutput:
		r := report.Report{Summary: report.Summarize(e, s.Name), Description: s.Description, End: e.Now(), History: rec.History(),
			Lines: e.LineTimes()}
		if err := r.WriteText(bw); err != nil {
			return failure{err}
		}
	case jsonOutput:
		b, err := json.Marshal(report.Summarize(e, s.Name))
		if err != nil {
			return failure{err}
		}
		bw.Write(append(b, '\n'))
	}
	if err := bw.Flush(); err != nil {
		return failure{err}
	}
	return stuckError(e)
}

// finish runs e, the engine of s, to its end or to s.Until.
func finish(e *sim.Engine, s scenario.Scenario) error {
	if s.Until > 0 {
		e.AdvanceTo(s.Until)
	} else {
		e.Run()
	}
	if at, stalled := e.Stalled(); stalled {
		return fmt.Errorf("scenario %s never lets virtual time move past %s: its tasks loop without sleeping", s.Name, format.Duration(at))
	}
	return nil
}

// runCompared runs o's scenario under each policy of list (run --compare)
// and writes the summaries side by side, or as a JSON array in list's
// order. traced says --events or --lines was given: they are one run's.
func runCompared(w io.Writer, o *options, list string, asJSON, traced bool) error {
	if traced {
		return errors.New("--compare prints summaries: it cannot be combined with --events or --lines")
	}
	ss, err := o.resolveEach("--compare", list)
	if err != nil {
		return err
	}
	for _, s := range ss {
		if err := checkEnds(s); err != nil {
			return err
		}
	}
	sums := make([]report.Summary, len(ss))
	var stuckErr error
	var alsoStuck []string
	for i, s := range ss {
		e := sim.New(s.Config())
		if err := finish(e, s); err != nil {
			return err
		}
		sums[i] = report.Summarize(e, s.Name)
		switch err := stuckError(e); {
		case err == nil:
		case stuckErr == nil:
			stuckErr = fmt.Errorf("under %s: %w", s.Policy, err)
		default:
			alsoStuck = append(alsoStuck, s.Policy.String())
		}
	}
	if len(alsoStuck) > 0 {
		stuckErr = fmt.Errorf("%w; stuck under %s too", stuckErr, strings.Join(alsoStuck, ", "))
	}
	if stuckErr != nil {
		stuckErr = stuck{stuckErr}
	}
	bw := bufio.NewWriter(w)
	if asJSON {
		b, err := json.Marshal(sums)
		if err != nil {
			return failure{err}
		}
		bw.Write(append(b, '\n'))
	} else if err := report.WriteComparison(bw, ss[0].Description, sums); err != nil {
		return failure{err}
	}
	if err := bw.Flush(); err != nil {
		return failure{err}
	}
	return stuckErr
}

// resolveEach resolves o's scenario once for each policy of list, which
// flag gave. A policy replaces every lock's, as --policy does, so
// --policy itself makes no sense beside it; --permits is for the
// semaphore among them.
func (o *options) resolveEach(flag, list string) ([]scenario.Scenario, error) {
	ps, err := report.ParsePolicies(list)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", flag, list, err)
	}
	if o.over.Policy != nil {
		return nil, fmt.Errorf("%s gives the policies: it cannot be combined with --policy", flag)
	}
	if o.over.Permits != nil && !slices.Contains(ps, lock.Semaphore) {
		return nil, fmt.Errorf("--permits applies to the semaphore policy, which %s %s leaves out", flag, list)
	}
	given := o.over
	defer func() { o.over = given }()
	ss := make([]scenario.Scenario, len(ps))
	for i, p := range ps {
		o.over.Policy, o.over.Permits = &p, given.Permits
		if p != lock.Semaphore {
			o.over.Permits = nil
		}
		if ss[i], err = o.resolve(); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

// checkEnds refuses a scenario whose run would never end.
func checkEnds(s scenario.Scenario) error {
	if s.Until == 0 && s.Forever() {
		return fmt.Errorf("scenario %s has tasks that loop forever (iterations 0) and no until: give --until, as in --until 60s", s.Name)
	}
	return nil
}

// stuck is a run that deadlocked, or left tasks waiting forever on a lock
// a finished task still holds: exit status 3.
type stuck struct{ error }

// stuckError says how a run got stuck, nil when it did not.
func stuckError(e *sim.Engine) error {
	if d := e.Deadlock(); d != nil {
		return stuck{fmt.Errorf("deadlock at %s: %s", format.Duration(d.At), report.CycleWords(e, d))}
	}
	if s := e.Stranded(); len(s) > 0 {
		k := e.Leaks()[0]
		return stuck{fmt.Errorf("%s leaked %s at %s (line %d): %s forever",
			e.TaskName(k.Task), e.LockName(k.Lock), format.Duration(k.At), k.Line,
			format.Count(int64(len(s)), "task waits", "tasks wait"))}
	}
	return nil
}

// viewFlags are the flags of a session of the live view, shared by the
// commands that draw one: the live view itself, snapshot and record.
type viewFlags struct {
	speed  float64
	theme  *ui.Theme
	paused bool
	noHelp bool
	keys   string
	lesson string
	played *lessons.Lesson // the lesson --lesson named, once loaded
	script []byte          // the key script's text, once read
}

// addFlags defines the view's flags on fs.
func (v *viewFlags) addFlags(fs *pflag.FlagSet) {
	fs.Float64Var(&v.speed, "speed", 1, "virtual seconds per real second in the live view")
	fs.BoolVar(&v.paused, "paused", false, "start the live view paused at time 0 (space runs it)")
	fs.Var(flagOf(&v.theme, "theme", ui.ParseTheme), "theme", "colours for the terminal's background: auto (ask it; dark in a recording), dark or light")
	fs.BoolVar(&v.noHelp, "no-help", false, "hide the footer of keys (? still shows them all)")
}

// session resolves the scenario, from the arguments and o's flags or from
// the lesson, and returns it with the view's settings.
func (v *viewFlags) session(o *options, args []string) (scenario.Scenario, ui.Options, error) {
	if err := o.takeArg(args); err != nil {
		return scenario.Scenario{}, ui.Options{}, err
	}
	if v.lesson != "" {
		l, err := lessons.Load(v.lesson)
		switch {
		case err != nil:
			return scenario.Scenario{}, ui.Options{}, err
		case len(args) > 0 || o.fs.Changed("scenario"):
			return scenario.Scenario{}, ui.Options{}, fmt.Errorf("--lesson %s plays on its own scenario, %s: give no other", l.Name, l.Scenario)
		case v.keys != "":
			return scenario.Scenario{}, ui.Options{}, fmt.Errorf("--lesson %s plays its own key script: give no --keys", l.Name)
		}
		o.scenario, v.played = l.Scenario, &l
	}
	s, err := o.resolve()
	if err != nil {
		return s, ui.Options{}, err
	}
	opts, err := v.options(s, o)
	return s, opts, err
}

// title is a recording's title: the lesson's, or the scenario's name.
func (v *viewFlags) title(s scenario.Scenario) string {
	if v.played != nil {
		return v.played.Title
	}
	return "lockviz · " + s.Name
}

// options returns the view's settings for scenario s, with o's --until
// and the key script loaded.
func (v *viewFlags) options(s scenario.Scenario, o *options) (ui.Options, error) {
	if !(v.speed > 0 && v.speed <= 1000) {
		return ui.Options{}, fmt.Errorf("invalid argument %v for \"--speed\" flag: must be above 0 and at most 1000", v.speed)
	}
	// A file's until is for headless runs (the playground stops after a
	// minute there); --until stops the live view too.
	opts := ui.Options{Scenario: s.Name, Speed: v.speed, Paused: v.paused, Theme: ui.ThemeAuto, Captions: s.Captions, NoHelp: v.noHelp}
	if o.over.Until != nil {
		opts.Until = *o.over.Until
	}
	if v.theme != nil {
		opts.Theme = *v.theme
	}
	name, data := v.keys, []byte(nil)
	if l := v.played; l != nil {
		name, data = "lessons/"+l.Name+".keys", l.Script
	} else if v.keys != "" {
		var err error
		if data, err = scenario.ReadFile(v.keys); err != nil {
			return ui.Options{}, err
		}
	}
	if name != "" {
		v.script = data
		script, err := ui.ParseScript(name, data)
		if err != nil {
			return ui.Options{}, err
		}
		opts.Script = &script
	}
	return opts, nil
}

// sizeFlag is a --size value, WIDTHxHEIGHT.
type sizeFlag struct{ w, h int }

func (s *sizeFlag) Set(v string) error {
	w, h, err := ui.ParseSize(v)
	if err != nil {
		return err
	}
	s.w, s.h = w, h
	return nil
}

func (s *sizeFlag) String() string { return fmt.Sprintf("%dx%d", s.w, s.h) }

func (s *sizeFlag) Type() string { return "WxH" }

func newSnapshotCmd() *cobra.Command {
	var (
		o      options
		v      viewFlags
		at     *time.Duration
		size   = sizeFlag{100, 30}
		colour bool
	)
	cmd := &cobra.Command{
		Use:   "snapshot [scenario]",
		Short: "Print the screen the live view shows at a virtual time",
		Long: `Print the exact screen the live view would show at a virtual time (--at),
in a window of --size, without a terminal: plain text, or with --color the
ANSI colours too. With --keys the key script plays first, as in lockviz
record, and the snapshot is taken once the clock reaches --at, or at the
script's end when --at is not given.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, opts, err := v.session(&o, args)
			if err != nil {
				return err
			}
			if at == nil && opts.Script == nil {
				return errors.New("give --at, the virtual time to show (or --keys, to show a key script's end)")
			}
			ui.UseColours(opts.Theme, colour)
			m := ui.New(s.Config(), opts)
			var screen string
			if at != nil {
				if screen, err = ui.SnapshotAt(m, size.w, size.h, *at); err != nil {
					return err
				}
			} else {
				screen = ui.SnapshotEnd(m, size.w, size.h)
			}
			if _, err := fmt.Fprintln(cmd.OutOrStdout(), screen); err != nil {
				return failure{err}
			}
			return nil
		},
	}
	o.addScenarioFlags(cmd.Flags())
	v.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&v.keys, "keys", "", "play the key script `FILE` first")
	cmd.Flags().StringVar(&v.lesson, "lesson", "", "play the lesson `NAME` first (see lockviz lessons)")
	cmd.Flags().Var(flagOf(&at, "duration", scenario.ParseDuration), "at", "the virtual time to show")
	cmd.Flags().Var(&size, "size", "the window's size, WIDTHxHEIGHT")
	cmd.Flags().BoolVar(&colour, "color", false, "keep the colours, as ANSI escape sequences")
	return cmd
}

// recordFile is a recording's file, opened before anything is drawn so that a
// path that cannot be written fails at once.
type recordFile struct {
	f    *os.File
	path string
}

// openOutput creates the recording file path, whose extension says its
// format: .cast (asciicast v2) or, for lockviz record (headless), .gif and
// .html too.
func openOutput(path, flag string, headless bool) (*recordFile, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".cast", (ext == ".gif" || ext == ".html") && headless:
	case ext == ".gif", ext == ".html":
		return nil, fmt.Errorf("%s %s: a live view records .cast; lockviz record -o FILE%s records a key script", flag, path, ext)
	case headless:
		return nil, fmt.Errorf("%s %s: unknown extension %q: write .cast (asciicast v2), .gif or .html (a web page)", flag, path, filepath.Ext(path))
	default:
		return nil, fmt.Errorf("%s %s: unknown extension %q: write .cast (asciicast v2)", flag, path, filepath.Ext(path))
	}
	f, err := os.Create(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, failure{fmt.Errorf("%s %s: %v", flag, path, err)}
	}
	return &recordFile{f: f, path: path}, nil
}

// discard closes and removes the file, when nothing is to be recorded.
func (o *recordFile) discard() {
	o.f.Close()
	os.Remove(o.path)
}

// isGIF reports whether the file is to hold a GIF.
func (o *recordFile) isGIF() bool { return strings.EqualFold(filepath.Ext(o.path), ".gif") }

// isHTML reports whether the file is to hold a web page.
func (o *recordFile) isHTML() bool { return strings.EqualFold(filepath.Ext(o.path), ".html") }

// writeGIF plays cfg's view in a w×h window into a GIF streamed to the
// file, which it closes; the canvas is the largest window the script
// resizes to.
func (o *recordFile) writeGIF(cfg sim.Config, opts ui.Options, w, h int) error {
	cols, rows := w, h
	for _, st := range opts.Script.Steps {
		if st.Kind == ui.StepResize {
			cols, rows = max(cols, st.W), max(rows, st.H)
		}
	}
	g := recording.NewGIF(o.f, cols, rows, opts.Theme != ui.ThemeLight)
	opts.Recorder = g
	ui.Play(ui.New(cfg, opts), w, h)
	err := g.Close()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return failure{fmt.Errorf("%s: %v", o.path, err)}
	}
	return nil
}

// write writes the recording rec to the file and closes it.
func (o *recordFile) write(rec io.WriterTo) error {
	bw := bufio.NewWriter(o.f)
	_, err := rec.WriteTo(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return failure{fmt.Errorf("%s: %v", o.path, err)}
	}
	return nil
}

func newRecordCmd() *cobra.Command {
	var (
		o    options
		v    viewFlags
		size = sizeFlag{100, 30}
		out  string
	)
	cmd := &cobra.Command{
		Use:   "record [scenario] --keys FILE -o FILE.cast",
		Short: "Record a key script played into the live view, headless",
		Long: `Play a key script (--keys) into the live view of a scenario without a
terminal, as fast as the machine allows, and write the frames to -o: an
asciicast v2 recording (.cast), which asciinema plays, a GIF (.gif), or a
web page that plays the recording (.html, as "lockviz publish" makes). The
frames are those "lockviz --keys FILE --record FILE.cast" draws in a
terminal of the same size, byte for byte.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, opts, err := v.session(&o, args)
			if err != nil {
				return err
			}
			if opts.Script == nil {
				return errors.New("give --keys, the key script to record, or --lesson")
			}
			if out == "" {
				return errors.New("give -o, the file to write (.cast)")
			}
			f, err := openOutput(out, "-o", true)
			if err != nil {
				return err
			}
			ui.UseColours(opts.Theme, true)
			if f.isGIF() {
				return f.writeGIF(s.Config(), opts, size.w, size.h)
			}
			rec := recording.NewCast(v.title(s), v.origin(s, &o))
			opts.Recorder = rec
			ui.Play(ui.New(s.Config(), opts), size.w, size.h)
			if f.isHTML() {
				return f.write(webPage{rec})
			}
			return f.write(rec)
		},
	}
	o.addScenarioFlags(cmd.Flags())
	v.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&v.keys, "keys", "", "the key script `FILE` to play")
	cmd.Flags().StringVar(&v.lesson, "lesson", "", "record the lesson `NAME` (see lockviz lessons): its scenario and key script")
	cmd.Flags().Var(&size, "size", "the window's size, WIDTHxHEIGHT")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the recording's `FILE`: .cast, .gif or .html")
	return cmd
}

func newLessonsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "lessons",
		Short: "List the lessons lockviz records (lockviz record --lesson NAME)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSCENARIO\tLENGTH\tTITLE")
			for _, l := range lessons.All() {
				s, err := ui.ParseScript(l.Name, l.Script)
				if err != nil {
					return err // a test keeps the shipped lessons readable
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Name, l.Scenario, s.End, l.Title)
			}
			if err := tw.Flush(); err != nil {
				return failure{err}
			}
			return nil
		},
	}
}

func newExportCmd() *cobra.Command {
	var (
		o               options
		python, virtual bool
		outFile         string
	)
	cmd := &cobra.Command{
		Use:   "export --python [scenario]",
		Short: "Write a scenario as a Python program that prints the same events",
		Long: `Write a scenario as one self-contained Python program (CPython 3.11, standard
library only) that runs its tasks' code on asyncio and prints the events
"lockviz run --events" prints for the same flags, byte for byte. It runs in
real time; --virtual-clock makes its clock jump from timer to timer, as
lockviz's does. The flags that change a scenario in "lockviz run" change the
export the same way.

  lockviz export --python deadlock --virtual-clock > deadlock.py
  python3 deadlock.py | diff - <(lockviz run --events deadlock)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !python {
				return errors.New("say which language: --python (the only one so far)")
			}
			if err := o.takeArg(args); err != nil {
				return err
			}
			s, err := o.resolve()
			if err != nil {
				return err
			}
			if err := checkEnds(s); err != nil {
				return err
			}
			w, done := cmd.OutOrStdout(), func() error { return nil }
			if outFile != "" {
				f, err := os.Create(outFile)
				if err != nil {
					return err // a path that cannot be written: bad input
				}
				w, done = f, f.Close
			}
			return writeExport(w, done, func(w io.Writer) error {
				return pyexport.Write(w, s, pyexport.Options{VirtualClock: virtual})
			})
		},
	}
	o.addScenarioFlags(cmd.Flags())
	cmd.Flags().BoolVar(&python, "python", false, "write the scenario as a Python program for CPython 3.11's asyncio")
	cmd.Flags().BoolVar(&virtual, "virtual-clock", false, "run it on a clock that jumps from timer to timer, as lockviz does, not in real time")
	cmd.Flags().StringVarP(&outFile, "output", "o", "", "write the program to `FILE` rather than to standard output")
	return cmd
}

// writeExport writes through a buffer to w and closes it with done; a
// failure to write or close is lockviz's surroundings', not its input's.
func writeExport(w io.Writer, done func() error, write func(io.Writer) error) error {
	bw := bufio.NewWriter(w)
	err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := done(); err == nil {
		err = cerr
	}
	if err != nil {
		return failure{err}
	}
	return nil
}

// origin says how the recording of scenario s is made, for its header:
// the command that plays it in a terminal, from the flags given
// (those of the recording's output and window aside, and --seed always),
// with the key script and a scenario file that is no built-in.
func (v *viewFlags) origin(s scenario.Scenario, o *options) *recording.Origin {
	org := &recording.Origin{Scenario: s.Name, Description: s.Description, Seed: s.Seed, Keys: string(v.script)}
	args := []string{"lockviz"}
	switch {
	case v.played != nil:
		args = append(args, "--lesson", v.played.Name)
	case slices.Contains(scenario.BuiltinNames(), o.scenario):
		args = append(args, o.scenario)
	default:
		org.ScenarioFile = filepath.Base(o.scenario)
		text, _ := scenario.ReadFile(o.scenario) // it was read just now
		org.ScenarioText = string(text)
		args = append(args, org.ScenarioFile)
	}
	o.fs.Visit(func(f *pflag.Flag) {
		switch f.Name {
		case "scenario", "lesson", "keys", "record", "output", "size", "seed":
		default:
			if f.NoOptDefVal != "" && f.Value.String() == f.NoOptDefVal {
				args = append(args, "--"+f.Name) // --paused, not --paused true
			} else {
				args = append(args, "--"+f.Name, f.Value.String())
			}
		}
	})
	args = append(args, "--seed", strconv.FormatUint(s.Seed, 10))
	if v.keys != "" {
		org.KeysFile = filepath.Base(v.keys)
		args = append(args, "--keys", org.KeysFile)
	}
	org.Command = publish.ShellWords(args)
	return org
}

// webPage is a recording's web page, as lockviz publish writes it.
type webPage struct{ cast *recording.Cast }

func (p webPage) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	if _, err := p.cast.WriteTo(&b); err != nil {
		return 0, err
	}
	r, err := publish.Read("the recording", b.Bytes())
	if err != nil {
		return 0, err // lockviz's own recordings read: a test keeps them so
	}
	return r.WriteTo(w)
}

func newPublishCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "publish FILE.cast -o FILE.html",
		Short: "Write a recording as one web page that plays it offline",
		Long: `Write an asciicast v2 recording (lockviz record -o FILE.cast, or any other)
as one self-contained web page: the recording, asciinema's web player, the
captions as chapters and, for a lockviz recording, the command, seed and
key script that run the lesson again. The page needs no server and no
network: put it on a course page, in an LMS, or attach it to an email.

  lockviz record --lesson race -o race.cast
  lockviz publish race.cast -o race.html

Every failure, of the recording or of the page's file, exits with 2.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("give -o, the web page to write (.html)")
			}
			if ext := filepath.Ext(out); !strings.EqualFold(ext, ".html") {
				return fmt.Errorf("-o %s: unknown extension %q: write .html", out, ext)
			}
			data, err := publish.ReadFile(args[0])
			if err != nil {
				return err
			}
			r, err := publish.Read(args[0], data)
			if err != nil {
				return err
			}
			return writePage(out, r)
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the web page's `FILE`: .html")
	return cmd
}

// writePage writes r's page to the file path, or removes what it wrote.
// The issue that asked for publish counts a page that cannot be written as
// bad input (2), as a path given by hand usually is.
func writePage(path string, r publish.Recording) error {
	f, err := os.Create(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("-o %s: %v", path, err)
	}
	bw := bufio.NewWriter(f)
	_, err = r.WriteTo(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("-o %s: %v", path, err)
	}
	return nil
}

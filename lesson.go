package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lockviz/lessons"
	"lockviz/recording"
	"lockviz/sim"
	"lockviz/sim/scenario"
	"lockviz/ui"
)

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
// format: .cast (asciicast v2) or, when gif, .gif too.
func openOutput(path, flag string, gif bool) (*recordFile, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".cast", ext == ".gif" && gif:
	case ext == ".gif":
		return nil, fmt.Errorf("%s %s: a live view records .cast; lockviz record -o FILE.gif makes a GIF of a key script", flag, path)
	case gif:
		return nil, fmt.Errorf("%s %s: unknown extension %q: write .cast (asciicast v2) or .gif", flag, path, filepath.Ext(path))
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
asciicast v2 recording (.cast), which asciinema plays. The frames are those
"lockviz --keys FILE --record FILE.cast" draws in a terminal of the same
size, byte for byte.`,
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
			rec := recording.NewCast(v.title(s))
			opts.Recorder = rec
			ui.Play(ui.New(s.Config(), opts), size.w, size.h)
			return f.write(rec)
		},
	}
	o.addScenarioFlags(cmd.Flags())
	v.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&v.keys, "keys", "", "the key script `FILE` to play")
	cmd.Flags().StringVar(&v.lesson, "lesson", "", "record the lesson `NAME` (see lockviz lessons): its scenario and key script")
	cmd.Flags().Var(&size, "size", "the window's size, WIDTHxHEIGHT")
	cmd.Flags().StringVarP(&out, "output", "o", "", "the recording's `FILE`: .cast")
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

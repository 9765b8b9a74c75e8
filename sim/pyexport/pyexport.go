// Package pyexport writes a scenario as one self-contained Python program
// that runs it on CPython's asyncio and prints the events `lockviz run
// --events` prints, byte for byte: each task's code verbatim (for the
// shorthand, the Python it stands for), lockviz's random generators
// reproduced so that a seed draws the same numbers, and barging and no
// lock, which asyncio lacks, as small classes.
package pyexport

import (
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/scenario"
)

//go:embed runtime.py
var runtime string

//go:embed barging.py
var barging string

//go:embed nolock.py
var nolock string

const mainBlock = `

if __name__ == "__main__":
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n",
                  buffering=-1 if VIRTUAL_CLOCK else 1, closefd=False)
    stuck = run(stdout, VIRTUAL_CLOCK)
    stdout.flush()
    if stuck is not None:
        # lockviz run's exit status 3: a deadlock, or tasks left waiting
        # forever on a lock a task ended holding.
        print(stuck, file=sys.stderr)
    os._exit(0 if stuck is None else 3)  # not waiting for the tasks left waiting: see run
`

// Options say how the program runs.
type Options struct {
	// VirtualClock runs it on a clock that jumps from timer to timer, as
	// lockviz does, rather than at the pace of the wall clock.
	VirtualClock bool
}

// Write writes the program that runs s to w.
func Write(w io.Writer, s scenario.Scenario, o Options) error {
	var b strings.Builder
	policies := map[lock.Policy]bool{}
	for _, l := range s.Config().LockSpecs() {
		policies[l.Policy] = true
	}
	writeHeader(&b, s, policies[lock.Barging] || policies[lock.None])
	writeScenario(&b, s, o)
	b.WriteString(runtime)
	if policies[lock.Barging] {
		b.WriteString(barging)
	}
	if policies[lock.None] {
		b.WriteString(nolock)
	}
	writeTables(&b)
	b.WriteString(mainBlock)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHeader(b *strings.Builder, s scenario.Scenario, ownLocks bool) {
	doc := s.Name
	if s.Description != "" {
		doc += ": " + s.Description
	}
	fmt.Fprintf(b, `#!/usr/bin/env python3
"""%s

The lockviz scenario %s as a Python program for CPython 3.11 and its
standard library: each task's code below runs on asyncio, and the program
prints the events "lockviz run --events" prints for the same scenario and
flags, byte for byte.

What is lockviz's rather than asyncio's: the clock counts whole
nanoseconds; "random" is lockviz's generators, seeded per task, so that the
code draws lockviz's numbers; "asyncio", "shared" and the locks a task's
code sees log its events where lockviz logs them.
`, pyDocString(doc), pyDocString(s.Name))
	if ownLocks {
		b.WriteString(`asyncio has no barging lock and no "no lock": those are small classes
at the end.
`)
	}
	b.WriteString(`
VIRTUAL_CLOCK = True runs it as lockviz does, the clock jumping from timer
to timer; False paces the same clock by the wall clock, for watching.
"""
`)
}

// pyDocString makes s safe inside a triple-quoted docstring.
func pyDocString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"""`, `\"\"\"`).Replace(s)
}

// writeScenario writes the scenario's settings, one coroutine function per
// distinct code and the table of tasks.
func writeScenario(b *strings.Builder, s scenario.Scenario, o Options) {
	b.WriteString("\n# ---- the scenario ----------------------------------------------------------\n\n")
	fmt.Fprintf(b, "VIRTUAL_CLOCK = %s\nSEED = %d\nUNTIL = %d  # ns; 0 runs until every task has ended\n",
		pyBool(o.VirtualClock), s.Seed, int64(s.Until))
	b.WriteString("LOCKS = {\n")
	for _, l := range s.Config().LockSpecs() {
		fmt.Fprintf(b, "    %s: (%s, %d),\n", pyString(l.Name), pyString(l.Policy.String()), max(l.Permits, 1))
	}
	b.WriteString("}\n")
	funcs := map[string]string{} // source → function name
	var table strings.Builder
	used := map[string]bool{}
	for _, g := range s.Tasks {
		p := g.TaskSpec.Program()
		code := g.Code != nil
		key := fmt.Sprint(code, p.Source)
		fn, ok := funcs[key]
		if !ok {
			fn = funcName(g.Name, used)
			funcs[key] = fn
			locks := p.Locks
			if !code {
				// The shorthand's `lock` is the run's first lock.
				locks = []string{s.Config().LockSpecs()[0].Name}
			}
			writeFunc(b, fn, p, locks, code)
		}
		dists := "None"
		if !code {
			dists = "(" + pyDist(g.Think) + ", " + pyDist(g.Hold) + ")"
		}
		fmt.Fprintf(&table, "    (%s, %d, %s, %d, %s),\n", pyString(g.Name), g.Count, fn, int64(g.Start), dists)
	}
	b.WriteString("\n# Each row is a group of tasks: its name (name-1 … name-N when there are N),\n")
	b.WriteString("# how many, its code, when they start (ns), and for the shorthand the think\n")
	b.WriteString("# and hold distributions its draws come from, in ns: (kind, A, B).\n")
	b.WriteString("TASKS = [\n" + table.String() + "]\n")
}

// writeFunc writes p as the coroutine function fn; its parameters are what
// the code sees: asyncio, random, shared and the locks, which are the
// run's lockNames.
func writeFunc(b *strings.Builder, fn string, p *sim.Program, lockNames []string, code bool) {
	params := append([]string{"asyncio", "random", "shared"}, p.Locks...)
	b.WriteString("\n\n")
	if !code {
		b.WriteString("# The shorthand (think, hold, iterations … in the scenario) as Python; its\n")
		b.WriteString("# sleeps of 0 do not sleep at all, not even yielding, as in lockviz.\n")
	}
	fmt.Fprintf(b, "async def %s(%s):\n", fn, strings.Join(params, ", "))
	for _, l := range strings.Split(strings.TrimRight(p.Source, "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			b.WriteString("\n")
		} else {
			b.WriteString("    " + l + "\n")
		}
	}
	locks := make([]string, len(lockNames))
	for i, l := range lockNames {
		locks[i] = pyString(l)
	}
	fmt.Fprintf(b, "\n\n%s.locks = (%s,)\n", fn, strings.Join(locks, ", "))
	if code {
		lines, loops := stmtLines(p.Body)
		fmt.Fprintf(b, "%s.lines = {%s}  # its statements' lines\n", fn, lines)
		fmt.Fprintf(b, "%s.loops = {%s}  # those of its loops\n", fn, loops)
	}
}

// stmtLines lists the lines of body's statements, and of its loops.
func stmtLines(body []sim.Stmt) (lines, loops string) {
	var all, loop []int
	var walk func([]sim.Stmt)
	walk = func(body []sim.Stmt) {
		for i := range body {
			st := &body[i]
			all = append(all, int(st.Line))
			if st.Kind == sim.SFor || st.Kind == sim.SWhile {
				loop = append(loop, int(st.Line))
			}
			walk(st.Body)
			walk(st.Else)
			walk(st.Handler)
			walk(st.Finally)
		}
	}
	walk(body)
	return set(all), set(loop)
}

// set spells the numbers ns as the items of a Python set.
func set(ns []int) string {
	slices.Sort(ns)
	ns = slices.Compact(ns)
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// funcName names the function of a group's code after the group, when its
// name makes a Python identifier, so that the program reads as the
// scenario does.
func funcName(group string, used map[string]bool) string {
	base := "task_"
	for _, r := range group {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			base += string(r)
		default:
			base += "_"
		}
	}
	name := base
	for i := 2; used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	used[name] = true
	return name
}

func pyDist(d sim.Dist) string {
	kind := map[sim.DistKind]string{sim.Fixed: "fixed", sim.Exponential: "exp", sim.Uniform: "uniform"}[d.Kind]
	return fmt.Sprintf("(%q, %d, %d)", kind, int64(d.A), int64(d.B))
}

func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// pyString quotes s as a Python string literal: Go's quoting, whose
// escapes Python reads the same.
func pyString(s string) string { return strconv.Quote(s) }

// writeTables writes the ziggurat tables of Go's ExpFloat64, exactly: a
// float32 printed as the shortest float64 that is it.
func writeTables(b *strings.Builder) {
	k, w, f := sim.ExpTables()
	b.WriteString("\n\n# The tables of Go's ExpFloat64 (math/rand/v2, exp.go).\n")
	row := func(name string, n int, item func(int) string) {
		b.WriteString(name + " = [")
		for i := range n {
			if i%6 == 0 {
				b.WriteString("\n   ")
			}
			b.WriteString(" " + item(i) + ",")
		}
		b.WriteString("\n]\n")
	}
	row("EXP_K", len(k), func(i int) string { return fmt.Sprintf("0x%08x", k[i]) })
	row("EXP_W", len(w), func(i int) string { return strconv.FormatFloat(float64(w[i]), 'g', -1, 64) })
	row("EXP_F", len(f), func(i int) string { return strconv.FormatFloat(float64(f[i]), 'g', -1, 64) })
}

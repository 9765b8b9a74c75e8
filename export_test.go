package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"lockviz/sim/scenario"
	"lockviz/sim/tooltest"
)

// inProcess runs lockviz's command line in this process, and returns what
// it printed and, for a run that got stuck (exit status 3), what it said.
func inProcess(t *testing.T, args ...string) (stdout, stuck string) {
	t.Helper()
	var out, stderr bytes.Buffer
	switch code := execute(args, &out, &stderr); code {
	case exitOK:
	case exitStuck:
		stuck = strings.TrimPrefix(strings.TrimSpace(stderr.String()), "lockviz: ")
	default:
		t.Fatalf("lockviz %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
	return out.String(), stuck
}

// sameStuck reports whether lockviz and an exported program said the same
// of a stuck run: the same words, their times aside (lockviz rounds them,
// the program writes them as the trace does).
func sameStuck(lockviz, python string) bool {
	at := regexp.MustCompile(` at [^ ]+`)
	return at.ReplaceAllString(lockviz, " at T") == at.ReplaceAllString(python, " at T")
}

// exportCase is a scenario and the flags it runs with.
type exportCase struct {
	name string
	args []string
}

func TestExportPrintsRunsEvents(t *testing.T) {
	py := tooltest.Python311(t, "the exported programs run on it")
	dir := t.TempDir()
	var cases []exportCase
	for _, name := range scenario.BuiltinNames() {
		cases = append(cases, exportCase{name, []string{name}})
	}
	cases = append(cases,
		exportCase{"flags: barging starves", []string{"starvation", "--policy", "barging", "--seed", "4"}},
		exportCase{"flags: no lock loses updates", []string{"playground", "--policy", "none", "--until", "5s"}},
		exportCase{"flags: a semaphore of two, copies of a task", []string{"pool", "--tasks", "7", "--policy", "semaphore", "--permits", "2"}},
		exportCase{"flags: shorthand changed", []string{"playground", "--hold", "uniform:10ms-90ms", "--think", "exp:50ms", "--iterations", "6", "--timeout", "40ms", "--until", "0s"}},
		exportCase{"flags: until cuts a deadlock-free run", []string{"dining", "--policy", "barging", "--until", "900ms"}},
	)
	names := filepath.Join(dir, "names.toml")
	writeAt(t, names, `name = "names"
[[tasks]]
name = "wörker \"q\" \\ 工"
count = 2
iterations = 3
hold = "exp:10ms"
append = true
`)
	cases = append(cases, exportCase{"names: quotes, backslashes, CJK", []string{names}})
	spin := filepath.Join(dir, "spin.toml")
	writeAt(t, spin, `name = "spin"
[[tasks]]
name = "sleepless"
count = 2
iterations = 10005
[[tasks]]
name = "sleeper"
iterations = 2
hold = "1ms"
`)
	cases = append(cases,
		exportCase{"shorthand: lockviz yields after 10,000 iterations that never suspend", []string{spin}},
		exportCase{"shorthand: sleepless on a contended semaphore", []string{spin, "--policy", "semaphore", "--permits", "2"}})
	r := rand.New(rand.NewPCG(8, 9))
	const generated = 300
	for i := range generated {
		f := filepath.Join(dir, fmt.Sprintf("gen-%d.toml", i))
		writeAt(t, f, genScenario(r, i))
		cases = append(cases, exportCase{fmt.Sprintf("generated %d", i), []string{f}})
	}
	start := time.Now()
	want, wantStuck := make([]string, len(cases)), make([]string, len(cases))
	progs := make([]string, len(cases))
	for i, c := range cases {
		want[i], wantStuck[i] = inProcess(t, append([]string{"run", "--events"}, c.args...)...)
		progs[i] = filepath.Join(dir, fmt.Sprintf("case-%d.py", i))
		inProcess(t, append([]string{"export", "--python", "--virtual-clock", "-o", progs[i]}, c.args...)...)
	}
	// The named cases run as a teacher would run them; the generated ones
	// through a driver, since starting Python and importing asyncio for
	// each would take most of the test's time.
	named := len(cases) - generated
	got, gotStuck, errs := make([]string, len(cases)), make([]string, len(cases)), make([]string, len(cases))
	var wg sync.WaitGroup
	for w := range runtime.NumCPU() {
		wg.Go(func() {
			for i := w; i < named; i += runtime.NumCPU() {
				got[i], gotStuck[i], errs[i] = runPython(py, progs[i])
			}
		})
		wg.Go(func() {
			var mine []int
			for i := named + w; i < len(cases); i += runtime.NumCPU() {
				mine = append(mine, i)
			}
			outs, stucks, err := runDriver(py, progs, mine)
			for j, i := range mine {
				got[i], gotStuck[i], errs[i] = outs[j], stucks[j], err
			}
		})
	}
	wg.Wait()
	events, stuck := 0, 0
	for i, c := range cases {
		if errs[i] != "" {
			t.Errorf("%s: python3: %s", c.name, errs[i])
			continue
		}
		events += strings.Count(want[i], "\n")
		if want[i] != got[i] {
			t.Errorf("%s (lockviz %s): the exported program's events differ\n%s", c.name, strings.Join(c.args, " "),
				tooltest.FirstDifference(strings.Split(want[i], "\n"), strings.Split(got[i], "\n")))
		}
		if wantStuck[i] != "" {
			stuck++
		}
		if !sameStuck(wantStuck[i], gotStuck[i]) {
			t.Errorf("%s (lockviz %s): lockviz says %q (exit 3 when said), the exported program %q", c.name, strings.Join(c.args, " "),
				wantStuck[i], gotStuck[i])
		}
	}
	if stuck == 0 {
		t.Error("no run got stuck: exit status 3 went untested")
	}
	t.Logf("%d scenarios exported, %d events, identical on CPython asyncio; %d stuck, saying so as lockviz does (%.1fs)",
		len(cases), events, stuck, time.Since(start).Seconds())
}

func TestExportBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown scenario", []string{"export", "--python", "nosuch"}, exitUsage, "nosuch"},
		{"no language", []string{"export", "basic"}, exitUsage, "--python"},
		{"a scenario that never ends", []string{"export", "--python", "playground", "--until", "0s"}, exitUsage, "--until"},
		{"two scenarios", []string{"export", "--python", "basic", "--scenario", "pool"}, exitUsage, "two scenarios"},
		{"a flag run refuses", []string{"export", "--python", "deadlock", "--hold", "1s"}, exitUsage, "has code"},
		{"an output that cannot be created", []string{"export", "--python", "basic", "-o", filepath.Join(t.TempDir(), "no", "such.py")}, exitUsage, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := execute(c.args, &stdout, &stderr); code != c.code {
				t.Errorf("exit %d, want %d", code, c.code)
			}
			if msg := stderr.String(); !strings.HasPrefix(msg, "lockviz: ") || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.msg) {
				t.Errorf("stderr %q, want one line naming %q", msg, c.msg)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestExportRealTime runs an export without --virtual-clock: the same
// events, paced by the wall clock.
func TestExportRealTime(t *testing.T) {
	py := tooltest.Python311(t, "the exported programs run on it")
	dir := t.TempDir()
	f, prog := filepath.Join(dir, "short.toml"), filepath.Join(dir, "short.py")
	writeAt(t, f, `name = "short"
[[tasks]]
name = "t"
count = 3
iterations = 2
think = "exp:20ms"
hold = "uniform:10ms-60ms"
timeout = "50ms"
append = true
`)
	want, _ := inProcess(t, "run", "--events", f)
	inProcess(t, "export", "--python", f, "-o", prog)
	start := time.Now()
	got, stuck, failed := runPython(py, prog)
	if failed != "" || stuck != "" {
		t.Fatal(failed, stuck)
	}
	if got != want {
		t.Errorf("events differ in real time\n%s", tooltest.FirstDifference(strings.Split(want, "\n"), strings.Split(got, "\n")))
	}
	lines := strings.Split(strings.TrimSpace(want), "\n")
	var last struct{ T float64 }
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start).Seconds(); took < last.T {
		t.Errorf("the run took %.3fs of wall time, less than its %.3fs of virtual time", took, last.T)
	}
}

// runPython runs an exported program and returns what it printed and, when
// it exited 3 as a stuck run of lockviz does, what it said; or why it
// failed.
func runPython(py string, args ...string) (stdout, stuck, failed string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), "", ""
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return out.String(), strings.TrimSpace(stderr.String()), ""
	}
	return "", "", fmt.Sprintf("%v\n%s", err, stderr.String())
}

// driver runs exported programs one after another in one interpreter:
// each its own namespace, its events written beside it.
const driver = `
import io, logging, sys, traceback
# The tasks a run leaves waiting are collected later: quietly.
logging.getLogger("asyncio").disabled = True
sys.unraisablehook = lambda unraisable: None
for path in sys.argv[1:]:
    out = io.StringIO()
    try:
        ns = {"__name__": "exported"}
        with open(path, encoding="utf-8") as f:
            exec(compile(f.read(), path, "exec"), ns)
        stuck = ns["run"](out, True)
    except BaseException:
        out.write("python: " + traceback.format_exc())
        stuck = None
    with open(path + ".out", "w", encoding="utf-8", newline="\n") as f:
        f.write(out.getvalue())
    with open(path + ".stuck", "w", encoding="utf-8", newline="\n") as f:
        f.write(stuck or "")
`

// runDriver runs the programs progs[i] for i in which through the driver
// and returns what each printed and what each said of a stuck run.
func runDriver(py string, progs []string, which []int) (outs, stucks []string, failed string) {
	args := []string{"-c", driver}
	for _, i := range which {
		args = append(args, progs[i])
	}
	outs, stucks = make([]string, len(which)), make([]string, len(which))
	if _, _, failed := runPython(py, args...); failed != "" {
		return outs, stucks, failed
	}
	for j, i := range which {
		b, err := os.ReadFile(progs[i] + ".out")
		if err != nil {
			return outs, stucks, err.Error()
		}
		s, err := os.ReadFile(progs[i] + ".stuck")
		if err != nil {
			return outs, stucks, err.Error()
		}
		outs[j], stucks[j] = string(b), string(s)
	}
	return outs, stucks, ""
}

// writeAt writes data to the file at path name.
func writeAt(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// genScenario draws a scenario file on one to three locks of any policy:
// tasks with code (nested async with, manual acquire and release, wait_for
// with its except, raises, the shared list, break and continue, loops),
// and shorthand tasks, on a coarse time grid so that events share instants.
func genScenario(r *rand.Rand, i int) string {
	var b strings.Builder
	policies := []string{"fifo", "semaphore", "barging", "none"}
	fmt.Fprintf(&b, "name = \"gen-%d\"\nseed = %d\n", i, r.Int64())
	forever := r.IntN(4) == 0
	if forever {
		fmt.Fprintf(&b, "until = \"%dms\"\n", 500+100*r.IntN(20))
	}
	locks := []string{"lock"}
	if r.IntN(2) == 0 {
		locks = locks[:0]
		b.WriteString("\n[locks]\n")
		for j := range 1 + r.IntN(3) {
			l := string(rune('a' + j))
			locks = append(locks, l)
			p := policies[r.IntN(len(policies))]
			if p == "semaphore" {
				fmt.Fprintf(&b, "%s = { policy = \"semaphore\", permits = %d }\n", l, 1+r.IntN(2))
			} else {
				fmt.Fprintf(&b, "%s = { policy = %q }\n", l, p)
			}
		}
	} else if p := policies[r.IntN(len(policies))]; p == "semaphore" {
		fmt.Fprintf(&b, "policy = \"semaphore\"\npermits = %d\n", 1+r.IntN(3))
	} else {
		fmt.Fprintf(&b, "policy = %q\n", p)
	}
	for j := range 2 + r.IntN(4) {
		fmt.Fprintf(&b, "\n[[tasks]]\nname = \"t%d\"\ncount = %d\n", j, 1+r.IntN(2))
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "start = \"%dms\"\n", 100*r.IntN(3))
		}
		if r.IntN(4) == 0 {
			genShorthand(&b, r, forever)
			continue
		}
		g := &codeGen{r: r, locks: locks}
		b.WriteString("code = '''\n# a comment, and a blank line, which lines count\n\n")
		if forever && r.IntN(2) == 0 {
			b.WriteString("while True:\n")
			g.body(1, true)
			b.WriteString(g.src.String())
			b.WriteString("    await asyncio.sleep(0.1)\n")
		} else {
			fmt.Fprintf(&b, "for _ in range(%d):\n", 1+r.IntN(4))
			g.body(1, true)
			b.WriteString(g.src.String())
		}
		b.WriteString("'''\n")
	}
	return b.String()
}

// genShorthand writes a shorthand task's fields.
func genShorthand(b *strings.Builder, r *rand.Rand, forever bool) {
	dist := func() string {
		switch r.IntN(4) {
		case 0:
			return "0s"
		case 1:
			return fmt.Sprintf("%dms", 100*r.IntN(4))
		case 2:
			return fmt.Sprintf("exp:%dms", 50+100*r.IntN(4))
		}
		a := 100 * r.IntN(3)
		return fmt.Sprintf("uniform:%dms-%dms", a, a+100*r.IntN(3))
	}
	iterations, think, hold := 1+r.IntN(4), dist(), dist()
	if forever && r.IntN(2) == 0 {
		iterations = 0
		hold = "exp:100ms" // a loop forever must sleep
	}
	fmt.Fprintf(b, "iterations = %d\nthink = %q\nhold = %q\nappend = %v\n", iterations, think, hold, r.IntN(2) == 0)
	if r.IntN(3) == 0 {
		fmt.Fprintf(b, "timeout = \"%dms\"\n", 100+100*r.IntN(5))
	}
}

// codeGen writes random code in lockviz's subset of Python.
type codeGen struct {
	r     *rand.Rand
	locks []string
	src   strings.Builder
	vars  int
}

func (g *codeGen) line(depth int, s string) {
	g.src.WriteString(strings.Repeat("    ", depth) + s + "\n")
}

func (g *codeGen) sleep(depth int) {
	x := fmt.Sprintf("0.%d", g.r.IntN(4))
	switch g.r.IntN(3) {
	case 0:
		x = fmt.Sprintf("random.expovariate(%d)", 5+g.r.IntN(20))
	case 1:
		x = fmt.Sprintf("random.uniform(0, 0.%d)", 1+g.r.IntN(3))
	}
	g.line(depth, "await asyncio.sleep("+x+")")
}

func (g *codeGen) body(depth int, inLoop bool) {
	for range 1 + g.r.IntN(3) {
		g.stmt(depth, inLoop)
	}
}

func (g *codeGen) stmt(depth int, inLoop bool) {
	l := g.locks[g.r.IntN(len(g.locks))]
	deeper := depth < 4
	switch k := g.r.IntN(14); {
	case k < 3 || !deeper:
		g.sleep(depth)
	case k < 5:
		g.line(depth, "async with "+l+":")
		g.body(depth+1, inLoop)
	case k == 5:
		g.line(depth, "await "+l+".acquire()")
		g.line(depth, "try:")
		g.body(depth+1, inLoop)
		g.line(depth, "finally:")
		g.line(depth+1, l+".release()")
	case k == 6:
		g.line(depth, "try:")
		g.line(depth+1, fmt.Sprintf("await asyncio.wait_for(%s.acquire(), 0.%d)", l, 1+g.r.IntN(4)))
		g.body(depth+1, inLoop)
		g.line(depth+1, l+".release()")
		g.line(depth, "except asyncio.TimeoutError:")
		if inLoop && g.r.IntN(2) == 0 {
			g.line(depth+1, "continue")
		} else {
			g.line(depth+1, "pass")
		}
	case k == 7:
		g.line(depth, "if random.random() < 0.1:")
		g.line(depth+1, `raise RuntimeError("boom")`)
	case k == 8:
		v, s := fmt.Sprint("value", g.vars), fmt.Sprint("snapshot", g.vars)
		g.vars++
		g.line(depth, v+" = random.randint(1, 100)")
		g.line(depth, s+" = list(shared)")
		g.sleep(depth)
		g.line(depth, "shared[:] = "+s+" + ["+v+"]")
	case k == 9:
		g.line(depth, "shared.append(random.randint(1, 100))")
	case k == 10 && inLoop:
		g.line(depth, "if random.random() < 0.3:")
		g.line(depth+1, []string{"break", "continue"}[g.r.IntN(2)])
		if g.r.IntN(2) == 0 {
			g.line(depth, "elif random.random() > 0.8:")
			g.line(depth+1, "pass")
		}
	case k == 11:
		// asyncio's locks have no owner: this frees the lock from whoever
		// holds it, or raises on a free one.
		g.line(depth, l+".release()")
	case k == 12:
		v := fmt.Sprint("drawn", g.vars)
		g.vars++
		g.line(depth, v+" = random.expovariate(10)")
		g.line(depth, "if "+v+" > 0.1:")
		g.line(depth+1, "await asyncio.sleep("+v+")")
		g.line(depth, "else:")
		g.line(depth+1, "pass")
	default:
		g.line(depth, fmt.Sprintf("for _ in range(%d):", 1+g.r.IntN(2)))
		g.body(depth+1, true)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/gif"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lockviz/sim/format"
	"lockviz/sim/report"
	"lockviz/sim/scenario"
	"lockviz/sim/tooltest"
)

// binary is the lockviz built once for all the tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lockviz-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "lockviz")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
	state          *os.ProcessState
}

// runTimeout bounds one run of lockviz, so that a hung one fails its test
// rather than the whole run.
const runTimeout = time.Minute

func lockviz(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode(), cmd.ProcessState}
}

// ok runs lockviz and fails the test unless it succeeds quietly.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	r := lockviz(t, args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("lockviz %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

func TestRunText(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--scenario", "rate-limit"},
	} {
		out := ok(t, args...)
		for _, want := range []string{
			"virtual time  5s\n",
			"acquisitions  5 (1/s)\n",
			"task            acquired  wait mean   wait max  timeouts\n",
			"rate_limiter-1         2         1s         2s         0\n",
			"rate_limiter-3         1         2s         2s         0\n",
			"rate_limiter-2  ----------##########--------------------##########\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("lockviz %v lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestRunDefaultsToPlayground(t *testing.T) {
	out := ok(t, "run")
	if !strings.HasPrefix(out, "playground: ") || !strings.Contains(out, "virtual time  1m00s\n") {
		t.Fatalf("lockviz run:\n%s", out)
	}
}

func TestRunJSON(t *testing.T) {
	out := ok(t, "run", "--scenario", "rate-limit", "--json")
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("want one line of JSON, got:\n%s", out)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"acquisitions", "fairness", "max_queue", "permits", "policy", "scenario", "seed", "shared_list",
		"tasks", "throughput", "timeouts", "utilization", "virtual_time", "wait", "waiting_now"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	var sum report.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Acquisitions != 5 || sum.VirtualTime != 5 || sum.Scenario != "rate-limit" || sum.Policy != "fifo" || len(sum.Tasks) != 3 {
		t.Fatalf("summary %+v", sum)
	}
}

func TestRunEvents(t *testing.T) {
	allowed := []string{"spawn", "request", "acquired", "released", "timeout", "append", "done"} // cancelled needs a live view
	for _, scenario := range []string{"rate-limit", "shared-resource", "timeouts"} {
		out := ok(t, "run", "--scenario", scenario, "--events")
		seen := map[string]int{}
		last := -1.0
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var ev struct {
				T     *float64 `json:"t"`
				Task  string   `json:"task"`
				Event string   `json:"event"`
				Value *int     `json:"value"`
				Lock  string   `json:"lock"`
				Line  int      `json:"line"`
			}
			dec := json.NewDecoder(strings.NewReader(sc.Text()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&ev); err != nil {
				t.Fatalf("%s: line %q: %v", scenario, sc.Text(), err)
			}
			if ev.T == nil || *ev.T < last || ev.Task == "" || !slices.Contains(allowed, ev.Event) {
				t.Fatalf("%s: bad event %q", scenario, sc.Text())
			}
			if (ev.Event == "append") != (ev.Value != nil) || (ev.Value != nil && (*ev.Value < 1 || *ev.Value > 100)) {
				t.Fatalf("%s: bad value in %q", scenario, sc.Text())
			}
			last = *ev.T
			seen[ev.Event]++
		}
		if seen["acquired"] == 0 || seen["acquired"] != seen["released"] {
			t.Errorf("%s: events %v", scenario, seen)
		}
		switch scenario {
		case "rate-limit":
			if seen["acquired"] != 5 || seen["done"] != 3 {
				t.Errorf("rate-limit: events %v", seen)
			}
		case "shared-resource":
			if seen["append"] != 5 {
				t.Errorf("shared-resource: events %v", seen)
			}
		case "timeouts":
			if seen["timeout"] == 0 {
				t.Errorf("timeouts: events %v", seen)
			}
		}
	}
}

func TestSameSeedSameTrace(t *testing.T) {
	args := []string{"run", "--scenario", "playground", "--events", "--until", "20s", "--seed", "42"}
	a, b := ok(t, args...), ok(t, args...)
	if a != b {
		t.Fatal("two runs of one seed differ")
	}
	if a == "" {
		t.Fatal("no events")
	}
	if c := ok(t, "run", "--scenario", "playground", "--events", "--until", "20s", "--seed", "43"); c == a {
		t.Fatal("another seed gives the same trace: the seed is ignored")
	}
}

func TestOverrideFlags(t *testing.T) {
	out := ok(t, "run", "--scenario", "starvation", "--json", "--tasks", "4", "--iterations", "3", "--hold", "500ms",
		"--policy", "semaphore", "--permits", "2", "--seed", "7")
	var sum report.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ts := range sum.Tasks {
		names = append(names, ts.Name)
	}
	if !reflect.DeepEqual(names, []string{"task-1", "task-2", "task-3", "task-4"}) || sum.Acquisitions != 12 ||
		sum.Policy != "semaphore" || sum.Permits != 2 || sum.Seed != 7 || sum.VirtualTime != 3 {
		t.Fatalf("summary %+v", sum)
	}
	if out := ok(t, "run", "--scenario", "pool", "--policy", "fifo", "--json"); !strings.Contains(out, `"policy":"fifo","permits":1,`) {
		t.Fatalf("--policy fifo on a semaphore of two: %s", out)
	}
	if out := ok(t, "run", "--scenario", "playground", "--until", "3s", "--json"); !strings.Contains(out, `"virtual_time":3,`) {
		t.Fatalf("--until 3s: %s", out)
	}
	// Two tasks think 1s; one holds 2s twice (from 1s and 4s) while the
	// other times out twice (at 1.5s and at 3s, the instant of the release).
	out = ok(t, "run", "--scenario", "starvation", "--policy", "fifo", "--tasks", "2", "--json", "--think", "1s", "--hold", "2s",
		"--timeout", "500ms", "--iterations", "2")
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Acquisitions != 2 || sum.Timeouts != 2 || sum.VirtualTime != 6 {
		t.Fatalf("--think 1s --hold 2s --timeout 500ms: %+v", sum)
	}
}

func TestScenarios(t *testing.T) {
	out := ok(t, "scenarios")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	list := scenario.Builtins()
	if len(lines) != len(list)+1 {
		t.Fatalf("want a header and %d scenarios:\n%s", len(list), out)
	}
	col := strings.Index(lines[0], "DESCRIPTION")
	for i, s := range list {
		l := lines[i+1]
		if !strings.HasPrefix(l, s.Name+" ") || !strings.HasSuffix(l, s.Description) || strings.Index(l, s.Description) != col {
			t.Errorf("line %q does not list %s in the table", l, s.Name)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	type row struct {
		name string
		args []string
		want string
	}
	tests := []row{
		{"missing file", []string{"run", "--scenario", filepath.Join(dir, "gone.toml")}, "gone.toml: no such file"},
		{"unknown scenario name", []string{"run", "--scenario", "nope"}, `unknown scenario "nope"`},
		{"lines with json", []string{"run", "basic", "--lines", "--json"}, "--lines adds to the text report"},
		{"malformed file", []string{"run", "--scenario", file("syntax.toml", "name = \"x\"\npolicy = fifo\n")}, "syntax.toml:2:"},
		{"unknown key", []string{"run", "--scenario", file("holdd.toml", "name = \"x\"\npolicy = \"fifo\"\n\n[[tasks]]\nholdd = \"1s\"\n")}, `holdd.toml:5: unknown key "holdd"`},
		{"negative duration in a file", []string{"run", "--scenario", file("neg.toml", "[[tasks]]\nhold = \"-1s\"\n")}, `neg.toml:2: hold: negative duration "-1s"`},
		{"unparsable duration in a file", []string{"run", "--scenario", file("bad.toml", "[[tasks]]\nthink = \"later\"\n")}, `bad.toml:2: think:`},
		{"unknown policy in a file", []string{"run", "--scenario", file("pol.toml", "policy = \"mutex\"\n[[tasks]]\n")}, "fifo, semaphore, barging, none"},
		{"permits below 1 in a file", []string{"run", "--scenario", file("perm.toml", "permits = 0\n[[tasks]]\n")}, "perm.toml:1: permits"},
		{"zero tasks", []string{"run", "--scenario", file("none.toml", "name = \"x\"\n")}, "no tasks"},
		{"forever without until", []string{"run", "--scenario", file("forever.toml", "[[tasks]]\niterations = 0\nhold = \"1s\"\n")}, "loop forever"},
		{"forever by flag without until", []string{"run", "--scenario", "pool", "--iterations", "0"}, "--until"},
		{"shorthand flags on code", []string{"run", "--scenario", "basic", "--hold", "2s"}, `task "worker" has code`},
		{"code outside the subset", []string{"run", "--scenario", file("print.toml", "[[tasks]]\ncode = '''\nasync with lock:\n    print(1)\n'''\n")}, "print.toml:4:"},
		{"unknown lock in code", []string{"run", "--scenario", file("nolock.toml", "[locks]\na = { policy = \"fifo\" }\n[[tasks]]\ncode = \"async with b:\\n    pass\"\n")}, `nolock.toml:4: unknown lock "b"`},
		{"code that never lets time move", []string{"run", "--scenario", file("sleep0.toml", "until = \"1s\"\n[[tasks]]\ncode = \"while True:\\n    await asyncio.sleep(0)\"\n")}, "never lets virtual time move past 0s"},
		{"code beside the shorthand", []string{"run", "--scenario", file("both.toml", "[[tasks]]\ncode = \"pass\"\nhold = \"1s\"\n")}, "both.toml:3: hold:"},
		{"unknown policy flag", []string{"run", "--policy", "mutex"}, "fifo, semaphore, barging, none"},
		{"permits flag below 1", []string{"run", "--permits", "0"}, `"--permits"`},
		{"tasks flag above the limit", []string{"run", "--tasks", "100001"}, "100000"},
		{"negative hold flag", []string{"run", "--hold", "-1s"}, "negative duration"},
		{"unparsable think flag", []string{"run", "--think", "soon"}, `"--think"`},
		{"negative until flag", []string{"run", "--until", "-5s"}, `"--until"`},
		{"unparsable timeout flag", []string{"run", "--timeout", "x"}, `"--timeout"`},
		{"unparsable seed", []string{"run", "--seed", "abc"}, `"--seed"`},
		{"unparsable iterations", []string{"run", "--iterations", "1.5"}, `"--iterations"`},
		{"flag without its value", []string{"run", "--policy"}, "needs an argument"},
		{"unknown flag", []string{"run", "--frobnicate"}, "unknown flag: --frobnicate"},
		{"unknown flag on the root", []string{"--frobnicate"}, "unknown flag: --frobnicate"},
		{"bad flag value on the root", []string{"--policy", "mutex"}, "unknown policy"},
		{"unknown command or scenario", []string{"frobnicate"}, `unknown scenario "frobnicate": no built-in`},
		{"misspelt command", []string{"rnu"}, `unknown scenario "rnu": no built-in (async-with, basic, deadlock, dining, leaked, ordered, playground, pool, race, rate-limit, shared-resource, starvation, timeouts) and no such file; or did you mean the command "run"?`},
		{"unknown scenario argument", []string{"run", "extra"}, `unknown scenario "extra"`},
		{"two scenario arguments", []string{"run", "basic", "pool"}, "accepts at most 1 arg(s), received 2"},
		{"scenario argument and flag", []string{"run", "basic", "--scenario", "pool"}, `two scenarios given, "basic" and --scenario pool`},
		{"json and events together", []string{"run", "--json", "--events"}, "cannot be combined"},
		{"compare one policy", []string{"run", "--compare", "fifo"}, "--compare fifo: 1 policies given: compare 2 to 4"},
		{"compare five policies", []string{"run", "--compare", "fifo,barging,none,semaphore,fifo"}, "policy fifo given twice"},
		{"compare an unknown policy", []string{"run", "--compare", "fifo,mutex"}, `unknown policy "mutex"`},
		{"compare a policy twice", []string{"run", "--compare", "barging,barging", "--json"}, "policy barging given twice"},
		{"compare nothing", []string{"run", "--compare", ""}, `--compare : unknown policy ""`},
		{"compare with events", []string{"run", "--compare", "fifo,barging", "--events"}, "cannot be combined with --events or --lines"},
		{"compare with lines", []string{"run", "basic", "--compare", "fifo,barging", "--lines"}, "cannot be combined with --events or --lines"},
		{"compare with a policy", []string{"run", "--compare", "fifo,barging", "--policy", "none"}, "cannot be combined with --policy"},
		{"compare permits without a semaphore", []string{"run", "--compare", "fifo,barging", "--permits", "2"}, "--permits applies to the semaphore policy, which --compare fifo,barging leaves out"},
		{"compare a run that never ends", []string{"run", "--compare", "fifo,none", "--scenario", "pool", "--iterations", "0"}, "--until"},
		{"compare without a terminal", []string{"compare", "starvation"}, `not a terminal: use "lockviz run --compare"`},
		{"compare one policy live", []string{"compare", "--policies", "fifo"}, "--policies fifo: 1 policies given: compare 2 to 4"},
		{"compare a policy twice live", []string{"compare", "--policies", "none,fifo,none"}, "policy none given twice"},
		{"compare an unknown policy live", []string{"compare", "--policies", "fifo,lifo"}, `unknown policy "lifo"`},
		{"compare live with a policy", []string{"compare", "--policy", "none"}, "--policies gives the policies: it cannot be combined with --policy"},
		{"compare live at no speed", []string{"compare", "--speed", "0"}, `"--speed"`},
		{"compare an unknown scenario live", []string{"compare", "nope"}, `unknown scenario "nope"`},
		{"compare two scenarios live", []string{"compare", "basic", "--scenario", "pool"}, "two scenarios given"},
		{"live view without a terminal", []string{"--scenario", "rate-limit"}, `not a terminal: use "lockviz run"`},
		{"speed of zero", []string{"--speed", "0"}, `"--speed"`},
		{"unknown theme", []string{"--theme", "solarized"}, "auto, dark, light"},
		{"unparsable speed", []string{"--speed", "fast"}, `"--speed"`},
		{"an invisible character in a task name", []string{"run", "--scenario", file("rlo.toml", "[[tasks]]\nname = \"evil\u202etxt\"\n")}, `rlo.toml:2: task "evil\u202etxt": task name: "evil\u202etxt" has control characters, invisible format characters`},
		{"an escape sequence in the scenario's path", []string{"run", "--scenario", "\x1b[31mred.toml"}, `\x1b[31mred.toml: no such file`},
		{"an escape sequence in a flag's name", []string{"--\x1b[31mx"}, `unknown flag: --\x1b[31mx`},
		{"a right-to-left override in the scenario's path", []string{"run", "--scenario", "a\u202egnp.toml"}, `a\u202egnp.toml: no such file`},
		{"a byte that is not UTF-8 in the scenario's path", []string{"run", "--scenario", "\xff.toml"}, `\xff.toml: no such file`},
		{"sleepless iterations add up over a file's tasks", []string{"run", "--scenario", file("spin.toml", "until = \"1ms\"\n[[tasks]]\ncount = 200\niterations = 10000000\nhold = \"0s\"\n")}, "spin.toml:4:"},
		{"sleepless iterations add up over copies by flag", []string{"run", "--scenario", "starvation", "--tasks", "100000", "--iterations", "10000000", "--hold", "0s", "--until", "1ms"}, "100000 tasks × 10000000 iterations"},
		{"permits flag without a semaphore", []string{"run", "--permits", "3"}, "--permits applies to the semaphore policy, not fifo: add --policy semaphore"},
		{"permits flag with another policy flag", []string{"run", "--scenario", "pool", "--policy", "barging", "--permits", "3"}, "--permits applies to the semaphore policy, not barging"},
		{"permits in a file without a semaphore", []string{"run", "--scenario", file("perm3.toml", "name = \"x\"\npermits = 3\n[[tasks]]\n")}, "perm3.toml:2: permits 3 applies to the semaphore policy, not fifo"},
		{"inline tables nested eight thousand deep", []string{"run", "--scenario", file("di.toml", "x = "+strings.Repeat("{a=", 8000)+"1"+strings.Repeat("}", 8000)+"\n")}, "di.toml:1: arrays and inline tables nested more than 8 deep"},
		{"a dotted key of eight thousand parts", []string{"run", "--scenario", file("dk.toml", strings.Repeat("a.", 8000)+"a = 1\n")}, "dk.toml:1: a dotted key of more than 8 parts"},
		{"a directory as the scenario", []string{"run", "--scenario", dir}, dir + ": not a regular file"},
		{"snapshot without a time", []string{"snapshot", "rate-limit"}, "give --at"},
		{"snapshot of a bad size", []string{"snapshot", "--at", "1s", "--size", "50x10"}, "50x10 is below the minimum, 72x20"},
		{"snapshot of a malformed size", []string{"snapshot", "--at", "1s", "--size", "wide"}, `"wide": want WIDTHxHEIGHT`},
		{"snapshot at a bad time", []string{"snapshot", "--at", "soon"}, `"--at"`},
		{"a missing key script", []string{"snapshot", "--keys", filepath.Join(dir, "gone.keys")}, "gone.keys: no such file"},
		{"an unknown step", []string{"snapshot", "--keys", file("step.keys", "wait 1s\njump\n")}, `step.keys:2: unknown step "jump"`},
		{"an unknown key name", []string{"snapshot", "--keys", file("key.keys", "key escape\n")}, `key.keys:1: unknown key "escape"`},
		{"a bad wait", []string{"snapshot", "--keys", file("wait.keys", "# c\nwait 1.5\n")}, `wait.keys:2: wait "1.5"`},
		{"a resize below the minimum", []string{"snapshot", "--keys", file("small.keys", "resize 40x10\n")}, "small.keys:1: resize: 40x10 is below the minimum"},
		{"a bad caption in a script", []string{"snapshot", "--keys", file("cap.keys", "caption \"a\\x07\"\n")}, `cap.keys:1: caption: "a\a" has control characters`},
		{"a bad caption in a scenario", []string{"snapshot", "--at", "1s", "--scenario", file("cap.toml", "[[tasks]]\nhold = \"1s\"\n[[captions]]\nat = \"1s\"\ntext = \"\"\n")}, "cap.toml:5: text: empty"},
		{"a key script before --at", []string{"snapshot", "--at", "9s", "--keys", file("short.keys", "wait 1s\n")}, "the key script ends at virtual time 1s, before 9s"},
		{"record without a key script", []string{"record", "-o", filepath.Join(dir, "x.cast")}, "give --keys"},
		{"record without an output", []string{"record", "--keys", file("r.keys", "wait 1s\n")}, "give -o"},
		{"record to an unknown extension", []string{"record", "--keys", file("r.keys", "wait 1s\n"), "-o", filepath.Join(dir, "x.mp4")}, `-o ` + filepath.Join(dir, "x.mp4") + `: unknown extension ".mp4"`},
		{"a live recording to an unknown extension", []string{"--record", filepath.Join(dir, "x.txt")}, `--record ` + filepath.Join(dir, "x.txt") + `: unknown extension ".txt"`},
		{"a live recording to a GIF", []string{"--record", filepath.Join(dir, "x.gif")}, "a live view records .cast; lockviz record -o FILE.gif records a key script"},
		{"a key script in a live view without a terminal", []string{"--keys", file("live.keys", "wait 1s\n")}, `not a terminal: use "lockviz record" to play a key script`},
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(dir, "fifo.toml")
		if out, err := exec.Command("mkfifo", fifo).CombinedOutput(); err != nil {
			t.Fatalf("mkfifo: %v %s", err, out)
		}
		tests = append(tests, row{"a FIFO as the scenario", []string{"run", "--scenario", fifo}, "fifo.toml: not a regular file"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lockviz(t, tt.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.HasPrefix(r.stderr, "lockviz: ") {
				t.Errorf("stderr %q, want one line starting lockviz:", r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.want)
			}
			if line := strings.TrimSuffix(r.stderr, "\n"); !utf8.ValidString(line) || strings.ContainsFunc(line, format.IsControlOrFormat) {
				t.Errorf("stderr %q has raw control or format characters", r.stderr)
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "Usage") {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
}

// TestWriteErrors sends every kind of output to a full device: a write
// error is a failure (1), on one line, never a success.
func TestWriteErrors(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full to fail writes: %v", err)
	}
	defer full.Close()
	for _, args := range [][]string{
		{"--help"},
		{"run", "--help"},
		{"help", "scenarios"},
		{"scenarios"},
		{"run", "--scenario", "rate-limit"},
		{"run", "--scenario", "rate-limit", "--json"},
		{"run", "--scenario", "rate-limit", "--events"},
		{"snapshot", "--at", "1s"},
		{"export", "--python", "rate-limit"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(binary, args...)
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = full, &stderr
			err := cmd.Run()
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatal(err)
			}
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if msg := stderr.String(); !strings.HasPrefix(msg, "lockviz: ") || strings.Count(msg, "\n") != 1 ||
				!strings.Contains(msg, "no space left on device") {
				t.Errorf("stderr %q, want one line on the failed write", msg)
			}
		})
	}
}

// TestRecordFileErrors records to files that cannot be written: a failure
// (1) of one line, before anything is played.
func TestRecordFileErrors(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "l.keys")
	if err := os.WriteFile(keys, []byte("wait 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "d.cast")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(t.TempDir(), "no", "such", "dir.cast"), "no such file or directory"},
		{dir, "is a directory"},
	} {
		r := lockviz(t, "record", "--keys", keys, "-o", tc.out)
		if r.code != 1 || r.stdout != "" || !strings.HasPrefix(r.stderr, "lockviz: -o "+tc.out+": ") ||
			!strings.Contains(r.stderr, tc.want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("record -o %s: exit %d, stderr %q; want 1 and one line with %q", tc.out, r.code, r.stderr, tc.want)
		}
	}
}

// TestLongRunMemory runs ten million acquisitions and checks the process
// stayed small: the engine streams its statistics and the report drops its
// events past the timeline's limit.
func TestLongRunMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("long run")
	}
	// GNU time, not this process's rusage of its child: a child counts the
	// memory it shared with the test until it ran lockviz, which grows with
	// every test before this one.
	gnuTime := tooltest.Need(t, "time", "GNU time measures lockviz's own peak memory")
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, gnuTime, "-f", "%M", binary, "run", "--scenario", "playground", "--tasks", "8",
		"--think", "exp:1ms", "--hold", "exp:1ms", "--until", "10000s")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	out := stdout.String()
	var acquisitions int64
	if _, err := fmt.Sscanf(out[strings.Index(out, "acquisitions "):], "acquisitions %d", &acquisitions); err != nil {
		t.Fatalf("no acquisitions in the report: %v\n%s", err, out)
	}
	if acquisitions < 9_000_000 || !strings.Contains(out, "no timeline") {
		t.Fatalf("%d acquisitions, report:\n%s", acquisitions, out)
	}
	kb, err := strconv.Atoi(strings.TrimSpace(stderr.String()))
	if err != nil {
		t.Fatalf("GNU time printed %q, not the peak memory in KB", stderr.String())
	}
	if kb > 50<<10 {
		t.Fatalf("peak memory %d KB for %d acquisitions, want under 50 MB", kb, acquisitions)
	}
	t.Logf("peak memory %d KB for %d acquisitions", kb, acquisitions)
}

// TestSharedListMatchesTheEvents rebuilds the shared list from the binary's
// event stream with the README's program (a holder's snapshot at acquire,
// the list replaced by it plus the value at append) and compares it with
// what --json reports, for every policy and several seeds.
func TestSharedListMatchesTheEvents(t *testing.T) {
	for _, policy := range []string{"fifo", "semaphore", "barging", "none"} {
		for seed := 1; seed <= 5; seed++ {
			args := []string{"run", "--scenario", "race", "--policy", policy, "--seed", fmt.Sprint(seed), "--iterations", "30"}
			if policy == "semaphore" {
				args = append(args, "--permits", "3")
			}
			list, snaps := []int{}, map[string][]int{}
			sc := bufio.NewScanner(strings.NewReader(ok(t, append(args, "--events")...)))
			for sc.Scan() {
				var ev struct {
					Task, Event string
					Value       int
				}
				if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
					t.Fatal(err)
				}
				switch ev.Event {
				case "acquired":
					snaps[ev.Task] = slices.Clone(list)
				case "append":
					list = append(slices.Clone(snaps[ev.Task]), ev.Value)
				}
			}
			var sum report.Summary
			if err := json.Unmarshal([]byte(ok(t, append(args, "--json")...)), &sum); err != nil {
				t.Fatal(err)
			}
			got := make([]int, len(sum.SharedList.Values))
			for i, v := range sum.SharedList.Values {
				got[i] = int(v)
			}
			if !slices.Equal(got, list) || sum.SharedList.Length != int64(len(list)) {
				t.Fatalf("%s seed %d: --json has %v (length %d), the events give %v", policy, seed, got, sum.SharedList.Length, list)
			}
		}
	}
}

// TestStuckRunsExit3 runs the built-ins that get stuck and their fixes:
// a deadlock and a leaked lock exit 3, with the report printed and one line
// on stderr; their fixes run to the end.
func TestStuckRunsExit3(t *testing.T) {
	r := lockviz(t, "run", "--scenario", "deadlock", "--json")
	if r.code != 3 || !strings.HasPrefix(r.stderr, "lockviz: deadlock at ") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("deadlock: exit %d, stderr %q", r.code, r.stderr)
	}
	var sum report.Summary
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatal(err)
	}
	d := sum.Deadlock
	if d == nil || !slices.Equal(d.Tasks, []string{"left", "right"}) || !slices.Equal(d.Locks, []string{"a", "b"}) ||
		!slices.Equal(d.Cycle, []string{"left", "b", "right", "a"}) || len(sum.Locks) != 2 {
		t.Fatalf("deadlock %+v, locks %+v", d, sum.Locks)
	}
	if r := lockviz(t, "run", "--scenario", "dining"); r.code != 3 || !strings.Contains(r.stdout, "deadlock      at ") {
		t.Errorf("dining: exit %d\n%s", r.code, r.stdout)
	}
	r = lockviz(t, "run", "--scenario", "leaked", "--json")
	if r.code != 3 || !strings.Contains(r.stderr, "leaked lock at") {
		t.Fatalf("leaked: exit %d, stderr %q", r.code, r.stderr)
	}
	sum = report.Summary{}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Leaked) != 1 || sum.Leaked[0].Lock != "lock" || sum.Leaked[0].Line != 6 || len(sum.Stranded) == 0 {
		t.Fatalf("leaked %+v, stranded %v", sum.Leaked, sum.Stranded)
	}
	for _, fixed := range []string{"ordered", "async-with"} {
		if r := lockviz(t, "run", "--scenario", fixed); r.code != 0 {
			t.Errorf("%s: exit %d, stderr %q", fixed, r.code, r.stderr)
		}
	}
	// Events name the lock when there are several, and give code's lines.
	evs := ok(t, "run", "--scenario", "ordered", "--events")
	first := evs[strings.Index(evs, `"event": "request"`):]
	first = first[:strings.IndexByte(first, '\n')]
	if !strings.Contains(first, `"lock": "a"`) || !strings.Contains(first, `"line": 3`) {
		t.Errorf("an ordered event: %s", first)
	}
}

// TestRunLinesRecount checks --lines against a recount from --events: the
// time a task spent on its `async with` line is its waits, request to
// acquired, and on the sleep inside it its holds.
func TestRunLinesRecount(t *testing.T) {
	want := map[string][2]time.Duration{} // per task: on the async with, on the sleep
	requested := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(ok(t, "run", "rate-limit", "--events")))
	for sc.Scan() {
		var ev struct {
			T     float64 `json:"t"`
			Task  string  `json:"task"`
			Event string  `json:"event"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatal(err)
		}
		w := want[ev.Task]
		switch ev.Event {
		case "request":
			requested[ev.Task] = ev.T
		case "acquired":
			w[0] += time.Duration((ev.T - requested[ev.Task]) * 1e9)
			requested[ev.Task] = ev.T
		case "released":
			w[1] += time.Duration((ev.T - requested[ev.Task]) * 1e9)
		}
		want[ev.Task] = w
	}
	out := ok(t, "run", "rate-limit", "--lines")
	sections := strings.Split(out, "Time on each line of the code of ")[1:]
	if len(sections) != 3 {
		t.Fatalf("%d sections of lines, want one a task:\n%s", len(sections), out)
	}
	for _, s := range sections {
		lines := strings.Split(s, "\n")
		task := lines[0]
		var got [2]time.Duration
		for i, l := range lines[2:4] { // lines 2 and 3: async with, sleep
			if f := strings.Fields(l); len(f) >= 3 && strings.HasSuffix(f[len(f)-2], "%") {
				d, err := time.ParseDuration(f[len(f)-3])
				if err != nil {
					t.Fatalf("%s: %q: %v", task, l, err)
				}
				got[i] = d
			} else if len(f) >= 3 && strings.HasSuffix(f[len(f)-1], "%") {
				d, err := time.ParseDuration(f[len(f)-2])
				if err != nil {
					t.Fatalf("%s: %q: %v", task, l, err)
				}
				got[i] = d
			}
		}
		w := want[task]
		for i := range got {
			if diff := got[i] - w[i]; diff < -time.Millisecond || diff > time.Millisecond {
				t.Errorf("%s: line %d shows %v, the events say %v:\n%s", task, i+2, got[i], w[i], s)
			}
		}
	}
}

func TestSnapshot(t *testing.T) {
	args := []string{"snapshot", "rate-limit", "--at", "2.5s", "--size", "100x30"}
	plain := ok(t, args...)
	lines := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
	if len(lines) != 30 {
		t.Fatalf("%d lines, want 30:\n%s", len(lines), plain)
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n != 100 {
			t.Fatalf("line %d is %d wide, want 100: %q", i, n, l)
		}
	}
	if !strings.Contains(lines[0], "t 2.500s") || !strings.HasPrefix(lines[1], "▌ One call at a time") {
		t.Errorf("not the screen at 2.5s with its caption:\n%s", plain)
	}
	if strings.Contains(plain, "\x1b") {
		t.Error("escape sequences in a plain snapshot")
	}
	if again := ok(t, args...); again != plain {
		t.Error("two snapshots differ")
	}
	colour := ok(t, append(args, "--color")...)
	if !strings.Contains(colour, "\x1b[") || ansiRE.ReplaceAllString(colour, "") != plain {
		t.Error("--color is not the plain screen with colours")
	}
	if light := ok(t, append(args, "--color", "--theme", "light")...); light == colour {
		t.Error("--theme light draws as dark")
	}
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestLessonsEnd plays each shipped lesson headless and checks the screen
// it ends on tells its story's end.
func TestLessonsEnd(t *testing.T) {
	list := ok(t, "lessons")
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"rate-limit", []string{"semaphore(2) · asyncio.Semaphore", "t 3.000s", "■ finished", "▌ With two permits the five calls take three seconds",
			"acquisitions 5"}},
		{"race", []string{"race · fifo · asyncio.Lock", "■ finished", "length 10 · 10 appends", "▌ Ten appends, ten values"}},
		{"starvation", []string{"starvation · fifo · asyncio.Lock", "▶ running", "fairness 1.00", "▌ Same tasks, same seed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !regexp.MustCompile(`(?m)^` + tc.name + ` `).MatchString(list) {
				t.Errorf("lockviz lessons does not list %s:\n%s", tc.name, list)
			}
			screen := ok(t, "snapshot", "--lesson", tc.name, "--size", "100x30")
			for _, w := range tc.want {
				if !strings.Contains(screen, w) {
					t.Errorf("the lesson ends without %q:\n%s", w, screen)
				}
			}
			cast := filepath.Join(t.TempDir(), tc.name+".cast")
			ok(t, "record", "--lesson", tc.name, "-o", cast)
			data, err := os.ReadFile(cast)
			if err != nil {
				t.Fatal(err)
			}
			if first, _, _ := strings.Cut(string(data), "\n"); !strings.Contains(first, `"width":100,"height":30`) {
				t.Errorf("header %s", first)
			}
			// 80×24 cells of Go Mono, 9×17 pixels each.
			gifPath := filepath.Join(t.TempDir(), tc.name+".gif")
			ok(t, "record", "--lesson", tc.name, "--size", "80x24", "-o", gifPath)
			f, err := os.Open(gifPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if cfg, err := gif.DecodeConfig(f); err != nil || cfg.Width != 720 || cfg.Height != 408 {
				t.Errorf("the GIF: %+v, %v; want 720×408", cfg, err)
			}
		})
	}
	r := lockviz(t, "record", "--lesson", "race", "--scenario", "pool", "-o", filepath.Join(t.TempDir(), "x.cast"))
	if r.code != 2 || !strings.Contains(r.stderr, "--lesson race plays on its own scenario, race") {
		t.Errorf("--lesson with --scenario: exit %d, %q", r.code, r.stderr)
	}
}

// TestRecordingOptions checks that --theme and --no-help reach a recording.
func TestRecordingOptions(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "l.keys")
	if err := os.WriteFile(keys, []byte("wait 0.5s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := func(args ...string) string {
		out := filepath.Join(dir, "x.cast")
		ok(t, append([]string{"record", "rate-limit", "--keys", keys, "-o", out}, args...)...)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	dark, light, noHelp := rec(), rec("--theme", "light"), rec("--no-help")
	if dark == light || !strings.Contains(light, `38;2;29;78;216m`) { // the accent's light half, #1D4ED8
		t.Error("--theme light does not reach the recording")
	}
	if !strings.Contains(dark, "quit") || strings.Contains(noHelp, "quit") {
		t.Error("--no-help does not hide the footer of the recording")
	}
	if snap := ok(t, "snapshot", "rate-limit", "--at", "1s", "--no-help"); strings.Contains(snap, "q quit") {
		t.Error("--no-help does not hide the footer of a snapshot")
	}
}

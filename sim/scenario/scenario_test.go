package scenario

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"lockviz/assets"
	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/report"
)

func TestParseScenarioGood(t *testing.T) {
	tests := []struct {
		name string
		file string
		want Scenario
	}{
		{
			name: "defaults: absent keys take the documented values",
			file: "[[tasks]]\n",
			want: Scenario{Name: "x", Policy: lock.FIFO, Permits: 1, Seed: 1,
				Tasks: []TaskGroup{{TaskSpec: sim.TaskSpec{Name: "task", Iterations: 1}, Count: 1}}},
		},
		{
			name: "every key",
			file: `name = "all"
description = "every key once"
policy = "semaphore"
permits = 3
seed = 42
until = "1m30s"

[[tasks]]
name = "w"
count = 4
start = "250ms"
iterations = 0
think = "exp:100ms"
hold = "uniform:50ms-150ms"
timeout = "2s"
append = true
`,
			want: Scenario{Name: "all", Description: "every key once", Policy: lock.Semaphore, Permits: 3, Seed: 42,
				Until: 90 * time.Second,
				Tasks: []TaskGroup{{TaskSpec: sim.TaskSpec{Name: "w", Start: 250 * time.Millisecond, Iterations: 0,
					Think:   sim.Dist{Kind: sim.Exponential, A: 100 * time.Millisecond},
					Hold:    sim.Dist{Kind: sim.Uniform, A: 50 * time.Millisecond, B: 150 * time.Millisecond},
					Timeout: 2 * time.Second, Append: true}, Count: 4}}},
		},
		{
			name: "timeout: empty string waits forever",
			file: "policy = \"barging\"\n[[tasks]]\nhold = \"1s\"\ntimeout = \"\"\n",
			want: Scenario{Name: "x", Policy: lock.Barging, Permits: 1, Seed: 1,
				Tasks: []TaskGroup{{TaskSpec: sim.TaskSpec{Name: "task", Iterations: 1, Hold: sim.FixedDist(time.Second)}, Count: 1}}},
		},
		{
			name: "tasks: an inline array of tables works too",
			file: "policy = \"none\"\ntasks = [{name = \"a\", hold = \"1s\"}, {name = \"b\", count = 2}]\n",
			want: Scenario{Name: "x", Policy: lock.None, Permits: 1, Seed: 1, Tasks: []TaskGroup{
				{TaskSpec: sim.TaskSpec{Name: "a", Iterations: 1, Hold: sim.FixedDist(time.Second)}, Count: 1},
				{TaskSpec: sim.TaskSpec{Name: "b", Iterations: 1}, Count: 2},
			}},
		},
		{
			name: "brackets and dots in a multi-line string are text",
			file: "description = '''x[0][1][2][3][4][5][6][7][8] {a.b.c.d.e.f.g.h.i}'''\n[[tasks]]\n",
			want: Scenario{Name: "x", Description: "x[0][1][2][3][4][5][6][7][8] {a.b.c.d.e.f.g.h.i}", Permits: 1, Seed: 1,
				Tasks: []TaskGroup{{TaskSpec: sim.TaskSpec{Name: "task", Iterations: 1}, Count: 1}}},
		},
		{
			name: "CJK and emoji names are fine",
			file: "name = \"锁🔒\"\n[[tasks]]\nname = \"タスク❤️\"\n",
			want: Scenario{Name: "锁🔒", Permits: 1, Seed: 1,
				Tasks: []TaskGroup{{TaskSpec: sim.TaskSpec{Name: "タスク❤️", Iterations: 1}, Count: 1}}},
		},
		{
			name: "comments, quoted keys and multi-line values are fine",
			file: "# a comment\n\"name\" = 'q' # trailing\ndescription = \"\"\"\none line \\\n  continued\"\"\"\n[[tasks]]\nhold = \"1s\"\n",
			want: Scenario{Name: "q", Description: "one line continued", Permits: 1, Seed: 1,
				Tasks: []TaskGroup{{TaskSpec: sim.TaskSpec{Name: "task", Iterations: 1, Hold: sim.FixedDist(time.Second)}, Count: 1}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("dir/x.toml", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseScenarioBad(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string // each must be in the error
	}{
		{"unknown key at the top", "name = \"x\"\nholdd = \"1s\"\n[[tasks]]\n", []string{`x.toml:2: unknown key "holdd"`, "valid: name"}},
		{"unknown key in a task names its line", "name = \"x\"\npolicy = \"fifo\"\n\n[[tasks]]\nholdd = \"1s\"\n", []string{`x.toml:5: unknown key "holdd" in [[tasks]]`}},
		{"unknown key in the second task", "[[tasks]]\nhold = \"1s\"\n\n[[tasks]]\nhold = \"1s\"\nthinc = \"1s\"\n", []string{`x.toml:6: unknown key "thinc"`}},
		{"keys are case-sensitive", "Policy = \"fifo\"\n[[tasks]]\n", []string{`x.toml:1: unknown key "Policy"`}},
		{"unknown table", "[[tasks]]\n[extra]\nk = 1\n", []string{`x.toml:2: unknown key "extra"`}},
		{"unknown subtable of a task", "[[tasks]]\nhold = \"1s\"\n[tasks.more]\nk = 1\n", []string{`x.toml:3: unknown key "more" in [[tasks]]`}},
		{"line counts skip multi-line strings", "description = \"\"\"\na\nb\"\"\"\n[[tasks]]\nbogus = 1\n", []string{`x.toml:5: unknown key "bogus"`}},
		{"line counts skip multi-line arrays", "[[tasks]]\nhold = \"1s\"\n[[tasks]]\nname = \"b\"\n[[tasks]]\nname = \"c\"\nx = [\n 1,\n 2,\n]\nbad = 3\n", []string{`x.toml:7: unknown key "x"`}},
		{"syntax error carries its line", "name = \"x\"\npolicy = fifo\n", []string{"x.toml:2:"}},
		{"unterminated string", "name = \"x\n", []string{"x.toml:1:"}},
		{"unknown policy lists the valid ones", "policy = \"mutex\"\n[[tasks]]\n", []string{"x.toml:1:", `unknown policy "mutex"`, "fifo, semaphore, barging, none"}},
		{"permits below 1", "permits = 0\n[[tasks]]\n", []string{"x.toml:1: permits:", "at least 1"}},
		{"permits without a semaphore", "permits = 3\n[[tasks]]\n", []string{"x.toml:1:", "permits 3 applies to the semaphore policy, not fifo"}},
		{"permits with the barging policy", "policy = \"barging\"\npermits = 2\n[[tasks]]\n", []string{"x.toml:2:", "not barging"}},
		{"zero tasks", "name = \"x\"\n", []string{"x.toml:", "no tasks"}},
		{"empty task array", "tasks = []\n", []string{"x.toml:1:", "no tasks"}},
		{"count below 1", "[[tasks]]\ncount = 0\n", []string{"x.toml:2: count:", "at least 1"}},
		{"count above the limit", "[[tasks]]\ncount = 100001\n", []string{"x.toml:2:", "count must be between 1 and 100000"}},
		{"more than 100000 tasks in total", "[[tasks]]\nname = \"a\"\ncount = 60000\n[[tasks]]\nname = \"b\"\ncount = 60000\n", []string{"x.toml:6:", "more than 100000 tasks"}},
		{"negative hold", "[[tasks]]\nhold = \"-1s\"\n", []string{"x.toml:2: hold:", "negative duration"}},
		{"unparsable think", "[[tasks]]\nthink = \"soon\"\n", []string{"x.toml:2: think:", `"soon"`}},
		{"unknown distribution", "[[tasks]]\nhold = \"normal:1s\"\n", []string{"x.toml:2: hold:", "unknown distribution"}},
		{"uniform backwards", "[[tasks]]\nhold = \"uniform:2s-1s\"\n", []string{"x.toml:2: hold:", "ends before it starts"}},
		{"negative until", "until = \"-3s\"\n[[tasks]]\n", []string{"x.toml:1: until:", "negative duration"}},
		{"negative start", "[[tasks]]\nstart = \"-1ms\"\n", []string{"x.toml:2: start:", "negative"}},
		{"too long a duration", "[[tasks]]\nhold = \"1000000h\"\n", []string{"x.toml:2: hold:", "longer than"}},
		{"zero timeout", "[[tasks]]\ntimeout = \"0s\"\n", []string{"x.toml:2: timeout:", "must be positive"}},
		{"negative timeout", "[[tasks]]\ntimeout = \"-1s\"\n", []string{"x.toml:2: timeout:", "negative"}},
		{"negative iterations", "[[tasks]]\niterations = -1\n", []string{"x.toml:2: iterations:"}},
		{"negative seed", "seed = -1\n[[tasks]]\n", []string{"x.toml:1: seed:"}},
		{"integer where a string goes", "name = 3\n[[tasks]]\n", []string{"x.toml:1: name: want a string, got integer 3"}},
		{"string where an integer goes", "[[tasks]]\ncount = \"3\"\n", []string{`x.toml:2: count: want an integer, got string "3"`}},
		{"number where a duration goes", "until = 10\n[[tasks]]\n", []string{"x.toml:1: until: want a duration string"}},
		{"append must be a boolean", "[[tasks]]\nappend = \"yes\"\n", []string{"x.toml:2: append: want true or false"}},
		{"tasks must be tables", "tasks = 3\n", []string{"x.toml:1: tasks: want [[tasks]] tables"}},
		{"tasks as one table", "[tasks]\nhold = \"1s\"\n", []string{"x.toml:1: tasks: want [[tasks]] tables, got a table"}},
		{"two tasks of one name", "[[tasks]]\nname = \"a\"\n[[tasks]]\nname = \"a\"\n", []string{"x.toml:4:", `two tasks are named "a"`}},
		{"expanded names collide", "[[tasks]]\nname = \"a\"\ncount = 2\n[[tasks]]\nname = \"a-2\"\n", []string{"x.toml:5:", `two tasks are named "a-2"`}},
		{"empty name", "[[tasks]]\nname = \"\"\n", []string{"x.toml:2:", "task name: empty"}},
		{"a name with a newline", "[[tasks]]\nname = \"a\\nb\"\n", []string{"x.toml:2:", "control characters"}},
		{"a task name with a soft hyphen", "[[tasks]]\nhold = \"1s\"\nname = \"ab\u00ad\"\n", []string{"x.toml:3:", `"ab\u00ad"`, "format characters"}},
		{"a task name with an Arabic number sign", "[[tasks]]\nname = \"\u0600x\"\n", []string{"x.toml:2:", `"\u0600x"`}},
		{"a scenario name with a right-to-left override", "seed = 2\nname = \"evil\u202etxt\"\n[[tasks]]\n", []string{"x.toml:2:", "scenario name:", `"evil\u202etxt"`}},
		{"a task name with a zero-width space", "[[tasks]]\nname = \"a\u200bb\"\n", []string{"x.toml:2:", `"a\u200bb"`}},
		{"a task name with a line separator", "[[tasks]]\nname = \"a\u2028b\"\n", []string{"x.toml:2:", `"a\u2028b"`}},
		{"a task name with a private-use character", "[[tasks]]\nname = \"a\ue000\"\n", []string{"x.toml:2:", `"a\ue000"`}},
		{"a description with a bidirectional isolate", "description = \"x\u2066y\"\n[[tasks]]\n", []string{"x.toml:1:", "description must be one line"}},
		{"a byte order mark does not shift the lines", "\ufeffname = \"x\"\nfoo = 1\n[[tasks]]\n", []string{`x.toml:2: unknown key "foo"`}},
		{"arrays nested too deep", "name = \"x\"\n[[tasks]]\nhold = [[[[[[[[[\"1s\"]]]]]]]]]\n", []string{"x.toml:3: arrays and inline tables nested more than 8 deep"}},
		{"a dotted key too long", "[[tasks]]\nhold.a.b.c.d.e.f.g.h = \"1s\"\n", []string{"x.toml:2: a dotted key of more than 8 parts"}},
		{"a loop that never lets time pass", "[[tasks]]\niterations = 0\n", []string{"x.toml:2:", "virtual time would never advance"}},
		{"sleepless iterations of one task", "[[tasks]]\niterations = 10000001\n", []string{"x.toml:2:", "10000001 iterations with think and hold both 0", "at most 10000000"}},
		{"sleepless iterations add up over a group's tasks", "until = \"1ms\"\n[[tasks]]\ncount = 200\niterations = 10000000\nhold = \"0s\"\n",
			[]string{"x.toml:4:", `task "task": 200 tasks × 10000000 iterations with think and hold both 0`}},
		{"sleepless iterations add up over groups", "[[tasks]]\nname = \"a\"\niterations = 6000000\n[[tasks]]\nname = \"b\"\nhold = \"1s\"\niterations = 20000000\n[[tasks]]\nname = \"c\"\niterations = 5000000\n",
			[]string{"x.toml:10:", `task "c": 5000000 iterations after 6000000 of earlier groups`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("dir/x.toml", []byte(tt.file))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if !strings.HasPrefix(msg, "dir/x.toml") {
				t.Errorf("error %q does not start with the file", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}

// builtinFiles returns the embedded scenario files by path.
func builtinFiles(t testing.TB) map[string][]byte {
	files, err := fs.Glob(assets.Scenarios, "scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no built-in scenarios: %v", err)
	}
	m := map[string][]byte{}
	for _, f := range files {
		data, err := fs.ReadFile(assets.Scenarios, f)
		if err != nil {
			t.Fatal(err)
		}
		m[f] = data
	}
	return m
}

func TestBuiltins(t *testing.T) {
	for f, data := range builtinFiles(t) {
		s, err := Parse(f, data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if want := strings.TrimSuffix(filepath.Base(f), ".toml"); s.Name != want {
			t.Errorf("%s: name %q, want the file's name %q", f, s.Name, want)
		}
		if s.Description == "" {
			t.Errorf("%s: no description", f)
		}
		if s.Forever() && s.Until == 0 {
			t.Errorf("%s: loops forever without until, so lockviz run refuses it", f)
		}
	}
	list := Builtins()
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("built-ins not sorted: %v", names)
	}
	for _, want := range []string{"basic", "rate-limit", "shared-resource", "playground", "starvation", "pool", "race", "timeouts"} {
		if !slices.Contains(names, want) {
			t.Errorf("no built-in %q in %v", want, names)
		}
	}
	list[0].Tasks[0].Name = "mutated"
	if Builtins()[0].Tasks[0].Name == "mutated" {
		t.Error("BuiltinScenarios hands out its cache")
	}
}

// run runs s to its end, or to its Until, and returns the summary.
func run(t *testing.T, s Scenario) report.Summary {
	t.Helper()
	e := sim.New(s.Config())
	if s.Until > 0 {
		e.AdvanceTo(s.Until)
	} else {
		e.Run()
	}
	return report.Summarize(e, s.Name)
}

func TestBuiltinScenariosBehave(t *testing.T) {
	load := func(name string) Scenario {
		s, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("rate-limit: five one-second holds take five seconds", func(t *testing.T) {
		sum := run(t, load("rate-limit"))
		if sum.Acquisitions != 5 || sum.VirtualTime != 5 {
			t.Fatalf("acquisitions %d in %vs, want 5 in 5s", sum.Acquisitions, sum.VirtualTime)
		}
		var names []string
		for _, ts := range sum.Tasks {
			names = append(names, ts.Name)
		}
		if want := []string{"rate_limiter-1", "rate_limiter-2", "rate_limiter-3"}; !slices.Equal(names, want) {
			t.Fatalf("tasks %v, want %v", names, want)
		}
	})
	t.Run("basic: the second waits for the first", func(t *testing.T) {
		sum := run(t, load("basic"))
		if sum.Acquisitions != 2 || sum.Wait.Max != 1 {
			t.Fatalf("acquisitions %d, max wait %v; want 2 and 1s", sum.Acquisitions, sum.Wait.Max)
		}
	})
	t.Run("shared-resource: the lock loses no append", func(t *testing.T) {
		sum := run(t, load("shared-resource"))
		if l := sum.SharedList; l.Appends != 5 || l.Length != 5 || l.LostUpdates != 0 {
			t.Fatalf("shared list %+v, want 5 appends, length 5", l)
		}
	})
	t.Run("race: without a lock updates are lost", func(t *testing.T) {
		if l := run(t, load("race")).SharedList; l.LostUpdates == 0 {
			t.Fatalf("shared list %+v, want lost updates", l)
		}
	})
	t.Run("starvation: one task takes nearly everything", func(t *testing.T) {
		sum := run(t, load("starvation"))
		top := slices.MaxFunc(sum.Tasks, func(a, b report.TaskSummary) int { return int(a.Acquisitions - b.Acquisitions) })
		if top.Acquisitions < sum.Acquisitions*9/10 {
			t.Fatalf("top task %d of %d acquisitions, want nearly all", top.Acquisitions, sum.Acquisitions)
		}
	})
	t.Run("timeouts: some acquires time out", func(t *testing.T) {
		if sum := run(t, load("timeouts")); sum.Timeouts == 0 {
			t.Fatal("no timeouts")
		}
	})
	t.Run("pool: a semaphore of two lets two hold at once", func(t *testing.T) {
		s := load("pool")
		if s.Permits != 2 || s.Policy != lock.Semaphore {
			t.Fatalf("policy %v, permits %d", s.Policy, s.Permits)
		}
		if sum := run(t, s); sum.Acquisitions != int64(s.NumTasks()*s.Tasks[0].Iterations) {
			t.Fatalf("acquisitions %d", sum.Acquisitions)
		}
	})
	t.Run("playground: loops forever, a minute headless", func(t *testing.T) {
		s := load("playground")
		if !s.Forever() || s.Until != time.Minute || s.NumTasks() != 5 {
			t.Fatalf("forever %v, until %v, tasks %d", s.Forever(), s.Until, s.NumTasks())
		}
	})
}

func TestConfigNamesTasks(t *testing.T) {
	s := Scenario{Name: "n", Permits: 1, Seed: 9, Policy: lock.Barging, Tasks: []TaskGroup{
		{TaskSpec: sim.TaskSpec{Name: "solo", Hold: sim.FixedDist(time.Second)}, Count: 1},
		{TaskSpec: sim.TaskSpec{Name: "w", Iterations: 3}, Count: 3},
	}}
	c := s.Config()
	var names []string
	for _, ts := range c.Tasks {
		names = append(names, ts.Name)
	}
	if want := []string{"solo", "w-1", "w-2", "w-3"}; !slices.Equal(names, want) {
		t.Fatalf("names %v, want %v", names, want)
	}
	if c.Tasks[0].Hold != sim.FixedDist(time.Second) || c.Tasks[3].Iterations != 3 {
		t.Fatalf("specs not copied: %+v", c.Tasks)
	}
	if c.Policy != lock.Barging || c.Seed != 9 || c.Permits != 1 {
		t.Fatalf("config %+v", c)
	}
}

func ptr[T any](v T) *T { return &v }

// shorthandRateLimit is rate-limit as the shorthand writes it.
const shorthandRateLimit = `name = "rate-limit"
[[tasks]]
name = "rate_limiter-1"
iterations = 2
hold = "1s"
[[tasks]]
name = "rate_limiter-2"
iterations = 2
hold = "1s"
[[tasks]]
name = "rate_limiter-3"
iterations = 1
hold = "1s"
`

func TestOverride(t *testing.T) {
	base, err := Parse("rate-limit.toml", []byte(shorthandRateLimit))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("tasks: N copies of the first, named task-1 … task-N", func(t *testing.T) {
		s, err := base.Override(Overrides{Tasks: ptr(4)})
		if err != nil {
			t.Fatal(err)
		}
		c := s.Config()
		if len(c.Tasks) != 4 || c.Tasks[0].Name != "task-1" || c.Tasks[3].Name != "task-4" || c.Tasks[3].Iterations != 2 {
			t.Fatalf("tasks %+v", c.Tasks)
		}
	})
	t.Run("tasks: one copy is still task-1", func(t *testing.T) {
		s, err := base.Override(Overrides{Tasks: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		if c := s.Config(); len(c.Tasks) != 1 || c.Tasks[0].Name != "task-1" {
			t.Fatalf("tasks %+v", c.Tasks)
		}
	})
	t.Run("tasks: above the limit is refused", func(t *testing.T) {
		if _, err := base.Override(Overrides{Tasks: ptr(sim.MaxTasks + 1)}); err == nil || !strings.Contains(err.Error(), "100000") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("every field applies, to every task", func(t *testing.T) {
		hold, think := sim.FixedDist(2*time.Second), sim.Dist{Kind: sim.Exponential, A: time.Second}
		s, err := base.Override(Overrides{Policy: ptr(lock.Semaphore), Permits: ptr(2), Hold: &hold, Think: &think,
			Iterations: ptr(7), Timeout: ptr(time.Second), Seed: ptr(uint64(5)), Until: ptr(time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if s.Policy != lock.Semaphore || s.Permits != 2 || s.Seed != 5 || s.Until != time.Minute {
			t.Fatalf("scenario %+v", s)
		}
		for _, g := range s.Tasks {
			if g.Hold != hold || g.Think != think || g.Iterations != 7 || g.Timeout != time.Second {
				t.Fatalf("group %+v", g)
			}
		}
	})
	t.Run("the original is left alone", func(t *testing.T) {
		if _, err := base.Override(Overrides{Hold: ptr(sim.FixedDist(time.Hour))}); err != nil {
			t.Fatal(err)
		}
		if base.Tasks[0].Hold != sim.FixedDist(time.Second) {
			t.Fatal("Override changed its receiver's tasks")
		}
	})
	t.Run("sleepless iterations are bounded over all the copies", func(t *testing.T) {
		_, err := base.Override(Overrides{Tasks: ptr(sim.MaxTasks), Iterations: ptr(10_000_000), Hold: ptr(sim.FixedDist(0)), Until: ptr(time.Millisecond)})
		if err == nil || !strings.Contains(err.Error(), "100000 tasks × 10000000 iterations") {
			t.Fatalf("err = %v", err)
		}
		if _, err := base.Override(Overrides{Tasks: ptr(10), Iterations: ptr(1_000_000), Hold: ptr(sim.FixedDist(0))}); err != nil {
			t.Fatalf("ten million in all: %v", err)
		}
	})
	t.Run("permits: refused without a semaphore", func(t *testing.T) {
		_, err := base.Override(Overrides{Permits: ptr(3)})
		if err == nil || !strings.Contains(err.Error(), "permits 3 applies to the semaphore policy, not fifo") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("permits: another policy sets a semaphore's back to 1", func(t *testing.T) {
		pool, err := Load("pool")
		if err != nil {
			t.Fatal(err)
		}
		s, err := pool.Override(Overrides{Policy: ptr(lock.FIFO)})
		if err != nil || s.Permits != 1 || s.Policy != lock.FIFO {
			t.Fatalf("policy %v, permits %d, err %v", s.Policy, s.Permits, err)
		}
	})
	t.Run("code: the shorthand flags are refused, --tasks copies it", func(t *testing.T) {
		code, err := Load("rate-limit")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := code.Override(Overrides{Hold: ptr(sim.FixedDist(time.Second))}); err == nil || !strings.Contains(err.Error(), "has code") {
			t.Fatalf("err = %v", err)
		}
		s, err := code.Override(Overrides{Tasks: ptr(4), Policy: ptr(lock.Barging)})
		if err != nil || len(s.Config().Tasks) != 4 || s.Config().Tasks[3].Code == nil {
			t.Fatalf("copies of code: %v", err)
		}
	})
	t.Run("the result is validated", func(t *testing.T) {
		_, err := base.Override(Overrides{Iterations: ptr(0), Hold: ptr(sim.FixedDist(0))})
		if err == nil || !strings.Contains(err.Error(), "never advance") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.toml")
	if err := os.WriteFile(file, []byte("[[tasks]]\nname = \"me\"\nhold = \"1s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "mine" || s.Tasks[0].Name != "me" {
		t.Fatalf("loaded %+v", s)
	}
	if s, err := Load("basic"); err != nil || s.Name != "basic" {
		t.Fatalf("built-in basic: %+v, %v", s, err)
	}
	huge := filepath.Join(dir, "huge.toml")
	if err := os.WriteFile(huge, make([]byte, maxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	type row struct{ arg, want string }
	tests := []row{
		{huge, "huge.toml: larger than"},
		{"no-such-scenario", `unknown scenario "no-such-scenario": no built-in (async-with, basic,`},
		{filepath.Join(dir, "gone.toml"), "gone.toml: no such file"},
		{dir, dir + ": not a regular file"},
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(dir, "fifo.toml")
		if out, err := exec.Command("mkfifo", fifo).CombinedOutput(); err != nil {
			t.Fatalf("mkfifo: %v %s", err, out)
		}
		tests = append(tests, row{fifo, "fifo.toml: not a regular file"}, row{os.DevNull, os.DevNull + ": not a regular file"})
	}
	for _, tt := range tests {
		// Opening a FIFO blocks until a writer comes: give up rather than hang.
		done := make(chan error, 1)
		go func() { _, err := Load(tt.arg); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load(%q) = %v, want an error with %q", tt.arg, err, tt.want)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Load(%q) still blocks after 10s", tt.arg)
		}
	}
}

func TestTOMLRoundTrips(t *testing.T) {
	for f, data := range builtinFiles(t) {
		s, err := Parse(f, data)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("again.toml", s.TOML())
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, s.TOML())
		}
		if !reflect.DeepEqual(s, back) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", f, back, s)
		}
	}
}

// FuzzParseScenario checks that no file makes ParseScenario panic or give a
// multi-line error, and that whatever it accepts is valid, writes back to
// the same scenario and runs.
func FuzzParse(f *testing.F) {
	for _, data := range builtinFiles(f) {
		f.Add(data)
	}
	f.Add([]byte("tasks = [{name = \"a\", count = 2, hold = \"exp:1ms\", iterations = 0}]\nuntil = \"1s\"\n"))
	f.Add([]byte("[[tasks]]\nname = \"q\\\"\\\\\"\ntimeout = \"1ns\"\nthink = \"uniform:0s-1ns\"\n[tasks.sub]\n"))
	f.Add([]byte("description = '''\nx'''\n[[tasks]]\nhold = \"1s\"\n"))
	f.Add([]byte("description = '''\n[[{a.b.c.d.e.f.g.h.i}]] # \"'''\n[[tasks]]\nhold = [[[[[[[[[\"1s\"]]]]]]]]]\n"))
	f.Add([]byte("[[tasks]]\nname = {a={a={a={a={a={a={a={a={a=1}}}}}}}}}\nhold.a.b.c.d.e.f.g.h.i = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.toml", data)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "fuzz.toml") {
				t.Fatalf("bad error %q", msg)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid scenario: %v", err)
		}
		back, err := Parse("fuzz.toml", s.TOML())
		if err != nil {
			t.Fatalf("cannot read back\n%s\n%v", s.TOML(), err)
		}
		if !reflect.DeepEqual(s, back) {
			t.Fatalf("round trip\n got %+v\nwant %+v", back, s)
		}
		if s.NumTasks() > 50 {
			return
		}
		e := sim.New(s.Config())
		for i := 0; i < 300 && e.Step(); i++ {
		}
		_ = report.Summarize(e, s.Name)
	})
}

package sim

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"lockviz/lock"
)

func TestCoreHasNoUIDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "lockviz/sim", "lockviz/lock").Output()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("charmbracelet")) || bytes.Contains(out, []byte("termenv")) {
		t.Fatal("sim and lock must not depend on terminal packages")
	}
}

// TestEngineDoesNoIO keeps the engine a pure computation: files, the
// scenario language and the reports live in packages of their own.
func TestEngineDoesNoIO(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "lockviz/sim").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range strings.Fields(string(out)) {
		switch imp {
		case "os", "io", "io/fs", "bufio", "net", "net/http", "embed", "lockviz/assets", "encoding/json", "fmt", "log":
			t.Errorf("the engine imports %s", imp)
		}
	}
}

// acquisitionsAt lists "task@seconds" for every acquisition of a run.
func acquisitionsAt(e *Engine) *[]string {
	var out []string
	e.OnEvent(func(ev Event) {
		if ev.Kind == Acquired {
			out = append(out, fmt.Sprintf("%s@%g", e.TaskName(ev.Task), ev.T.Seconds()))
		}
	})
	return &out
}

func TestEngineScenarios(t *testing.T) {
	cases := []struct {
		name  string
		cfg   Config
		until time.Duration
		check func(t *testing.T, s outcome, acq []string)
	}{
		{name: "fifo: the rate-limit tutorial takes turns a second apart",
			cfg: Config{Tasks: []TaskSpec{
				{Name: "a", Iterations: 2, Hold: FixedDist(time.Second)},
				{Name: "b", Iterations: 2, Hold: FixedDist(time.Second)},
				{Name: "c", Iterations: 1, Hold: FixedDist(time.Second)},
			}},
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "acquisitions", strings.Join(acq, " "), "a@0 b@1 c@2 a@3 b@4")
				equal(t, "virtual time", s.Now, 5*time.Second)
				equal(t, "utilization", s.Utilization, 1.0)
				equal(t, "wait max", s.WaitMax, 2*time.Second)
				// At 1s the releaser queues before the woken waiter has
				// resumed, three waiters within the instant, but two
				// once it is over.
				equal(t, "max queue", s.MaxQueue, 2)
			}},
		{name: "barging: the releaser retakes the lock and the others starve",
			cfg:   Config{Policy: lock.Barging, Tasks: tasks(3, TaskSpec{Name: "b", Hold: FixedDist(100 * time.Millisecond)})},
			until: 10 * time.Second,
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "b-1 acquisitions", s.Tasks[0].Acquisitions, int64(101))
				equal(t, "b-2 acquisitions", s.Tasks[1].Acquisitions, int64(0))
				if s.Fairness > 0.34 {
					t.Errorf("fairness %g: barging should starve", s.Fairness)
				}
			}},
		{name: "fifo: the same tasks take turns",
			cfg:   Config{Tasks: tasks(3, TaskSpec{Name: "f", Hold: FixedDist(100 * time.Millisecond)})},
			until: 10 * time.Second,
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "fairness", s.Fairness > 0.999, true)
				equal(t, "acquisitions", s.Acquisitions, int64(101))
			}},
		{name: "none: overlapping holders lose updates",
			cfg: Config{Policy: lock.None, Tasks: tasks(5, TaskSpec{Name: "n", Iterations: 1, Hold: FixedDist(time.Second), Append: true})},
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "shared list", fmt.Sprint(s.Appends, s.Length, s.LostUpdates, len(s.Values)), "5 1 4 1")
				equal(t, "utilization", s.Utilization, 1.0)
			}},
		{name: "fifo: the same appends all land",
			cfg: Config{Tasks: tasks(5, TaskSpec{Name: "n", Iterations: 1, Hold: FixedDist(time.Second), Append: true})},
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "shared list", fmt.Sprint(s.Appends, s.Length, s.LostUpdates, len(s.Values)), "5 5 0 5")
			}},
		{name: "timeout: a waiter gives up and skips its iteration",
			cfg: Config{Tasks: []TaskSpec{
				{Name: "hog", Iterations: 1, Hold: FixedDist(2500 * time.Millisecond)},
				{Name: "quick", Iterations: 3, Hold: FixedDist(time.Second), Timeout: time.Second},
			}},
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "acquisitions", strings.Join(acq, " "), "hog@0 quick@2.5")
				equal(t, "timeouts", s.Timeouts, int64(2))
				equal(t, "quick timeouts", s.Tasks[1].Timeouts, int64(2))
			}},
		{name: "semaphore: two permits, two holders",
			cfg: Config{Policy: lock.Semaphore, Permits: 2, Tasks: tasks(4, TaskSpec{Name: "s", Iterations: 1, Hold: FixedDist(time.Second)})},
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "acquisitions", strings.Join(acq, " "), "s-1@0 s-2@0 s-3@1 s-4@1")
				equal(t, "utilization", s.Utilization, 1.0)
			}},
		{name: "start: a late task spawns at its start",
			cfg: Config{Tasks: []TaskSpec{{Name: "late", Start: 2 * time.Second, Iterations: 1, Think: FixedDist(time.Second), Hold: FixedDist(time.Second)}}},
			check: func(t *testing.T, s outcome, acq []string) {
				equal(t, "acquisitions", strings.Join(acq, " "), "late@3")
				equal(t, "virtual time", s.Now, 4*time.Second)
				equal(t, "utilization", s.Utilization, 0.25)
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := New(c.cfg)
			acq := acquisitionsAt(e)
			if c.until > 0 {
				e.AdvanceTo(c.until)
			} else {
				e.Run()
				if !e.Finished() {
					t.Fatal("Run returned before the end")
				}
			}
			c.check(t, result(e), *acq)
		})
	}
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestCancelHolderHandsTheLockOnAtOnce(t *testing.T) {
	e := New(Config{Tasks: tasks(3, TaskSpec{Name: "c", Iterations: 1, Hold: FixedDist(10 * time.Second)})})
	acq := acquisitionsAt(e)
	e.AdvanceTo(time.Second)
	if !e.CancelTask(0) || e.CancelTask(0) {
		t.Fatal("the first cancel should take, the second not")
	}
	e.AdvanceTo(time.Second)
	var s Snapshot
	e.Snapshot(&s)
	equal(t, "acquisitions", strings.Join(*acq, " "), "c-1@0 c-2@1")
	equal(t, "c-1 phase", s.Tasks[0].Phase, Gone)
	equal(t, "holder", fmt.Sprint(s.Holders), "[1]")
	equal(t, "queue", fmt.Sprint(s.Queue), "[2]")
	if cfg := e.Config(); len(cfg.Tasks) != 2 {
		t.Errorf("a restart should leave the cancelled task out, has %d tasks", len(cfg.Tasks))
	}
}

func TestCancelWaiterLeavesTheQueue(t *testing.T) {
	e := New(Config{Tasks: tasks(3, TaskSpec{Name: "c", Iterations: 1, Hold: FixedDist(time.Second)})})
	e.AdvanceTo(500 * time.Millisecond)
	e.CancelTask(1)
	e.AdvanceTo(500 * time.Millisecond)
	var s Snapshot
	e.Snapshot(&s)
	equal(t, "queue", fmt.Sprint(s.Queue), "[2]")
	e.Run()
	equal(t, "acquisitions", e.Stats().Acquisitions, int64(2))
}

func TestSetPolicyToNoneAdmitsEveryWaiter(t *testing.T) {
	e := New(Config{Tasks: tasks(4, TaskSpec{Name: "p", Hold: FixedDist(time.Second)})})
	e.AdvanceTo(100 * time.Millisecond)
	e.SetPolicy(lock.None, 1)
	e.AdvanceTo(100 * time.Millisecond)
	var s Snapshot
	e.Snapshot(&s)
	equal(t, "holders", len(s.Holders), 4)
	equal(t, "queue", len(s.Queue), 0)
	equal(t, "policy", s.Policy, lock.None)
}

func TestAddTaskAndChangeHoldMidRun(t *testing.T) {
	e := New(Config{Tasks: []TaskSpec{{Name: "a", Hold: FixedDist(time.Second)}}})
	acq := acquisitionsAt(e)
	e.AdvanceTo(1500 * time.Millisecond)
	id := e.AddTask(TaskSpec{Name: "new", Iterations: 1, Hold: FixedDist(time.Second)})
	e.SetHold(0, FixedDist(2*time.Second))
	e.AdvanceTo(6 * time.Second)
	// a holds 1s from 1s (drawn before the change), then new at 2s, then a
	// with the new 2s hold from 3s to 5s.
	equal(t, "acquisitions", strings.Join(*acq, " "), "a@0 a@1 new@2 a@3 a@5")
	equal(t, "spec", e.Spec(id).Name, "new")
}

func TestStepStopsAfterEachEvent(t *testing.T) {
	e := New(Config{Tasks: tasks(2, TaskSpec{Name: "s", Iterations: 1, Hold: FixedDist(time.Second)})})
	var kinds []string
	e.OnEvent(func(ev Event) { kinds = append(kinds, ev.Kind.String()) })
	var steps []string
	for n := 0; e.Step(); n = len(kinds) {
		steps = append(steps, strings.Join(kinds[n:], "+"))
	}
	// One handle can log several events: a request granted at once, or a
	// release followed by the end of the task.
	equal(t, "steps", strings.Join(steps, " "),
		"spawn+request+acquired spawn+request released+done acquired released+done")
	equal(t, "clock", e.Now(), 2*time.Second)
}

// traceHash runs cfg to until and hashes its trace.
func traceHash(cfg Config, until time.Duration) uint64 {
	h := fnv.New64a()
	e := New(cfg)
	e.OnEvent(func(ev Event) { fmt.Fprintln(h, ev) })
	e.AdvanceTo(until)
	return h.Sum64()
}

func TestSameSeedSameRun(t *testing.T) {
	spec := TaskSpec{Name: "r", Think: Dist{Kind: Exponential, A: time.Second}, Hold: Dist{Kind: Uniform, A: 0, B: time.Second}, Append: true}
	cfg := Config{Seed: 9, Tasks: tasks(5, spec)}
	a, b := traceHash(cfg, time.Minute), traceHash(cfg, time.Minute)
	cfg.Seed = 10
	c := traceHash(cfg, time.Minute)
	if a != b || a == c {
		t.Fatalf("hashes %x %x %x: same seed must repeat, another must differ", a, b, c)
	}
}

func TestAdvanceWithinBoundsWorkAtOneInstant(t *testing.T) {
	// A task that never sleeps never lets virtual time move.
	e := New(Config{Tasks: tasks(1, TaskSpec{Name: "spin"})})
	if e.AdvanceWithin(time.Second, 1000) {
		t.Fatal("a task that never sleeps cannot reach 1s")
	}
	equal(t, "clock", e.Now(), time.Duration(0))
	e = New(Config{Tasks: tasks(1, TaskSpec{Name: "ok", Hold: FixedDist(time.Millisecond)})})
	if !e.AdvanceWithin(time.Second, 10000) {
		t.Fatal("1000 holds fit in the budget")
	}
	equal(t, "clock", e.Now(), time.Second)
}

func TestTimeoutAtTheInstantOfReleaseFollowsAsyncio(t *testing.T) {
	// Both timers fall due at 3s; asyncio runs the hold's first, yet the
	// waiter's wait_for has already been told to time out when its outer
	// task resumes, so it cancels the inner acquire that had just been
	// woken and the lock goes unused.
	e := New(Config{Tasks: []TaskSpec{
		{Name: "hog", Iterations: 1, Hold: FixedDist(3 * time.Second)},
		{Name: "quick", Iterations: 3, Hold: FixedDist(time.Second), Timeout: time.Second},
	}})
	acq := acquisitionsAt(e)
	e.Run()
	equal(t, "acquisitions", strings.Join(*acq, " "), "hog@0")
	equal(t, "timeouts", e.Stats().Timeouts, int64(3))
}

func TestAFinishedRunKeepsItsClock(t *testing.T) {
	e := New(Config{Tasks: tasks(2, TaskSpec{Name: "f", Iterations: 1, Hold: FixedDist(time.Second)})})
	e.AdvanceTo(time.Minute)
	s := e.Stats()
	equal(t, "clock", e.Now(), 2*time.Second)
	equal(t, "throughput", s.Throughput, 1.0)
	equal(t, "utilization", s.Utilization, 1.0)
}

func TestQueueWithinAnInstantDoesNotCount(t *testing.T) {
	// Without a lock nobody waits, and timed requests granted at once go
	// through wait_for's hops at one instant.
	for _, p := range []lock.Policy{lock.None, lock.FIFO} {
		e := New(Config{Policy: p, Tasks: []TaskSpec{
			{Name: "a", Iterations: 3, Think: FixedDist(time.Second), Hold: FixedDist(100 * time.Millisecond), Timeout: time.Second},
			{Name: "b", Iterations: 3, Think: FixedDist(1500 * time.Millisecond), Hold: FixedDist(100 * time.Millisecond)},
		}})
		e.Run()
		equal(t, p.String()+" max queue", e.Stats().MaxQueue, 0)
	}
}

func TestWaitsGivenUpAreCounted(t *testing.T) {
	e := New(Config{Tasks: []TaskSpec{
		{Name: "hog", Iterations: 1, Hold: FixedDist(2500 * time.Millisecond)},
		{Name: "quick", Iterations: 3, Hold: FixedDist(time.Second), Timeout: time.Second},
	}})
	e.Run()
	var s Snapshot
	e.Snapshot(&s)
	q := s.Tasks[1]
	equal(t, "waits given up", q.WaitGivenUp, 2*time.Second)
	equal(t, "waits that paid off", q.WaitTotal, 500*time.Millisecond)
}

func TestSwallowedCancelLeavesTheTaskCancellable(t *testing.T) {
	// The holder releases to the timed waiter's inner acquire; a cancel
	// that lands before the waiter resumes is swallowed by 3.11's wait_for.
	e := New(Config{Tasks: []TaskSpec{
		{Name: "holder", Iterations: 1, Hold: FixedDist(time.Second)},
		{Name: "timed", Iterations: 3, Hold: FixedDist(time.Second), Timeout: 5 * time.Second},
	}})
	var released bool
	e.OnEvent(func(ev Event) { released = released || ev.Kind == Released })
	for !released && e.Step() {
	}
	if !e.CancelTask(1) {
		t.Fatal("the first cancel should be accepted")
	}
	e.AdvanceTo(e.Now())
	var s Snapshot
	e.Snapshot(&s)
	equal(t, "phase after the swallowed cancel", s.Tasks[1].Phase, Holding)
	if !e.CancelTask(1) {
		t.Fatal("a task still running must accept another cancel")
	}
	e.Run()
	e.Snapshot(&s)
	equal(t, "phase", s.Tasks[1].Phase, Gone)
	equal(t, "acquisitions", s.Tasks[1].Acquisitions, int64(1))
}

func TestHugeTimesNeitherWrapNorOverflow(t *testing.T) {
	long := 100000 * time.Hour
	e := New(Config{Tasks: []TaskSpec{{Name: "slow", Iterations: 30, Hold: FixedDist(long)}}})
	e.Run()
	if e.Now() < 25*long {
		t.Fatalf("clock %v went backwards", e.Now())
	}
	// 1000 tasks taking turns at 10s holds wait 999 holds a time: the sum
	// of a million such waits passes what an int64 of nanoseconds holds.
	e = New(Config{Tasks: tasks(1000, TaskSpec{Name: "w", Iterations: 1000, Hold: FixedDist(10 * time.Second)})})
	e.Run()
	if m := e.Stats().WaitMean.Seconds(); m < 9980 || m > 9990 {
		t.Fatalf("mean wait %gs, want just under 9990s", m)
	}
}

func TestUnknownTaskIDsAreIgnored(t *testing.T) {
	e := New(Config{Tasks: tasks(1, TaskSpec{Name: "only", Iterations: 1})})
	for _, id := range []int32{-1, 1, 1 << 30} {
		if e.CancelTask(id) {
			t.Errorf("CancelTask(%d) accepted", id)
		}
		e.SetHold(id, FixedDist(time.Second))
		e.SetThink(id, FixedDist(time.Second))
		if e.Spec(id).Name != "" || e.TaskName(id) != "" {
			t.Errorf("task %d has a name", id)
		}
	}
}

func TestStarvedTasksShowTheirWait(t *testing.T) {
	e := New(Config{Policy: lock.Barging, Tasks: tasks(3, TaskSpec{Name: "b", Hold: FixedDist(100 * time.Millisecond)})})
	e.AdvanceTo(10 * time.Second)
	s := result(e)
	equal(t, "b-1 phase", s.Tasks[0].Phase, Holding)
	equal(t, "b-2 waiting since", fmt.Sprint(s.Tasks[1].Phase, s.Tasks[1].Since), "waiting 0s")
	// Both starved tasks have waited since time 0: the first of them is named.
	st := e.Stats()
	equal(t, "stats", fmt.Sprint(st.WaitMax, st.LongestWait, st.LongestTask), "0s 10s 1")
}

// outcome is what the engine tests check of a run: its statistics, clock,
// tasks and the shared list's values.
type outcome struct {
	Stats
	Now    time.Duration
	Tasks  []TaskView
	Values []int32
}

func result(e *Engine) outcome {
	var snap Snapshot
	e.Snapshot(&snap)
	o := outcome{Stats: snap.Stats, Now: snap.Now, Tasks: snap.Tasks}
	for _, it := range e.SharedValues(nil, 1000) {
		o.Values = append(o.Values, it.Value)
	}
	return o
}

// TestTimerGenerationsWrap starts every task's sleep and timeout timers at
// the edge of the 31 bits a timer keeps of its generation: the run must be
// the run from zero, event for event, past the wrap. Counted in more bits,
// a task's 2³¹st timer never matched its own handle and the task slept
// forever.
func TestTimerGenerationsWrap(t *testing.T) {
	cfg := Config{Seed: 3, Tasks: []TaskSpec{
		{Name: "sleeper", Think: Dist{Kind: Exponential, A: ms(2)}, Hold: FixedDist(ms(1))},
		{Name: "impatient", Think: FixedDist(ms(1)), Hold: Dist{Kind: Exponential, A: ms(3)}, Timeout: ms(2)},
		{Name: "other", Think: FixedDist(ms(1)), Hold: FixedDist(ms(2)), Timeout: ms(4)},
	}}
	run := func(gen uint32) (string, int64) {
		e := New(cfg)
		for i := range e.tasks {
			e.tasks[i].sleepT.gen, e.tasks[i].timeoutT.gen = gen, gen
		}
		var b strings.Builder
		e.OnEvent(func(ev Event) { fmt.Fprintln(&b, ev) })
		e.AdvanceTo(time.Second)
		return b.String(), e.timeouts
	}
	want, timeouts := run(0)
	if timeouts == 0 {
		t.Fatal("no timeout fired: the timeout timers were not tested")
	}
	if got, _ := run(maxTimerGen - 5); got != want {
		t.Errorf("the run with generations at the edge differs from the run from zero")
	}
}

// TestQueueMarksWrap takes a snapshot with its queue mark about to wrap to
// zero, where every task's mark starts: the queue must be the queue.
// Unmended, every waiter in the lock's queue passed for one already taken,
// and the snapshot showed the queue empty.
func TestQueueMarksWrap(t *testing.T) {
	snap := func(mark uint32) []int32 {
		e := New(Config{Seed: 1, Tasks: tasks(5, TaskSpec{Name: "t", Think: FixedDist(ms(1)), Hold: FixedDist(ms(10))})})
		e.AdvanceTo(ms(5))
		e.snapGen = mark
		var s Snapshot
		e.Snapshot(&s)
		return s.Queue
	}
	want := snap(0)
	if len(want) < 2 {
		t.Fatalf("queue %v: the test wants waiters", want)
	}
	if got := snap(math.MaxUint32); !slices.Equal(got, want) {
		t.Errorf("queue %v with the mark at its edge, want %v", got, want)
	}
}

package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"slices"
	"testing"
	"time"

	"lockviz/lock"
	"lockviz/sim/tooltest"
)

// cancelAt asks for task.cancel() on a task once the run is idle at time T.
type cancelAt struct {
	T    int64 `json:"t"`
	Task int   `json:"task"`
}

// refTask and refRun are the JSON the CPython reference reads.
type refTask struct {
	Name       string  `json:"name"`
	Start      int64   `json:"start"`
	Iterations int     `json:"iterations"`
	Timeout    int64   `json:"timeout"`
	Append     bool    `json:"append"`
	Thinks     []int64 `json:"thinks"`
	Holds      []int64 `json:"holds"`
	Values     []int32 `json:"values"`
}

type refRun struct {
	Policy  string     `json:"policy"`
	Permits int        `json:"permits"`
	Until   int64      `json:"until"`
	Tasks   []refTask  `json:"tasks"`
	Cancels []cancelAt `json:"cancels"`
	// CancelAfter cancels a task right after the handle that logs the
	// event with this number (1-based), mid-instant, as a view stepping
	// with n and pressing x does.
	CancelAfter *cancelAfter `json:"cancel_after"`
}

type cancelAfter struct {
	Event int `json:"event"`
	Task  int `json:"task"`
}

type asyncioCase struct {
	name    string
	cfg     Config
	until   time.Duration
	cancels []cancelAt
	after   *cancelAfter
}

// engineTrace runs a case on the engine, one line per event.
func engineTrace(c asyncioCase) []string {
	e := New(c.cfg)
	var out []string
	e.OnEvent(func(ev Event) {
		out = append(out, fmt.Sprintf("%d %s %s %d", ev.T, e.TaskName(ev.Task), ev.Kind, ev.Value))
	})
	cancels := slices.Clone(c.cancels)
	slices.SortFunc(cancels, func(a, b cancelAt) int {
		if a.T != b.T {
			return int(a.T - b.T)
		}
		return a.Task - b.Task
	})
	if a := c.after; a != nil {
		for e.events < int64(a.Event) && e.Step() {
		}
		e.CancelTask(int32(a.Task))
	}
	idle := int64(-1) // cancels at one instant all happen once the run is idle then
	for _, k := range cancels {
		if c.until > 0 && k.T > int64(c.until) {
			break
		}
		if k.T != idle {
			e.AdvanceTo(time.Duration(k.T))
			idle = k.T
		}
		e.CancelTask(int32(k.Task))
	}
	if c.until > 0 {
		e.AdvanceTo(c.until)
	} else {
		e.Run()
	}
	return out
}

// reference turns a case into the reference's input, drawing each task's
// think times, hold times and values from the streams the engine uses, as
// many as the engine's run could need.
func reference(c asyncioCase, draws int) refRun {
	r := refRun{Policy: c.cfg.Policy.String(), Permits: max(c.cfg.Permits, 1), Until: int64(c.until), Cancels: c.cancels, CancelAfter: c.after}
	for i, s := range c.cfg.Tasks {
		id := int32(i)
		think, hold, value := stream(c.cfg.Seed, id, 0), stream(c.cfg.Seed, id, 1), stream(c.cfg.Seed, id, 2)
		rt := refTask{Name: s.Name, Start: int64(s.Start), Iterations: s.Iterations, Timeout: int64(s.Timeout), Append: s.Append}
		for range draws {
			rt.Thinks = append(rt.Thinks, int64(s.Think.sample(&think)))
			rt.Holds = append(rt.Holds, int64(s.Hold.sample(&hold)))
			if s.Append {
				rt.Values = append(rt.Values, int32(1+value.int64n(100)))
			}
		}
		r.Tasks = append(r.Tasks, rt)
	}
	return r
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func tasks(n int, s TaskSpec) []TaskSpec {
	out := make([]TaskSpec, n)
	for i := range out {
		out[i] = s
		out[i].Name = fmt.Sprintf("%s-%d", s.Name, i+1)
	}
	return out
}

// namedCases pin the situations where asyncio's order is easiest to get
// wrong: simultaneous timers, releases racing timeouts, barging, cancellation.
func namedCases() []asyncioCase {
	hold1 := TaskSpec{Name: "t", Iterations: 2, Hold: FixedDist(time.Second)}
	return []asyncioCase{
		{name: "fifo: releaser queues behind waiters", cfg: Config{Tasks: tasks(3, hold1)}},
		{name: "fifo: rate-limit tutorial", cfg: Config{Tasks: []TaskSpec{
			{Name: "rate_limiter-1", Iterations: 2, Hold: FixedDist(time.Second)},
			{Name: "rate_limiter-2", Iterations: 2, Hold: FixedDist(time.Second)},
			{Name: "rate_limiter-3", Iterations: 1, Hold: FixedDist(time.Second)},
		}}},
		{name: "heap: eight timers due at once leave in heapq order", cfg: Config{Policy: lock.None,
			Tasks: tasks(8, TaskSpec{Name: "t", Iterations: 3, Think: FixedDist(time.Second), Hold: FixedDist(ms(500))})}},
		{name: "starts: staggered and simultaneous", cfg: Config{Tasks: []TaskSpec{
			{Name: "late", Start: ms(300), Iterations: 2, Hold: FixedDist(ms(200))},
			{Name: "early", Iterations: 2, Think: FixedDist(ms(100)), Hold: FixedDist(ms(200))},
			{Name: "late-too", Start: ms(300), Iterations: 2, Hold: FixedDist(ms(200))},
		}}},
		{name: "timeout: waiter leaves, next one is granted", cfg: Config{Tasks: []TaskSpec{
			{Name: "holder", Iterations: 1, Hold: FixedDist(time.Second)},
			{Name: "impatient", Iterations: 2, Hold: FixedDist(ms(100)), Timeout: ms(500)},
			{Name: "patient", Iterations: 1, Hold: FixedDist(ms(100))},
		}}},
		{name: "timeout: expires at the instant of the release", cfg: Config{Tasks: []TaskSpec{
			{Name: "holder", Iterations: 2, Hold: FixedDist(time.Second)},
			{Name: "edge", Iterations: 3, Hold: FixedDist(ms(250)), Timeout: time.Second},
			{Name: "edge2", Iterations: 3, Hold: FixedDist(ms(250)), Timeout: time.Second},
		}}},
		{name: "timeout: uncontended timed acquire takes three hops", cfg: Config{Policy: lock.None, Tasks: []TaskSpec{
			{Name: "timed", Iterations: 2, Hold: FixedDist(ms(100)), Timeout: time.Second},
			{Name: "plain", Iterations: 2, Hold: FixedDist(ms(100))},
		}}},
		{name: "semaphore: two permits, FIFO fairness", cfg: Config{Policy: lock.Semaphore, Permits: 2,
			Tasks: tasks(5, TaskSpec{Name: "s", Iterations: 3, Think: FixedDist(ms(100)), Hold: FixedDist(ms(300))})}},
		{name: "semaphore: timeouts hand permits on", cfg: Config{Policy: lock.Semaphore, Permits: 2,
			Tasks: tasks(6, TaskSpec{Name: "s", Iterations: 3, Hold: FixedDist(ms(400)), Timeout: ms(400)})}},
		{name: "barging: releaser retakes the lock, waiters starve", cfg: Config{Policy: lock.Barging,
			Tasks: tasks(3, TaskSpec{Name: "b", Iterations: 5, Hold: FixedDist(ms(100))})}},
		{name: "barging: timed waiters", cfg: Config{Policy: lock.Barging,
			Tasks: tasks(4, TaskSpec{Name: "b", Iterations: 4, Think: FixedDist(ms(50)), Hold: FixedDist(ms(100)), Timeout: ms(150)})}},
		{name: "none: holders overlap and lose updates", cfg: Config{Policy: lock.None,
			Tasks: tasks(4, TaskSpec{Name: "n", Iterations: 3, Think: Dist{Kind: Uniform, A: 0, B: ms(100)}, Hold: FixedDist(ms(100)), Append: true})}},
		{name: "heap: cancelled timeout handles pile up and are swept", cfg: Config{Policy: lock.Semaphore, Permits: 40, Seed: 7,
			Tasks: tasks(150, TaskSpec{Name: "w", Iterations: 4, Think: Dist{Kind: Exponential, A: ms(50)}, Hold: Dist{Kind: Exponential, A: ms(20)}, Timeout: ms(200)})}},
		{name: "forever: cut at until", until: 3 * time.Second, cfg: Config{Seed: 3,
			Tasks: tasks(4, TaskSpec{Name: "f", Think: Dist{Kind: Exponential, A: ms(200)}, Hold: Dist{Kind: Exponential, A: ms(100)}, Append: true})}},
		{name: "cancel: holder releases, waiter leaves, sleeper stops", cancels: []cancelAt{{T: int64(ms(500)), Task: 0}, {T: int64(ms(500)), Task: 2}, {T: int64(ms(1700)), Task: 3}},
			cfg: Config{Tasks: tasks(4, TaskSpec{Name: "c", Iterations: 3, Think: FixedDist(ms(100)), Hold: FixedDist(time.Second)})}},
		{name: "cancel: timed waiters", cancels: []cancelAt{{T: int64(ms(200)), Task: 1}, {T: int64(ms(1000)), Task: 2}},
			cfg: Config{Tasks: tasks(4, TaskSpec{Name: "c", Iterations: 3, Hold: FixedDist(ms(500)), Timeout: ms(1000)})}},
	}
}

// randomCase draws a scenario where many events share an instant: times on
// a coarse grid, short timeouts, several policies, cancellations.
func randomCase(r *rand.Rand, i int) asyncioCase {
	grid := func(n int) time.Duration { return time.Duration(r.IntN(n)) * 100 * time.Millisecond }
	dist := func() Dist {
		switch r.IntN(4) {
		case 0:
			return FixedDist(0)
		case 1:
			return FixedDist(grid(6))
		case 2:
			return Dist{Kind: Exponential, A: grid(5) + ms(50)}
		}
		a := grid(3)
		return Dist{Kind: Uniform, A: a, B: a + grid(4)}
	}
	c := asyncioCase{name: fmt.Sprintf("random-%d", i)}
	c.cfg.Policy = lock.Policies[r.IntN(len(lock.Policies))]
	c.cfg.Permits = 1 + r.IntN(3)
	c.cfg.Seed = r.Uint64()
	forever := false
	for j := range 1 + r.IntN(7) {
		s := TaskSpec{Name: fmt.Sprintf("t%d", j), Start: grid(3) * time.Duration(r.IntN(2)),
			Iterations: r.IntN(6), Think: dist(), Hold: dist(), Append: r.IntN(2) == 0}
		if r.IntN(3) == 0 {
			s.Timeout = grid(8) + ms(100)
		}
		if s.Iterations == 0 && s.Think.Mean() == 0 && s.Hold.Mean() == 0 {
			s.Hold = FixedDist(ms(100)) // it would never yield
		}
		forever = forever || s.Iterations == 0
		c.cfg.Tasks = append(c.cfg.Tasks, s)
	}
	if forever {
		c.until = grid(40) + ms(500)
	}
	for j := range c.cfg.Tasks {
		if r.IntN(6) == 0 {
			c.cancels = append(c.cancels, cancelAt{T: int64(grid(20) + ms(1)*time.Duration(r.IntN(2))), Task: j})
		}
	}
	return c
}

// runReference runs the runs in on real asyncio (testdata/asyncio_ref.py)
// and returns each run's events as the script logs them.
func runReference(t *testing.T, python string, in any) [][][]any {
	t.Helper()
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "testdata/asyncio_ref.py")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reference failed: %v\n%s", err, stderr.String())
	}
	var got [][][]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestEngineMatchesCPythonAsyncio(t *testing.T) {
	python := tooltest.Python311(t, "the reference is asyncio as of 3.11")
	cases := namedCases()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		c := randomCase(r, i)
		if i%4 == 0 {
			// Cancel one task mid-instant instead, after an event of the
			// run without cancels.
			c.cancels = nil
			if n := len(engineTrace(c)); n > 0 {
				c.after = &cancelAfter{Event: 1 + r.IntN(n), Task: r.IntN(len(c.cfg.Tasks))}
			}
		}
		cases = append(cases, c)
	}
	var want [][]string
	var in []refRun
	for _, c := range cases {
		tr := engineTrace(c)
		want = append(want, tr)
		in = append(in, reference(c, len(tr)+2))
	}
	got := runReference(t, python, in)
	if len(got) != len(cases) {
		t.Fatalf("reference returned %d traces for %d cases", len(got), len(cases))
	}
	events := 0
	for i, c := range cases {
		var ref []string
		for _, ev := range got[i] {
			ref = append(ref, fmt.Sprintf("%d %s %s %d", int64(ev[0].(float64)), ev[1], ev[2], int64(ev[3].(float64))))
		}
		events += len(ref)
		if !slices.Equal(want[i], ref) {
			t.Errorf("%s: engine and asyncio differ\n%s", c.name, tooltest.FirstDifference(want[i], ref))
		}
	}
	t.Logf("%d runs, %d events, identical to CPython asyncio", len(cases), events)
}

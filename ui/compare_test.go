package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/scenario"
)

// compareConfigs is testConfig(n) under each of policies.
func compareConfigs(n int, policies ...lock.Policy) []sim.Config {
	var cfgs []sim.Config
	for _, p := range policies {
		cfg := testConfig(n)
		cfg.Policy = p
		cfgs = append(cfgs, cfg)
	}
	return cfgs
}

// newCompare returns a paused comparison sized w×h at virtual time at.
func newCompare(t testing.TB, cfgs []sim.Config, w, h int, at time.Duration) Compare {
	t.Helper()
	c := NewCompare(cfgs, Options{Scenario: "golden", Paused: true})
	next, _ := c.Update(windowSize(w, h))
	return next.(Compare).advanceTo(at)
}

// advanceTo runs every column to virtual time at, as frames would.
func (c Compare) advanceTo(at time.Duration) Compare {
	for i := range c.cols {
		c.cols[i].eng.AdvanceTo(at)
	}
	c.now = at
	c.syncAll()
	return c
}

// pressAll sends the keys one by one to the comparison.
func pressAll(t testing.TB, c Compare, keys ...string) Compare {
	t.Helper()
	for _, k := range keys {
		next, _ := c.Update(keyMsg(k))
		c = next.(Compare)
	}
	return c
}

// runCompareGolden runs c in a teatest program at w×h, quits it with q
// and compares the final View with testdata/<test name>.golden.
func runCompareGolden(t *testing.T, c Compare, w, h int) {
	t.Helper()
	tm := teatest.NewTestModel(t, c, teatest.WithInitialTermSize(w, h))
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Compare)
	view := final.View()
	checkFrame(t, view, w, h)
	teatest.RequireEqualOutput(t, []byte(view))
}

func goldenCompare(t *testing.T, policies ...lock.Policy) Compare {
	c := NewCompare(compareConfigs(5, policies...), Options{Scenario: "golden", Paused: true})
	return c.advanceTo(goldenAt)
}

func TestGoldenCompare200x60(t *testing.T) {
	runCompareGolden(t, goldenCompare(t, lock.FIFO, lock.Barging, lock.None), 200, 60)
}

func TestGoldenCompare120x40(t *testing.T) {
	runCompareGolden(t, goldenCompare(t, lock.FIFO, lock.None), 120, 40)
}

func TestCompareKeysApplyToAll(t *testing.T) {
	c := newCompare(t, compareConfigs(3, lock.FIFO, lock.Barging, lock.None), 200, 60, 2*time.Second)
	c = pressAll(t, c, "down", "a", "H")
	for i, col := range c.cols {
		if n := len(col.sc.snap.Tasks); n != 4 {
			t.Errorf("column %d: %d tasks, want 4", i, n)
		}
		// The copy of the selected task-2, named alike in every column.
		if name := col.sc.snap.Tasks[3].Spec.Name; col.tasks.sel != 3 || name != c.cols[0].sc.snap.Tasks[3].Spec.Name {
			t.Errorf("column %d: selected %d, the new task %s", i, col.tasks.sel, name)
		}
		if h := col.sc.snap.Tasks[0].Spec.Hold; h != c.cols[0].sc.snap.Tasks[0].Spec.Hold || h.A == 400*time.Millisecond {
			t.Errorf("column %d: hold %v", i, h)
		}
	}
	c = pressAll(t, c, ">")
	for i, col := range c.cols {
		if col.speed != c.speed || c.speed != 2 {
			t.Errorf("column %d: speed %v, comparison %v", i, col.speed, c.speed)
		}
	}
	c = pressAll(t, c, "r")
	if !c.paused || c.now != 0 {
		t.Fatalf("restart: paused %v at %v", c.paused, c.now)
	}
	for i, col := range c.cols {
		if col.eng.Now() != 0 || len(col.sc.snap.Tasks) != 4 {
			t.Errorf("column %d after r: at %v with %d tasks", i, col.eng.Now(), len(col.sc.snap.Tasks))
		}
	}
}

func TestCompareOneClock(t *testing.T) {
	c := newCompare(t, compareConfigs(5, lock.FIFO, lock.None), 120, 40, time.Second)
	c = pressAll(t, c, "space")
	if !c.ticking || c.paused {
		t.Fatal("space does not run the comparison")
	}
	at := time.Now()
	for i := range 10 {
		next, _ := c.Update(frameMsg{tag: c.frameTag, at: at.Add(time.Duration(i) * frameInterval)})
		c = next.(Compare)
	}
	if c.now <= time.Second {
		t.Fatalf("the clock did not move: %v", c.now)
	}
	for i, col := range c.cols {
		if col.eng.Now() != c.now {
			t.Errorf("column %d at %v, the clock at %v", i, col.eng.Now(), c.now)
		}
	}
	// A stale frame of a stopped chain moves nothing.
	c = pressAll(t, c, "space")
	now := c.now
	next, _ := c.Update(frameMsg{tag: c.frameTag - 1, at: at.Add(time.Second)})
	if c = next.(Compare); c.now != now {
		t.Fatalf("a stale frame moved the clock to %v", c.now)
	}
	// n goes to the next instant any column has an event at: every
	// column is there.
	events := func() (n int64) {
		for _, col := range c.cols {
			n += col.sc.log.n
		}
		return n
	}
	for range 5 {
		before, seen := c.now, events()
		c = pressAll(t, c, "n")
		if c.now < before || events() <= seen {
			t.Fatalf("n from %v: at %v, events %d then %d", before, c.now, seen, events())
		}
		for i, col := range c.cols {
			if col.eng.Now() != c.now {
				t.Errorf("after n column %d at %v, the clock at %v", i, col.eng.Now(), c.now)
			}
		}
	}
}

func TestCompareDeadlockPausesAll(t *testing.T) {
	s, err := scenario.Load("deadlock")
	if err != nil {
		t.Fatal(err)
	}
	var cfgs []sim.Config
	for _, p := range []lock.Policy{lock.None, lock.FIFO} {
		over, err := s.Override(scenario.Overrides{Policy: &p})
		if err != nil {
			t.Fatal(err)
		}
		cfgs = append(cfgs, over.Config())
	}
	c := NewCompare(cfgs, Options{Scenario: "deadlock"})
	next, _ := c.Update(windowSize(120, 40))
	c = next.(Compare)
	at := time.Now()
	for i := 0; i < 100 && !c.paused; i++ {
		next, _ := c.Update(frameMsg{tag: c.frameTag, at: at.Add(time.Duration(i) * frameInterval)})
		c = next.(Compare)
	}
	if !c.paused || c.cols[1].sc.snap.Deadlock == nil || c.cols[0].sc.snap.Deadlock != nil {
		t.Fatalf("paused %v, deadlocks %v %v", c.paused, c.cols[0].sc.snap.Deadlock, c.cols[1].sc.snap.Deadlock)
	}
	view := c.View()
	if !strings.Contains(view, "✖ deadlock") || !strings.Contains(view, "every lock asyncio.Lock") {
		t.Fatalf("the deadlock is not said:\n%s", view)
	}
}

func TestCompareSizes(t *testing.T) {
	c := newCompare(t, compareConfigs(5, lock.FIFO, lock.Barging, lock.None, lock.Semaphore), 80, 24, time.Second)
	if v := c.View(); !strings.Contains(v, "terminal too small") || !strings.Contains(v, "have 80×24") {
		t.Fatalf("four bands in 80×24:\n%s", v)
	}
	for _, size := range [][2]int{{80, 24}, {120, 34}, {200, 60}, {300, 80}} {
		c := newCompare(t, compareConfigs(5, lock.FIFO, lock.None), size[0], size[1], time.Second)
		v := c.View()
		checkFrame(t, v, size[0], size[1])
		if strings.Contains(v, "too small") || strings.Count(v, "Statistics seed 1") != 2 {
			t.Errorf("%dx%d:\n%s", size[0], size[1], v)
		}
		c = pressAll(t, c, "?")
		checkFrame(t, c.View(), size[0], size[1])
		if v := c.View(); !strings.Contains(v, "close help") {
			t.Errorf("%dx%d: no help:\n%s", size[0], size[1], v)
		}
	}
}

func TestCompareOneTimeAxis(t *testing.T) {
	cfgs := compareConfigs(3, lock.None, lock.FIFO)
	for i := range cfgs {
		for j := range cfgs[i].Tasks {
			cfgs[i].Tasks[j].Iterations = 3
		}
	}
	c := newCompare(t, cfgs, 120, 40, 30*time.Second)
	a, b := c.cols[0].sc, c.cols[1].sc
	if a.snap.Now == b.snap.Now {
		t.Fatalf("both runs at %v: the test wants one to end first", a.snap.Now)
	}
	if a.bucket != b.bucket || a.start != b.start || a.laneCells != b.laneCells {
		t.Fatalf("timelines of %v from %v and %v from %v", a.bucket, a.start, b.bucket, b.start)
	}
}

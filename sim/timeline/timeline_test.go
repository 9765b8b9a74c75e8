package timeline

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"lockviz/lock"
	"lockviz/sim"
)

// record runs cfg to until (to the end when 0) into a history.
func record(cfg sim.Config, until time.Duration, lim Limits) (*History, *sim.Engine) {
	h := New(lim)
	e := sim.New(cfg)
	if cfg.Policy == lock.None {
		h.SetLimited(0, false)
	}
	e.OnEvent(h.Record)
	if until > 0 {
		e.AdvanceTo(until)
	} else {
		e.Run()
	}
	return h, e
}

var glyph = [NumCells]byte{' ', '.', '-', '#', 'x'}

// lanes draws every task's lane of cols columns of width b from 0.
func lanes(h *History, n, cols int, b time.Duration) []string {
	var g Grid
	h.Grid(&g, 0, b, cols)
	cells := make([]Cell, cols)
	var out []string
	for id := range n {
		g.Lane(int32(id), cells)
		row := make([]byte, cols)
		for c, x := range cells {
			row[c] = glyph[x]
		}
		out = append(out, strings.TrimRight(string(row), " "))
	}
	return out
}

func TestRateLimitHoldsAreTenColumns(t *testing.T) {
	cfg := sim.Config{Tasks: []sim.TaskSpec{
		{Name: "a", Iterations: 2, Hold: sim.FixedDist(time.Second)},
		{Name: "b", Iterations: 2, Hold: sim.FixedDist(time.Second)},
		{Name: "c", Iterations: 1, Hold: sim.FixedDist(time.Second)},
	}}
	h, _ := record(cfg, 0, Unbounded)
	got := strings.Join(lanes(h, 3, 50, 100*time.Millisecond), "\n")
	want := strings.Join([]string{
		"##########--------------------##########",
		"----------##########--------------------##########",
		"--------------------##########",
	}, "\n")
	if got != want {
		t.Fatalf("lanes:\n%s\nwant:\n%s", got, want)
	}
	// Columns that do not start on a second: each still shows one holder.
	for _, b := range []time.Duration{70 * time.Millisecond, 130 * time.Millisecond, 333 * time.Millisecond} {
		checkColumns(t, h, 3, 1, b)
	}
}

// checkColumns fails when a column shows more than limit holders, or none
// while some task held the lock in it.
func checkColumns(t *testing.T, h *History, n, limit int, b time.Duration) {
	t.Helper()
	const cols = 120
	var g Grid
	h.Grid(&g, 0, b, cols)
	shown := make([]int, cols)
	cells := make([]Cell, cols)
	for id := range n {
		g.Lane(int32(id), cells)
		for c, x := range cells {
			if x == Hold {
				shown[c]++
			}
		}
	}
	touched := make([]bool, cols)
	h.eachHold(0, int64(b)*cols, func(_ int32, from, to int64) {
		c0, c1 := g.span(from, to)
		for c := c0; c <= c1; c++ {
			touched[c] = true
		}
	})
	for c := range cols {
		if shown[c] > limit || (shown[c] == 0 && touched[c]) {
			t.Fatalf("column %d of %v shows %d holders (limit %d, held: %v)", c, b, shown[c], limit, touched[c])
		}
	}
}

func TestColumnsNeverShowMoreHoldersThanThePolicyAdmits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		p := []lock.Policy{lock.FIFO, lock.Semaphore, lock.Barging}[i%3]
		cfg := sim.Config{Policy: p, Permits: 1 + r.IntN(3), Seed: uint64(i)}
		limit := 1
		if p == lock.Semaphore {
			limit = cfg.Permits
		}
		for j := range 2 + r.IntN(6) {
			cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{Name: fmt.Sprint("t", j), Iterations: 1 + r.IntN(20),
				Think: sim.Dist{Kind: sim.Uniform, A: 0, B: time.Duration(r.IntN(100)) * time.Millisecond},
				Hold:  sim.Dist{Kind: sim.Exponential, A: time.Duration(1+r.IntN(60)) * time.Millisecond}})
		}
		h, e := record(cfg, 0, Unbounded)
		for _, b := range []time.Duration{time.Millisecond, 7 * time.Millisecond, 25 * time.Millisecond, e.Now()/100 + 1} {
			checkColumns(t, h, len(cfg.Tasks), limit, b)
		}
	}
}

func TestWithoutALockEveryoneInsideShows(t *testing.T) {
	cfg := sim.Config{Policy: lock.None, Tasks: []sim.TaskSpec{
		{Name: "a", Iterations: 1, Hold: sim.FixedDist(time.Second)},
		{Name: "b", Iterations: 1, Think: sim.FixedDist(500 * time.Millisecond), Hold: sim.FixedDist(time.Second)},
	}}
	h, _ := record(cfg, 0, Unbounded)
	got := lanes(h, 2, 3, 500*time.Millisecond)
	if got[0] != "##" || got[1] != ".##" {
		t.Fatalf("lanes %q, want both inside in the middle column", got)
	}
}

func TestAShortHoldIsNotLost(t *testing.T) {
	cfg := sim.Config{Tasks: []sim.TaskSpec{
		{Name: "quick", Iterations: 1, Think: sim.FixedDist(time.Second), Hold: sim.FixedDist(time.Millisecond)},
	}}
	h, _ := record(cfg, 0, Unbounded)
	if got := lanes(h, 1, 4, time.Second); got[0] != ".#" {
		t.Fatalf("lane %q: a 1ms hold in a 1s column must show", got[0])
	}
}

func TestTheLongerHolderWinsAColumn(t *testing.T) {
	// a holds [0, 300ms), b [300ms, 1.3s): in the column [0, 1s) b held
	// longer, so b shows, and a shows what it did most of the rest: idle.
	cfg := sim.Config{Tasks: []sim.TaskSpec{
		{Name: "a", Iterations: 1, Hold: sim.FixedDist(300 * time.Millisecond)},
		{Name: "b", Iterations: 1, Hold: sim.FixedDist(time.Second)},
	}}
	h, _ := record(cfg, 0, Unbounded)
	if got := lanes(h, 2, 2, time.Second); got[0] != "" || got[1] != "##" {
		t.Fatalf("lanes %q", got)
	}
}

func TestSinceMovesWhenMarksAreDropped(t *testing.T) {
	cfg := sim.Config{Tasks: []sim.TaskSpec{{Name: "a", Hold: sim.FixedDist(time.Second), Think: sim.FixedDist(time.Second)}}}
	// 20 marks a lane is 16, a power of two: three marks a 2s cycle.
	h, _ := record(cfg, 100*time.Second, Limits{LaneMarks: 20, Holds: 1000, Counts: 1000})
	if h.Since() < 85*time.Second || h.Since() > 92*time.Second {
		t.Fatalf("since %v: sixteen marks of one-second phases reach back about ten seconds", h.Since())
	}
	if got := len(h.lanes[0].buf); got != 16 || cap(h.lanes[0].buf) != 16 {
		t.Fatalf("lane holds %d marks in %d", got, cap(h.lanes[0].buf))
	}
}

func TestAReusedGridDrawsWhatAFreshOneDoes(t *testing.T) {
	for _, p := range []lock.Policy{lock.FIFO, lock.Semaphore} {
		cfg := sim.Config{Policy: p, Permits: 2, Seed: 5}
		for j := range 6 {
			cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{Name: fmt.Sprint("t", j),
				Think: sim.Dist{Kind: sim.Exponential, A: 20 * time.Millisecond},
				Hold:  sim.Dist{Kind: sim.Exponential, A: 15 * time.Millisecond}})
		}
		h := New(Unbounded)
		e := sim.New(cfg)
		e.OnEvent(h.Record)
		var reused Grid
		const cols, b = 50, 10 * time.Millisecond
		a, c := make([]Cell, cols), make([]Cell, cols)
		for now := time.Duration(0); now < 5*time.Second; now += 7 * time.Millisecond {
			e.AdvanceTo(now)
			start := max(now/b*b-cols/2*b, 0) // scrolls, and the newest columns are not over
			h.Grid(&reused, start, b, cols)
			var fresh Grid
			h.Grid(&fresh, start, b, cols)
			for id := range int32(len(cfg.Tasks)) {
				reused.Lane(id, a)
				fresh.Lane(id, c)
				if !slices.Equal(a, c) {
					t.Fatalf("%v at %v: task %d's lane differs: %v, fresh %v", p, now, id, a, c)
				}
			}
		}
	}
}

func TestNestedHoldsKeepTheOuterLock(t *testing.T) {
	// a for 2s, b inside it for the first second: after b's release the
	// task still holds a, and the lanes say which lock.
	body := []sim.Stmt{{Kind: sim.SWith, Lock: 0, Body: []sim.Stmt{
		{Kind: sim.SWith, Lock: 1, Body: []sim.Stmt{{Kind: sim.SSleep, X: sim.Expr{Kind: sim.EConst, A: 1}}}},
		{Kind: sim.SSleep, X: sim.Expr{Kind: sim.EConst, A: 1}}}}}
	cfg := sim.Config{Locks: []sim.LockSpec{{Name: "a", Permits: 1}, {Name: "b", Permits: 1}},
		Tasks: []sim.TaskSpec{{Name: "t", Code: &sim.Program{Body: body, Locks: []string{"a", "b"}}}}}
	h, _ := record(cfg, 0, Unbounded)
	var g Grid
	h.Grid(&g, 0, 500*time.Millisecond, 4)
	cells, locks := make([]Cell, 4), make([]int32, 4)
	g.LaneLocks(0, cells, locks)
	if fmt.Sprint(cells) != "[3 3 3 3]" || fmt.Sprint(locks) != "[1 1 0 0]" {
		t.Fatalf("cells %v, locks %v: want held throughout, b then a", cells, locks)
	}
}

// TestAResumedHistoryDrawsWhatTheWholeOneDoes checks that a history resumed
// from a run's state at some moment draws every column from that moment
// on as the history recorded from the start draws it.
func TestAResumedHistoryDrawsWhatTheWholeOneDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 40 {
		cfg := sim.Config{Seed: uint64(i), Policy: lock.Policies[i%len(lock.Policies)], Permits: 2, Tasks: []sim.TaskSpec{}}
		for j := range 2 + r.IntN(6) {
			cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{Name: fmt.Sprint("t", j),
				Think:   sim.Dist{Kind: sim.Exponential, A: time.Duration(1+r.IntN(50)) * time.Millisecond},
				Hold:    sim.Dist{Kind: sim.Exponential, A: time.Duration(1+r.IntN(50)) * time.Millisecond},
				Timeout: time.Duration(r.IntN(2)*(1+r.IntN(40))) * time.Millisecond})
		}
		whole, e := New(Unbounded), sim.New(cfg)
		e.OnEvent(whole.Record)
		if cfg.Policy == lock.None {
			whole.SetLimited(0, false)
		}
		at := time.Duration(r.IntN(500)) * time.Millisecond
		e.AdvanceTo(at)
		var snap sim.Snapshot
		e.Snapshot(&snap)
		resumed := Resume(Unbounded, at, 0, &snap, e.Held)
		e.OnEvent(func(ev sim.Event) { whole.Record(ev); resumed.Record(ev) })
		e.AdvanceTo(at + time.Second)
		b := time.Duration(1+r.IntN(20)) * time.Millisecond
		start := (at + b - 1) / b * b
		var gw, gr Grid
		whole.Grid(&gw, start, b, 80)
		resumed.Grid(&gr, start, b, 80)
		cw, cr := make([]Cell, 80), make([]Cell, 80)
		for id := range int32(len(cfg.Tasks)) {
			gw.Lane(id, cw)
			gr.Lane(id, cr)
			if !slices.Equal(cw, cr) {
				t.Fatalf("case %d, task %d from %v: resumed %v, whole %v", i, id, at, cr, cw)
			}
		}
		qw, qr := make([]int32, 80), make([]int32, 80)
		whole.Queue(qw, start, b)
		resumed.Queue(qr, start, b)
		if !slices.Equal(qw, qr) {
			t.Fatalf("case %d: queue resumed %v, whole %v", i, qr, qw)
		}
	}
}

package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"lockviz/lock"
)

// replayShared rebuilds the shared list from a run's events with the
// README's program: a holder's snapshot is the list when it acquired, and its
// append event replaces the list with that snapshot plus the value.
// With the engine, it also checks each write's lost values: those of the
// list after the prefix it shares with the snapshot, read when the writer
// acquired.
type replayShared struct {
	list    []int32
	ids     []int // which append put each value there, since values repeat
	snaps   map[int32][]int32
	snapID  map[int32][]int
	readAt  map[int32]time.Duration
	e       *Engine
	t       *testing.T
	lost    int // values a write dropped, over the run
	appends int
}

func newReplay(t *testing.T, e *Engine) *replayShared {
	return &replayShared{snaps: map[int32][]int32{}, snapID: map[int32][]int{}, readAt: map[int32]time.Duration{}, e: e, t: t}
}

func (r *replayShared) record(ev Event) {
	switch ev.Kind {
	case Acquired:
		r.snaps[ev.Task] = slices.Clone(r.list)
		r.snapID[ev.Task] = slices.Clone(r.ids)
		r.readAt[ev.Task] = ev.T
	case Append:
		snap, ids := r.snaps[ev.Task], r.snapID[ev.Task]
		common := 0
		for common < min(len(ids), len(r.ids)) && ids[common] == r.ids[common] {
			common++
		}
		lost, readAt := r.e.Overwrote()
		if want := r.list[common:]; len(want) <= sharedKeep && !slices.Equal(sharedValues(lost), want) ||
			len(lost) > 0 && readAt != r.readAt[ev.Task] {
			r.t.Fatalf("at %v task %d's write dropped %v (read at %v); the program drops %v (read at %v)",
				ev.T, ev.Task, sharedValues(lost), readAt, want, r.readAt[ev.Task])
		}
		r.lost += len(lost)
		r.list = append(slices.Clone(snap), ev.Value)
		r.ids = append(slices.Clone(ids), r.appends)
		r.appends++
	}
}

func sharedValues(items []SharedItem) []int32 {
	out := make([]int32, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

func TestSharedListMatchesTheProgram(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	lost := 0
	for i := range 400 {
		p := lock.Policies[i%len(lock.Policies)]
		cfg := Config{Policy: p, Permits: 1 + r.IntN(3), Seed: uint64(i)}
		for j := range 2 + r.IntN(7) {
			spec := TaskSpec{Name: fmt.Sprint("t", j), Iterations: 1 + r.IntN(60), Append: r.IntN(5) > 0,
				Think: Dist{Kind: Exponential, A: time.Duration(1+r.IntN(50)) * time.Millisecond},
				Hold:  Dist{Kind: Uniform, A: 0, B: time.Duration(r.IntN(80)) * time.Millisecond}}
			if r.IntN(4) == 0 {
				spec.Timeout = time.Duration(1+r.IntN(40)) * time.Millisecond
			}
			cfg.Tasks = append(cfg.Tasks, spec)
		}
		e := New(cfg)
		rep := newReplay(t, e)
		e.OnEvent(rep.record)
		e.Run()
		got := sharedValues(e.shared.newest(nil, 1000))
		want := rep.list[max(len(rep.list)-1000, 0):]
		if !slices.Equal(got, want) || e.shared.Len() != int64(len(rep.list)) {
			t.Fatalf("case %d (%v): list of %d ends %v, the program's of %d ends %v",
				i, p, e.shared.Len(), got[max(len(got)-8, 0):], len(rep.list), want[max(len(want)-8, 0):])
		}
		if (p == lock.FIFO || p == lock.Barging) && rep.lost > 0 {
			t.Fatalf("case %d (%v): %d values lost under a lock", i, p, rep.lost)
		}
		lost += rep.lost
	}
	if lost == 0 {
		t.Fatal("no write lost a value: the test tests nothing")
	}
}

func TestSharedListStaysBounded(t *testing.T) {
	// Twenty tasks, with the lock switched off and on: while it is on the
	// list grows by thousands, while it is off overlapping holders write back
	// snapshots of all ages. Forty thousand appends must neither keep
	// every node nor lose a value the program would show.
	e := New(Config{Tasks: tasks(20, TaskSpec{Name: "n",
		Think: Dist{Kind: Exponential, A: time.Millisecond}, Hold: Dist{Kind: Exponential, A: 2 * time.Millisecond}, Append: true})})
	rep := newReplay(t, e)
	e.OnEvent(rep.record)
	for i := 0; e.shared.appends < 40_000; i++ {
		e.SetPolicy(lock.Policies[i%2*3], 1) // fifo, none, fifo, …
		e.AdvanceTo(e.Now() + 2*time.Second)
		if live := len(e.shared.nodes) - len(e.shared.free); live > 21*2*sharedKeep {
			t.Fatalf("%d nodes live after %d appends", live, e.shared.appends)
		}
		got := sharedValues(e.shared.newest(nil, sharedKeep))
		if want := rep.list[max(len(rep.list)-sharedKeep, 0):]; !slices.Equal(got, want) {
			t.Fatalf("after %d appends the newest values differ from the program's", e.shared.appends)
		}
	}
	if live := len(e.shared.nodes) - len(e.shared.free); e.shared.Len() < 4*sharedKeep || int64(live) >= e.shared.Len() {
		t.Fatalf("a list of %d values keeps %d nodes: no block was cut", e.shared.Len(), live)
	}
}

func TestSharedListCancelledHolderWritesNothing(t *testing.T) {
	e := New(Config{Policy: lock.None, Tasks: tasks(2, TaskSpec{Name: "c", Iterations: 1, Hold: FixedDist(time.Second), Append: true})})
	e.AdvanceTo(500 * time.Millisecond)
	e.CancelTask(0)
	e.Run()
	s := e.Stats()
	equal(t, "appends", s.Appends, int64(1))
	equal(t, "length", s.Length, int64(1))
	equal(t, "live nodes", len(e.shared.nodes)-len(e.shared.free), 1)
}

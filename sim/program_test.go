package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"lockviz/lock"
)

// Statement builders for hand-made programs.
func sleep(s float64) Stmt { return Stmt{Kind: SSleep, X: Expr{Kind: EConst, A: s}} }
func with(l int32, body ...Stmt) Stmt {
	return Stmt{Kind: SWith, Lock: l, Body: body}
}
func acquire(l int32) Stmt { return Stmt{Kind: SAcquire, Lock: l} }
func release(l int32) Stmt { return Stmt{Kind: SRelease, Lock: l} }

// numbered gives each statement of a program a line, in order.
func numbered(body []Stmt, line *int32) []Stmt {
	for i := range body {
		*line++
		body[i].Line = *line
		body[i].Body = numbered(body[i].Body, line)
		body[i].Else = numbered(body[i].Else, line)
		body[i].Handler = numbered(body[i].Handler, line)
		body[i].Finally = numbered(body[i].Finally, line)
	}
	return body
}

func prog(body ...Stmt) *Program {
	var line int32
	return &Program{Body: numbered(body, &line), Locks: []string{"a", "b"}}
}

// twoLocks is a config of two fifo locks, a and b, and the given tasks.
func twoLocks(progs ...*Program) Config {
	cfg := Config{Locks: []LockSpec{{Name: "a", Permits: 1}, {Name: "b", Permits: 1}}}
	for i, p := range progs {
		cfg.Tasks = append(cfg.Tasks, TaskSpec{Name: fmt.Sprint("t", i+1), Code: p})
	}
	return cfg
}

// trace runs cfg to its end and returns its events, one a line.
func trace(cfg Config) (string, *Engine) {
	e := New(cfg)
	var b strings.Builder
	e.OnEvent(func(ev Event) {
		fmt.Fprintf(&b, "%v %s %s", ev.T, e.TaskName(ev.Task), ev.Kind)
		if ev.Lock >= 0 {
			fmt.Fprintf(&b, " %s", e.LockName(ev.Lock))
		}
		fmt.Fprintf(&b, " @%d\n", ev.Line)
	})
	e.Run()
	return b.String(), e
}

func TestPrograms(t *testing.T) {
	cases := []struct {
		name  string
		cfg   Config
		want  string
		check func(t *testing.T, e *Engine)
	}{
		{name: "async with: acquire, body, release",
			cfg: twoLocks(prog(with(0, sleep(1)))),
			want: `0s t1 spawn @0
0s t1 request a @1
0s t1 acquired a @1
1s t1 released a @1
1s t1 done @1
`},
		{name: "raise inside async with: the lock is released, the task raised",
			cfg: twoLocks(prog(with(0, sleep(1), Stmt{Kind: SRaise}))),
			want: `0s t1 spawn @0
0s t1 request a @1
0s t1 acquired a @1
1s t1 released a @1
1s t1 raised @3
`,
			check: func(t *testing.T, e *Engine) {
				if len(e.Leaks()) != 0 {
					t.Errorf("leaks %v", e.Leaks())
				}
			}},
		{name: "bare acquire then raise: the lock leaks and the waiter is stranded",
			cfg: twoLocks(
				prog(acquire(0), sleep(1), Stmt{Kind: SRaise}, release(0)),
				prog(sleep(0.5), acquire(0), release(0))),
			check: func(t *testing.T, e *Engine) {
				if l := e.Leaks(); len(l) != 1 || l[0] != (Leak{At: time.Second, Lock: 0, Task: 0, Line: 3}) {
					t.Errorf("leaks %+v", l)
				}
				if s := e.Stranded(); len(s) != 1 || s[0] != 1 {
					t.Errorf("stranded %v", s)
				}
				if e.Deadlock() != nil {
					t.Errorf("a leak is no deadlock: %+v", e.Deadlock())
				}
			}},
		{name: "opposite order: a deadlock with its cycle",
			cfg: twoLocks(
				prog(with(0, sleep(0.1), with(1, sleep(0.1)))),
				prog(with(1, sleep(0.1), with(0, sleep(0.1))))),
			check: func(t *testing.T, e *Engine) {
				d := e.Deadlock()
				if d == nil || d.At != 100*time.Millisecond || fmt.Sprint(d.Tasks, d.Locks) != "[0 1] [0 1]" {
					t.Fatalf("deadlock %+v", d)
				}
				if c := fmt.Sprint(d.Cycle); c != "[1 0 0 1]" && c != "[0 1 1 0]" {
					t.Errorf("cycle %v", c)
				}
			}},
		{name: "same order: no deadlock",
			cfg: twoLocks(
				prog(with(0, sleep(0.1), with(1, sleep(0.1)))),
				prog(with(0, sleep(0.1), with(1, sleep(0.1))))),
			check: func(t *testing.T, e *Engine) {
				if e.Deadlock() != nil || e.Now() != 400*time.Millisecond {
					t.Errorf("deadlock %+v, end %v", e.Deadlock(), e.Now())
				}
			}},
		{name: "a timeout breaks a deadlock, which is still reported",
			cfg: twoLocks(
				prog(with(0, sleep(0.1), Stmt{Kind: STry, HasHandler: true,
					Body:    []Stmt{{Kind: SAcquireWithin, Lock: 1, X: Expr{Kind: EConst, A: 1}}, release(1)},
					Handler: []Stmt{{Kind: SPass}}})),
				prog(with(1, sleep(0.1), with(0, sleep(0.1))))),
			check: func(t *testing.T, e *Engine) {
				if d := e.Deadlock(); d == nil || d.At != 100*time.Millisecond {
					t.Errorf("deadlock %+v", d)
				}
				if e.Now() != 1200*time.Millisecond || e.Stats().Timeouts != 1 {
					t.Errorf("end %v, timeouts %d: want the timeout at 1.1s to break it", e.Now(), e.Stats().Timeouts)
				}
			}},
		{name: "finally runs before break leaves the loop",
			cfg: twoLocks(prog(Stmt{Kind: SWhile, Body: []Stmt{
				{Kind: STry, Body: []Stmt{acquire(0), {Kind: SBreak}}, Finally: []Stmt{release(0)}}}})),
			want: `0s t1 spawn @0
0s t1 request a @3
0s t1 acquired a @3
0s t1 released a @5
0s t1 done @5
`},
		{name: "release of a lock not held raises",
			cfg:  twoLocks(prog(release(1))),
			want: "0s t1 spawn @0\n0s t1 raised @1\n"},
		{name: "sleep(0) yields once",
			cfg: twoLocks(prog(Stmt{Kind: SFor, N: 2, Body: []Stmt{sleep(0)}}), prog(sleep(0))),
			want: `0s t1 spawn @0
0s t2 spawn @0
0s t2 done @1
0s t1 done @2
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, e := trace(c.cfg)
			if c.want != "" && got != c.want {
				t.Errorf("trace:\n%s\nwant:\n%s", got, c.want)
			}
			if c.check != nil {
				c.check(t, e)
			}
		})
	}
}

func TestSemaphoreDeadlockNeedsEveryHolder(t *testing.T) {
	// Two permits of b: t1 holds a and one of b, t2 holds the other of b
	// and waits on a, t3 waits on b. t3 is blocked, but t1 sleeps on: no
	// deadlock; until t1 asks for a again.
	cfg := twoLocks(
		prog(with(0, with(1, sleep(1)))),
		prog(with(1, sleep(0.1), with(0, sleep(0.1)))),
		prog(sleep(0.05), with(1)))
	cfg.Locks[1] = LockSpec{Name: "b", Policy: lock.Semaphore, Permits: 2}
	_, e := trace(cfg)
	if e.Deadlock() != nil {
		t.Fatalf("deadlock %+v", e.Deadlock())
	}
}

// TestDeadlockFoundWhenItForms holds the engine's deadlock detection to a
// search of every task at the end of every instant, on random programs over
// one to three locks: the first instant at which a set of blocked waiters
// waits only on locks held within the set is the deadlock's time, and runs
// without such an instant report none.
func TestDeadlockFoundWhenItForms(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	found := 0
	for i := range 400 {
		c := programCase(r, i)
		var times []time.Duration
		e := New(c.cfg)
		e.OnEvent(func(ev Event) {
			if len(times) == 0 || times[len(times)-1] != ev.T {
				times = append(times, ev.T)
			}
		})
		e.Run()
		want := time.Duration(-1)
		e = New(c.cfg)
		for _, at := range times {
			e.AdvanceTo(at)
			if deadlocked(e) {
				want = at
				break
			}
		}
		e.Run()
		switch d := e.Deadlock(); {
		case want < 0 && d != nil:
			t.Errorf("%s: deadlock reported at %v, none formed", c.name, d.At)
		case want >= 0 && (d == nil || d.At != want):
			t.Errorf("%s: a deadlock formed at %v, reported %+v", c.name, want, d)
		case want >= 0:
			found++
		}
	}
	if found == 0 {
		t.Fatal("no run deadlocked: the test tests nothing")
	}
	t.Logf("%d of 400 runs deadlocked, each found when it formed", found)
}

// deadlocked looks at every task: it removes from the blocked waiters, until
// none is left to remove, those waiting on a lock that someone outside the
// set holds, or no one; a deadlock is what remains.
func deadlocked(e *Engine) bool {
	in := map[int32]bool{}
	for i := range e.tasks {
		if t := &e.tasks[i]; t.phase == Waiting && t.waitFor >= 0 && e.blocked(t) {
			in[t.id] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for id := range in {
			hs := e.holders[e.tasks[id].waitFor]
			if len(hs) == 0 || slices.ContainsFunc(hs, func(h int32) bool { return !in[h] }) {
				delete(in, id)
				changed = true
			}
		}
	}
	return len(in) > 0
}

// TestLineTimes checks the time counted on each line: two tasks take lock
// a for a second each, the second waiting a second at the async with; a
// third waits behind them and ends holding a; a fourth then waits for a
// forever, which counts up to the end of the run.
func TestLineTimes(t *testing.T) {
	cfg := twoLocks(prog(with(0, sleep(1))), prog(with(0, sleep(1))), prog(sleep(0.5), acquire(0), acquire(1)),
		prog(sleep(3), acquire(0)))
	e := New(cfg)
	e.CountLines()
	e.AdvanceTo(10 * time.Second)
	got := e.LineTimes()
	if len(got) != 4 {
		t.Fatalf("%d programs", len(got))
	}
	for i, want := range [][]time.Duration{
		{0, 0, time.Second},
		{0, time.Second, time.Second},
		{0, 500 * time.Millisecond, 1500 * time.Millisecond, 0},
		{0, 3 * time.Second, 7 * time.Second},
	} {
		if !slices.Equal(got[i].Time, want) || !slices.Equal(got[i].Tasks, []int32{int32(i)}) {
			t.Errorf("program %d: %v on tasks %v, want %v", i, got[i].Time, got[i].Tasks, want)
		}
	}
}

// TestDeadlockMarksWrap runs generated programs with the deadlock search's
// mark about to wrap, so that its first search counts from zero, where
// every task's mark starts: the runs must be the runs without, deadlocks
// and all. Unmended, a mark left from 2³² searches before passed for the
// current search's, and a search skipped a holder it had not seen.
func TestDeadlockMarksWrap(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	searched := 0
	for i := range 200 {
		c := programCase(r, i)
		run := func(mark uint32) (string, *Deadlock, uint32) {
			e := New(c.cfg)
			e.markGen = mark
			var b strings.Builder
			e.OnEvent(func(ev Event) { fmt.Fprintln(&b, ev) })
			e.Run()
			return b.String(), e.Deadlock(), e.markGen
		}
		want, wantD, _ := run(0)
		got, gotD, mark := run(math.MaxUint32)
		if mark != math.MaxUint32 {
			searched++
		}
		if got != want || fmt.Sprint(gotD) != fmt.Sprint(wantD) {
			t.Errorf("%s: with the mark at its edge the run differs (deadlock %v, without %v)", c.name, gotD, wantD)
		}
	}
	if searched == 0 {
		t.Fatal("no run searched for a deadlock: the test tests nothing")
	}
}

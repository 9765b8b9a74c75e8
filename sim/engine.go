// Package sim is lockviz's deterministic discrete-event engine.
//
// The engine is a small replica of CPython 3.11's asyncio event loop on a
// virtual clock: a FIFO ready queue, a heapq timer heap, futures reduced to
// their states, and each task's coroutine an interpreter over its program
// (see Program) that suspends exactly where asyncio suspends: sleeps, lock
// waits, wait_for and its inner task, and nowhere else. So the same
// scenario yields the same events, at the same virtual times and in the
// same order, as its code on a real asyncio loop. The engine has no wall
// clock, no goroutines, no I/O and no global randomness: a seed fixes a run.
package sim

import (
	"math"
	"time"

	"lockviz/lock"
)

// Engine runs one simulation. Its methods are not safe for concurrent use.
type Engine struct {
	cfg   Config
	locks []*lock.Lock
	names []string // the locks' names
	tasks []task

	now       int64
	ready     readyQueue
	todo      int // handles left in the current loop iteration
	timers    timerHeap
	cancelled int // the loop's _timer_cancelled_count

	observer func(Event)
	events   int64
	work     int64 // handles run and iterations begun, for AdvanceWithin
	active   int   // tasks that have not ended
	snapGen  uint32
	seq      int64

	// statistics, streamed
	acquisitions, timeouts int64
	waits                  histogram
	waitSum                float64 // ns; a float, since the sum of all waits can pass 292 years
	waitMax                int64
	waiting, holding       int       // tasks waiting for a lock; tasks holding one and not waiting
	maxQueue               int       // the most tasks waiting as an instant ended
	lockHeld               []int     // per lock: holds by tasks
	busy                   []float64 // per lock: ∫ min(holds, permits)/permits dt, in ns
	busySince              int64
	shared                 sharedList
	overwrote              []SharedItem // what the write being logged dropped: see Overwrote
	readAt                 int64        // when that write's snapshot was read

	holders    [][]int32 // per lock: its holders, earliest first (a task once a permit)
	newWaiters []int32   // tasks that began to wait in the current instant
	markGen    uint32    // marks the tasks a deadlock search has seen
	// heldWaiters counts the waiting tasks that held a lock when they began
	// to wait. A deadlock's locks are held by tasks that wait, so with none
	// no search is needed: the closed model has none, ever.
	heldWaiters int
	deadlock    *Deadlock // the first that formed
	leaks       []Leak

	lineNs      map[*Program][]int64        // per program, time spent on each line: see CountLines
	frames      []frame                     // the slab tasks' stacks are cut from: see carve
	values      []value                     // the slab tasks' variables are cut from
	shorthands  map[shorthandKey]*Program   // compiled once a shape
	instantWork int64                       // handles run at the current instant
	stalled     bool                        // the run stopped at one instant: see maxInstantWork
	drawHook    func(task int32, v float64) // every number a program draws, for tests
}

// New returns an engine at virtual time 0 with every task created, as
// asyncio.create_task would, in the order given.
func New(cfg Config) *Engine {
	e := &Engine{cfg: cfg, tasks: make([]task, 0, len(cfg.Tasks)), shared: newSharedList()}
	for _, l := range cfg.LockSpecs() {
		e.locks = append(e.locks, lock.New(l.Policy, l.Permits))
		e.names = append(e.names, l.Name)
	}
	e.lockHeld = make([]int, len(e.locks))
	e.holders = make([][]int32, len(e.locks))
	e.busy = make([]float64, len(e.locks))
	e.cfg.Tasks = nil
	for _, s := range cfg.Tasks {
		e.AddTask(s)
	}
	return e
}

// OnEvent sets the function called for every trace event; nil stops the calls.
func (e *Engine) OnEvent(fn func(Event)) { e.observer = fn }

// Now returns the virtual clock.
func (e *Engine) Now() time.Duration { return time.Duration(e.now) }

// Policy returns the policy of the run's first lock.
func (e *Engine) Policy() lock.Policy { return e.locks[0].Policy() }

// Permits returns how many tasks may hold the first lock at once.
func (e *Engine) Permits() int { return e.locks[0].Permits() }

// Seed returns the seed the run started from.
func (e *Engine) Seed() uint64 { return e.cfg.Seed }

// TaskName returns the name of task id.
func (e *Engine) TaskName(id int32) string { return e.Spec(id).Name }

// LockName returns the name of lock l.
func (e *Engine) LockName(l int32) string {
	if l < 0 || int(l) >= len(e.names) {
		return ""
	}
	return e.names[l]
}

// NumLocks returns how many locks the run has.
func (e *Engine) NumLocks() int { return len(e.locks) }

// NumTasks returns how many tasks were ever created, cancelled ones included.
func (e *Engine) NumTasks() int { return len(e.tasks) }

// Config returns the configuration a restart would use: the current
// policies and the current specs of the tasks that were not cancelled.
func (e *Engine) Config() Config {
	c := Config{Policy: e.locks[0].Policy(), Permits: e.cfg.Permits, Seed: e.cfg.Seed}
	if len(e.cfg.Locks) > 0 {
		for i, l := range e.locks {
			c.Locks = append(c.Locks, LockSpec{Name: e.names[i], Policy: l.Policy(), Permits: e.cfg.Locks[i].Permits})
		}
	}
	for i := range e.tasks {
		if e.tasks[i].phase != Gone && !e.tasks[i].cancelRequested {
			c.Tasks = append(c.Tasks, e.tasks[i].spec)
		}
	}
	return c
}

// AdvanceTo runs everything due at or before t, then sets the clock to t
// (it never goes back) unless every task has ended: a finished run stays at
// its last event, so rates are over the time it ran.
func (e *Engine) AdvanceTo(t time.Duration) {
	for e.next(int64(t)) {
	}
	e.idleTo(int64(t))
}

func (e *Engine) idleTo(t int64) {
	if e.active > 0 && !e.stalled {
		e.setClock(t)
	}
}

// AdvanceWithin is AdvanceTo stopping once it has done about budget units
// of work (a handle run or a loop iteration each); it reports whether it
// reached t. A live view calls it once a frame, so that tasks looping
// without ever sleeping, which keep an asyncio loop at one instant forever,
// cannot freeze the screen. Unlike AdvanceTo it leaves the clock at the
// last event once nothing is left to run, even with tasks waiting forever
// on a deadlock or a leaked lock: the view stops there, not wherever the
// frame it got stuck in happened to end.
func (e *Engine) AdvanceWithin(t time.Duration, budget int) bool {
	for stop := e.work + int64(budget); e.work < stop; {
		if !e.next(int64(t)) {
			if !e.Finished() {
				e.idleTo(int64(t))
			}
			return true
		}
	}
	return false
}

// Run runs until nothing is left to do. It does not return for a scenario
// whose tasks loop forever: use AdvanceTo for those.
func (e *Engine) Run() {
	for e.next(math.MaxInt64) {
	}
}

// Step runs until the next trace event and reports whether there was one.
func (e *Engine) Step() bool {
	n := e.events
	for e.events == n {
		if !e.next(math.MaxInt64) {
			return false
		}
	}
	return true
}

// Finished reports whether nothing is left to run: no ready handle and no
// live timer.
func (e *Engine) Finished() bool {
	if e.ready.n > 0 || len(e.timers) > 0 && !e.timerCancelled(e.timers[0]) {
		return false // the common case, without a look at every timer
	}
	for _, t := range e.timers {
		if !e.timerCancelled(t) {
			return false
		}
	}
	return true
}

// accrue adds the time since the last change of holders to each lock's
// busy integral.
func (e *Engine) accrue() {
	dt := float64(e.now - e.busySince)
	for i, h := range e.lockHeld {
		switch p := e.locks[i].Permits(); {
		case h <= 0:
		case p == 1:
			e.busy[i] += dt // the same as below, without a division
		default:
			e.busy[i] += float64(min(h, p)) / float64(p) * dt
		}
	}
	e.busySince = e.now
}

func (e *Engine) emit(t *task, k EventKind, l int32, v int32) {
	e.events++
	if e.observer != nil {
		e.observer(Event{T: time.Duration(e.now), Task: t.id, Kind: k, Lock: l, Line: t.line, Value: v})
	}
}

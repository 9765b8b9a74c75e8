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

// op is what a ready handle or a timer does when it runs.
type op uint8

const (
	opStep          op = iota // run the task's coroutine (its __step or __wakeup)
	opInnerStep               // run the inner task wait_for made for L.acquire()
	opReleaseWaiter           // the inner task's done-callback: _release_waiter(waiter)
	opSleepTimer              // asyncio.sleep's timer: _set_result_unless_cancelled
	opTimeoutTimer            // wait_for's timer: _release_waiter(waiter)
)

// handle is one entry of the ready queue. gen tells which timer or which
// waiter future the handle belongs to.
type handle struct {
	task int32
	op   op
	gen  uint32
}

// timerState is one of a task's two timer handles, its sleep's and its
// wait_for's timeout: gen tells the live handle from the cancelled ones it
// left in the heap; cancelled and inHeap are the handle's _cancelled and
// _scheduled.
type timerState struct {
	gen       uint32
	cancelled bool
	inHeap    bool
}

// fut is the state of a future the engine tracks outside the locks.
type fut uint8

const (
	futPending fut = iota
	futDone
	futCancelled
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

	holders    [][]int32 // per lock: its holders, earliest first (a task once a permit)
	newWaiters []int32   // tasks that began to wait in the current instant
	markGen    uint32    // marks the tasks a deadlock search has seen
	deadlock   *Deadlock // the first that formed
	leaks      []Leak

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
// cannot freeze the screen.
func (e *Engine) AdvanceWithin(t time.Duration, budget int) bool {
	for stop := e.work + int64(budget); e.work < stop; {
		if !e.next(int64(t)) {
			e.idleTo(int64(t))
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
	if e.ready.n > 0 {
		return false
	}
	for _, t := range e.timers {
		if !e.timerCancelled(t) {
			return false
		}
	}
	return true
}

// maxInstantWork bounds the handles run at one instant of virtual time:
// tasks that loop without ever sleeping (while True with sleep(0), a loop
// of free locks) keep asyncio at one instant forever, and no until can cut
// them short. Past it the engine stops; Stalled says so.
const maxInstantWork = 20_000_000

// next runs one ready handle, starting a new loop iteration when the last
// one is spent; it reports false when nothing is due at or before limit,
// or the run stalled at one instant.
func (e *Engine) next(limit int64) bool {
	if e.instantWork >= maxInstantWork {
		e.stalled = true
		return false
	}
	if e.todo == 0 && !e.iterate(limit) {
		return false
	}
	h := e.ready.pop()
	e.todo--
	e.work++
	e.instantWork++
	e.run(h)
	return true
}

// Stalled reports whether the run stopped because its tasks kept virtual
// time at one instant for maxInstantWork handles, and that instant.
func (e *Engine) Stalled() (time.Duration, bool) {
	return time.Duration(e.now), e.stalled
}

// CPython's constants of BaseEventLoop._run_once: the heap is swept of
// cancelled timers when it holds more than _MIN_SCHEDULED_TIMER_HANDLES and
// more than _MIN_CANCELLED_TIMER_HANDLES_FRACTION of them are cancelled.
const (
	minScheduledTimerHandles        = 100
	minCancelledTimerHandlesDivisor = 2 // the fraction is 1/2
)

// iterate is the head of BaseEventLoop._run_once: drop cancelled timers,
// move the clock to the first timer if nothing is ready, and queue the timers
// now due behind the ready handles.
func (e *Engine) iterate(limit int64) bool {
	// cancelled/n > _MIN_CANCELLED_TIMER_HANDLES_FRACTION, in integers.
	if n := len(e.timers); n > minScheduledTimerHandles && e.cancelled*minCancelledTimerHandlesDivisor > n {
		live := e.timers[:0]
		for _, t := range e.timers {
			if e.timerCancelled(t) {
				e.unschedule(t)
			} else {
				live = append(live, t)
			}
		}
		clear(e.timers[len(live):])
		e.timers = live
		e.timers.heapify()
		e.cancelled = 0
	} else {
		// Every cancelled handle in the heap was counted when it was
		// cancelled, so with none counted there is nothing to look for.
		for e.cancelled > 0 && len(e.timers) > 0 && e.timerCancelled(e.timers[0]) {
			e.cancelled--
			e.unschedule(e.timers.pop())
		}
	}
	if e.ready.n == 0 {
		e.instantOver()
		if len(e.timers) == 0 || e.timers[0].when > limit {
			return false
		}
		e.setClock(e.timers[0].when)
	}
	for len(e.timers) > 0 && e.timers[0].when <= e.now {
		t := e.timers.pop()
		e.unschedule(t)
		e.ready.push(handle{task: t.task, op: t.op(), gen: t.gen()})
	}
	e.todo = e.ready.n
	return true
}

// setClock moves the virtual clock forward to t. The instant it leaves is
// over, so the tasks still waiting then make a queue that lasted: counting
// the queue only then leaves out requests granted within one instant, and a
// releaser that queues again before the waiter it woke has resumed.
func (e *Engine) setClock(t int64) {
	if t > e.now {
		e.maxQueue = max(e.maxQueue, e.waiting)
		e.now = t
		e.instantWork = 0
	}
}

// timerOf returns the task's handle state a timer belongs to.
func (e *Engine) timerOf(id int32, o op) *timerState {
	tk := &e.tasks[id]
	if o == opSleepTimer {
		return &tk.sleepT
	}
	return &tk.timeoutT
}

// unschedule clears _scheduled of a handle leaving the heap.
func (e *Engine) unschedule(t timer) {
	if ts := e.timerOf(t.task, t.op()); t.gen() == ts.gen {
		ts.inHeap = false
	}
}

func (e *Engine) timerCancelled(t timer) bool { return e.handleCancelled(t.task, t.op(), t.gen()) }

func (e *Engine) handleCancelled(id int32, o op, gen uint32) bool {
	ts := e.timerOf(id, o)
	return gen != ts.gen || ts.cancelled
}

// schedule is loop.call_at for one of the task's timers.
func (e *Engine) schedule(ts *timerState, id int32, o op, when int64) {
	ts.gen++
	ts.cancelled, ts.inHeap = false, true
	e.timers.push(timer{when: when, task: id, tag: timerTag(o, ts.gen)})
}

// cancelHandle is TimerHandle.cancel(): the handle stays in the heap,
// counted among the cancelled ones the loop sweeps.
func (e *Engine) cancelHandle(ts *timerState) {
	if !ts.cancelled && ts.inHeap {
		e.cancelled++
	}
	ts.cancelled = true
}

// run executes one ready handle.
func (e *Engine) run(h handle) {
	t := &e.tasks[h.task]
	switch h.op {
	case opStep:
		e.step(t)
	case opInnerStep:
		e.innerStep(t)
	case opReleaseWaiter:
		e.releaseWaiter(t, h.gen)
	case opSleepTimer:
		if e.handleCancelled(h.task, h.op, h.gen) || t.sleep != futPending {
			return
		}
		t.sleep = futDone
		if e.stepIsAllNext() {
			// The loop's next iteration would run this step alone: run it
			// now, counted as that iteration would count it.
			e.work++
			e.instantWork++
			e.step(t)
			return
		}
		e.soon(t.id, opStep)
	case opTimeoutTimer:
		if !e.handleCancelled(h.task, h.op, h.gen) {
			e.releaseWaiter(t, t.timeoutWaiter)
		}
	}
}

// stepIsAllNext reports whether a handle queued now would be all the next
// iteration of the loop runs, with nothing before it: this iteration is
// spent, nothing else is ready, no sweep is due, the first timer is neither
// cancelled nor due, and the instant has work left.
func (e *Engine) stepIsAllNext() bool {
	if e.todo != 0 || e.ready.n != 0 || e.instantWork >= maxInstantWork {
		return false
	}
	n := len(e.timers)
	if n == 0 {
		return true
	}
	if e.cancelled > 0 && (n > minScheduledTimerHandles && e.cancelled*minCancelledTimerHandlesDivisor > n || e.timerCancelled(e.timers[0])) {
		return false
	}
	return e.timers[0].when > e.now
}

// soon is loop.call_soon.
func (e *Engine) soon(id int32, o op) { e.ready.push(handle{task: id, op: o}) }

// releaseWaiter is tasks._release_waiter: complete waiter gen, if it is still
// the pending one, and so wake the task awaiting it.
func (e *Engine) releaseWaiter(t *task, gen uint32) {
	if gen == t.waiterGen && t.waiter == futPending {
		t.waiter = futDone
		e.soon(t.id, opStep)
	}
}

// after returns the time d from now; past the clock's range (292 years) it
// stays at the end of time instead of wrapping round.
func (e *Engine) after(d int64) int64 {
	if d > math.MaxInt64-e.now {
		return math.MaxInt64
	}
	return e.now + d
}

// wake schedules the coroutine awaiting lock l's future of task id, whose
// future the lock has just completed.
func (e *Engine) wake(id int32) {
	if id < 0 {
		return
	}
	if e.tasks[id].inner == innerLockWait {
		e.soon(id, opInnerStep)
	} else {
		e.soon(id, opStep)
	}
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

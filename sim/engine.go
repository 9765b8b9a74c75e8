// Package sim is lockviz's deterministic discrete-event engine.
//
// The engine is a small replica of CPython 3.11's asyncio event loop on a
// virtual clock: a FIFO ready queue, a heapq timer heap, futures reduced to
// their states, and each task's coroutine written out as a state machine whose
// suspension points are the ones asyncio has. Every task runs
//
//	await asyncio.sleep(start)            # when start > 0
//	for i in range(iterations):           # forever when iterations == 0
//	    await asyncio.sleep(think)        # when think > 0
//	    await lock.acquire()              # or asyncio.wait_for(lock.acquire(), timeout)
//	    try:
//	        await asyncio.sleep(hold)     # when hold > 0
//	    finally:
//	        lock.release()
//
// so the same scenario yields the same events, at the same virtual times and
// in the same order, as that program on a real asyncio loop. The engine has
// no wall clock, no goroutines and no global randomness: a seed fixes a run.
package sim

import (
	"math"
	"math/rand/v2"
	"time"

	"lockviz/lock"
)

// op is what a ready handle or a timer does when it runs.
type op uint8

const (
	opStep          op = iota // run the task's coroutine (its __step or __wakeup)
	opInnerStep               // run the inner task wait_for made for lock.acquire()
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

// pc is where a task's coroutine is suspended.
type pc uint8

const (
	pcCreated    pc = iota // first step not yet run
	pcStartSleep           // await asyncio.sleep(start)
	pcThinkSleep           // await asyncio.sleep(think)
	pcLockWait             // await fut inside lock.acquire()
	pcWaitFor              // await waiter inside wait_for
	pcCancelWait           // await waiter inside _cancel_and_wait
	pcHoldSleep            // await asyncio.sleep(hold)
	pcYield                // yielded after spinLimit iterations without sleeping
	pcEnded
)

// inner is the state of the task wait_for wraps around lock.acquire().
type inner uint8

const (
	innerNone      inner = iota
	innerCreated         // first step scheduled
	innerLockWait        // queued on the lock
	innerAcquired        // done, with the lock
	innerCancelled       // done, cancelled
)

// fut is the state of a future the engine tracks outside the lock.
type fut uint8

const (
	futPending fut = iota
	futDone
	futCancelled
)

type task struct {
	spec TaskSpec
	id   int32

	pc     pc
	inner  inner
	sleep  fut  // the future of the current asyncio.sleep
	waiter fut  // wait_for's waiter, then _cancel_and_wait's
	cb     bool // the inner task has a done-callback releasing the waiter
	// waiterGen numbers the waiter futures, so a callback meant for an old
	// one cannot complete the current one; timeoutWaiter is the one the
	// timeout timer releases.
	waiterGen, timeoutWaiter uint32
	mustCancel               bool // Task._must_cancel of the task
	innerMust                bool // Task._must_cancel of the inner task
	cancelling               bool // a CancelTask is on its way: raise CancelledError, not TimeoutError
	// sleepGen and timeoutGen tell the live timer handle from cancelled ones;
	// *Cancelled and *InHeap are that handle's _cancelled and _scheduled.
	sleepGen, timeoutGen          uint32
	sleepCancelled, timeoutCancel bool
	sleepInHeap, timeoutInHeap    bool
	think, hold, value            *rand.Rand
	phase                         Phase
	since                         int64 // when the phase began
	holdFor                       int64 // the hold drawn for the current acquisition
	requestAt                     int64
	iter                          int
	drawn                         int32   // the value to append
	snapshot                      version // list(shared) taken at acquire, written back at release
	snapped                       bool    // snapshot is live
	acquisitions, timeouts        int64
	waitSum, waitMax, lastTimeout int64
	waitGivenUp                   int64  // time spent in waits that timed out
	holderSeq                     int64  // orders holders by acquisition
	requestSeq                    int64  // orders waiters outside the lock's queue
	queuedMark                    uint32 // Engine.snapGen when a snapshot found it in the lock's queue
	cancelRequested               bool
}

// Engine runs one simulation. Its methods are not safe for concurrent use.
type Engine struct {
	cfg   Config
	lock  *lock.Lock
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
	waiting, holding       int
	maxQueue               int     // the most tasks waiting as an instant ended
	busy                   float64 // ∫ min(holders, permits)/permits dt, in ns
	busySince              int64
	shared                 sharedList
}

// New returns an engine at virtual time 0 with every task created, as
// asyncio.create_task would, in the order given.
func New(cfg Config) *Engine {
	e := &Engine{cfg: cfg, lock: lock.New(cfg.Policy, cfg.Permits), tasks: make([]task, 0, len(cfg.Tasks)), shared: newSharedList()}
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

// Policy returns the lock's current policy.
func (e *Engine) Policy() lock.Policy { return e.lock.Policy() }

// Permits returns how many tasks may hold the lock at once.
func (e *Engine) Permits() int { return e.lock.Permits() }

// Seed returns the seed the run started from.
func (e *Engine) Seed() uint64 { return e.cfg.Seed }

// TaskName returns the name of task id.
func (e *Engine) TaskName(id int32) string { return e.Spec(id).Name }

// NumTasks returns how many tasks were ever created, cancelled ones included.
func (e *Engine) NumTasks() int { return len(e.tasks) }

// Config returns the configuration a restart would use: the current policy
// and the current specs of the tasks that were not cancelled.
func (e *Engine) Config() Config {
	c := Config{Policy: e.lock.Policy(), Permits: e.cfg.Permits, Seed: e.cfg.Seed}
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
	if e.active > 0 {
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
		if !e.timerCancelled(t.task, t.op, t.gen) {
			return false
		}
	}
	return true
}

// next runs one ready handle, starting a new loop iteration when the last
// one is spent; it reports false when nothing is due at or before limit.
func (e *Engine) next(limit int64) bool {
	if e.todo == 0 && !e.iterate(limit) {
		return false
	}
	h := e.ready.pop()
	e.todo--
	e.work++
	e.run(h)
	return true
}

// iterate is the head of BaseEventLoop._run_once: drop cancelled timers,
// move the clock to the first timer if nothing is ready, and queue the timers
// now due behind the ready handles.
func (e *Engine) iterate(limit int64) bool {
	if n := len(e.timers); n > 100 && float64(e.cancelled)/float64(n) > 0.5 {
		live := e.timers[:0]
		for _, t := range e.timers {
			if e.timerCancelled(t.task, t.op, t.gen) {
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
		for len(e.timers) > 0 && e.timerCancelled(e.timers[0].task, e.timers[0].op, e.timers[0].gen) {
			e.cancelled--
			e.unschedule(e.timers.pop())
		}
	}
	if e.ready.n == 0 {
		if len(e.timers) == 0 || e.timers[0].when > limit {
			return false
		}
		e.setClock(e.timers[0].when)
	}
	for len(e.timers) > 0 && e.timers[0].when <= e.now {
		t := e.timers.pop()
		e.unschedule(t)
		e.ready.push(handle{task: t.task, op: t.op, gen: t.gen})
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
	}
}

// unschedule clears _scheduled of a handle leaving the heap.
func (e *Engine) unschedule(t timer) {
	tk := &e.tasks[t.task]
	switch {
	case t.op == opSleepTimer && t.gen == tk.sleepGen:
		tk.sleepInHeap = false
	case t.op == opTimeoutTimer && t.gen == tk.timeoutGen:
		tk.timeoutInHeap = false
	}
}

func (e *Engine) timerCancelled(id int32, o op, gen uint32) bool {
	t := &e.tasks[id]
	if o == opSleepTimer {
		return gen != t.sleepGen || t.sleepCancelled
	}
	return gen != t.timeoutGen || t.timeoutCancel
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
		if e.timerCancelled(h.task, h.op, h.gen) || t.sleep != futPending {
			return
		}
		t.sleep = futDone
		e.soon(t.id, opStep)
	case opTimeoutTimer:
		if !e.timerCancelled(h.task, h.op, h.gen) {
			e.releaseWaiter(t, t.timeoutWaiter)
		}
	}
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

// sleep is `await asyncio.sleep(d)` with d > 0.
func (e *Engine) sleep(t *task, d int64, at pc) {
	t.sleepGen++
	t.sleep, t.sleepCancelled, t.sleepInHeap = futPending, false, true
	e.timers.push(timer{when: e.after(d), task: t.id, op: opSleepTimer, gen: t.sleepGen})
	t.pc = at
}

// after returns the time d from now; past the clock's range (292 years) it
// stays at the end of time instead of wrapping round.
func (e *Engine) after(d int64) int64 {
	if d > math.MaxInt64-e.now {
		return math.MaxInt64
	}
	return e.now + d
}

// cancelSleepHandle is the `finally: h.cancel()` of asyncio.sleep, which
// matters only when the sleep ends early by cancellation.
func (e *Engine) cancelSleepHandle(t *task) {
	if !t.sleepCancelled && t.sleepInHeap {
		e.cancelled++
	}
	t.sleepCancelled = true
}

// cancelTimeoutHandle is wait_for's `finally: timeout_handle.cancel()`.
func (e *Engine) cancelTimeoutHandle(t *task) {
	if !t.timeoutCancel && t.timeoutInHeap {
		e.cancelled++
	}
	t.timeoutCancel = true
}

// wake schedules the coroutine awaiting the lock future of task id, whose
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

// step resumes the task's coroutine where it is suspended.
func (e *Engine) step(t *task) {
	throw := t.mustCancel
	t.mustCancel = false
	switch t.pc {
	case pcCreated:
		if throw {
			e.end(t, Gone)
			return
		}
		if t.spec.Start > 0 {
			e.sleep(t, int64(t.spec.Start), pcStartSleep)
			return
		}
		e.spawn(t)
	case pcStartSleep, pcThinkSleep:
		if throw || t.sleep == futCancelled {
			e.cancelSleepHandle(t)
			e.end(t, Gone)
			return
		}
		if t.pc == pcStartSleep {
			e.spawn(t)
		} else if e.request(t) && e.acquired(t) {
			e.loop(t)
		}
	case pcHoldSleep:
		if throw || t.sleep == futCancelled {
			e.cancelSleepHandle(t)
			e.release(t, false)
			e.end(t, Gone)
			return
		}
		e.release(t, true)
		e.loop(t)
	case pcLockWait:
		if throw || e.lockState(t) == lock.Cancelled {
			e.wake(e.lock.Abandon(t.id))
			e.end(t, Gone)
			return
		}
		ok, next := e.lock.Resume(t.id)
		e.wake(next)
		if ok && e.acquired(t) {
			e.loop(t)
		}
	case pcYield:
		if throw {
			e.end(t, Gone)
			return
		}
		e.loop(t)
	case pcWaitFor:
		e.waitForResumed(t, throw || t.waiter == futCancelled)
	case pcCancelWait:
		if throw || t.waiter == futCancelled {
			// CancelledError out of _cancel_and_wait and wait_for.
			t.cb = false
			e.cancelTimeoutHandle(t)
			e.end(t, Gone)
			return
		}
		t.cb = false
		e.cancelTimeoutHandle(t)
		if t.cancelling {
			e.end(t, Gone)
			return
		}
		e.timedOut(t)
	}
}

// waitForResumed is wait_for after `await waiter` returned or raised.
func (e *Engine) waitForResumed(t *task, cancelled bool) {
	// `if fut.done(): return fut.result()` on both paths.
	if t.inner == innerAcquired {
		// 3.11's wait_for returns the result even when the cancel came
		// first: the cancellation is swallowed and the task runs on, so
		// it may be cancelled again.
		t.cancelRequested, t.cancelling = false, false
		e.cancelTimeoutHandle(t)
		if e.acquired(t) {
			e.loop(t)
		}
		return
	}
	if cancelled {
		t.cancelling = true
	}
	// fut.remove_done_callback(cb); await _cancel_and_wait(fut)
	t.waiterGen++
	t.waiter, t.cb = futPending, true
	e.cancelInner(t)
	t.pc = pcCancelWait
}

// cancelInner is Task.cancel() on the inner task.
func (e *Engine) cancelInner(t *task) {
	if t.inner == innerLockWait && e.lock.Cancel(t.id) {
		e.soon(t.id, opInnerStep)
		return
	}
	t.innerMust = true
}

func (e *Engine) lockState(t *task) lock.State {
	st, _ := e.lock.StateOf(t.id)
	return st
}

// innerStep runs the inner task's coroutine, lock.acquire().
func (e *Engine) innerStep(t *task) {
	throw := t.innerMust
	t.innerMust = false
	switch t.inner {
	case innerCreated:
		if throw {
			e.innerDone(t, innerCancelled)
			return
		}
		if e.lock.TryAcquire() {
			e.innerDone(t, innerAcquired)
			return
		}
		e.lock.Enqueue(t.id)
		t.inner = innerLockWait
	case innerLockWait:
		if throw || e.lockState(t) == lock.Cancelled {
			e.wake(e.lock.Abandon(t.id))
			e.innerDone(t, innerCancelled)
			return
		}
		ok, next := e.lock.Resume(t.id)
		e.wake(next)
		if ok {
			e.innerDone(t, innerAcquired)
		}
	}
}

// innerDone completes the inner task and runs its done-callback, if any.
func (e *Engine) innerDone(t *task, s inner) {
	t.inner = s
	if t.cb {
		e.ready.push(handle{task: t.id, op: opReleaseWaiter, gen: t.waiterGen})
	}
}

func (e *Engine) spawn(t *task) {
	e.emit(t, Spawn, 0)
	e.setPhase(t, Thinking)
	e.loop(t)
}

// spinLimit bounds the iterations a task runs in one step without sleeping.
// With zero think and hold times and a free lock, asyncio would loop at one
// instant until the iterations run out, forever if they never do; lockviz
// follows it for this many, then yields to the loop (as asyncio.sleep(0)
// would) so that a live view keeps control.
const spinLimit = 10000

// loop runs the task's for loop from its top until the task suspends or ends.
func (e *Engine) loop(t *task) {
	for spins := 0; ; spins++ {
		if t.spec.Iterations > 0 && t.iter >= t.spec.Iterations {
			e.end(t, Finished)
			return
		}
		if spins == spinLimit {
			t.pc = pcYield
			e.soon(t.id, opStep)
			return
		}
		t.iter++
		e.work++
		if d := int64(t.spec.Think.Sample(t.think)); d > 0 {
			e.sleep(t, d, pcThinkSleep)
			return
		}
		if !e.request(t) || !e.acquired(t) {
			return
		}
	}
}

// request asks for the lock and reports whether it got it without
// suspending; the caller then runs acquired.
func (e *Engine) request(t *task) bool {
	e.emit(t, Request, 0)
	t.requestAt = e.now
	e.seq++
	t.requestSeq = e.seq
	e.setPhase(t, Waiting)
	if t.spec.Timeout == 0 {
		if e.lock.TryAcquire() {
			return true
		}
		e.lock.Enqueue(t.id)
		t.pc = pcLockWait
		return false
	}
	// wait_for(lock.acquire(), timeout)
	t.waiterGen++
	t.waiter, t.cb, t.cancelling, t.timeoutWaiter = futPending, true, false, t.waiterGen
	t.timeoutGen++
	t.timeoutCancel, t.timeoutInHeap = false, true
	e.timers.push(timer{when: e.after(int64(t.spec.Timeout)), task: t.id, op: opTimeoutTimer, gen: t.timeoutGen})
	t.inner, t.innerMust = innerCreated, false
	e.soon(t.id, opInnerStep)
	t.pc = pcWaitFor
	return false
}

// acquired starts a hold and reports whether it is already over (a zero
// hold), leaving the caller to go round the loop again.
func (e *Engine) acquired(t *task) bool {
	t.inner = innerNone
	e.emit(t, Acquired, 0)
	w := e.now - t.requestAt
	e.acquisitions++
	e.waits.add(w)
	e.waitSum += float64(w)
	e.waitMax = max(e.waitMax, w)
	t.acquisitions++
	t.waitSum += w
	t.waitMax = max(t.waitMax, w)
	e.seq++
	t.holderSeq = e.seq
	e.setPhase(t, Holding)
	t.holdFor = int64(t.spec.Hold.Sample(t.hold))
	if t.spec.Append {
		t.drawn = int32(1 + t.value.IntN(100))
		t.snapshot, t.snapped = e.shared.take(), true
	}
	if t.holdFor > 0 {
		e.sleep(t, t.holdFor, pcHoldSleep)
		return false
	}
	e.release(t, true)
	return true
}

// release ends a hold; a holder cancelled mid-hold releases without writing.
func (e *Engine) release(t *task, write bool) {
	if t.snapped {
		if write {
			e.shared.write(t.snapshot, SharedItem{Value: t.drawn, Task: t.id})
			e.emit(t, Append, t.drawn)
		}
		e.shared.drop(t.snapshot)
		t.snapped = false
	}
	e.wake(e.lock.Release())
	e.emit(t, Released, 0)
	e.setPhase(t, Thinking)
}

func (e *Engine) timedOut(t *task) {
	t.inner = innerNone
	e.emit(t, Timeout, 0)
	e.timeouts++
	t.timeouts++
	t.lastTimeout = e.now
	t.waitGivenUp += e.now - t.requestAt
	e.setPhase(t, Thinking)
	e.loop(t)
}

// end finishes the task's coroutine, done or cancelled. A task cancelled
// before its first step never runs its coroutine, so it logs nothing.
func (e *Engine) end(t *task, p Phase) {
	started := t.pc != pcCreated
	t.pc = pcEnded
	e.active--
	switch {
	case p == Finished:
		e.emit(t, Done, 0)
	case started:
		e.emit(t, Cancelled, 0)
	}
	e.setPhase(t, p)
}

// setPhase moves a task to phase p and keeps the queue and holder counts.
func (e *Engine) setPhase(t *task, p Phase) {
	switch t.phase {
	case Waiting:
		e.waiting--
	case Holding:
		e.accrue()
		e.holding--
	}
	switch p {
	case Waiting:
		e.waiting++
	case Holding:
		e.accrue()
		e.holding++
	}
	t.phase, t.since = p, e.now
}

// accrue adds the time since the last change of holders to the busy integral.
func (e *Engine) accrue() {
	if e.holding > 0 {
		p := e.lock.Permits()
		e.busy += float64(min(e.holding, p)) / float64(p) * float64(e.now-e.busySince)
	}
	e.busySince = e.now
}

func (e *Engine) emit(t *task, k EventKind, v int32) {
	e.events++
	if e.observer != nil {
		e.observer(Event{T: time.Duration(e.now), Task: t.id, Kind: k, Value: v})
	}
}

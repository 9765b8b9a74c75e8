package sim

import (
	"math"
	"time"
)

// This file is the event loop: BaseEventLoop._run_once of CPython 3.11 on
// integer nanoseconds, with its ready queue, its heapq of timers and their
// handles. The tasks' coroutines are in task.go.

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

// sweepDue reports whether the heap is due a sweep of its cancelled timers:
// cancelled/n > _MIN_CANCELLED_TIMER_HANDLES_FRACTION, in integers.
func (e *Engine) sweepDue() bool {
	n := len(e.timers)
	return n > minScheduledTimerHandles && e.cancelled*minCancelledTimerHandlesDivisor > n
}

// iterate is the head of BaseEventLoop._run_once: drop cancelled timers,
// move the clock to the first timer if nothing is ready, and queue the timers
// now due behind the ready handles.
func (e *Engine) iterate(limit int64) bool {
	if e.sweepDue() {
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
		e.ready.push(handle{task: t.task(), op: t.op(), gen: t.gen()})
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
	if ts := e.timerOf(t.task(), t.op()); t.gen() == ts.gen {
		ts.inHeap = false
	}
}

func (e *Engine) timerCancelled(t timer) bool { return e.handleCancelled(t.task(), t.op(), t.gen()) }

func (e *Engine) handleCancelled(id int32, o op, gen uint32) bool {
	ts := e.timerOf(id, o)
	return gen != ts.gen || ts.cancelled
}

// schedule is loop.call_at for one of the task's timers.
func (e *Engine) schedule(ts *timerState, id int32, o op, when int64) {
	// A timer keeps 31 bits of its generation (see timer): counted in
	// more, a task's 2³¹st timer would never match its own handle, and the
	// task would sleep forever.
	ts.gen = (ts.gen + 1) & maxTimerGen
	ts.cancelled, ts.inHeap = false, true
	e.timers.push(newTimer(when, id, o, ts.gen))
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
	if e.cancelled > 0 && (e.sweepDue() || e.timerCancelled(e.timers[0])) {
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

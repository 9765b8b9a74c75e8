package sim

import (
	"math"
	"slices"

	"lockviz/lock"
)

// pc is where a task's coroutine is suspended.
type pc uint8

const (
	pcCreated    pc = iota // first step not yet run
	pcRunning              // running its program, not suspended
	pcStartSleep           // await asyncio.sleep(start), before the program
	pcSleep                // await asyncio.sleep(d) in the program
	pcYield                // yielded: asyncio.sleep(0), or after spinLimit loop iterations
	pcLockWait             // await fut inside L.acquire()
	pcWaitFor              // await waiter inside wait_for
	pcCancelWait           // await waiter inside _cancel_and_wait
	pcEnded
)

// inner is the state of the task wait_for wraps around L.acquire().
type inner uint8

const (
	innerNone      inner = iota
	innerCreated         // first step scheduled
	innerLockWait        // queued on the lock
	innerAcquired        // done, with the lock
	innerCancelled       // done, cancelled
)

// The task's random streams, by purpose: each its own, fixed by the seed
// and the task's id, so that adding or changing a task leaves the others'
// draws alone.
const (
	streamThink  = iota // sleeps while holding no lock
	streamHold          // sleeps while holding a lock
	streamValue         // random.randint
	streamRandom        // random.random
	numStreams
)

type task struct {
	// What a step of a task touches comes first, in as few cache lines as
	// it can: a hundred tasks' states do not fit the first-level cache, and
	// the closed model spends much of its time waiting for them.
	id         int32
	pc         pc
	inner      inner
	sleep      fut // the future of the current asyncio.sleep
	waiter     fut // wait_for's waiter, then _cancel_and_wait's
	phase      Phase
	mustCancel bool  // Task._must_cancel of the task
	innerMust  bool  // Task._must_cancel of the inner task
	cb         bool  // the inner task has a done-callback releasing the waiter
	cancelling bool  // a CancelTask is on its way: raise CancelledError, not TimeoutError
	heldWaits  bool  // it held a lock when it began to wait: see Engine.heldWaiters
	line       int32 // the line running, for events
	waitFor    int32 // the lock requested, -1 when none
	spins      int32 // loop iterations begun since the last suspension
	sleepT     timerState

	// the interpreter
	stack []frame
	held  []int32 // the locks held, a lock once a permit, in acquisition order
	enter *Stmt   // the `async with` whose acquire is under way

	since        int64 // when the phase began
	holdFor      int64 // the current sleep's length while holding
	requestAt    int64
	requestSeq   int64 // orders waiters outside the lock's queue
	iter         int   // iterations of the program's top-level loop
	acquisitions int64
	waitSum      int64
	waitMax      int64
	rng          [numStreams]pcg

	prog *Program
	vars []value
	spec TaskSpec

	// waiterGen numbers the waiter futures, so a callback meant for an old
	// one cannot complete the current one; timeoutWaiter is the one the
	// timeout timer releases.
	waiterGen, timeoutWaiter uint32
	timeoutT                 timerState
	timeouts, lastTimeout    int64
	waitGivenUp              int64   // time spent in waits that timed out
	lineNs                   []int64 // time spent on each line of its program, when counted: see CountLines
	stepAt                   int64   // when its coroutine last ran
	queuedMark               uint32  // Engine.snapGen when a snapshot found it in a lock's queue
	deadMark                 uint32  // Engine.markGen when a deadlock search saw it
	cancelRequested          bool
	raised                   excKind // how the task ended, when by an exception
}

// value is a variable's value: a number, or a version of the shared list.
type value struct {
	num    float64
	list   version
	isList bool
	at     int64 // when the list was read
}

// frameKind says what a frame of the interpreter's stack runs.
type frameKind uint8

const (
	fSuite   frameKind = iota // a body that just runs: the program, an if's branch
	fFor                      // a for loop's body; left iterations to go
	fWhile                    // a while True loop's body
	fWith                     // an async with's body, holding lock
	fTry                      // a try's body
	fHandler                  // a try's except clause
	fFinally                  // a try's finally clause, with what to go on with after it
)

// frame is one level of the interpreter's stack: a body and the index of
// its next statement.
type frame struct {
	body    []Stmt
	stmt    *Stmt
	pc      int32
	left    int32
	lock    int32
	kind    frameKind
	pending unwind
}

// excKind is an exception the program can raise or meet.
type excKind uint8

const (
	excNone      excKind = iota
	excRuntime           // RuntimeError: raise, or a release of a lock not held
	excTimeout           // TimeoutError from wait_for
	excCancelled         // CancelledError from task.cancel()
)

// unwind is an abrupt exit from the statements running: an exception, a
// break or a continue, on its way up the stack.
type unwind struct {
	line int32 // where an exception was raised
	kind unwindKind
	exc  excKind
}

type unwindKind uint8

const (
	uNone unwindKind = iota
	uRaise
	uBreak
	uContinue
)

// spinLimit bounds the loop iterations a task runs in one step without
// suspending. With zero think and hold times and a free lock, asyncio would
// loop at one instant until the iterations run out, forever if they never
// do; lockviz follows it for this many, then yields to the loop (as
// asyncio.sleep(0) would) so that a live view keeps control.
const spinLimit = 10000

// AddTask creates a task as asyncio.create_task would: its first step runs
// at the current virtual time, after whatever is already ready.
func (e *Engine) AddTask(s TaskSpec) int32 {
	id := int32(len(e.tasks))
	prog := s.Code
	if prog == nil {
		// Tasks of one shape share their program: a hundred thousand
		// copies of a task must not compile it a hundred thousand times.
		key := shorthandKey{s.Iterations, s.Timeout, s.Append, s.Think, s.Hold}
		if prog = e.shorthands[key]; prog == nil {
			prog = shorthand(s)
			if e.shorthands == nil {
				e.shorthands = map[shorthandKey]*Program{}
			}
			e.shorthands[key] = prog
		}
	}
	t := task{spec: s, prog: prog, id: id, since: e.now, lastTimeout: -1, waitFor: -1,
		stack: carve(&e.frames, prog.depth())[:0]}
	if prog.Vars > 0 {
		t.vars = carve(&e.values, prog.Vars)
	}
	for i := range t.rng {
		t.rng[i] = stream(e.cfg.Seed, id, uint64(i))
	}
	e.tasks = append(e.tasks, t)
	if e.lineNs != nil {
		e.countLines(&e.tasks[id])
	}
	e.active++
	e.soon(id, opStep)
	return id
}

// carve cuts n elements from the free end of *slab, taking a new slab
// when it runs out: tasks' stacks and variables live as long as the engine,
// and a hundred thousand tasks need not be a hundred thousand allocations
// for the collector to scan one by one.
func carve[T any](slab *[]T, n int) []T {
	const chunk = 1024
	s := *slab
	if cap(s)-len(s) < n {
		s = make([]T, 0, max(n, chunk))
	}
	*slab = s[:len(s)+n]
	return s[len(s) : len(s)+n : len(s)+n]
}

func stream(seed uint64, id int32, purpose uint64) pcg {
	return newPCG(splitmix(seed), splitmix(uint64(id)<<2|purpose))
}

// splitmix spreads nearby seeds over the whole state space.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// step resumes the task's coroutine where it is suspended: a sleep, a lock
// wait or wait_for returned or raised.
func (e *Engine) step(t *task) {
	if e.lineNs != nil {
		// It was on t.line, suspended, since its last step: code runs in no
		// virtual time.
		t.lineNs[t.line] += e.now - t.stepAt
		t.stepAt = e.now
	}
	throw := t.mustCancel
	t.mustCancel = false
	t.spins = 0
	switch t.pc {
	case pcCreated:
		if throw {
			// A coroutine cancelled before it ran never runs: no event.
			e.end(t, unwind{kind: uRaise, exc: excCancelled})
			return
		}
		if t.spec.Start > 0 {
			e.sleepFor(t, int64(t.spec.Start), pcStartSleep)
			return
		}
		e.spawn(t)
	case pcStartSleep:
		if throw || t.sleep == futCancelled {
			e.cancelHandle(&t.sleepT)
			e.end(t, unwind{kind: uRaise, exc: excCancelled})
			return
		}
		e.spawn(t)
	case pcSleep:
		if throw || t.sleep == futCancelled {
			e.cancelHandle(&t.sleepT)
			e.raise(t, excCancelled)
			return
		}
		e.exec(t)
	case pcYield:
		if throw {
			e.raise(t, excCancelled)
			return
		}
		e.exec(t)
	case pcLockWait:
		l := e.locks[t.waitFor]
		if throw || e.lockState(t) == lock.Cancelled {
			e.wake(l.Abandon(t.id))
			e.requestEnded(t)
			e.raise(t, excCancelled)
			return
		}
		ok, next := l.Resume(t.id)
		e.wake(next)
		if ok {
			e.acquired(t)
			e.exec(t)
		}
	case pcWaitFor:
		e.waitForResumed(t, throw || t.waiter == futCancelled)
	case pcCancelWait:
		t.cb = false
		e.cancelHandle(&t.timeoutT)
		if throw || t.waiter == futCancelled || t.cancelling {
			// CancelledError out of _cancel_and_wait and wait_for.
			e.requestEnded(t)
			e.raise(t, excCancelled)
			return
		}
		e.timedOut(t)
	}
}

// spawn starts the program once the start delay is over.
func (e *Engine) spawn(t *task) {
	e.emit(t, Spawn, -1, 0)
	e.setPhase(t, Thinking)
	t.stack = t.stack[:0]
	t.push(fSuite, t.prog.Body)
	e.exec(t)
}

// exec runs the program from where it stands until it suspends or ends.
// The statements a loop iteration of the shorthand runs are handled here,
// without a call each: they are the engine's hottest path.
func (e *Engine) exec(t *task) {
	t.pc = pcRunning
	for t.pc == pcRunning {
		n := len(t.stack)
		if n == 0 {
			e.end(t, unwind{})
			return
		}
		f := &t.stack[n-1]
		if int(f.pc) >= len(f.body) {
			e.endOfBody(t, f)
			continue
		}
		s := &f.body[f.pc]
		f.pc++
		t.line = s.Line
		switch s.Kind {
		case SSleep:
			e.sleepStmt(t, s)
		case SWith:
			t.enter = s
			e.request(t, s.Lock, 0)
		case SAssign:
			e.assign(t, s.Var, e.eval(t, &s.X))
		default:
			e.stmt(t, s)
		}
	}
}

// sleepStmt is `await asyncio.sleep(X)`.
func (e *Engine) sleepStmt(t *task, s *Stmt) {
	d := e.duration(t, &s.X)
	switch {
	case d > 0:
		if len(t.held) > 0 {
			t.holdFor = d
		}
		e.sleepFor(t, d, pcSleep)
	case s.X.Kind != EDraw: // the shorthand sleeps only for a positive draw
		// asyncio.sleep(0) yields once, as a bare yield: __step again soon.
		t.pc = pcYield
		e.soon(t.id, opStep)
	}
}

// endOfBody leaves a body that ran to its end, or goes round a loop (or
// yields first, after spinLimit iterations without suspending).
func (e *Engine) endOfBody(t *task, f *frame) {
	switch f.kind {
	case fFor, fWhile:
		if f.kind == fFor && f.left == 0 {
			t.stack = t.stack[:len(t.stack)-1]
			return
		}
		if t.spins == spinLimit {
			t.pc = pcYield
			e.soon(t.id, opStep)
			return
		}
		t.spins++
		e.work++
		if len(t.stack) == 2 { // the program's top-level loop
			t.iter++
		}
		if f.kind == fFor {
			f.left--
		}
		f.pc = 0
	case fWith:
		l := f.lock
		t.line = f.stmt.Line
		t.stack = t.stack[:len(t.stack)-1]
		if u := e.exitWith(t, l); u.kind != uNone {
			e.unwind(t, u)
		}
	case fTry, fHandler:
		if fin := f.stmt.Finally; fin != nil {
			*f = frame{kind: fFinally, body: fin, stmt: f.stmt}
			return
		}
		t.stack = t.stack[:len(t.stack)-1]
	case fFinally:
		pending := f.pending
		t.stack = t.stack[:len(t.stack)-1]
		if pending.kind != uNone {
			e.unwind(t, pending)
		}
	default:
		t.stack = t.stack[:len(t.stack)-1]
	}
}

// push starts running body in a frame of kind k.
func (t *task) push(k frameKind, body []Stmt) *frame {
	n := len(t.stack)
	if n == cap(t.stack) {
		t.stack = append(t.stack, frame{})
	}
	t.stack = t.stack[:n+1]
	// Field by field: a frame built aside and copied in is read back
	// across the stores that built it, which the processor cannot forward.
	f := &t.stack[n]
	f.body, f.stmt, f.pc, f.left, f.lock, f.kind, f.pending = body, nil, 0, 0, 0, k, unwind{}
	return f
}

// stmt runs one statement; a suspension or the end of the task leaves
// t.pc other than pcRunning.
func (e *Engine) stmt(t *task, s *Stmt) {
	switch s.Kind {
	case SSleep:
		e.sleepStmt(t, s)
	case SAcquire, SWith:
		t.enter = nil
		if s.Kind == SWith {
			t.enter = s
		}
		e.request(t, s.Lock, 0)
	case SAcquireWithin:
		t.enter = nil
		e.request(t, s.Lock, max(e.duration(t, &s.X), 1))
	case SRelease:
		if !e.release(t, s.Lock) {
			e.unwind(t, unwind{kind: uRaise, exc: excRuntime, line: t.line}) // asyncio: "Lock is not acquired."
		}
	case SFor:
		f := t.push(fFor, s.Body)
		f.left, f.pc = int32(min(s.N, math.MaxInt32)), int32(len(s.Body)) // the head first; a range past 2³¹ would outlive any run
	case SWhile:
		f := t.push(fWhile, s.Body)
		f.pc = int32(len(s.Body))
	case STry:
		t.push(fTry, s.Body).stmt = s
	case SIf:
		if e.eval(t, &s.X).num != 0 {
			t.push(fSuite, s.Body)
		} else if len(s.Else) > 0 {
			t.push(fSuite, s.Else)
		}
	case SBreak:
		e.unwind(t, unwind{kind: uBreak})
	case SContinue:
		e.unwind(t, unwind{kind: uContinue})
	case SRaise:
		e.unwind(t, unwind{kind: uRaise, exc: excRuntime, line: t.line})
	case SAppend:
		e.write(t, value{list: e.shared.head, at: e.now}, e.eval(t, &s.X))
	case SAssign:
		e.assign(t, s.Var, e.eval(t, &s.X))
	case SWriteBack:
		if v := t.vars[s.Var]; v.isList {
			e.write(t, v, e.eval(t, &s.X))
		} else {
			e.unwind(t, unwind{kind: uRaise, exc: excRuntime, line: t.line}) // TypeError in Python: a number + a list
		}
	}
}

// write is shared[:] = base + [x], and logs the append.
func (e *Engine) write(t *task, base value, x value) {
	v := int32(x.num)
	e.overwrote = e.overwrote[:0]
	if base.list != e.shared.head {
		e.overwrote = e.shared.lost(e.overwrote, base.list)
		e.readAt = base.at
	}
	e.shared.write(base.list, SharedItem{Value: v, Task: t.id})
	e.emit(t, Append, -1, v)
}

// assign sets variable i, letting go of a list it held.
func (e *Engine) assign(t *task, i int32, v value) {
	if old := t.vars[i]; old.isList {
		e.shared.drop(old.list)
	}
	t.vars[i] = v
}

// eval computes an expression. Draws come from the task's own streams: a
// sleep's from its hold stream while it holds a lock and from its think
// stream otherwise, randint's from its value stream.
func (e *Engine) eval(t *task, x *Expr) value {
	switch x.Kind {
	case EConst:
		return value{num: x.A}
	case ERandInt:
		return e.drew(t, x.A+float64(t.rng[streamValue].int64n(int64(x.B-x.A)+1)))
	case ERandom:
		return e.drew(t, t.rng[streamRandom].float64())
	case EExpovariate, EUniform:
		return value{num: float64(e.draw(t, x)) / 1e9}
	case ELess:
		if e.eval(t, &x.Args[0]).num < e.eval(t, &x.Args[1]).num {
			return value{num: 1}
		}
		return value{}
	case EVarRef:
		return t.vars[x.Var]
	case ESnapshot:
		return value{list: e.shared.take(), isList: true, at: e.now}
	}
	return value{}
}

// sleepStream is the stream a sleep's draw comes from now.
func (t *task) sleepStream() int {
	if len(t.held) > 0 {
		return streamHold
	}
	return streamThink
}

// duration evaluates a sleep's or a timeout's length in nanoseconds: the
// shorthand's draws as they always were, the code's seconds rounded to the
// nanosecond, within the longest a scenario may give.
func (e *Engine) duration(t *task, x *Expr) int64 {
	switch x.Kind {
	case EDraw:
		d := t.spec.Think
		if x.Var == drawHold {
			d = t.spec.Hold
		}
		return int64(d.sample(&t.rng[t.sleepStream()]))
	case ENanos:
		return x.Ns
	case EExpovariate, EUniform:
		return e.draw(t, x)
	}
	s := e.eval(t, x).num
	if !(s > 0) {
		return 0
	}
	return int64(math.Round(min(s*1e9, float64(MaxDuration))))
}

// drew passes a number the program drew to the tests' hook.
func (e *Engine) drew(t *task, v float64) value {
	if e.drawHook != nil {
		e.drawHook(t.id, v)
	}
	return value{num: v}
}

// draw draws random.expovariate or random.uniform, in nanoseconds, as the
// shorthand draws exp: and uniform: durations: uniform over whole
// nanoseconds from A to B seconds, so that uniform(0.1, 1.0) draws what
// uniform:100ms-1s does.
func (e *Engine) draw(t *task, x *Expr) int64 {
	r := &t.rng[t.sleepStream()]
	var d int64
	if x.Kind == EExpovariate {
		d = int64(roundUp(min(r.expFloat64()/x.A*1e9, float64(MaxDuration))))
	} else {
		a := int64(math.Round(min(x.A*1e9, float64(MaxDuration))))
		b := int64(math.Round(min(x.B*1e9, float64(MaxDuration))))
		d = a + r.int64n(b-a+1)
	}
	e.drew(t, float64(d))
	return d
}

// sleepFor is `await asyncio.sleep(d)` with d > 0.
func (e *Engine) sleepFor(t *task, d int64, at pc) {
	t.sleep = futPending
	e.schedule(&t.sleepT, t.id, opSleepTimer, e.after(d))
	t.pc = at
}

// request asks for lock l: L.acquire(), or wait_for(L.acquire(), timeout)
// when timeout > 0. A task that gets the lock at once runs on.
func (e *Engine) request(t *task, l int32, timeout int64) {
	t.waitFor = l
	e.emit(t, Request, l, 0)
	t.requestAt = e.now
	e.seq++
	t.requestSeq = e.seq
	e.setPhase(t, Waiting)
	lk := e.locks[l]
	if timeout == 0 {
		if lk.TryAcquire() {
			e.acquired(t)
			return
		}
		lk.Enqueue(t.id)
		t.pc = pcLockWait
		e.newWaiters = append(e.newWaiters, t.id)
		return
	}
	// wait_for(L.acquire(), timeout)
	t.waiterGen++
	t.waiter, t.cb, t.cancelling, t.timeoutWaiter = futPending, true, false, t.waiterGen
	e.schedule(&t.timeoutT, t.id, opTimeoutTimer, e.after(timeout))
	t.inner, t.innerMust = innerCreated, false
	e.soon(t.id, opInnerStep)
	t.pc = pcWaitFor
}

// requestEnded ends a request that did not get the lock.
func (e *Engine) requestEnded(t *task) {
	t.inner = innerNone
	t.waitFor = -1
	t.enter = nil
}

// waitForResumed is wait_for after `await waiter` returned or raised.
func (e *Engine) waitForResumed(t *task, cancelled bool) {
	// `if fut.done(): return fut.result()` on both paths.
	if t.inner == innerAcquired {
		// 3.11's wait_for returns the result even when the cancel came
		// first: the cancellation is swallowed and the task runs on, so
		// it may be cancelled again.
		t.cancelRequested, t.cancelling = false, false
		e.cancelHandle(&t.timeoutT)
		e.acquired(t)
		e.exec(t)
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
	if t.inner == innerLockWait && e.locks[t.waitFor].Cancel(t.id) {
		e.soon(t.id, opInnerStep)
		return
	}
	t.innerMust = true
}

func (e *Engine) lockState(t *task) lock.State {
	st, _ := e.locks[t.waitFor].StateOf(t.id)
	return st
}

// innerStep runs the inner task's coroutine, L.acquire().
func (e *Engine) innerStep(t *task) {
	throw := t.innerMust
	t.innerMust = false
	l := e.locks[t.waitFor]
	switch t.inner {
	case innerCreated:
		if throw {
			e.innerDone(t, innerCancelled)
			return
		}
		if l.TryAcquire() {
			e.innerDone(t, innerAcquired)
			return
		}
		l.Enqueue(t.id)
		t.inner = innerLockWait
		e.newWaiters = append(e.newWaiters, t.id)
	case innerLockWait:
		if throw || e.lockState(t) == lock.Cancelled {
			e.wake(l.Abandon(t.id))
			e.innerDone(t, innerCancelled)
			return
		}
		ok, next := l.Resume(t.id)
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

// acquired records that the task got the lock it requested; an `async
// with` under way then runs its body.
func (e *Engine) acquired(t *task) {
	l := t.waitFor
	t.inner, t.waitFor = innerNone, -1
	e.emit(t, Acquired, l, 0)
	w := e.now - t.requestAt
	e.acquisitions++
	e.waits.add(w)
	e.waitSum += float64(w)
	e.waitMax = max(e.waitMax, w)
	t.acquisitions++
	t.waitSum += w
	t.waitMax = max(t.waitMax, w)
	e.seq++
	e.accrue()
	e.lockHeld[l]++
	t.held = append(t.held, l)
	e.holders[l] = append(e.holders[l], t.id)
	t.holdFor = 0
	e.setPhase(t, Holding)
	if s := t.enter; s != nil {
		t.enter = nil
		f := t.push(fWith, s.Body)
		f.lock, f.stmt = l, s
	}
}

// release is L.release() by the task, and reports false when it raises
// RuntimeError. asyncio's locks have no owner: a release by a task that
// does not hold the lock frees it all the same (a fifo or barging lock's
// holder loses its hold and runs on; a semaphore gains a permit; no lock
// does nothing), and only a lock that nobody holds raises.
func (e *Engine) release(t *task, l int32) bool {
	holder := t
	if !slices.Contains(t.held, l) {
		lk := e.locks[l]
		switch lk.Policy() {
		case lock.FIFO, lock.Barging:
			if lk.Held() == 0 || len(e.holders[l]) == 0 {
				return false // "Lock is not acquired."
			}
			holder = &e.tasks[e.holders[l][0]]
		case lock.Semaphore:
			e.accrue()
			e.wake(lk.Release())
			e.emit(t, Released, l, 0)
			return true
		default:
			e.emit(t, Released, l, 0)
			return true
		}
	}
	if hs := e.holders[l]; len(hs) == 1 && len(holder.held) == 1 {
		// The common case: one holder, holding one lock.
		holder.held, e.holders[l] = holder.held[:0], hs[:0]
	} else {
		i := slices.Index(holder.held, l)
		holder.held = append(holder.held[:i], holder.held[i+1:]...)
		j := slices.Index(hs, holder.id)
		e.holders[l] = append(hs[:j], hs[j+1:]...)
	}
	e.accrue()
	e.lockHeld[l]--
	e.wake(e.locks[l].Release())
	e.emit(t, Released, l, 0)
	if holder.phase == Holding {
		e.setPhase(holder, holder.restPhase())
	}
	return true
}

// exitWith is an `async with`'s __aexit__: release the lock, which raises
// when the body released it already.
func (e *Engine) exitWith(t *task, l int32) unwind {
	if !e.release(t, l) {
		return unwind{kind: uRaise, exc: excRuntime, line: t.line}
	}
	return unwind{}
}

// restPhase is the phase of a running task: holding while it holds a lock.
func (t *task) restPhase() Phase {
	if len(t.held) > 0 {
		return Holding
	}
	return Thinking
}

// timedOut is wait_for raising TimeoutError into the program.
func (e *Engine) timedOut(t *task) {
	l := t.waitFor
	e.requestEnded(t)
	e.emit(t, Timeout, l, 0)
	e.timeouts++
	t.timeouts++
	t.lastTimeout = e.now
	t.waitGivenUp += e.now - t.requestAt
	e.raise(t, excTimeout)
}

// raise raises exc into the program where it is suspended, and runs on
// from where it is caught or a finally clause starts.
func (e *Engine) raise(t *task, exc excKind) {
	if t.phase == Waiting {
		e.setPhase(t, t.restPhase())
	}
	t.pc = pcRunning
	e.unwind(t, unwind{kind: uRaise, exc: exc, line: t.line})
	if t.pc == pcRunning {
		e.exec(t)
	}
}

// unwind carries an exception, a break or a continue up the stack: `async
// with` releases its lock, a matching except clause catches, a finally
// clause runs first, a loop takes its break or continue. An exception that
// leaves the program ends the task.
func (e *Engine) unwind(t *task, u unwind) {
	for len(t.stack) > 0 {
		f := &t.stack[len(t.stack)-1]
		switch f.kind {
		case fFor, fWhile:
			switch u.kind {
			case uBreak:
				t.stack = t.stack[:len(t.stack)-1]
				return
			case uContinue:
				f.pc = int32(len(f.body))
				return
			}
		case fWith:
			l := f.lock
			t.line = f.stmt.Line
			t.stack = t.stack[:len(t.stack)-1]
			if nu := e.exitWith(t, l); nu.kind != uNone {
				u = nu
			}
			continue
		case fTry:
			if u.kind == uRaise && u.exc == excTimeout && f.stmt.HasHandler {
				*f = frame{kind: fHandler, body: f.stmt.Handler, stmt: f.stmt}
				return
			}
			if fin := f.stmt.Finally; fin != nil {
				*f = frame{kind: fFinally, body: fin, stmt: f.stmt, pending: u}
				return
			}
		case fHandler:
			if fin := f.stmt.Finally; fin != nil {
				*f = frame{kind: fFinally, body: fin, stmt: f.stmt, pending: u}
				return
			}
		}
		t.stack = t.stack[:len(t.stack)-1]
	}
	e.end(t, u)
}

// end finishes the task's coroutine: done, cancelled or raised. Locks it
// still holds stay held, as asyncio's would: leaked.
func (e *Engine) end(t *task, u unwind) {
	started := t.pc != pcCreated
	t.pc = pcEnded
	t.stack = t.stack[:0]
	if u.kind == uRaise {
		t.line = u.line
	}
	e.recordLeaks(t)
	e.active--
	for i := range t.vars {
		e.assign(t, int32(i), value{})
	}
	p := Finished
	switch {
	case u.kind == uRaise && u.exc == excCancelled:
		p = Gone
		if started {
			e.emit(t, Cancelled, -1, 0)
		}
	case u.kind == uRaise:
		t.raised = u.exc
		e.emit(t, Raised, -1, 0)
	case !started:
		p = Gone
	default:
		e.emit(t, Done, -1, 0)
	}
	e.setPhase(t, p)
}

// setPhase moves a task to phase p and keeps the queue and holder counts.
func (e *Engine) setPhase(t *task, p Phase) {
	switch t.phase {
	case Waiting:
		e.waiting--
		if t.heldWaits {
			t.heldWaits = false
			e.heldWaiters--
		}
	case Holding:
		e.holding--
	}
	switch p {
	case Waiting:
		e.waiting++
		if len(t.held) > 0 {
			t.heldWaits = true
			e.heldWaiters++
		}
	case Holding:
		e.holding++
	}
	t.phase, t.since = p, e.now
}

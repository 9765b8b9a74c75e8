package sim

import (
	"cmp"
	"slices"
	"time"

	"lockviz/lock"
)

// CancelTask is task.cancel(): a sleeping task wakes with CancelledError, so
// a holder releases the lock and a waiter leaves the queue, at the current
// virtual time. It reports false for an unknown task, one that ended, and one
// whose cancellation is already on its way.
func (e *Engine) CancelTask(id int32) bool {
	if !e.valid(id) {
		return false
	}
	t := &e.tasks[id]
	if t.pc == pcEnded || t.cancelRequested {
		return false
	}
	t.cancelRequested = true
	switch t.pc {
	case pcStartSleep, pcSleep:
		if t.sleep == futPending {
			t.sleep = futCancelled
			e.soon(id, opStep)
			return true
		}
	case pcLockWait:
		if e.locks[t.waitFor].Cancel(id) {
			e.soon(id, opStep)
			return true
		}
	case pcWaitFor, pcCancelWait:
		if t.waiter == futPending {
			t.waiter = futCancelled
			e.soon(id, opStep)
			return true
		}
	}
	// The task is already scheduled to run: it raises when it does.
	t.mustCancel = true
	return true
}

// valid reports whether id names a task: commands with any other id do
// nothing, so a view holding an id from before a restart cannot crash.
func (e *Engine) valid(id int32) bool { return id >= 0 && int(id) < len(e.tasks) }

// SetHold changes a task's hold time from its next acquisition on.
func (e *Engine) SetHold(id int32, d Dist) {
	if e.valid(id) {
		e.tasks[id].spec.Hold = d
	}
}

// SetThink changes a task's think time from its next think on.
func (e *Engine) SetThink(id int32, d Dist) {
	if e.valid(id) {
		e.tasks[id].spec.Think = d
	}
}

// Running reports whether task id exists and has not ended.
func (e *Engine) Running(id int32) bool { return e.valid(id) && e.tasks[id].pc != pcEnded }

// Spec returns task id's current spec, or a zero spec for an unknown id.
func (e *Engine) Spec(id int32) TaskSpec {
	if !e.valid(id) {
		return TaskSpec{}
	}
	return e.tasks[id].spec
}

// SetPolicy switches every lock in place: holders keep it, waiters keep
// their places, and the waiters the new policy admits at once are woken.
func (e *Engine) SetPolicy(p lock.Policy, permits int) {
	e.accrue()
	e.cfg.Permits = permits
	for i, l := range e.locks {
		l.SetPolicy(p, permits, e.wake)
		if i < len(e.cfg.Locks) {
			e.cfg.Locks[i].Permits = permits
		}
	}
}

// TaskView is one task as a snapshot shows it.
type TaskView struct {
	ID           int32
	Spec         TaskSpec
	Phase        Phase
	Since        time.Duration // when the phase began
	HoldFor      time.Duration // the current sleep's length, while holding
	Iteration    int           // iterations of its program's top-level loop
	Acquisitions int64
	Timeouts     int64
	WaitTotal    time.Duration // waits that ended in an acquisition
	WaitGivenUp  time.Duration // waits that ended in a timeout
	WaitMax      time.Duration
	LastTimeout  time.Duration // -1 when it never timed out
	WaitingOn    int32         // the lock it waits for, -1 for none
	Holds        uint64        // the locks it holds, a bit each (the first 64)
	Line         int32         // the line of its code it is on, or ended on
	Raised       bool          // it ended by an exception it did not catch
	Code         *Program      // what it runs: its code, or its shorthand's program
}

// LockView is one lock as a snapshot shows it.
type LockView struct {
	Name    string
	Policy  lock.Policy
	Permits int
	Holders []int32 // earliest acquisition first
	Queue   []int32 // waiters, head first
}

// Stats are the run's statistics so far.
type Stats struct {
	Acquisitions int64
	Throughput   float64 // acquisitions per virtual second
	Utilization  float64 // time-average fraction of permits held, over the locks
	WaitMean     time.Duration
	WaitP50      time.Duration
	WaitP95      time.Duration
	WaitP99      time.Duration
	WaitMax      time.Duration
	Queue        int           // tasks waiting now
	LongestWait  time.Duration // the longest wait going on now
	LongestTask  int32         // who waits longest now, -1 when nobody waits
	MaxQueue     int           // the most tasks waiting at once, as each instant ended
	Fairness     float64       // Jain's index over the tasks' acquisitions
	Timeouts     int64
	Appends      int64
	Length       int64
	LostUpdates  int64
}

// Snapshot is what a view needs of the engine at one instant. Policy,
// Permits, Holders and Queue are the first lock's.
type Snapshot struct {
	Now      time.Duration
	Policy   lock.Policy
	Permits  int
	Finished bool
	Tasks    []TaskView   // every task ever created, by id
	Locks    []LockView   // every lock, in the scenario's order
	Holders  []int32      // holders, earliest acquisition first
	Queue    []int32      // waiters, head first
	Shared   []SharedItem // the newest values of the shared list, oldest first
	Stats    Stats
	Deadlock *Deadlock // the first deadlock of the run, nil when none formed
	Leaks    []Leak    // locks tasks ended holding
	Stalled  bool      // the tasks kept virtual time at one instant: the run stopped
}

// SharedShown is how many of the shared list's newest values a snapshot carries.
const SharedShown = 64

// Snapshot fills s, reusing its slices.
func (e *Engine) Snapshot(s *Snapshot) {
	s.Now, s.Finished = time.Duration(e.now), e.Finished()
	s.Tasks = s.Tasks[:0]
	if cap(s.Tasks) < len(e.tasks) {
		// At its size at once: grown by append, a hundred thousand
		// tasks' views are copied over and over.
		s.Tasks = make([]TaskView, 0, len(e.tasks))
	}
	if cap(s.Locks) < len(e.locks) {
		s.Locks = make([]LockView, len(e.locks))
	}
	s.Locks = s.Locks[:len(e.locks)]
	for i, l := range e.locks {
		v := &s.Locks[i]
		v.Name, v.Policy, v.Permits = e.names[i], l.Policy(), l.Permits()
		v.Holders, v.Queue = v.Holders[:0], v.Queue[:0]
	}
	for i := range e.tasks {
		t := &e.tasks[i]
		tv := TaskView{
			ID: t.id, Spec: t.spec, Phase: t.phase, Since: time.Duration(t.since),
			HoldFor: time.Duration(t.holdFor), Iteration: t.iter,
			Acquisitions: t.acquisitions, Timeouts: t.timeouts,
			WaitTotal: time.Duration(t.waitSum), WaitMax: time.Duration(t.waitMax),
			WaitGivenUp: time.Duration(t.waitGivenUp),
			LastTimeout: time.Duration(t.lastTimeout), WaitingOn: -1,
			Line: t.line, Raised: t.raised != excNone, Code: t.prog,
		}
		if t.phase == Waiting {
			tv.WaitingOn = t.waitFor
		}
		for _, l := range t.held {
			if l < 64 {
				tv.Holds |= 1 << l
			}
		}
		s.Tasks = append(s.Tasks, tv)
	}
	for i := range s.Locks {
		v := &s.Locks[i]
		v.Holders = append(v.Holders, e.holders[i]...)
		v.Queue = e.queueOrder(v.Queue, int32(i))
	}
	s.Policy, s.Permits = s.Locks[0].Policy, s.Locks[0].Permits
	s.Holders, s.Queue = s.Locks[0].Holders, s.Locks[0].Queue
	s.Shared = e.shared.newest(s.Shared[:0], SharedShown)
	s.Stats = e.Stats()
	s.Deadlock, s.Leaks, s.Stalled = e.deadlock, e.leaks, e.stalled
}

// Stats returns the statistics at the current virtual time.
func (e *Engine) Stats() Stats {
	st := Stats{
		Acquisitions: e.acquisitions,
		WaitP50:      time.Duration(e.waits.quantile(0.50)),
		WaitP95:      time.Duration(e.waits.quantile(0.95)),
		WaitP99:      time.Duration(e.waits.quantile(0.99)),
		WaitMax:      time.Duration(e.waitMax),
		Queue:        e.waiting,
		MaxQueue:     max(e.maxQueue, e.waiting),
		Timeouts:     e.timeouts,
		Appends:      e.shared.appends,
		Length:       e.shared.Len(),
		LostUpdates:  e.shared.appends - e.shared.Len(),
	}
	if e.acquisitions > 0 {
		st.WaitMean = time.Duration(e.waitSum / float64(e.acquisitions))
	}
	if e.now > 0 {
		e.accrue()
		st.Throughput = float64(e.acquisitions) / time.Duration(e.now).Seconds()
		var busy float64
		for _, b := range e.busy {
			busy += b
		}
		st.Utilization = busy / float64(len(e.busy)) / float64(e.now)
	}
	st.Fairness = e.fairness()
	st.LongestTask = -1
	if e.waiting > 0 {
		for i := range e.tasks {
			t := &e.tasks[i]
			if t.phase == Waiting && (st.LongestTask < 0 || t.requestAt < e.tasks[st.LongestTask].requestAt) {
				st.LongestTask = t.id
			}
		}
		st.LongestWait = time.Duration(e.now - e.tasks[st.LongestTask].requestAt)
	}
	return st
}

// queueOrder appends lock l's waiters to dst, head first: those in its
// queue in its order, then the few between their request and their entry
// into the queue (a wait_for's inner task not yet run) in request order.
// It costs one pass over the tasks and one over the queue.
func (e *Engine) queueOrder(dst []int32, l int32) []int32 {
	e.snapGen++
	if e.snapGen == 0 {
		// Wrapped: a mark set 2³² calls ago would pass for this one's.
		for i := range e.tasks {
			e.tasks[i].queuedMark = 0
		}
		e.snapGen = 1
	}
	lk := e.locks[l]
	for i := 0; i < lk.Len(); i++ {
		t := &e.tasks[lk.Waiter(i).ID]
		if t.phase == Waiting && t.waitFor == l && t.queuedMark != e.snapGen {
			t.queuedMark = e.snapGen
			dst = append(dst, t.id)
		}
	}
	queued := len(dst)
	for i := range e.tasks {
		if t := &e.tasks[i]; t.phase == Waiting && t.waitFor == l && t.queuedMark != e.snapGen {
			dst = append(dst, t.id)
		}
	}
	slices.SortFunc(dst[queued:], func(a, b int32) int { return cmp.Compare(e.tasks[a].requestSeq, e.tasks[b].requestSeq) })
	return dst
}

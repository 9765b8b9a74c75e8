package sim

import (
	"slices"
	"time"

	"lockviz/lock"
)

// Deadlock is a set of tasks each waiting on a lock whose every holder is in
// the set: none of them can go on unless a timeout or a cancel breaks in.
type Deadlock struct {
	At    time.Duration // when it formed
	Tasks []int32       // the tasks in it, by id
	Locks []int32       // the locks they wait on
	// Cycle is task, lock, task, lock, …: each task waits on the lock after
	// it, which the task after that holds; the last lock is held by the
	// first task.
	Cycle []int32
}

// Leak is a lock a task still held when it ended: nothing will release it.
type Leak struct {
	At   time.Duration
	Lock int32
	Task int32
	Line int32 // the line the task ended on
}

// Deadlock returns the first deadlock of the run, nil when none formed.
// One that a timeout or a cancel broke later is still the one returned.
func (e *Engine) Deadlock() *Deadlock { return e.deadlock }

// Leaks returns the locks tasks ended holding, in the order they ended.
func (e *Engine) Leaks() []Leak { return e.leaks }

// Stranded returns the tasks waiting now on a lock that a task that ended
// still holds: they wait forever.
func (e *Engine) Stranded() []int32 {
	var out []int32
	for i := range e.tasks {
		t := &e.tasks[i]
		if t.phase == Waiting && t.waitFor >= 0 && e.leakedLock(t.waitFor) {
			out = append(out, t.id)
		}
	}
	return out
}

// leakedLock reports whether a task that ended holds lock l.
func (e *Engine) leakedLock(l int32) bool {
	for _, k := range e.leaks {
		if k.Lock == l {
			return true
		}
	}
	return false
}

// recordLeaks notes the locks a task that ends still holds.
func (e *Engine) recordLeaks(t *task) {
	for _, l := range t.held {
		e.leaks = append(e.leaks, Leak{At: time.Duration(e.now), Lock: l, Task: t.id, Line: t.line})
	}
}

// instantOver runs when an instant's work is done, before the clock moves
// on: the first time a deadlock stands then, it is recorded. A deadlock
// that formed in this instant holds a task that began to wait in it, and
// then all the tasks that task's wait leads to (the holders of its lock,
// the holders of theirs …) are in it too, all blocked: so only the new
// waiters' closures are looked at, which end at the first holder that is
// not waiting, at once in a run without a deadlock.
func (e *Engine) instantOver() {
	waiters := e.newWaiters
	e.newWaiters = e.newWaiters[:0]
	if e.deadlock != nil || e.heldWaiters == 0 {
		return
	}
	for _, id := range waiters {
		if !e.holdersWait(id) {
			continue // the common case: a holder of its lock is running
		}
		if set := e.closure(id); set != nil {
			e.deadlock = e.describe(set)
			return
		}
	}
}

// holdersWait reports whether every holder of the lock task id waits for is
// itself waiting: without that, no deadlock can hold the task.
func (e *Engine) holdersWait(id int32) bool {
	t := &e.tasks[id]
	if t.phase != Waiting || t.waitFor < 0 {
		return false
	}
	hs := e.holders[t.waitFor]
	for _, h := range hs {
		if e.tasks[h].phase != Waiting {
			return false
		}
	}
	return len(hs) > 0
}

// closure returns the tasks task id's wait leads to, id first, when they
// are all blocked waiters: a deadlock. It returns nil otherwise.
func (e *Engine) closure(id int32) []int32 {
	e.markGen++
	if e.markGen == 0 {
		// Wrapped: a mark set 2³² searches ago would pass for this
		// search's, and the search would skip a holder it has not seen.
		for i := range e.tasks {
			e.tasks[i].deadMark = 0
		}
		e.markGen = 1
	}
	set := []int32{id}
	for i := 0; i < len(set); i++ {
		t := &e.tasks[set[i]]
		if t.phase != Waiting || t.waitFor < 0 || !e.blocked(t) {
			return nil
		}
		t.deadMark = e.markGen
		hs := e.holders[t.waitFor]
		if len(hs) == 0 {
			return nil
		}
		for _, h := range hs {
			if e.tasks[h].deadMark != e.markGen {
				e.tasks[h].deadMark = e.markGen
				set = append(set, h)
			}
		}
	}
	return set
}

// describe names a deadlock: its tasks, its locks and a cycle, found by
// following from the first task what it waits on to a holder in the set.
func (e *Engine) describe(set []int32) *Deadlock {
	d := &Deadlock{At: time.Duration(e.now), Tasks: slices.Sorted(slices.Values(set))}
	for _, id := range set {
		if l := e.tasks[id].waitFor; !slices.Contains(d.Locks, l) {
			d.Locks = append(d.Locks, l)
		}
	}
	slices.Sort(d.Locks)
	seen := map[int32]int{}
	for id := set[0]; ; {
		if at, ok := seen[id]; ok {
			d.Cycle = d.Cycle[at:]
			break
		}
		seen[id] = len(d.Cycle)
		l := e.tasks[id].waitFor
		d.Cycle = append(d.Cycle, id, l)
		id = e.holders[l][0]
	}
	// Start the cycle at its first task by id, so it reads the same
	// whichever wait closed it.
	first := 0
	for i := 0; i < len(d.Cycle); i += 2 {
		if d.Cycle[i] < d.Cycle[first] {
			first = i
		}
	}
	d.Cycle = append(d.Cycle[first:], d.Cycle[:first]...)
	return d
}

// blocked reports whether waiter t's future is still pending: a woken
// waiter is on its way to the lock.
func (e *Engine) blocked(t *task) bool {
	st, queued := e.locks[t.waitFor].StateOf(t.id)
	return queued && st == lock.Pending
}

package lock

import "slices"

// State is the state of a waiter's future.
type State uint8

// A waiter's future is pending until a release completes it (Woken) or its
// task is cancelled first (Cancelled). Either way the entry stays queued until
// the waiter's own coroutine runs again and removes it, as in asyncio.
const (
	Pending State = iota
	Woken
	Cancelled
)

// Waiter is one queued request: the caller's id and its future's state.
type Waiter struct {
	ID    int32
	State State
}

// Lock is one lock primitive. The zero value is not usable; call New.
//
// asyncio keeps `_locked` (Lock) or `_value` (Semaphore) as a field; here both
// are derived from the number of permits held and of woken waiters, which
// keeps them consistent when the policy or the permits change at run time:
// a fifo lock is locked while held > 0, and a semaphore's value is
// permits - held - woken.
type Lock struct {
	policy  Policy
	permits int
	held    int
	woken   int
	q       ring
}

// New returns a free lock of the given policy. permits matters only for Semaphore.
func New(p Policy, permits int) *Lock {
	return &Lock{policy: p, permits: max(permits, 1)}
}

// Policy returns the lock's policy.
func (l *Lock) Policy() Policy { return l.policy }

// Permits returns how many holders the lock admits at once (1 but for a semaphore).
func (l *Lock) Permits() int {
	if l.policy == Semaphore {
		return l.permits
	}
	return 1
}

// Held returns how many permits are held.
func (l *Lock) Held() int { return l.held }

// Len returns how many entries are queued, whatever their state.
func (l *Lock) Len() int { return l.q.n }

// StateOf returns the state of id's queued future, and false when id is not queued.
func (l *Lock) StateOf(id int32) (State, bool) {
	if i := l.q.find(id); i >= 0 {
		return l.q.at(i).State, true
	}
	return Pending, false
}

// Waiter returns the i-th queued entry, head first.
func (l *Lock) Waiter(i int) Waiter { return l.q.at(i) }

func (l *Lock) value() int { return l.permits - l.held - l.woken }

// TryAcquire is the fast path of acquire(): it takes a permit without queueing
// when the primitive allows it, and reports whether it did.
func (l *Lock) TryAcquire() bool {
	ok := false
	switch l.policy {
	case FIFO:
		// asyncio.Lock: free and every queued future cancelled.
		ok = l.held == 0 && l.q.all(Cancelled)
	case Semaphore:
		// asyncio.Semaphore.locked(): value 0 or any waiter not cancelled.
		ok = l.value() > 0 && l.q.all(Cancelled)
	case Barging:
		ok = l.held == 0
	case None:
		ok = true
	}
	if ok {
		l.held++
	}
	return ok
}

// Enqueue appends a pending waiter; call it after TryAcquire failed.
func (l *Lock) Enqueue(id int32) { l.q.push(Waiter{ID: id}) }

// Release gives back one permit and returns the waiter whose future it
// completed, or -1.
func (l *Lock) Release() int32 {
	l.held--
	switch l.policy {
	case FIFO, Barging:
		if l.held == 0 {
			return l.wakeFirst()
		}
	case Semaphore:
		return l.wakeNext()
	}
	return -1
}

// Resume runs a woken waiter's continuation after `await fut` returned. It
// reports whether the waiter now holds a permit (a barging waiter can find
// the lock taken and wait again in its place) and which waiter it woke in
// turn (a semaphore with permits left wakes the next), or -1.
func (l *Lock) Resume(id int32) (acquired bool, wake int32) {
	i := l.q.index(id)
	if l.policy == Barging && l.held > 0 {
		// Lost to a task that requested while this one was being woken.
		l.q.set(i, Pending)
		l.woken--
		return false, -1
	}
	l.q.remove(i)
	l.woken--
	l.held++
	if l.policy == Semaphore && l.value() > 0 {
		return true, l.wakeNext()
	}
	return true, -1
}

// Cancel is fut.cancel() on a waiter's future: it marks a pending future
// cancelled and reports true, or reports false when the future was already
// woken.
func (l *Lock) Cancel(id int32) bool {
	i := l.q.index(id)
	if l.q.at(i).State != Pending {
		return false
	}
	l.q.set(i, Cancelled)
	return true
}

// Abandon is acquire()'s `except CancelledError` clause: the waiter leaves the
// queue, passing on a wake-up it can no longer use. It returns the waiter
// woken in its place, or -1.
func (l *Lock) Abandon(id int32) int32 {
	i := l.q.index(id)
	st := l.q.at(i).State
	l.q.remove(i)
	if st == Woken {
		l.woken--
	}
	switch l.policy {
	case FIFO, Barging:
		if l.held == 0 {
			return l.wakeFirst()
		}
	case Semaphore:
		if st == Woken {
			return l.wakeNext()
		}
	}
	return -1
}

// SetPolicy switches the primitive in place: holders keep their permits and
// waiters keep their places. It calls wake for each waiter the new policy
// lets through at once.
func (l *Lock) SetPolicy(p Policy, permits int, wake func(int32)) {
	l.policy, l.permits = p, max(permits, 1)
	for {
		var id int32 = -1
		switch p {
		case FIFO, Barging:
			if l.held == 0 && l.woken == 0 {
				id = l.wakeFirst()
			}
		case Semaphore:
			id = l.wakeNext()
		case None:
			id = l.wakeAny()
		}
		if id < 0 {
			return
		}
		wake(id)
	}
}

// wakeFirst completes the head's future if it is pending (asyncio.Lock._wake_up_first).
func (l *Lock) wakeFirst() int32 {
	if l.q.n == 0 || l.q.at(0).State != Pending {
		return -1
	}
	l.q.set(0, Woken)
	l.woken++
	return l.q.at(0).ID
}

// wakeNext completes the first pending future if a permit is free
// (asyncio.Semaphore._wake_up_next, which releases are sure to satisfy).
func (l *Lock) wakeNext() int32 {
	if l.value() <= 0 {
		return -1
	}
	return l.wakeAny()
}

func (l *Lock) wakeAny() int32 {
	for i := 0; i < l.q.n; i++ {
		if l.q.at(i).State == Pending {
			l.q.set(i, Woken)
			l.woken++
			return l.q.at(i).ID
		}
	}
	return -1
}

// Clone returns an independent copy of l, for a checkpoint of a run.
func (l *Lock) Clone() *Lock {
	c := *l
	c.q.buf = slices.Clone(l.q.buf)
	return &c
}

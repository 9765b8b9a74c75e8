package lock

import (
	"slices"
	"testing"
)

// queue lists the waiters' ids and states, head first.
func queue(l *Lock) []Waiter {
	var out []Waiter
	for i := range l.Len() {
		out = append(out, l.Waiter(i))
	}
	return out
}

func TestLock(t *testing.T) {
	type step struct {
		op   string // try, enqueue, release, resume, cancel, abandon
		id   int32
		want int32 // try/cancel/resume: 1 = true; release/abandon: id woken
	}
	cases := []struct {
		name    string
		policy  Policy
		permits int
		steps   []step
		held    int
		queue   []Waiter
	}{
		{name: "fifo: free lock is taken without queueing", policy: FIFO,
			steps: []step{{"try", 1, 1}, {"try", 2, 0}, {"enqueue", 2, 0}}, held: 1, queue: []Waiter{{2, Pending}}},
		{name: "fifo: release wakes the head, which keeps its place until it resumes", policy: FIFO,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"enqueue", 3, 0}, {"release", 0, 2}},
			held:  0, queue: []Waiter{{2, Woken}, {3, Pending}}},
		{name: "fifo: releaser queues behind the woken waiter (no barging)", policy: FIFO,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"release", 0, 2}, {"try", 1, 0}, {"enqueue", 1, 0}, {"resume", 2, 1}},
			held:  1, queue: []Waiter{{1, Pending}}},
		{name: "fifo: a queue of cancelled futures does not block the fast path", policy: FIFO,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"cancel", 2, 1}, {"release", 0, -1}, {"try", 3, 1}},
			held:  1, queue: []Waiter{{2, Cancelled}}},
		{name: "fifo: a woken waiter that is cancelled passes the wake-up on", policy: FIFO,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"enqueue", 3, 0}, {"release", 0, 2}, {"cancel", 2, 0}, {"abandon", 2, 3}},
			held:  0, queue: []Waiter{{3, Woken}}},
		{name: "fifo: release wakes nobody past a cancelled head; its abandon wakes the next", policy: FIFO,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"enqueue", 3, 0}, {"cancel", 2, 1}, {"release", 0, -1}, {"abandon", 2, 3}},
			held:  0, queue: []Waiter{{3, Woken}}},
		{name: "semaphore: permits, then FIFO", policy: Semaphore, permits: 2,
			steps: []step{{"try", 1, 1}, {"try", 2, 1}, {"try", 3, 0}, {"enqueue", 3, 0}, {"release", 0, 3}, {"resume", 3, 1}},
			held:  2},
		{name: "semaphore: release wakes the first pending waiter, past cancelled ones", policy: Semaphore, permits: 1,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"enqueue", 3, 0}, {"cancel", 2, 1}, {"release", 0, 3}},
			held:  0, queue: []Waiter{{2, Cancelled}, {3, Woken}}},
		{name: "semaphore: a woken waiter that is cancelled gives its permit to the next", policy: Semaphore, permits: 1,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"enqueue", 3, 0}, {"release", 0, 2}, {"abandon", 2, 3}},
			held:  0, queue: []Waiter{{3, Woken}}},
		{name: "barging: a running task takes a freed lock before the woken waiter", policy: Barging,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"release", 0, 2}, {"try", 1, 1}, {"resume", 2, 0}},
			held:  1, queue: []Waiter{{2, Pending}}},
		{name: "barging: the waiter that lost waits again at the head", policy: Barging,
			steps: []step{{"try", 1, 1}, {"enqueue", 2, 0}, {"enqueue", 3, 0}, {"release", 0, 2}, {"try", 1, 1}, {"resume", 2, 0}, {"release", 0, 2}, {"resume", 2, 1}},
			held:  1, queue: []Waiter{{3, Pending}}},
		{name: "none: everyone holds at once", policy: None,
			steps: []step{{"try", 1, 1}, {"try", 2, 1}, {"try", 3, 1}, {"release", 0, -1}}, held: 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := New(c.policy, c.permits)
			for i, s := range c.steps {
				var got int32
				switch s.op {
				case "try":
					got = b2i(l.TryAcquire())
				case "enqueue":
					l.Enqueue(s.id)
				case "release":
					got = l.Release()
				case "resume":
					ok, _ := l.Resume(s.id)
					got = b2i(ok)
				case "cancel":
					got = b2i(l.Cancel(s.id))
				case "abandon":
					got = l.Abandon(s.id)
				}
				if got != s.want {
					t.Fatalf("step %d %s(%d) = %d, want %d", i, s.op, s.id, got, s.want)
				}
			}
			if l.Held() != c.held {
				t.Errorf("held = %d, want %d", l.Held(), c.held)
			}
			if q := queue(l); !slices.Equal(q, c.queue) {
				t.Errorf("queue = %v, want %v", q, c.queue)
			}
		})
	}
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func TestSetPolicyWakesWaitersForNewPermits(t *testing.T) {
	l := New(Semaphore, 1)
	l.TryAcquire()
	l.Enqueue(2)
	l.Enqueue(3)
	l.SetPolicy(Semaphore, 3, func(int32) {})
	// Two permits came free: both waiters are woken at once.
	if q := queue(l); !slices.Equal(q, []Waiter{{2, Woken}, {3, Woken}}) {
		t.Fatalf("queue = %v", q)
	}
}

func TestSetPolicyWakesWhomTheNewPolicyAdmits(t *testing.T) {
	l := New(FIFO, 1)
	l.TryAcquire()
	for id := int32(2); id <= 4; id++ {
		l.Enqueue(id)
	}
	var woken []int32
	l.SetPolicy(None, 1, func(id int32) { woken = append(woken, id) })
	if !slices.Equal(woken, []int32{2, 3, 4}) {
		t.Fatalf("none should admit every waiter, woke %v", woken)
	}
	for _, id := range woken {
		if ok, _ := l.Resume(id); !ok {
			t.Fatalf("waiter %d not admitted", id)
		}
	}
	if l.Held() != 4 {
		t.Fatalf("held = %d, want 4", l.Held())
	}
}

func TestParsePolicy(t *testing.T) {
	for _, p := range Policies {
		got, err := ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p, got, err)
		}
	}
	_, err := ParsePolicy("mutex")
	if err == nil || err.Error() != `unknown policy "mutex" (valid: fifo, semaphore, barging, none)` {
		t.Errorf("error = %v", err)
	}
	if FIFO.Counterpart() != "asyncio.Lock" || None.Next() != FIFO {
		t.Error("counterpart or cycling wrong")
	}
}

package lock

// ring is the waiters' deque: a growable ring buffer, since the head leaves
// far more often than any other entry.
type ring struct {
	buf  []Waiter
	head int
	n    int
}

func (r *ring) slot(i int) int { return (r.head + i) & (len(r.buf) - 1) }

func (r *ring) at(i int) Waiter { return r.buf[r.slot(i)] }

func (r *ring) set(i int, s State) { r.buf[r.slot(i)].State = s }

func (r *ring) push(w Waiter) {
	if r.n == len(r.buf) {
		grown := make([]Waiter, max(8, 2*len(r.buf)))
		for i := 0; i < r.n; i++ {
			grown[i] = r.at(i)
		}
		r.buf, r.head = grown, 0
	}
	r.buf[r.slot(r.n)] = w
	r.n++
}

// find returns the place of a queued id, or -1.
func (r *ring) find(id int32) int {
	for i := 0; i < r.n; i++ {
		if r.at(i).ID == id {
			return i
		}
	}
	return -1
}

// index finds a queued id; the engine only asks for ids it queued.
func (r *ring) index(id int32) int {
	if i := r.find(id); i >= 0 {
		return i
	}
	panic("lock: waiter not queued")
}

// remove deletes entry i, shifting the shorter side of the ring.
func (r *ring) remove(i int) {
	if i < r.n/2 {
		for j := i; j > 0; j-- {
			r.buf[r.slot(j)] = r.at(j - 1)
		}
		r.head = r.slot(1)
	} else {
		for j := i; j < r.n-1; j++ {
			r.buf[r.slot(j)] = r.at(j + 1)
		}
	}
	r.n--
}

// all reports whether every entry is in state s (true when empty).
func (r *ring) all(s State) bool {
	for i := 0; i < r.n; i++ {
		if r.at(i).State != s {
			return false
		}
	}
	return true
}

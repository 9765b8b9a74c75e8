package timeline

// ring keeps the newest entries of a stream, oldest first, in a buffer that
// grows to exactly its cap and then overwrites its oldest entry, so memory is
// bounded and never overshoots the bound.
type ring[T any] struct {
	buf  []T
	head int // index of the oldest entry once the buffer is full
	cap  int
}

func newRing[T any](cap int) ring[T] { return ring[T]{cap: max(cap, 1)} }

// push appends x and returns the entry it overwrote, if any.
func (r *ring[T]) push(x T) (old T, dropped bool) {
	if len(r.buf) < r.cap {
		if len(r.buf) == cap(r.buf) {
			grown := make([]T, len(r.buf), min(max(2*len(r.buf), 16), r.cap))
			copy(grown, r.buf)
			r.buf = grown
		}
		r.buf = append(r.buf, x)
		return old, false
	}
	old = r.buf[r.head]
	r.buf[r.head] = x
	r.head = (r.head + 1) % r.cap
	return old, true
}

func (r *ring[T]) len() int { return len(r.buf) }

// at returns the i-th entry, oldest first.
func (r *ring[T]) at(i int) T {
	if len(r.buf) < r.cap {
		return r.buf[i]
	}
	return r.buf[(r.head+i)%r.cap]
}

// setLast replaces the newest entry.
func (r *ring[T]) setLast(x T) {
	if len(r.buf) < r.cap {
		r.buf[len(r.buf)-1] = x
		return
	}
	r.buf[(r.head+r.cap-1)%r.cap] = x
}

// last returns the newest entry, if any.
func (r *ring[T]) last() (T, bool) {
	if len(r.buf) == 0 {
		var zero T
		return zero, false
	}
	return r.at(len(r.buf) - 1), true
}

// search returns the index of the first entry for which after holds; after
// must be false for a prefix of the entries and true for the rest.
func (r *ring[T]) search(after func(T) bool) int {
	lo, hi := 0, len(r.buf)
	for lo < hi {
		mid := (lo + hi) / 2
		if after(r.at(mid)) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

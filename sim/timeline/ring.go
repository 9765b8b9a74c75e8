package timeline

import "math/bits"

// ring keeps the newest entries of a stream, oldest first, in a buffer that
// grows to exactly its cap and then overwrites its oldest entry, so memory is
// bounded and never overshoots the bound. The cap is a power of two, so that
// finding an entry is a mask, not a division.
type ring[T any] struct {
	buf  []T
	head int // index of the oldest entry once the buffer is full
	cap  int
}

// newRing returns a ring of at most limit entries: the power of two at or
// below it.
func newRing[T any](limit int) ring[T] {
	return ring[T]{cap: 1 << (bits.Len(uint(max(limit, 1))) - 1)}
}

// push appends x and returns the entry it overwrote, if any.
func (r *ring[T]) push(x T) (old T, dropped bool) {
	if n := len(r.buf); n < r.cap {
		if n == cap(r.buf) {
			r.grow()
		}
		r.buf = append(r.buf, x)
		return old, false
	}
	old = r.buf[r.head]
	r.buf[r.head] = x
	r.head = (r.head + 1) & (r.cap - 1)
	return old, true
}

// grow doubles the buffer, up to exactly the cap.
func (r *ring[T]) grow() {
	grown := make([]T, len(r.buf), min(max(2*len(r.buf), 16), r.cap))
	copy(grown, r.buf)
	r.buf = grown
}

func (r *ring[T]) len() int { return len(r.buf) }

// at returns the i-th entry, oldest first.
func (r *ring[T]) at(i int) T {
	if len(r.buf) < r.cap {
		return r.buf[i]
	}
	return r.buf[(r.head+i)&(r.cap-1)]
}

// setLast replaces the newest entry.
func (r *ring[T]) setLast(x T) {
	if len(r.buf) < r.cap {
		r.buf[len(r.buf)-1] = x
		return
	}
	r.buf[(r.head+r.cap-1)&(r.cap-1)] = x
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

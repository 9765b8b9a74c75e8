package sim

// timer is a pending call_later: a sleep's wake-up or a wait_for timeout.
// gen tells a live handle from the cancelled ones a task left behind.
type timer struct {
	when int64
	task int32
	op   op
	gen  uint32
}

// The timer heap repeats CPython's heapq step for step, comparing `when`
// alone as asyncio's TimerHandle does. heapq is not stable: four or more
// timers due at the same instant come out in an order fixed by the heap's
// shape, not by scheduling order, and lockviz reproduces that order so that
// its traces match asyncio's event for event.
type timerHeap []timer

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	h.siftDown(0, len(*h)-1)
}

func (h *timerHeap) pop() timer {
	s := *h
	last := s[len(s)-1]
	s = s[:len(s)-1]
	*h = s
	if len(s) == 0 {
		return last
	}
	top := s[0]
	s[0] = last
	h.siftUp(0)
	return top
}

// heapify is heapq.heapify.
func (h timerHeap) heapify() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.siftUp(i)
	}
}

// siftDown is heapq._siftdown: move the item at pos up towards startpos.
func (h timerHeap) siftDown(startpos, pos int) {
	item := h[pos]
	for pos > startpos {
		parent := (pos - 1) >> 1
		if item.when < h[parent].when {
			h[pos] = h[parent]
			pos = parent
			continue
		}
		break
	}
	h[pos] = item
}

// siftUp is heapq._siftup: sink the item at pos to a leaf along the smaller
// children (the right one on ties), then sift it back up.
func (h timerHeap) siftUp(pos int) {
	end := len(h)
	start := pos
	item := h[pos]
	child := 2*pos + 1
	for child < end {
		right := child + 1
		if right < end && !(h[child].when < h[right].when) {
			child = right
		}
		h[pos] = h[child]
		pos = child
		child = 2*pos + 1
	}
	h[pos] = item
	h.siftDown(start, pos)
}

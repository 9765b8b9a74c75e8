package sim

// timer is a pending call_later: a sleep's wake-up or a wait_for timeout.
// tag packs its generation, which tells a live handle from the cancelled
// ones a task left behind, and whether it is the timeout's, into one word,
// so that a timer is 16 bytes and a heap line holds four.
type timer struct {
	when int64
	task int32
	tag  uint32
}

func timerTag(o op, gen uint32) uint32 {
	if o == opTimeoutTimer {
		return gen<<1 | 1
	}
	return gen << 1
}

func (t timer) op() op {
	if t.tag&1 != 0 {
		return opTimeoutTimer
	}
	return opSleepTimer
}

func (t timer) gen() uint32 { return t.tag >> 1 }

// The timer heap repeats CPython's heapq step for step, comparing `when`
// alone as asyncio's TimerHandle does. heapq is not stable: four or more
// timers due at the same instant come out in an order fixed by the heap's
// shape, not by scheduling order, and lockviz reproduces that order so that
// its traces match asyncio's event for event.
type timerHeap []timer

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	// t itself, not the slot just written: read back at once, a slot
	// written field by field would wait for the stores to land.
	h.place(0, len(*h)-1, t)
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
func (h timerHeap) siftDown(startpos, pos int) { h.place(startpos, pos, h[pos]) }

// place is siftDown of item, which is the item at pos.
func (h timerHeap) place(startpos, pos int, item timer) {
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
	for child+1 < end {
		// The right child on ties, as heapq; chosen by arithmetic, not a
		// branch the processor would mispredict half the time.
		child += b2i(h[child+1].when <= h[child].when)
		h[pos] = h[child]
		pos = child
		child = 2*pos + 1
	}
	if child < end {
		h[pos] = h[child]
		pos = child
	}
	h[pos] = item
	h.siftDown(start, pos)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

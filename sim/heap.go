package sim

import "unsafe"

// timer is a pending call_later: a sleep's wake-up or a wait_for timeout,
// 16 bytes, so that a heap line holds four. Its second word packs the task
// (low half) with a tag (high half): the timer's generation, which tells a
// live handle from the cancelled ones a task left behind, and whether it
// is the timeout's. One word, not two halves: the heap moves timers word
// by word, and a word written as two halves and read back soon after
// cannot be forwarded from the processor's store buffer (about 1% at
// N=100).
type timer struct {
	when int64
	id   uint64
}

// maxTimerGen is the largest generation a timer holds.
const maxTimerGen = 1<<31 - 1

func newTimer(when int64, task int32, o op, gen uint32) timer {
	tag := gen << 1
	if o == opTimeoutTimer {
		tag |= 1
	}
	return timer{when: when, id: uint64(tag)<<32 | uint64(uint32(task))}
}

func (t timer) task() int32 { return int32(uint32(t.id)) }

func (t timer) op() op {
	if t.id&(1<<32) != 0 {
		return opTimeoutTimer
	}
	return opSleepTimer
}

func (t timer) gen() uint32 { return uint32(t.id>>32) >> 1 }

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
	s.siftUp(0, last)
	return top
}

// heapify is heapq.heapify.
func (h timerHeap) heapify() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.siftUp(i, h[i])
	}
}

// place is heapq._siftdown of item, which belongs at pos: move it up
// towards startpos past the parents whose when is greater.
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

// siftUp is heapq._siftup: sink item, which belongs at pos, to a leaf along
// the smaller children (the right one on ties), then sift it back up. The
// item comes as an argument, not written at pos and read back: pop would
// read it across the stores that wrote it, which the processor cannot
// forward.
//
// The sink is the engine's hottest loop (a quarter of an acquisition at
// N=100), so a level is kept to a few instructions: the loop walks byte
// offsets, so no index is scaled; the pick is the sign of the children's
// difference, neither a branch (mispredicted half the time) nor a SETcc
// (the compiler keeps conditional moves out of addresses); and the next
// pair's offset is one AND and a LEA from it. The loop's condition keeps
// both children inside the array, so it needs no bounds checks.
func (h timerHeap) siftUp(pos int, item timer) {
	const size = int(unsafe.Sizeof(timer{}))
	end := len(h) * size
	base := unsafe.Pointer(unsafe.SliceData(h))
	at := pos * size
	child := 2*at + size
	for child+size < end {
		l := (*timer)(unsafe.Add(base, child)).when
		r := (*timer)(unsafe.Add(base, child+size)).when
		// The picked child's first child: the right child's, or the left's
		// when the left is the smaller (the right wins ties, as in heapq).
		// when is never negative, so l-r cannot overflow.
		next := 2*child + 3*size + int((l-r)>>63)&(-2*size)
		pick := (next - size) >> 1
		*(*timer)(unsafe.Add(base, at)) = *(*timer)(unsafe.Add(base, pick))
		at, child = pick, next
	}
	if child < end {
		*(*timer)(unsafe.Add(base, at)) = *(*timer)(unsafe.Add(base, child))
		at = child
	}
	h.place(pos, at/size, item)
}

package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// heapqPop is heapq.heappop as CPython writes it, with its branches: the
// order the engine's heap must keep, ties included.
func heapqPop(h *[]timer) timer {
	s := *h
	last := s[len(s)-1]
	s = s[:len(s)-1]
	*h = s
	if len(s) == 0 {
		return last
	}
	top := s[0]
	s[0] = last
	pos, end := 0, len(s)
	child := 1
	for child < end {
		if right := child + 1; right < end && !(s[child].when < s[right].when) {
			child = right
		}
		s[pos] = s[child]
		pos = child
		child = 2*pos + 1
	}
	heapqSiftdown(s, pos, last)
	return top
}

// heapqSiftdown is heapq._siftdown from startpos 0: item, at pos, moves up
// past the parents whose when is greater.
func heapqSiftdown(s []timer, pos int, item timer) {
	for pos > 0 {
		parent := (pos - 1) >> 1
		if item.when < s[parent].when {
			s[pos] = s[parent]
			pos = parent
			continue
		}
		break
	}
	s[pos] = item
}

// heapqPush is heapq.heappush: append, then _siftdown.
func heapqPush(h *[]timer, tm timer) {
	*h = append(*h, tm)
	heapqSiftdown(*h, len(*h)-1, tm)
}

// TestHeapIsHeapq pushes and pops timers with many ties into the engine's
// heap and into heapq's, at sizes from one to a few hundred, and requires
// the same timer at every pop and the same array after every operation.
// Every fourth round draws its whens from the ends of the clock's range,
// where a difference of two whens is largest.
func TestHeapIsHeapq(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for round := range 200 {
		var got timerHeap
		var want []timer
		size := 1 + r.IntN(300)
		spread := 1 + r.IntN(20) // few distinct whens: ties everywhere
		for i := range 5000 {
			if len(want) < size && (len(want) == 0 || r.IntN(2) == 0) {
				tm := newTimer(int64(r.IntN(spread))+int64(i/50), int32(i), opSleepTimer, uint32(i))
				if round%4 == 0 {
					tm.when = []int64{0, 1, math.MaxInt64 - 1, math.MaxInt64}[r.IntN(4)]
				}
				got.push(tm)
				heapqPush(&want, tm)
			} else if g, w := got.pop(), heapqPop(&want); g != w {
				t.Fatalf("round %d, op %d: popped %+v, heapq pops %+v", round, i, g, w)
			}
			for k := range want {
				if got[k] != want[k] {
					t.Fatalf("round %d, op %d: the heaps differ at %d", round, i, k)
				}
			}
		}
	}
}

// BenchmarkHeap times a pop and a push on a heap the size of the N=100
// closed model's, with whens drawn as its think times: the two operations
// an acquisition makes twice.
func BenchmarkHeap(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	draws := make([]int64, 4096)
	for i := range draws {
		draws[i] = int64(r.ExpFloat64() * float64(time.Second))
	}
	var h timerHeap
	for i := range 95 {
		h.push(newTimer(draws[i], int32(i), opSleepTimer, 0))
	}
	b.ResetTimer()
	for i := range b.N {
		t := h.pop()
		h.push(newTimer(t.when+draws[i&(len(draws)-1)], t.task(), opSleepTimer, 0))
	}
}

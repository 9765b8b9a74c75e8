package sim

import "math/bits"

// histogram counts durations in log-linear buckets (256 per power of two,
// under 0.4% wide; exact below 512ns) and keeps the largest value seen in
// each, so percentiles cost constant memory however long the run, and are
// exact whenever a bucket holds one distinct value, as fixed hold times give.
type histogram struct {
	buckets [histBuckets]bucket
	n       int64
}

// bucket keeps its count beside its largest value: one cache line an add.
type bucket struct{ count, max int64 }

const (
	histExact   = 512 // values below are their own bucket
	histOctave  = 256 // buckets per power of two above
	histBuckets = histExact + 54*histOctave
)

func bucketOf(v int64) int {
	if v < histExact {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - 9
	top := int(v >> shift) // 256..511
	return histExact + (shift-1)*histOctave + top - histOctave
}

func (h *histogram) add(v int64) {
	b := bucketOf(v)
	k := &h.buckets[b]
	k.count++
	k.max = max(k.max, v)
	h.n++
}

// quantile returns the nearest-rank q-quantile, 0 when empty.
func (h *histogram) quantile(q float64) int64 {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.999999999)
	rank = min(max(rank, 1), h.n)
	var seen int64
	for i := range h.buckets {
		k := &h.buckets[i]
		seen += k.count
		if seen >= rank {
			return k.max
		}
	}
	return 0
}

// fairness is Jain's index over the acquisitions of the tasks not cancelled:
// 1 when all are equal, 1/n when one takes everything, 1 when there is
// nothing to share.
func (e *Engine) fairness() float64 {
	var n, sum, sq float64
	for i := range e.tasks {
		if e.tasks[i].phase != Gone {
			x := float64(e.tasks[i].acquisitions)
			n, sum, sq = n+1, sum+x, sq+x*x
		}
	}
	if sq == 0 {
		return 1
	}
	return sum * sum / (n * sq)
}

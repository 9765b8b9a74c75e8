package sim

import (
	"fmt"
	"math"
	"testing"
	"time"

	"lockviz/lock"
)

// closedQueue gives the exact long-run figures of the closed M/M/c//N queue:
// n tasks thinking for exponential times of mean z, then holding one of c
// permits for exponential times of mean s. It returns the utilization (busy
// permits / c), the throughput and the mean wait from request to acquired.
func closedQueue(n, c int, z, s float64) (util, throughput, wait float64) {
	// p[k] ∝ N!/(N-k)! (s/z)^k / (k! if k ≤ c, else c! c^(k-c))
	r := s / z
	p := make([]float64, n+1)
	p[0] = 1
	sum := 1.0
	for k := 1; k <= n; k++ {
		p[k] = p[k-1] * float64(n-k+1) * r / float64(min(k, c))
		sum += p[k]
	}
	var busy, inSystem float64
	for k := range p {
		p[k] /= sum
		busy += float64(min(k, c)) * p[k]
		inSystem += float64(k) * p[k]
	}
	throughput = busy / s
	return busy / float64(c), throughput, inSystem/throughput - s
}

func TestStatisticsMatchClosedQueueFormulas(t *testing.T) {
	cases := []struct {
		policy  lock.Policy
		permits int
		n       int
		z, s    float64 // seconds
	}{
		{lock.FIFO, 1, 2, 1, 0.5},
		{lock.FIFO, 1, 5, 1, 0.3},
		{lock.FIFO, 1, 10, 2, 0.1},
		{lock.FIFO, 1, 20, 1, 0.1}, // saturated
		// No barging case: with exponential think times no request ever
		// lands at the instant of a release, so it would repeat fifo.
		{lock.Semaphore, 2, 8, 1, 0.4},
		{lock.Semaphore, 3, 12, 2, 0.5},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s(%d) N=%d Z=%gs S=%gs", c.policy, c.permits, c.n, c.z, c.s)
		t.Run(name, func(t *testing.T) {
			spec := TaskSpec{Name: "t",
				Think: Dist{Kind: Exponential, A: time.Duration(c.z * 1e9)},
				Hold:  Dist{Kind: Exponential, A: time.Duration(c.s * 1e9)}}
			e := New(Config{Policy: c.policy, Permits: c.permits, Seed: 42, Tasks: tasks(c.n, spec)})
			// Long enough for about 400,000 acquisitions.
			_, x, _ := closedQueue(c.n, c.permits, c.z, c.s)
			e.AdvanceTo(time.Duration(400000 / x * 1e9))
			sum := e.Stats()
			util, x, wait := closedQueue(c.n, c.permits, c.z, c.s)
			within(t, "utilization", sum.Utilization, util, 0.02)
			within(t, "throughput", sum.Throughput, x, 0.02)
			within(t, "mean wait", sum.WaitMean.Seconds(), wait, 0.02)
			if sum.MaxQueue > c.n-c.permits {
				t.Errorf("max queue %d, but only %d tasks can wait", sum.MaxQueue, c.n-c.permits)
			}
		})
	}
}

func within(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*want {
		t.Errorf("%s = %.5g, want %.5g ± %.0f%%", what, got, want, rel*100)
	} else {
		t.Logf("%s = %.5g (exact %.5g, %+.2f%%)", what, got, want, (got-want)/want*100)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	if h.quantile(0.5) != 0 {
		t.Fatal("empty histogram should give 0")
	}
	// Fixed values come back exactly, whatever their size.
	for _, v := range []int64{0, 0, 7, 255, 256, 1e9, 1e9, 2e9, 3e9, 3600e9} {
		h.add(v)
	}
	for q, want := range map[float64]int64{0.1: 0, 0.2: 0, 0.3: 7, 0.5: 256, 0.7: 1e9, 0.8: 2e9, 0.9: 3e9, 1: 3600e9} {
		if got := h.quantile(q); got != want {
			t.Errorf("quantile(%g) = %d, want %d", q, got, want)
		}
	}
	// Spread values come back within a bucket's width (under 0.4%).
	var g histogram
	for v := int64(1); v <= 100000; v++ {
		g.add(v * 1000)
	}
	for _, q := range []float64{0.5, 0.95, 0.99} {
		want := q * 100000 * 1000
		if got := float64(g.quantile(q)); math.Abs(got-want) > 0.004*want {
			t.Errorf("quantile(%g) = %g, want %g ± 0.4%%", q, got, want)
		}
	}
}

func TestBucketsAreMonotonic(t *testing.T) {
	prev := -1
	for _, v := range []int64{0, 1, 255, 256, 511, 512, 513, 1023, 1024, 1 << 20, 1<<20 + 1, 1 << 40, math.MaxInt64} {
		b := bucketOf(v)
		if b < prev || b >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d after %d (of %d)", v, b, prev, histBuckets)
		}
		prev = b
	}
}

func TestFairness(t *testing.T) {
	for _, c := range []struct {
		acq  []int64
		want float64
	}{
		{[]int64{5, 5, 5, 5}, 1},
		{[]int64{10, 0, 0, 0}, 0.25},
		{[]int64{0, 0}, 1},
		{[]int64{1, 3}, 16.0 / 20},
	} {
		e := New(Config{Tasks: tasks(len(c.acq), TaskSpec{Name: "j"})})
		for i, a := range c.acq {
			e.tasks[i].acquisitions = a
		}
		if got := e.fairness(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("fairness of %v = %g, want %g", c.acq, got, c.want)
		}
	}
}

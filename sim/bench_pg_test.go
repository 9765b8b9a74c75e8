package sim

import (
	"testing"
	"time"
)

// BenchmarkPlayground is the playground's closed model: five tasks
// appending to the shared list across their holds, as `lockviz run` runs it.
func BenchmarkPlayground(b *testing.B) {
	spec := TaskSpec{Name: "t", Think: Dist{Kind: Exponential, A: time.Second}, Hold: Dist{Kind: Exponential, A: 400 * time.Millisecond}, Append: true}
	e := New(Config{Seed: 1, Tasks: tasks(5, spec)})
	b.ReportAllocs()
	b.ResetTimer()
	var h time.Duration
	for e.acquisitions < int64(b.N) {
		h += time.Second
		e.AdvanceTo(h)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(e.acquisitions), "ns/acq")
}

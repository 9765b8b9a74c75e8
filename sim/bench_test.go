package sim

import (
	"fmt"
	"os/exec"
	"testing"
	"time"
)

// BenchmarkEngine measures the closed model: N tasks with exponential think
// and hold on one fifo lock, without an observer, as `lockviz run` does.
func BenchmarkEngine(b *testing.B) {
	for _, n := range []int{8, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			spec := TaskSpec{Name: "t",
				Think: Dist{Kind: Exponential, A: time.Duration(n) * 50 * time.Millisecond},
				Hold:  Dist{Kind: Exponential, A: 40 * time.Millisecond}}
			e := New(Config{Seed: 1, Tasks: tasks(n, spec)})
			b.ReportAllocs()
			b.ResetTimer()
			// Each acquisition takes about 1/N of a mean cycle (think + hold + wait).
			var horizon time.Duration
			for e.acquisitions < int64(b.N) {
				horizon += time.Second
				e.AdvanceTo(horizon)
			}
			b.ReportMetric(float64(e.acquisitions)/b.Elapsed().Seconds(), "acq/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(e.acquisitions), "ns/acq")
		})
	}
}

// BenchmarkSimPy times the same closed model in SimPy 2, the usual Python
// tool for such models (Debian's python3-simpy), for comparison.
func BenchmarkSimPy(b *testing.B) {
	python := "/usr/bin/python3" // Debian's python, where python3-simpy installs
	if err := exec.Command(python, "-c", "import SimPy.Simulation").Run(); err != nil {
		b.Skip("SimPy 2 not installed (apt-get install python3-simpy)")
	}
	for _, n := range []int{8, 1000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			out, err := exec.Command(python, "testdata/simpy_closed.py", fmt.Sprint(n), fmt.Sprint(b.N)).CombinedOutput()
			if err != nil {
				b.Fatalf("%v: %s", err, out)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "acq/s")
		})
	}
}

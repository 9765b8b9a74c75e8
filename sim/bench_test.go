package sim

import (
	"fmt"
	"os/exec"
	"testing"
	"time"
)

// closedModel is a closed model to time: n tasks with exponential think
// and hold of the given means, on one fifo lock.
type closedModel struct {
	n           int
	think, hold time.Duration
}

func (m closedModel) name() string { return fmt.Sprintf("N=%d", m.n) }

// closedModels are the models timed: the README's figures since the first
// release, and the model the engine is profiled on.
var closedModels = []closedModel{
	{8, 8 * 50 * time.Millisecond, 40 * time.Millisecond},
	{1000, 1000 * 50 * time.Millisecond, 40 * time.Millisecond},
	{100, time.Second, 9 * time.Millisecond},
}

// BenchmarkEngine measures the closed model: N tasks with exponential think
// and hold on one fifo lock, without an observer, as `lockviz run` does.
func BenchmarkEngine(b *testing.B) {
	for _, m := range closedModels {
		b.Run(m.name(), func(b *testing.B) {
			spec := TaskSpec{Name: "t",
				Think: Dist{Kind: Exponential, A: m.think},
				Hold:  Dist{Kind: Exponential, A: m.hold}}
			runAcquisitions(b, New(Config{Seed: 1, Tasks: tasks(m.n, spec)}))
		})
	}
}

// runAcquisitions runs e a virtual second at a time until it has made b.N
// acquisitions, and reports their rate and the time each took.
func runAcquisitions(b *testing.B, e *Engine) {
	b.ReportAllocs()
	b.ResetTimer()
	var horizon time.Duration
	for e.acquisitions < int64(b.N) {
		horizon += time.Second
		e.AdvanceTo(horizon)
	}
	b.ReportMetric(float64(e.acquisitions)/b.Elapsed().Seconds(), "acq/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(e.acquisitions), "ns/acq")
}

// BenchmarkPlayground is the playground's closed model: five tasks
// appending to the shared list across their holds, as `lockviz run` runs it.
func BenchmarkPlayground(b *testing.B) {
	spec := TaskSpec{Name: "t", Think: Dist{Kind: Exponential, A: time.Second}, Hold: Dist{Kind: Exponential, A: 400 * time.Millisecond}, Append: true}
	runAcquisitions(b, New(Config{Seed: 1, Tasks: tasks(5, spec)}))
}

// BenchmarkSimPy times the same closed model in SimPy 2, the usual Python
// tool for such models (Debian's python3-simpy), for comparison.
func BenchmarkSimPy(b *testing.B) {
	python := "/usr/bin/python3" // Debian's python, where python3-simpy installs
	if err := exec.Command(python, "-c", "import SimPy.Simulation").Run(); err != nil {
		b.Skip("SimPy 2 not installed (apt-get install python3-simpy)")
	}
	for _, m := range closedModels {
		b.Run(m.name(), func(b *testing.B) {
			out, err := exec.Command(python, "testdata/simpy_closed.py", fmt.Sprint(m.n), fmt.Sprint(b.N),
				fmt.Sprint(m.think.Seconds()), fmt.Sprint(m.hold.Seconds())).CombinedOutput()
			if err != nil {
				b.Fatalf("%v: %s", err, out)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "acq/s")
		})
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	"lockviz/lock"
	"lockviz/sim"
)

func TestWaitsGoingOnAreShown(t *testing.T) {
	// A barging lock with no think time: two of three tasks starve and
	// complete no wait, yet have waited all along.
	cfg := sim.Config{Policy: lock.Barging, Seed: 1}
	for _, n := range []string{"greedy-1", "greedy-2", "greedy-3"} {
		cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{Name: n, Hold: sim.FixedDist(100 * time.Millisecond)})
	}
	m := newModel(t, cfg, 120, 34, 5*time.Second)
	stats := strings.Join(strings.Fields(m.stats.View()), " ")
	for _, want := range []string{"wait max 0s", "waiting now 2 tasks · longest greedy-2 for 5s"} {
		if !strings.Contains(stats, want) {
			t.Errorf("statistics lack %q:\n%s", want, m.stats.View())
		}
	}
}

func TestSeedIsShown(t *testing.T) {
	m := newModel(t, testConfig(3), 120, 34, time.Second)
	m, _ = press(t, m, "s", "s")
	if !strings.Contains(m.stats.View(), "seed 3") {
		t.Errorf("statistics do not show seed 3:\n%s", m.stats.View())
	}
	m, _ = press(t, m, "?")
	if f := m.footer(); !strings.Contains(f, "restart, seed 3") || !strings.Contains(f, "restart, seed 4") {
		t.Errorf("the help does not say which seed r and s use:\n%s", f)
	}
}

func TestOneAppendIsSingular(t *testing.T) {
	cfg := testConfig(1)
	cfg.Tasks[0].Iterations = 1
	m := newModel(t, cfg, 120, 34, time.Minute)
	if v := m.shared.View(); !strings.Contains(v, "1 append") || strings.Contains(v, "1 appends") {
		t.Errorf("shared list:\n%s", v)
	}
}

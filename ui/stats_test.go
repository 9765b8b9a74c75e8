package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
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

func TestSummaryShowsTheWaitPercentiles(t *testing.T) {
	cfg := testConfig(3)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Iterations = 20
	}
	m := newModel(t, cfg, 80, 24, time.Hour)
	snap := &m.sc.snap
	if !snap.Finished {
		t.Fatal("the run did not finish")
	}
	st := snap.Stats
	for _, size := range [][2]int{{72, 20}, {80, 24}, {100, 30}, {119, 20}, {120, 20}, {140, 45}, {220, 60}} {
		m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		checkFrame(t, v, size[0], size[1])
		stats := m.stats.View()
		for _, want := range []string{"finished at " + fmtClock(snap.Now), "wait p50 " + format.Duration(st.WaitP50),
			"wait p95 " + format.Duration(st.WaitP95), "wait p99 " + format.Duration(st.WaitP99), "queue length"} {
			if !strings.Contains(strings.Join(strings.Fields(stats), " "), want) {
				t.Errorf("%v: the summary lacks %q:\n%s", size, want, stats)
			}
		}
	}
}

// TestWaitingNowLabelWhole checks the label keeps its words under a policy
// whose first label is shorter ("entries" without a lock).
func TestWaitingNowLabelWhole(t *testing.T) {
	m := newModel(t, loaded(t, "race"), 100, 30, 400*time.Millisecond)
	if v := m.View(); !strings.Contains(v, "waiting now ") || strings.Contains(v, "waiting n…") {
		t.Errorf("the label is cut:\n%s", v)
	}
}

package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"lockviz/lock"
	"lockviz/sim"
)

// lanes returns the timeline's lanes: the cells right of each row's rule.
func lanes(t *testing.T, m Model) []string {
	t.Helper()
	var out []string
	lines := strings.Split(m.timeline.View(), "\n")
	for _, l := range lines[1 : len(lines)-1] {
		if _, lane, ok := strings.Cut(l, " ▕"); ok {
			out = append(out, lane)
		}
	}
	return out
}

// holdersPerColumn counts the █ cells of each column across the lanes.
func holdersPerColumn(lanes []string) []int {
	var n []int
	for _, l := range lanes {
		for i, r := range []rune(l) {
			for len(n) <= i {
				n = append(n, 0)
			}
			if r == '█' {
				n[i]++
			}
		}
	}
	return n
}

func rateLimit() sim.Config {
	var cfg sim.Config
	for i, it := range []int{2, 2, 1} {
		cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{Name: "rate_limiter-" + string(rune('1'+i)), Iterations: it, Hold: sim.FixedDist(time.Second)})
	}
	return cfg
}

func TestHoldsAreAsLongAsTheyLast(t *testing.T) {
	// Each 1s hold is as many columns as fit in a second, and no column
	// shows two holders of the mutex.
	for _, w := range []int{80, 120, 124, 130, 200} {
		m := newModel(t, rateLimit(), w, 34, time.Minute)
		per := int(time.Second / m.sc.bucket)
		if time.Duration(per)*m.sc.bucket != time.Second {
			t.Fatalf("width %d: column of %v does not divide a second", w, m.sc.bucket)
		}
		ls := lanes(t, m)
		for i, l := range ls {
			holds := strings.Count(l, "█")
			if want := []int{2, 2, 1}[i] * per; holds != want {
				t.Errorf("width %d: lane %d holds %d columns, want %d: %q", w, i, holds, want, l)
			}
		}
		for c, n := range holdersPerColumn(ls) {
			if n > 1 {
				t.Fatalf("width %d: column %d shows %d holders of a mutex:\n%s", w, c, n, m.timeline.View())
			}
		}
	}
}

func TestSemaphoreColumnsShowAtMostItsPermits(t *testing.T) {
	cfg := testConfig(6)
	cfg.Policy, cfg.Permits = lock.Semaphore, 2
	for i := range cfg.Tasks {
		cfg.Tasks[i].Think = sim.Dist{Kind: sim.Exponential, A: 200 * time.Millisecond}
		cfg.Tasks[i].Hold = sim.Dist{Kind: sim.Uniform, A: 200 * time.Millisecond, B: 600 * time.Millisecond}
	}
	m := newModel(t, cfg, 200, 60, 0)
	for at := time.Second; at <= 40*time.Second; at += 3 * time.Second {
		m = m.advanceTo(at)
		for c, n := range holdersPerColumn(lanes(t, m)) {
			if n > 2 {
				t.Fatalf("at %v column %d shows %d holders of 2 permits:\n%s", at, c, n, m.timeline.View())
			}
		}
	}
}

func TestNamesNeverLookAlike(t *testing.T) {
	cfg := rateLimit()
	for i := range cfg.Tasks {
		cfg.Tasks[i].Name = "a_rather_long_rate_limiter_name-" + string(rune('1'+i))
	}
	for _, w := range []int{80, 100, 120, 121, 122, 123, 124, 140} {
		m := newModel(t, cfg, w, 34, time.Second)
		for _, panel := range []string{m.tasks.View(), m.timeline.View()} {
			seen := map[string]bool{}
			for _, l := range strings.Split(panel, "\n") {
				if f := strings.Fields(strings.TrimPrefix(l, "▸")); len(f) > 0 && strings.HasPrefix(f[0], "a_") {
					if seen[f[0]] {
						t.Fatalf("width %d: two rows show %q:\n%s", w, f[0], panel)
					}
					seen[f[0]] = true
				}
			}
			if len(seen) != 3 {
				t.Fatalf("width %d: want three rows, got %v:\n%s", w, seen, panel)
			}
		}
	}
}

func TestShortRunFillsTheWidth(t *testing.T) {
	cfg := sim.Config{Tasks: []sim.TaskSpec{
		{Name: "worker-1", Iterations: 1, Hold: sim.FixedDist(time.Second)},
		{Name: "worker-2", Iterations: 1, Hold: sim.FixedDist(time.Second)},
	}}
	m := newModel(t, cfg, 120, 34, time.Minute)
	if !m.sc.finished() {
		t.Fatal("basic did not finish")
	}
	ls := lanes(t, m)
	used := len([]rune(strings.TrimRight(ls[1], " ")))
	if all := len([]rune(ls[1])); used < all*2/3 {
		t.Fatalf("a finished 2s run fills %d of %d columns:\n%s", used, all, m.timeline.View())
	}
	if !strings.Contains(m.timeline.View(), "the whole run") {
		t.Errorf("the title does not say it shows the whole run:\n%s", m.timeline.View())
	}
}

func TestFastSpeedWidensTheWindow(t *testing.T) {
	m := newModel(t, testConfig(5), 120, 34, 0)
	m = m.advanceTo(time.Hour)
	slow := m.sc.bucket
	for m.speed < 1000 {
		m, _ = press(t, m, ">")
	}
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 34})
	if fast := m.sc.bucket; fast < 100*slow {
		t.Fatalf("at ×1000 a column is %v, at ×1 %v: the window should widen with the speed", fast, slow)
	}
}

func TestLongRunStaysBounded(t *testing.T) {
	// A task holding 1µs after thinking 10µs, for five seconds: the
	// history keeps what its limits allow, and the timeline never reaches
	// back past it.
	m := newModel(t, testConfig(5), 80, 24, 0)
	m.eng.SetHold(0, sim.FixedDist(time.Microsecond))
	m.eng.SetThink(0, sim.FixedDist(10*time.Microsecond))
	m = m.advanceTo(5 * time.Second)
	if m.sc.hist.Since() == 0 {
		t.Fatal("five seconds of microsecond holds fit the history: the test proves nothing")
	}
	if m.sc.start < m.sc.hist.Since() {
		t.Errorf("the timeline starts at %v, before the history's %v", m.sc.start, m.sc.hist.Since())
	}
	if m.sc.log.len() > logCap {
		t.Errorf("log of %d entries", m.sc.log.len())
	}
	checkFrame(t, m.View(), 80, 24)
}

// TestWindowHoldsNowAtAColumnEdge: a run exactly as long as the columns
// span still fills the width, instead of falling to the running window
// (at 2.5s over 125 columns, 25ms columns, not 100ms).
func TestWindowHoldsNowAtAColumnEdge(t *testing.T) {
	ms := time.Millisecond
	for now, want := range map[time.Duration]time.Duration{2499 * ms: 20 * ms, 2500 * ms: 25 * ms, 2501 * ms: 25 * ms} {
		b, s := windowOf(now, 0, 1400*ms, false, 1, 125)
		if b != want || s != 0 {
			t.Errorf("at %v: columns of %v from %v, want %v from 0", now, b, s, want)
		}
	}
}

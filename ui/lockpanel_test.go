package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/scenario"
)

func TestPolicyWords(t *testing.T) {
	cfg := testConfig(3)
	cfg.Policy = lock.None
	m := newModel(t, cfg, 140, 45, 5*time.Second)
	v := m.View()
	for _, want := range []string{" entered", " left", "█ inside", "occupied"} {
		if !strings.Contains(v, want) {
			t.Errorf("without a lock the screen lacks %q:\n%s", want, v)
		}
	}
	for _, lockWord := range []string{"acquired", "released", "requested", "utilization"} {
		if strings.Contains(v, lockWord) {
			t.Errorf("%q without a lock:\n%s", lockWord, v)
		}
	}

	cfg.Policy, cfg.Permits = lock.Semaphore, 2
	m = newModel(t, cfg, 140, 45, 0)
	if lockView := m.lock.View(); !strings.Contains(lockView, "2 of 2 permits free") {
		t.Errorf("a free semaphore:\n%s", lockView)
	}
	m = m.advanceTo(5 * time.Second)
	if v := m.View(); !strings.Contains(v, "took a permit") || !strings.Contains(v, "returned a permit") {
		t.Errorf("semaphore events:\n%s", v)
	}
}

func TestHolderBarsLineUp(t *testing.T) {
	cfg := testConfig(6)
	cfg.Policy, cfg.Permits = lock.Semaphore, 2
	cfg.Tasks[1].Name = "a-much-longer-name"
	m := newModel(t, cfg, 140, 45, 0)
	for i := 0; i < 10000; i++ {
		m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
		if len(m.sc.snap.Holders) == 2 {
			break
		}
	}
	var bars []string
	var at []int
	for _, l := range strings.Split(m.lock.View(), "\n") {
		if i := strings.Index(l, "▕"); i >= 0 {
			bars = append(bars, l[i:strings.Index(l, "▏")])
			at = append(at, len([]rune(l[:i])))
		}
	}
	if len(bars) != 2 || len([]rune(bars[0])) != len([]rune(bars[1])) {
		t.Fatalf("two holders' bars %q:\n%s", bars, m.lock.View())
	}
}

func TestTimeoutLineFits(t *testing.T) {
	cfg := testConfig(6)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Timeout = 300 * time.Millisecond
		cfg.Tasks[i].Name = "impatient-" + string(rune('1'+i))
	}
	for _, w := range []int{72, 100, 119, 120, 140} {
		m := newModel(t, cfg, w, 34, 0)
		found := false
		for i := 0; i < 10000 && !found; i++ {
			m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
			for _, l := range strings.Split(m.lock.View(), "\n") {
				if strings.Contains(l, "timed out") {
					found = true
					if strings.Contains(l, "…") {
						t.Errorf("width %d: the timeout line is cut: %q", w, l)
					}
				}
			}
		}
		if !found {
			t.Fatalf("width %d: no timeout shown", w)
		}
	}
}

// loaded returns a built-in scenario's configuration.
func loaded(t *testing.T, name string) sim.Config {
	t.Helper()
	s, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return s.Config()
}

func TestDeadlockPausesAndExplains(t *testing.T) {
	m := New(loaded(t, "deadlock"), Options{Scenario: "deadlock", Speed: 1})
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 34})
	at := time.Unix(0, 0)
	for i := 0; i < 100 && !m.paused; i++ {
		at = at.Add(frameInterval)
		m = update(t, m, frameMsg{tag: m.frameTag, at: at})
	}
	if !m.paused || m.ticking {
		t.Fatal("the view ran on past the deadlock")
	}
	v := m.View()
	for _, want := range []string{"✖ deadlock", "deadlock at 0.208s", "left waits for b, held by right",
		"right waits for a, held by left", "waiting b", "waiting a"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
}

func TestLeakedLockIsNamed(t *testing.T) {
	m := newModel(t, loaded(t, "leaked"), 120, 34, time.Minute)
	v := m.View()
	for _, want := range []string{"leaked careless-3 raised at line 6", "careless-3 ended: the lock leaked", "raised", "✖ leaked"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q:\n%s", want, v)
		}
	}
}

// TestGoldenDeadlock pins the two-lock picture once the deadlock formed.
func TestGoldenDeadlock(t *testing.T) {
	m := New(loaded(t, "deadlock"), Options{Scenario: "deadlock", Paused: true})
	m.eng.AdvanceTo(300 * time.Millisecond)
	m.sync()
	runGolden(t, m, 120, 34)
}

// TestLocksCutShort checks the count of locks the panel had no room for: at
// 80×24 the deadlock's cycle fills the panel, so no lock is listed, and
// the line must not speak of "more" locks.
func TestLocksCutShort(t *testing.T) {
	m := New(loaded(t, "deadlock"), Options{Scenario: "deadlock", Paused: true})
	m.eng.AdvanceTo(300 * time.Millisecond)
	m.sync()
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	v := m.View()
	if !strings.Contains(v, "2 locks: a taller window shows them") || strings.Contains(v, "more locks") {
		t.Errorf("the lock panel miscounts the locks it left out:\n%s", v)
	}
}

// TestCycleCutShort checks that a deadlock's cycle too long for the panel
// says how many links it left out, so that it never reads as a chain.
func TestCycleCutShort(t *testing.T) {
	m := New(loaded(t, "dining"), Options{Scenario: "dining", Paused: true})
	m.eng.AdvanceTo(time.Second)
	m.sync()
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	v := m.View()
	shown := strings.Count(v, " ← philosopher-")
	if !strings.Contains(v, fmt.Sprintf("+%d more links close the cycle", 5-shown)) || shown == 5 {
		t.Errorf("the cut cycle shows %d links and does not count the rest:\n%s", shown, v)
	}
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 34})
	if v := m.View(); strings.Count(v, " ← philosopher-") != 5 || strings.Contains(v, "close the cycle") {
		t.Errorf("at 120×34 the whole cycle should show:\n%s", v)
	}
}

// TestAsyncWithFinishes is the leaked scenario's fix: nothing leaks, so
// the run ends finished, with nobody left waiting.
func TestAsyncWithFinishes(t *testing.T) {
	m := newModel(t, loaded(t, "async-with"), 120, 34, time.Minute)
	h := strings.SplitN(m.View(), "\n", 2)[0]
	if !strings.Contains(h, "■ finished") || strings.Contains(m.View(), "leaked") {
		t.Errorf("async-with should finish with nothing leaked:\n%s", m.View())
	}
}

func TestLockPanelListsHoldersAPolicySwitchLeft(t *testing.T) {
	tests := []struct {
		name   string
		policy lock.Policy
		keys   []string // from policy to the one that admits fewer
		want   string
	}{
		{"semaphore(2) → barging: both holders stay listed", lock.Semaphore, []string{"p"}, "2 holding · barging admits 1"},
		{"none → fifo: everyone inside stays listed", lock.None, []string{"p"}, "holding · fifo admits 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(5)
			cfg.Policy, cfg.Permits = tt.policy, 2
			m := newModel(t, cfg, 140, 45, 0)
			for i := 0; i < 10000 && len(m.sc.snap.Holders) < 2; i++ {
				m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
			}
			if len(m.sc.snap.Holders) < 2 {
				t.Fatal("never two holders")
			}
			m, _ = press(t, m, tt.keys...)
			if len(m.sc.snap.Holders) < 2 {
				t.Fatalf("holders = %v after the switch, want them all still holding", m.sc.snap.Holders)
			}
			v := m.lock.View()
			if !strings.Contains(v, tt.want) || !strings.Contains(v, "new requests wait until they release") {
				t.Errorf("lock panel does not say more hold than %v admits:\n%s", m.eng.Policy(), v)
			}
			for _, id := range m.sc.snap.Holders {
				name := m.sc.snap.Tasks[id].Spec.Name
				if !strings.Contains(v, "  "+name+" ▕") {
					t.Errorf("holder %s is not listed:\n%s", name, v)
				}
			}
		})
	}
}

func TestTimedOutShown(t *testing.T) {
	cfg := testConfig(6)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Timeout = 300 * time.Millisecond
	}
	m := newModel(t, cfg, 140, 45, 0)
	for i := 0; i < 10000; i++ {
		m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
		lock := m.lock.View()
		if !strings.Contains(lock, "timed out after") {
			continue
		}
		// The lock panel: "  ✗ task-3 timed out after 300ms, left the queue".
		var name string
		for _, line := range strings.Split(lock, "\n") {
			if rest, ok := strings.CutPrefix(line, "  ✗ "); ok && strings.Contains(line, "left the queue") {
				name, _, _ = strings.Cut(rest, " ")
				break
			}
		}
		if name == "" {
			t.Fatalf("a timeout is not shown leaving:\n%s", lock)
		}
		// Its lane marks the timeout with ×.
		if lane := rowOf(t, m.timeline.View(), name); !strings.Contains(lane, "×") {
			t.Errorf("%s's lane shows no ×: %q", name, lane)
		}
		return
	}
	t.Fatal("no timeout shown in 100s")
}

// TestStuckRunsStopAtTheirLastEvent drives the stuck built-ins frame by
// frame at two speeds: the clock must stop where the last task got stuck,
// as `lockviz run` says, not at the end of whichever frame that fell in.
func TestStuckRunsStopAtTheirLastEvent(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		last     time.Duration
	}{
		{"deadlock", 208143346}, // right requests a
		{"leaked", 700743366},   // careless-3 raises holding the lock
	} {
		for _, speed := range []float64{1, 5} {
			m := New(loaded(t, tt.scenario), Options{Scenario: tt.scenario, Speed: speed})
			m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 34})
			at := time.Unix(0, 0)
			for i := 0; i < 200 && !m.sc.finished() && !m.paused; i++ {
				at = at.Add(frameInterval)
				m = update(t, m, frameMsg{tag: m.frameTag, at: at})
			}
			if got := m.sc.snap.Now; got != tt.last {
				t.Errorf("%s at ×%v: the clock stopped at %v, want %v", tt.scenario, speed, got, tt.last)
			}
		}
	}
}

// TestLeakWithoutRaise checks the words for a task that ended normally
// without releasing: however narrow the panel, it never claims a raise.
func TestLeakWithoutRaise(t *testing.T) {
	s, err := scenario.Parse("forgetful.toml", []byte(`
[[tasks]]
name = "a-task-with-a-rather-long-name"
code = "await lock.acquire()"

[[tasks]]
name = "waiter"
start = "10ms"
code = "async with lock:\n    pass"
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {120, 34}} {
		v := newModel(t, s.Config(), size[0], size[1], time.Second).lock.View()
		if !strings.Contains(v, "leaked a-task-with-a-rather-long-name") || strings.Contains(v, "raised") {
			t.Errorf("at %v the leak is misdescribed:\n%s", size, v)
		}
	}
}

// TestQueueCountAlone checks a queue too long for its one line gives its
// count alone, not a list that shows nobody ("head first: +2 more").
func TestQueueCountAlone(t *testing.T) {
	m := newModel(t, loaded(t, "leaked"), 80, 24, time.Minute)
	v := m.View()
	if !strings.Contains(v, "queue: 2 waiting ") || strings.Contains(v, "head first: +") {
		t.Errorf("the queue line lists nobody:\n%s", v)
	}
}

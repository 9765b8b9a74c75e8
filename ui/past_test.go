package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// seek types `g`, the time and enter.
func seek(t *testing.T, m Model, at string) Model {
	t.Helper()
	m, _ = press(t, m, "g")
	for _, r := range at {
		m, _ = press(t, m, string(r))
	}
	return update(t, m, tea.KeyMsg{Type: tea.KeyEnter})
}

// body is a screen without the lines that say where in the run's history
// it is: the header, the timeline's title and the keys.
func body(view string) string {
	lines := strings.Split(view, "\n")
	var out []string
	for _, l := range lines[1 : len(lines)-1] {
		if !strings.HasPrefix(l, "Timeline") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// pastModel is the golden scenario run to 40s, then taken back to at.
func pastModel(t *testing.T, w, h int, at string) Model {
	m := New(testConfig(5), Options{Scenario: "golden", Paused: true})
	m = update(t, m, windowSize(w, h))
	m = m.advanceTo(40 * time.Second)
	return seek(t, m, at)
}

func TestTimeTravelDrawsWhatSnapshotAtDraws(t *testing.T) {
	for _, size := range [][2]int{{200, 60}, {120, 40}, {80, 24}} {
		for _, at := range []time.Duration{12500 * time.Millisecond, 3 * time.Second, 39 * time.Second} {
			want, err := SnapshotAt(New(testConfig(5), Options{Scenario: "golden"}), size[0], size[1], at)
			if err != nil {
				t.Fatal(err)
			}
			m := pastModel(t, size[0], size[1], at.String())
			if m.past == nil || m.eng.Now() != at {
				t.Fatalf("g %v: at %v, in the past %v", at, m.eng.Now(), m.past != nil)
			}
			if got := m.View(); body(got) != body(want) {
				t.Errorf("%v at %v: time travel draws\n%s\nsnapshot --at draws\n%s", size, at, got, want)
			}
			if h := strings.Split(m.View(), "\n")[0]; !strings.Contains(h, "⏪ "+fmtClock(at)+" of 40.000s") {
				t.Errorf("header %q does not say where the view is", h)
			}
		}
	}
}

func TestGoldenPast200x60(t *testing.T) { runGolden(t, pastModel(t, 200, 60, "12.5s"), 200, 60) }

func TestGoldenPast120x40(t *testing.T) { runGolden(t, pastModel(t, 120, 40, "12.5"), 120, 40) }

func TestStepBackThenForwardComesBack(t *testing.T) {
	m := pastModel(t, 120, 40, "20s")
	m, _ = press(t, m, "left", "left", "left")
	want := m.View()
	at := m.eng.Now()
	m, _ = press(t, m, "left")
	if m.eng.Now() > at {
		t.Fatalf("← went forward: %v after %v", m.eng.Now(), at)
	}
	m, _ = press(t, m, "right")
	if got := m.View(); got != want {
		t.Fatalf("← then → draws\n%s\nnot\n%s", got, want)
	}
	m, _ = press(t, m, "[", "]")
	if m.eng.Now() != at.Truncate(time.Nanosecond) && m.past == nil {
		t.Fatal("[ then ] left the past")
	}
}

func TestSecondsAndAcquisitions(t *testing.T) {
	m := pastModel(t, 120, 40, "20s")
	m, _ = press(t, m, "[")
	if m.eng.Now() != 19*time.Second {
		t.Fatalf("[ from 20s: %v", m.eng.Now())
	}
	m = selectTask(t, m, 0)
	before := m.sc.snap.Tasks[0].Acquisitions
	m, _ = press(t, m, "}")
	if got := m.sc.snap.Tasks[0].Acquisitions; got != before+1 || m.sc.log.last().Task != 0 {
		t.Fatalf("} gives %d acquisitions, want %d", got, before+1)
	}
	m, _ = press(t, m, "{")
	if got := m.sc.snap.Tasks[0].Acquisitions; got != before {
		t.Fatalf("{ gives %d acquisitions, want %d", got, before)
	}
}

func TestResumingThePastDropsTheFuture(t *testing.T) {
	m := pastModel(t, 120, 40, "10s")
	m, cmd := press(t, m, "space")
	if m.past != nil || m.paused || cmd == nil {
		t.Fatal("space in the past does not resume there")
	}
	if h := strings.Split(m.View(), "\n")[0]; !strings.Contains(h, "old future is dropped") {
		t.Fatalf("header %q does not say the old future is dropped", h)
	}
	m = update(t, m, forkDoneMsg{m.forkTag})
	m, _ = press(t, m, "space")
	m = m.advanceTo(25 * time.Second)
	fresh := newModel(t, testConfig(5), 120, 40, 25*time.Second)
	if body(m.View()) != body(fresh.View()) {
		t.Fatalf("resumed with nothing changed, the run draws\n%s\nnot\n%s", m.View(), fresh.View())
	}
}

func TestAChangeInThePastForks(t *testing.T) {
	m := pastModel(t, 120, 40, "10s")
	m, _ = press(t, m, "p")
	if m.past != nil || m.eng.Policy().String() == "fifo" {
		t.Fatal("p in the past did not switch the policy of a resumed run")
	}
	if m.eng.Now() != 10*time.Second {
		t.Fatalf("the run resumed at %v, not 10s", m.eng.Now())
	}
}

func TestABadTimeIsOneLine(t *testing.T) {
	m := pastModel(t, 120, 40, "nonsense")
	v := m.View()
	lines := strings.Split(v, "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, `invalid duration "nonsense"`) {
		t.Fatalf("the footer says %q", last)
	}
	if m.past != nil {
		t.Fatal("a bad time moved the view")
	}
	checkFrame(t, v, 120, 40)
}

// TestSeekFarAheadStopsShort: a time typed far past the run's newest moment
// runs on for a bounded amount of work and says where it stopped, instead
// of freezing the view until a year of virtual time has run.
func TestSeekFarAheadStopsShort(t *testing.T) {
	m := newModel(t, testConfig(5), 120, 40, time.Second)
	m, _ = press(t, m, "g")
	m, _ = press(t, m, strings.Split("31536000s", "")...)
	m = update(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if now := m.eng.Now(); now >= 365*24*time.Hour || now <= time.Second {
		t.Fatalf("the clock at %v after g a year ahead", now)
	}
	if !strings.Contains(m.View(), "go again to run further") {
		t.Errorf("no word of where it stopped:\n%s", m.View())
	}
}

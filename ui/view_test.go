package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"lockviz/lock"
	"lockviz/sim"
)

// goldenAt is the virtual time the golden screens show: a holder, a queue
// and a few appends into the run.
const goldenAt = 6 * time.Second

// runGolden runs m in a teatest program at w×h, quits it with q and
// compares the final model's View with testdata/<test name>.golden.
func runGolden(t *testing.T, m Model, w, h int) {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	view := final.View()
	checkFrame(t, view, w, h)
	teatest.RequireEqualOutput(t, []byte(view))
}

// goldenModel is the scenario of the golden screens, paused at goldenAt.
func goldenModel(t *testing.T) Model {
	m := New(testConfig(5), Options{Scenario: "golden", Paused: true})
	m.eng.AdvanceTo(goldenAt)
	m.sync()
	return m
}

func TestGolden80x24(t *testing.T) { runGolden(t, goldenModel(t), 80, 24) }

func TestGolden140x45(t *testing.T) { runGolden(t, goldenModel(t), 140, 45) }

func TestGoldenTooSmall(t *testing.T) { runGolden(t, goldenModel(t), 30, 8) }

// TestGoldenSemaphoreTimeouts pins a busier picture: eight tasks with a
// timeout on a semaphore(2), with timed-out tasks and lost updates.
func TestGoldenSemaphoreTimeouts(t *testing.T) {
	cfg := testConfig(8)
	cfg.Policy, cfg.Permits = lock.Semaphore, 2
	for i := range cfg.Tasks {
		cfg.Tasks[i].Timeout = 600 * time.Millisecond
	}
	m := New(cfg, Options{Scenario: "golden", Paused: true, Speed: 2})
	m.eng.AdvanceTo(goldenAt)
	m.sync()
	runGolden(t, m, 100, 30)
}

func TestGoldenScreensDiffer(t *testing.T) {
	// The golden model is really paused and seeded: two runs agree, and
	// the clock is where the goldens say.
	a, b := goldenModel(t), goldenModel(t)
	a = update(t, a, tea.WindowSizeMsg{Width: 80, Height: 24})
	b = update(t, b, tea.WindowSizeMsg{Width: 80, Height: 24})
	if a.View() != b.View() {
		t.Fatal("two golden models differ")
	}
	if !strings.Contains(a.View(), "t 6.000s") {
		t.Errorf("golden screen is not at 6s:\n%s", a.View())
	}
}

func TestNoColourKeepsWords(t *testing.T) {
	// TestMain sets the ASCII profile, as NO_COLOR does: the state words
	// and glyphs carry the meaning, and no escape sequence is written.
	m := untilQueue(t, newModel(t, testConfig(5), 140, 45, 0), 2)
	m = m.advanceTo(m.eng.Now() + 200*time.Millisecond)
	v := m.View()
	if strings.Contains(v, "\x1b[") {
		t.Error("escape sequences under the ASCII profile")
	}
	for _, want := range []string{"waiting #1", "held by", "queue: ", "█ holding", "▒ waiting", "· thinking"} {
		if !strings.Contains(v, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	// The legend says holding and thinking too: look in the rows.
	snap := &m.sc.snap
	table := m.tasks.View()
	if row := rowOf(t, table, snap.Tasks[snap.Holders[0]].Spec.Name); !strings.Contains(row, " holding ") {
		t.Errorf("the holder's row does not say holding: %q", row)
	}
	thinking := false
	for id := range snap.Tasks {
		if snap.Tasks[id].Phase == sim.Thinking {
			row := rowOf(t, table, snap.Tasks[id].Spec.Name)
			thinking = strings.Contains(row, " thinking ")
			if !thinking {
				t.Errorf("a thinking task's row does not say thinking: %q", row)
			}
			break
		}
	}
	if !thinking {
		t.Error("no thinking task to check")
	}
}

// BenchmarkView renders one frame of 100 running tasks at 200×60.
func BenchmarkView(b *testing.B) {
	m := newModel(b, testConfig(100), 200, 60, 30*time.Second)
	m.paused = false
	m.sync()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.draw() // a frame drawn anew, as after each sync
	}
}

// BenchmarkViewColour is BenchmarkView with 24-bit colour, as a modern
// terminal draws it.
func BenchmarkViewColour(b *testing.B) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetColorProfile(termenv.TrueColor)
	m := newModel(b, testConfig(100), 200, 60, 30*time.Second)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.draw() // a frame drawn anew, as after each sync
	}
}

// TestGoldenRateLimitFinished pins the finished tutorial run: the whole run
// across the width, ten columns a one-second hold, one holder a column.
func TestGoldenRateLimitFinished(t *testing.T) {
	m := New(rateLimit(), Options{Scenario: "rate-limit", Paused: true})
	m.eng.AdvanceTo(time.Minute)
	m.sync()
	runGolden(t, m, 120, 34)
}

// TestGoldenHelpAlone pins the full help in the smallest window, where it
// takes the screen.
func TestGoldenHelpAlone(t *testing.T) {
	m := goldenModel(t)
	m.help.ShowAll = true
	runGolden(t, m, MinWidth, MinHeight)
}

func TestResize(t *testing.T) {
	m := New(testConfig(5), Options{Paused: true})
	if m.View() != "" {
		t.Fatal("view before the first size is not empty")
	}
	for _, size := range [][2]int{{80, 24}, {140, 45}, {30, 8}, {71, 40}, {200, 19}, {120, 30}, {119, 30}, {72, 20}, {120, 20}, {100, 30}} {
		m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		checkFrame(t, v, size[0], size[1])
		small := size[0] < MinWidth || size[1] < MinHeight
		if got := strings.Contains(v, "terminal too small"); got != small {
			t.Errorf("%v: too-small message shown = %v, want %v", size, got, small)
		}
		if small && !strings.Contains(v, "need 72×20") {
			t.Errorf("%v: the message does not say the size needed", size)
		}
	}
}

func TestTooSmallFitsAnySize(t *testing.T) {
	m := New(testConfig(5), Options{Paused: true})
	for _, size := range [][2]int{{0, 0}, {1, 1}, {12, 3}, {22, 2}, {20, 1}, {0, 4}, {5, 10}, {40, 0}, {71, 19}} {
		m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		if size[1] == 0 {
			if v != "" {
				t.Errorf("%v: view %q, want empty", size, v)
			}
			continue
		}
		checkFrame(t, v, size[0], size[1])
	}
}

func TestHelpFitsTheSmallestWindow(t *testing.T) {
	m := newModel(t, testConfig(3), MinWidth, MinHeight, time.Second)
	m, _ = press(t, m, "?")
	v := m.View()
	checkFrame(t, v, MinWidth, MinHeight)
	for _, group := range m.keys.FullHelp() {
		for _, b := range group {
			if b.Enabled() && !strings.Contains(v, b.Help().Desc) {
				t.Errorf("the help at %d×%d lacks %q:\n%s", MinWidth, MinHeight, b.Help().Desc, v)
			}
		}
	}
}

func TestNoHelpHidesTheFooter(t *testing.T) {
	m := New(testConfig(5), Options{Scenario: "golden", Paused: true, NoHelp: true})
	m = update(t, m, windowSize(100, 30)).advanceTo(goldenAt)
	lines := strings.Split(m.View(), "\n")
	if last := lines[len(lines)-1]; strings.Contains(last, "quit") {
		t.Errorf("the footer shows under --no-help: %q", last)
	}
	if m.lay.footer.h != 0 {
		t.Errorf("the footer keeps %d lines", m.lay.footer.h)
	}
	checkFrame(t, m.View(), 100, 30)
	if m, _ = press(t, m, "?"); !strings.Contains(m.View(), "close help") {
		t.Error("? does not show the keys under --no-help")
	}
}

package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lockviz/lock"
	"lockviz/sim"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// testConfig is n tasks thinking exp:1s, holding exp:400ms and appending,
// forever, on a fifo lock, seed 1.
func testConfig(n int) sim.Config {
	cfg := sim.Config{Policy: lock.FIFO, Permits: 1, Seed: 1}
	for i := range n {
		cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{
			Name:   fmt.Sprintf("task-%d", i+1),
			Think:  sim.Dist{Kind: sim.Exponential, A: time.Second},
			Hold:   sim.Dist{Kind: sim.Exponential, A: 400 * time.Millisecond},
			Append: true,
		})
	}
	return cfg
}

// newModel returns a paused model of cfg sized w×h at virtual time at.
func newModel(t testing.TB, cfg sim.Config, w, h int, at time.Duration) Model {
	t.Helper()
	m := New(cfg, Options{Scenario: "test", Paused: true})
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m.advanceTo(at)
}

// advanceTo runs the engine to virtual time at, as frames would.
func (m Model) advanceTo(at time.Duration) Model {
	m.eng.AdvanceTo(at)
	m.sync()
	return m
}

// update sends one message and returns the new model.
func update(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	next, _ := m.Update(msg)
	return next.(Model)
}

// keyMsg spells a key as Bubble Tea delivers it.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends the keys one by one and returns the model and the last
// command. A key that changed the simulation is followed by the sync
// message the program would deliver next.
func press(t testing.TB, m Model, keys ...string) (Model, tea.Cmd) {
	t.Helper()
	var cmd tea.Cmd
	for _, k := range keys {
		var next tea.Model
		next, cmd = m.Update(keyMsg(k))
		m = next.(Model)
		if m.sc.stale {
			m = update(t, m, syncMsg{})
		}
	}
	return m, cmd
}

// taskByName returns the view of the task called name.
func taskByName(t testing.TB, m Model, name string) sim.TaskView {
	t.Helper()
	for _, tv := range m.sc.snap.Tasks {
		if tv.Spec.Name == name {
			return tv
		}
	}
	t.Fatalf("no task %q", name)
	return sim.TaskView{}
}

// untilQueue advances in 10ms steps until a task holds the lock with at
// least want waiters behind it.
func untilQueue(t testing.TB, m Model, want int) Model {
	t.Helper()
	for i := 0; i < 10000; i++ {
		if len(m.sc.snap.Holders) == 1 && len(m.sc.snap.Queue) >= want {
			return m
		}
		m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
	}
	t.Fatalf("no queue of %d in 100s", want)
	return m
}

// selectTask moves the selection to task id with the arrow keys.
func selectTask(t testing.TB, m Model, id int32) Model {
	t.Helper()
	for i := 0; i < 1000 && m.tasks.sel != id; i++ {
		if m.tasks.sel < id {
			m, _ = press(t, m, "down")
		} else {
			m, _ = press(t, m, "up")
		}
	}
	if m.tasks.sel != id {
		t.Fatalf("cannot select task %d", id)
	}
	return m
}

// checkFrame fails unless the view is exactly w×h.
func checkFrame(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if got := lipgloss.Width(l); got != w {
			t.Fatalf("line %d is %d wide, want %d:\n%q", i, got, w, l)
		}
	}
}

// rowOf returns the line of a panel's view that shows the task called name,
// marked selected or not.
func rowOf(t testing.TB, view, name string) string {
	t.Helper()
	for _, line := range strings.Split(view, "\n") {
		if strings.HasPrefix(line, "  "+name+" ") || strings.HasPrefix(line, "▸ "+name+" ") {
			return line
		}
	}
	t.Fatalf("no row for %s in:\n%s", name, view)
	return ""
}

// windowSize is the message of a w×h window.
func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

package ui

import (
	"fmt"
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

func TestManyTasksScroll(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 45}, {200, 60}} {
		w, h := size[0], size[1]
		m := newModel(t, testConfig(300), w, h, 3*time.Second)
		checkFrame(t, m.View(), w, h)
		if !strings.Contains(m.View(), "of 300") {
			t.Errorf("%d×%d: the table does not say it scrolls", w, h)
		}
		for range 150 {
			m, _ = press(t, m, "down")
		}
		v := m.View()
		checkFrame(t, v, w, h)
		if !strings.Contains(v, "▸ task-151") {
			t.Errorf("%d×%d: the selected task-151 is not on screen", w, h)
		}
		if table := m.tasks.View(); strings.Contains(table, " task-1 ") || !strings.Contains(table, "▸ task-151") {
			t.Errorf("%d×%d: the first row did not scroll away", w, h)
		}
		m, _ = press(t, m, "H", "a", "x", "p", "?")
		checkFrame(t, m.View(), w, h)
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

func TestPenOfNegativeSizeIsClamped(t *testing.T) {
	k := compileInk()
	for _, size := range [][2]int{{10, -3}, {-20, 2}, {-1, -1}, {0, 0}} {
		p := newPen(k, size[0], size[1])
		p.title("Lock", "fifo")
		p.put(k.muted, "held by")
		p.nl()
		w, h := max(size[0], 0), max(size[1], 0)
		want := strings.TrimSuffix(strings.Repeat(spaces(w)+"\n", h), "\n")
		if got := p.String(); got != want {
			t.Errorf("pen %v wrote %q, want %d lines of %d columns", size, got, h, w)
		}
	}
}

func TestLostUpdatesShown(t *testing.T) {
	cfg := testConfig(5)
	cfg.Policy = lock.None
	m := newModel(t, cfg, 100, 30, 10*time.Second)
	if m.sc.snap.Stats.LostUpdates == 0 {
		t.Fatal("no lost updates without a lock")
	}
	v := m.View()
	want := fmt.Sprintf("%d lost", m.sc.snap.Stats.LostUpdates)
	if !strings.Contains(v, want) || !strings.Contains(v, "inside at once") && !strings.Contains(v, "nobody inside") {
		t.Errorf("screen lacks %q or the no-lock holders:\n%s", want, v)
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

// BenchmarkFrame is one whole frame: the engine advancing 1/30 s, the
// snapshot and the view.
func BenchmarkFrame(b *testing.B) {
	m := New(testConfig(100), Options{})
	m = update(b, m, tea.WindowSizeMsg{Width: 200, Height: 60})
	at := time.Unix(0, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		at = at.Add(frameInterval)
		m = update(b, m, frameMsg{tag: m.frameTag, at: at})
		_ = m.View()
	}
}

// BenchmarkFrameSpinning is one frame while a task loops with no think
// and no hold, which keeps the engine at one instant: the frame works for
// half a frame (frameWork), so that the screen keeps answering.
func BenchmarkFrameSpinning(b *testing.B) {
	cfg := testConfig(5)
	cfg.Tasks[0].Think, cfg.Tasks[0].Hold = sim.FixedDist(0), sim.FixedDist(0)
	m := New(cfg, Options{})
	m = update(b, m, tea.WindowSizeMsg{Width: 200, Height: 60})
	at := time.Unix(0, 0)
	b.ResetTimer()
	for b.Loop() {
		at = at.Add(frameInterval)
		m = update(b, m, frameMsg{tag: m.frameTag, at: at})
	}
}

func TestLongDistributionsKeepTheirColumns(t *testing.T) {
	cfg := testConfig(3)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Hold = sim.Dist{Kind: sim.Uniform, A: 200 * time.Millisecond, B: 600 * time.Millisecond}
		cfg.Tasks[i].Think = sim.Dist{Kind: sim.Exponential, A: 200 * time.Millisecond}
	}
	for _, w := range []int{100, 140} {
		v := newModel(t, cfg, w, 30, time.Second).View()
		if !strings.Contains(v, "200ms–600ms  exp:200ms") {
			t.Errorf("at width %d the hold and think settings run together or are cut:\n%s", w, v)
		}
	}
}

// BenchmarkAddKey is one press of `a` as the program handles it, with its
// View, when presses come faster than frames: it costs the same with a
// hundred tasks or ten thousand, as the snapshot waits for the sync message.
func BenchmarkAddKey(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			m := newModel(b, testConfig(n), 200, 60, time.Second)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if m.eng.NumTasks() >= MaxTasks {
					b.StopTimer()
					m = newModel(b, testConfig(n), 200, 60, time.Second)
					b.StartTimer()
				}
				next, _ := m.Update(keyMsg("a"))
				m = next.(Model)
				_ = m.View()
			}
		})
	}
}

// BenchmarkFastFrame is one frame of a thousand tasks holding exp:1ms at
// ×1000, the load at which a fixed work budget left the clock at ×512: the
// frame runs the engine for up to half a frame, and reports the speed the
// clock reached.
func BenchmarkFastFrame(b *testing.B) {
	cfg := testConfig(1000)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Hold = sim.Dist{Kind: sim.Exponential, A: time.Millisecond}
	}
	m := New(cfg, Options{Speed: 1000})
	m = update(b, m, tea.WindowSizeMsg{Width: 160, Height: 45})
	at := time.Unix(0, 0)
	b.ResetTimer()
	for b.Loop() {
		at = at.Add(frameInterval)
		m = update(b, m, frameMsg{tag: m.frameTag, at: at})
		_ = m.View()
	}
	b.ReportMetric(float64(m.eng.Now())/float64(b.N)/float64(frameInterval), "speed")
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

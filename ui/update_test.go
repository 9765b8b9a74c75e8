package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"lockviz/lock"
	"lockviz/sim"
)

func TestRemoveTask(t *testing.T) {
	tests := []struct {
		name  string
		which func(s *sim.Snapshot) int32
		check func(t *testing.T, before, after *sim.Snapshot, gone int32)
	}{
		{
			name:  "cancelled holder releases, the head of the queue gets the lock at once",
			which: func(s *sim.Snapshot) int32 { return s.Holders[0] },
			check: func(t *testing.T, before, after *sim.Snapshot, gone int32) {
				if len(after.Holders) != 1 || after.Holders[0] != before.Queue[0] {
					t.Errorf("holders = %v, want the old head %d", after.Holders, before.Queue[0])
				}
			},
		},
		{
			name:  "cancelled waiter leaves the queue, the others keep their order",
			which: func(s *sim.Snapshot) int32 { return s.Queue[0] },
			check: func(t *testing.T, before, after *sim.Snapshot, gone int32) {
				if len(after.Queue) != len(before.Queue)-1 || after.Queue[0] != before.Queue[1] {
					t.Errorf("queue = %v, want %v without its head", after.Queue, before.Queue)
				}
				if after.Holders[0] != before.Holders[0] {
					t.Errorf("holder changed from %d to %d", before.Holders[0], after.Holders[0])
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := untilQueue(t, newModel(t, testConfig(5), 140, 45, 0), 2)
			before := cloneSnap(&m.sc.snap)
			id := tt.which(&before)
			m = selectTask(t, m, id)
			m, _ = press(t, m, "x")
			after := &m.sc.snap
			if after.Tasks[id].Phase != sim.Gone {
				t.Fatalf("task %d is %v, want cancelled", id, after.Tasks[id].Phase)
			}
			// It stays listed, marked cancelled, with its lane.
			name := after.Tasks[id].Spec.Name
			if row := rowOf(t, m.tasks.View(), name); !strings.Contains(row, " cancelled ") {
				t.Errorf("the cancelled task's row: %q", row)
			}
			if lane := rowOf(t, m.timeline.View(), name); !strings.ContainsAny(lane, "█▒") {
				t.Errorf("the cancelled task's lane lost its history: %q", lane)
			}
			// The table's acquisitions still add up to the statistics'.
			var acq int64
			for _, tv := range after.Tasks {
				acq += tv.Acquisitions
			}
			if acq != after.Stats.Acquisitions {
				t.Errorf("rows add up to %d acquisitions, the statistics say %d", acq, after.Stats.Acquisitions)
			}
			if after.Now != before.Now {
				t.Errorf("clock moved from %v to %v", before.Now, after.Now)
			}
			tt.check(t, &before, after, id)
		})
	}
}

func cloneSnap(s *sim.Snapshot) sim.Snapshot {
	c := *s
	c.Tasks = append([]sim.TaskView(nil), s.Tasks...)
	c.Holders = append([]int32(nil), s.Holders...)
	c.Queue = append([]int32(nil), s.Queue...)
	return c
}

func TestPolicyCycles(t *testing.T) {
	m := newModel(t, testConfig(5), 140, 45, 3*time.Second)
	want := []struct {
		p       lock.Policy
		permits int
		label   string
	}{
		{lock.Semaphore, 2, "semaphore(2) · asyncio.Semaphore"},
		{lock.Barging, 1, "barging · threading.Lock"},
		{lock.None, 1, "none · no lock"},
		{lock.FIFO, 1, "fifo · asyncio.Lock"},
	}
	for _, w := range want {
		m, _ = press(t, m, "p")
		if m.eng.Policy() != w.p || m.eng.Permits() != w.permits {
			t.Fatalf("policy = %v(%d), want %v(%d)", m.eng.Policy(), m.eng.Permits(), w.p, w.permits)
		}
		header := strings.SplitN(m.View(), "\n", 2)[0]
		if !strings.Contains(header, w.label) {
			t.Errorf("header %q lacks %q", header, w.label)
		}
	}
}

func TestPolicySemaphoreAdmitsAWaiterAtOnce(t *testing.T) {
	m := untilQueue(t, newModel(t, testConfig(5), 140, 45, 0), 1)
	head := m.sc.snap.Queue[0]
	m, _ = press(t, m, "p")
	if len(m.sc.snap.Holders) != 2 || m.sc.snap.Holders[1] != head {
		t.Errorf("holders = %v after switching to semaphore(2), want the old head %d to hold too", m.sc.snap.Holders, head)
	}
}

func TestPauseResume(t *testing.T) {
	m := New(testConfig(5), Options{})
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if m.Init() == nil || !m.ticking {
		t.Fatal("a running model starts no frames")
	}
	tag := m.frameTag
	m, cmd := press(t, m, "space")
	if !m.paused || m.ticking || cmd != nil {
		t.Fatalf("space: paused=%v ticking=%v cmd=%v, want paused with no frames", m.paused, m.ticking, cmd != nil)
	}
	if !strings.Contains(m.View(), "paused") {
		t.Error("screen does not say paused")
	}
	// The frame already on its way is dropped.
	now := m.eng.Now()
	m = update(t, m, frameMsg{tag: tag, at: time.Unix(100, 0)})
	if m.eng.Now() != now {
		t.Errorf("a stale frame moved the clock from %v to %v", now, m.eng.Now())
	}
	m, cmd = press(t, m, "space")
	if m.paused || !m.ticking || cmd == nil || m.frameTag == tag {
		t.Fatalf("space again: paused=%v ticking=%v cmd=%v tag=%d", m.paused, m.ticking, cmd != nil, m.frameTag)
	}
	if !strings.Contains(m.View(), "running") {
		t.Error("screen does not say running")
	}
}

func TestFramesAdvanceBySpeed(t *testing.T) {
	m := New(testConfig(5), Options{Speed: 2})
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	t0 := time.Unix(1000, 0)
	next, cmd := m.Update(frameMsg{tag: m.frameTag, at: t0})
	m = next.(Model)
	if cmd == nil {
		t.Fatal("a running frame asks for no next frame")
	}
	first := m.eng.Now()
	if first != 2*frameInterval {
		t.Errorf("first frame advanced to %v, want 2 × %v", first, frameInterval)
	}
	m = update(t, m, frameMsg{tag: m.frameTag, at: t0.Add(50 * time.Millisecond)})
	if got := m.eng.Now() - first; got != 100*time.Millisecond {
		t.Errorf("50ms at ×2 advanced %v, want 100ms", got)
	}
	// A stall is capped.
	before := m.eng.Now()
	m = update(t, m, frameMsg{tag: m.frameTag, at: t0.Add(time.Hour)})
	if got := m.eng.Now() - before; got != 2*maxFrameGap {
		t.Errorf("an hour's stall advanced %v, want %v", got, 2*maxFrameGap)
	}
	// A frame of another chain is dropped.
	before = m.eng.Now()
	next, cmd = m.Update(frameMsg{tag: m.frameTag - 1, at: t0.Add(2 * time.Hour)})
	if next.(Model).eng.Now() != before || cmd != nil {
		t.Error("a frame with an old tag was run")
	}
}

func TestFinishedStopsFrames(t *testing.T) {
	cfg := testConfig(2)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Iterations = 1
	}
	m := New(cfg, Options{Speed: 1000})
	m = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	at := time.Unix(0, 0)
	var cmd tea.Cmd
	for i := 0; i < 1000 && !m.sc.snap.Finished; i++ {
		at = at.Add(maxFrameGap)
		var next tea.Model
		next, cmd = m.Update(frameMsg{tag: m.frameTag, at: at})
		m = next.(Model)
	}
	if !m.sc.snap.Finished || cmd != nil || m.ticking {
		t.Fatalf("finished=%v, cmd=%v, ticking=%v: want finished and no more frames", m.sc.snap.Finished, cmd != nil, m.ticking)
	}
	v := m.View()
	for _, want := range []string{"finished", "Summary", "r restart"} {
		if !strings.Contains(v, want) {
			t.Errorf("finished screen lacks %q:\n%s", want, v)
		}
	}
	// Adding a task brings the run back to life.
	m, cmd = press(t, m, "a")
	if m.sc.snap.Finished || cmd == nil {
		t.Error("adding a task to a finished run did not restart the frames")
	}
}

func TestStep(t *testing.T) {
	m := newModel(t, testConfig(5), 80, 24, time.Second)
	events, now := m.sc.log.n, m.eng.Now()
	m, _ = press(t, m, "n")
	if m.sc.log.n <= events || m.eng.Now() < now {
		t.Fatalf("n: events %d → %d, clock %v → %v", events, m.sc.log.n, now, m.eng.Now())
	}
	if m.eng.Now() != m.sc.log.last().T {
		t.Errorf("clock %v, want the time of the event %v", m.eng.Now(), m.sc.log.last().T)
	}
	// Held keys arrive as one message; each one steps.
	events = m.sc.log.n
	m, _ = press(t, m, "nnn")
	if m.sc.log.n < events+3 {
		t.Errorf("nnn ran %d events, want 3 steps", m.sc.log.n-events)
	}
	// Running, n does nothing.
	m, _ = press(t, m, "space")
	events = m.sc.log.n
	m, _ = press(t, m, "n")
	if m.sc.log.n != events {
		t.Error("n stepped while running")
	}
}

func TestRestart(t *testing.T) {
	fresh := newModel(t, testConfig(5), 140, 45, 4*time.Second)
	want := cloneSnap(&fresh.sc.snap)

	m := newModel(t, testConfig(5), 140, 45, 3*time.Second)
	m, _ = press(t, m, "a") // task-6 survives the restart
	m = m.advanceTo(7 * time.Second)
	m, _ = press(t, m, "r")
	if m.eng.Now() != 0 || !m.paused || m.eng.Seed() != 1 {
		t.Fatalf("after r: clock %v, paused %v, seed %d", m.eng.Now(), m.paused, m.eng.Seed())
	}
	if len(m.sc.snap.Tasks) != 6 {
		t.Fatalf("after r: %d tasks, want 6", len(m.sc.snap.Tasks))
	}
	for i := range m.sc.log.len() {
		if ev := m.sc.log.at(i); ev.T != 0 {
			t.Fatalf("history survived the restart: event %v", ev)
		}
	}
	// The first five tasks run as a fresh run of the same seed would, but
	// for the sixth task competing for the lock; compare before it matters.
	m = m.advanceTo(0)
	for i := range 5 {
		if m.sc.snap.Tasks[i].Spec != want.Tasks[i].Spec {
			t.Errorf("task %d spec changed across the restart", i)
		}
	}
}

func TestRestartKeepsTheSelectedTask(t *testing.T) {
	for _, k := range []string{"r", "s"} {
		t.Run(k+": cancelled tasks renumber the rest, the selection follows its task", func(t *testing.T) {
			m := newModel(t, testConfig(5), 140, 45, 2*time.Second)
			m = selectTask(t, m, 1)
			m, _ = press(t, m, "x") // cancel task-2
			m = selectTask(t, m, 3) // task-4
			m, _ = press(t, m, k)
			if len(m.sc.snap.Tasks) != 4 {
				t.Fatalf("after %s: %d tasks, want 4", k, len(m.sc.snap.Tasks))
			}
			if got := m.eng.TaskName(m.tasks.sel); got != "task-4" {
				t.Errorf("after %s the selection is %s, want task-4", k, got)
			}
			if !strings.Contains(m.View(), "▸ task-4") {
				t.Error("task-4's row is not marked selected")
			}
		})
	}
}

func TestRestartSameSeedIsDeterministic(t *testing.T) {
	a := newModel(t, testConfig(5), 140, 45, 5*time.Second)
	b := newModel(t, testConfig(5), 140, 45, 9*time.Second)
	b, _ = press(t, b, "r")
	b = b.advanceTo(5 * time.Second)
	if a.View() != b.View() {
		t.Errorf("restart with the same seed differs:\n%s\n---\n%s", a.View(), b.View())
	}
}

func TestNewSeed(t *testing.T) {
	a := newModel(t, testConfig(5), 140, 45, 5*time.Second)
	b, _ := press(t, a, "s")
	if b.eng.Seed() != 2 || b.eng.Now() != 0 {
		t.Fatalf("after s: seed %d, clock %v; want seed 2 at 0", b.eng.Seed(), b.eng.Now())
	}
	b = b.advanceTo(5 * time.Second)
	a = newModel(t, testConfig(5), 140, 45, 5*time.Second)
	if a.View() == b.View() {
		t.Error("a new seed gives the same run")
	}
	if c, _ := press(t, b, "s"); c.eng.Seed() != 3 {
		t.Errorf("s twice: seed %d, want 3", c.eng.Seed())
	}
}

func TestHelpKey(t *testing.T) {
	m := newModel(t, testConfig(5), 140, 45, time.Second)
	if strings.Contains(m.View(), "think, all tasks") {
		t.Fatal("the short help already shows everything")
	}
	m, _ = press(t, m, "?")
	if !m.help.ShowAll || !strings.Contains(m.View(), "think, all tasks") {
		t.Fatal("? does not show the full help")
	}
	checkFrame(t, m.View(), 140, 45)
	m, _ = press(t, m, "?")
	if m.help.ShowAll {
		t.Error("? again does not hide the full help")
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			m := newModel(t, testConfig(2), 80, 24, 0)
			_, cmd := press(t, m, k)
			if cmd == nil {
				t.Fatal("no command")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("%s does not quit", k)
			}
		})
	}
}

func TestMouse(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 45}} {
		m := newModel(t, testConfig(5), size[0], size[1], time.Second)
		l := m.lay
		// Click the third row of the table.
		m = update(t, m, tea.MouseMsg{X: l.tasks.x + 5, Y: l.tasks.y + 2 + 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		if m.tasks.sel != 2 {
			t.Errorf("%v: click on the table's 3rd row selects %d", size, m.tasks.sel)
		}
		// Click the second lane of the timeline.
		m = update(t, m, tea.MouseMsg{X: l.time.x + 20, Y: l.time.y + 1 + 1, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		if m.tasks.sel != 1 {
			t.Errorf("%v: click on the timeline's 2nd lane selects %d", size, m.tasks.sel)
		}
		// A click on the column header or elsewhere changes nothing.
		m = update(t, m, tea.MouseMsg{X: l.tasks.x + 5, Y: l.tasks.y + 1, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		m = update(t, m, tea.MouseMsg{X: 0, Y: 0, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		if m.tasks.sel != 1 {
			t.Errorf("%v: a click off the rows changed the selection to %d", size, m.tasks.sel)
		}
		m = update(t, m, tea.MouseMsg{X: 0, Y: 0, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelDown})
		if m.tasks.sel != 2 {
			t.Errorf("%v: wheel down selects %d, want 2", size, m.tasks.sel)
		}
	}
}

func TestResetRestoresTheScenarioAsLoaded(t *testing.T) {
	m := newModel(t, testConfig(3), 140, 45, 2*time.Second)
	m = selectTask(t, m, 1)
	m, _ = press(t, m, "a", "x", "p", "H", "s", "s")
	if m.eng.NumTasks() == 3 && m.eng.Policy() == lock.FIFO {
		t.Fatal("the changes did not take")
	}
	m, _ = press(t, m, "R")
	if m.eng.NumTasks() != 3 || m.eng.Policy() != lock.FIFO || m.eng.Seed() != 1 || m.eng.Now() != 0 {
		t.Fatalf("after R: %d tasks, %v, seed %d at %v", m.eng.NumTasks(), m.eng.Policy(), m.eng.Seed(), m.eng.Now())
	}
	for i := range 3 {
		if m.eng.Spec(int32(i)) != testConfig(3).Tasks[i] {
			t.Errorf("task %d is %+v after R", i, m.eng.Spec(int32(i)))
		}
	}
	// And r keeps changes.
	m, _ = press(t, m, "H", "r")
	if m.eng.Spec(0).Hold.Mean() != 500*time.Millisecond {
		t.Errorf("r dropped the hold change: %v", m.eng.Spec(0).Hold)
	}
}

func TestUntilStopsTheLiveView(t *testing.T) {
	m := New(testConfig(3), Options{Until: 2 * time.Second, Speed: 1000})
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 34})
	at := time.Unix(0, 0)
	var cmd tea.Cmd
	for i := 0; i < 100 && m.ticking; i++ {
		at = at.Add(frameInterval)
		var next tea.Model
		next, cmd = m.Update(frameMsg{tag: m.frameTag, at: at})
		m = next.(Model)
	}
	if m.eng.Now() != 2*time.Second || cmd != nil || !m.paused {
		t.Fatalf("clock %v, paused %v, more frames %v: want stopped at 2s", m.eng.Now(), m.paused, cmd != nil)
	}
	if h := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(h, "t 2.000s") || !strings.Contains(h, "finished") {
		t.Errorf("header %q", h)
	}
	if m, _ = press(t, m, "space"); !m.paused || m.ticking {
		t.Error("space runs past until")
	}
}

func TestKeyBurstSyncsOnce(t *testing.T) {
	m := newModel(t, testConfig(100), 140, 45, time.Second)
	before := m.View()
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("a", 500))})
	m = next.(Model)
	if m.eng.NumTasks() != 600 || !m.sc.stale || len(m.sc.snap.Tasks) != 100 {
		t.Fatalf("%d tasks, stale %v, %d in the snapshot: want 600 added at once and the snapshot later",
			m.eng.NumTasks(), m.sc.stale, len(m.sc.snap.Tasks))
	}
	if m.View() != before {
		t.Error("the frame was drawn again before the sync")
	}
	if msgs := collect(cmd); msgs[syncMsg{}] != 1 {
		t.Fatalf("the burst asks for %d syncs, want 1", msgs[syncMsg{}])
	}
	m = update(t, m, syncMsg{})
	if len(m.sc.snap.Tasks) != 600 || m.sc.stale || !strings.Contains(m.View(), "Tasks rows") {
		t.Fatalf("after the sync: %d tasks in the snapshot", len(m.sc.snap.Tasks))
	}
}

// collect runs cmd and the batches it returns, counting the messages.
func collect(cmd tea.Cmd) map[tea.Msg]int {
	out := map[tea.Msg]int{}
	if cmd == nil {
		return out
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			for k, v := range collect(c) {
				out[k] += v
			}
		}
	default:
		out[msg]++
	}
	return out
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

package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"lockviz/lock"
	"lockviz/sim"
)

// frameMsg is one animation frame of the chain numbered tag, sent at time at.
type frameMsg struct {
	tag int
	at  time.Time
}

const (
	frameInterval = time.Second / 30
	// maxFrameGap caps the real time one frame accounts for, so a stall
	// (a suspended terminal, a slow machine) does not jump the simulation.
	maxFrameGap = 100 * time.Millisecond
)

// frame schedules the next frame of chain tag.
func frame(tag int) tea.Cmd {
	return tea.Tick(frameInterval, func(t time.Time) tea.Msg { return frameMsg{tag: tag, at: t} })
}

// speeds are the steps of `>` and `<`, in virtual seconds per real second.
var speeds = [...]float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

// Update handles window sizes, frames, keys and the mouse.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.resize(msg), nil
	case frameMsg:
		return m.handleFrame(msg)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			return m.handleRunes(msg)
		}
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg), nil
	}
	return m, nil
}

// resize takes a new window size.
func (m Model) resize(msg tea.WindowSizeMsg) Model {
	m.width, m.height, m.sized = msg.Width, msg.Height, true
	if m.ink == nil {
		m.ink = compileInk()
	}
	m.help.Width = msg.Width
	m.sync()
	return m
}

// frameBudget bounds the engine's work in one frame, in AdvanceWithin's
// units (handles run and loop iterations begun), so that tasks that loop
// without ever sleeping cannot freeze the screen; the virtual clock then
// lags instead. 1<<17 units take about 9 ms (BenchmarkFrameSpinning), a
// quarter of a frame's 33 ms; 1<<20 took 70 ms, two frames.
const frameBudget = 1 << 17

// handleFrame advances the virtual clock by speed × the real time since the
// previous frame, and asks for the next frame while running.
func (m Model) handleFrame(msg frameMsg) (tea.Model, tea.Cmd) {
	if msg.tag != m.frameTag || !m.ticking {
		return m, nil // a frame of a chain that was stopped
	}
	if m.paused || m.sc.snap.Finished {
		m.ticking = false
		return m, nil
	}
	elapsed := frameInterval
	if !m.lastFrame.IsZero() {
		elapsed = min(max(msg.at.Sub(m.lastFrame), 0), maxFrameGap)
	}
	m.lastFrame = msg.at
	m.eng.AdvanceWithin(m.eng.Now()+time.Duration(float64(elapsed)*m.speed), frameBudget)
	m.sync()
	if m.sc.snap.Finished {
		m.ticking = false
		return m, nil
	}
	return m, frame(m.frameTag)
}

// handleRunes applies keys that arrived together (a held key, a fast
// typist, tmux send-keys), which Bubble Tea delivers as one message, one by
// one.
func (m Model) handleRunes(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	var next tea.Model = m
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		next, cmd = next.(Model).handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
		cmds = append(cmds, cmd)
	}
	return next, tea.Sequence(cmds...)
}

// handleKey applies one key: the keys that steer the view here, those
// that change the simulation in changeSim.
func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := &m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
		if m.paused {
			m.stopFrames()
		}
	case key.Matches(msg, k.Step):
		m.eng.Step()
	case key.Matches(msg, k.Faster):
		m.speed = stepSpeed(m.speed, +1)
	case key.Matches(msg, k.Slower):
		m.speed = stepSpeed(m.speed, -1)
	case key.Matches(msg, k.Up):
		m.tasks = m.tasks.move(-1)
	case key.Matches(msg, k.Down):
		m.tasks = m.tasks.move(+1)
	case key.Matches(msg, k.PageUp):
		m.tasks = m.tasks.move(-m.tasks.page())
	case key.Matches(msg, k.PageDown):
		m.tasks = m.tasks.move(+m.tasks.page())
	case key.Matches(msg, k.First):
		m.tasks = m.tasks.move(-len(m.sc.visible))
	case key.Matches(msg, k.Last):
		m.tasks = m.tasks.move(+len(m.sc.visible))
	case key.Matches(msg, k.Restart, k.NewSeed):
		m.restart(key.Matches(msg, k.NewSeed))
	default:
		if !m.changeSim(msg) {
			return m, nil
		}
		// Run what the change made ready at the current instant (a
		// cancelled holder's release, a woken waiter, a new task's first
		// step), so that it shows at once, paused or not.
		m.eng.AdvanceWithin(m.eng.Now(), frameBudget)
	}
	m.sync()
	return m, m.startFrames()
}

// restart runs the simulation again from time 0 with the current settings,
// under the next seed if newSeed, keeping the selected task selected.
func (m *Model) restart(newSeed bool) {
	cfg := m.eng.Config()
	if newSeed {
		cfg.Seed++
	}
	name := ""
	if m.tasks.sel >= 0 {
		name = m.eng.TaskName(m.tasks.sel)
	}
	m.stopFrames()
	m.start(cfg)
	// Config drops the cancelled tasks, so ids change: select the same
	// task again by its name.
	m.tasks = m.tasks.selectName(name)
}

// changeSim applies a key that changes the running simulation from the
// current virtual time on, and reports whether msg was one.
func (m *Model) changeSim(msg tea.KeyMsg) bool {
	k, sel := &m.keys, m.tasks.sel
	switch {
	case key.Matches(msg, k.AddTask):
		m.addTask()
	case key.Matches(msg, k.RemoveTask):
		m.eng.CancelTask(sel)
	case key.Matches(msg, k.LongerHold, k.ShorterHold):
		m.eng.SetHold(sel, stepDist(m.eng.Spec(sel).Hold, stepOf(key.Matches(msg, k.LongerHold))))
	case key.Matches(msg, k.LongerHoldAll, k.ShorterHoldAll):
		d := stepOf(key.Matches(msg, k.LongerHoldAll))
		for _, id := range m.sc.visible {
			m.eng.SetHold(id, stepDist(m.eng.Spec(id).Hold, d))
		}
	case key.Matches(msg, k.LongerThink, k.ShorterThink):
		d := stepOf(key.Matches(msg, k.LongerThink))
		for _, id := range m.sc.visible {
			m.eng.SetThink(id, stepDist(m.eng.Spec(id).Think, d))
		}
	case key.Matches(msg, k.Policy):
		next, permits := m.eng.Policy().Next(), 1
		if next == lock.Semaphore {
			permits = m.permits
		}
		m.eng.SetPolicy(next, permits)
	default:
		return false
	}
	return true
}

// handleMouse selects the task row clicked, in the table or the timeline,
// and scrolls with the wheel.
func (m Model) handleMouse(msg tea.MouseMsg) Model {
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		m.tasks = m.tasks.move(-1)
	case msg.Button == tea.MouseButtonWheelDown:
		m.tasks = m.tasks.move(+1)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft:
		l := m.lay
		switch {
		case l.tasks.contains(msg.X, msg.Y):
			m.tasks = m.tasks.selectRow(msg.Y - l.tasks.y - 2)
		case l.time.contains(msg.X, msg.Y) && msg.Y < l.time.y+l.time.h-1:
			m.tasks = m.tasks.selectRow(msg.Y - l.time.y - 1)
		default:
			return m
		}
	default:
		return m
	}
	m.sync()
	return m
}

// stopFrames ends the live frame chain: its next frame will be dropped.
func (m *Model) stopFrames() {
	m.frameTag++
	m.ticking = false
}

// startFrames starts a frame chain if the model should run and none is live.
func (m *Model) startFrames() tea.Cmd {
	if m.paused || m.sc.snap.Finished || m.ticking {
		return nil
	}
	m.frameTag++
	m.ticking = true
	m.lastFrame = time.Time{}
	return frame(m.frameTag)
}

// sync refreshes the scene from the engine and lays the panels out again.
func (m *Model) sync() {
	sc := m.sc
	m.eng.Snapshot(&sc.snap)
	sc.visible = sc.visible[:0]
	for i := range sc.snap.Tasks {
		if sc.snap.Tasks[i].Phase != sim.Gone {
			sc.visible = append(sc.visible, sc.snap.Tasks[i].ID)
		}
	}
	sc.speed, sc.paused = m.speed, m.paused
	m.tasks.sc = sc
	m.tasks = m.tasks.clamp()
	sel := m.tasks.sel
	selRuns := sel >= 0 && sc.snap.Tasks[sel].Phase.Active()
	m.keys = m.keys.update(m.paused, sc.snap.Finished, sel >= 0, selRuns, len(sc.visible) > 0, m.help.ShowAll)
	if !m.sized {
		return
	}
	footerH := lipgloss.Height(m.footer())
	m.lay = computeLayout(m.width, m.height, footerH, len(sc.visible), sc.snap.Finished)
	if m.lay.small {
		return
	}
	l := &m.lay
	m.header = headerPanel{sc: sc, st: m.styles, k: m.ink}.SetSize(l.header.w)
	m.lock = lockPanel{sc: sc, k: m.ink, lastEvent: l.events.h == 0}.SetSize(l.lock.w, l.lock.h)
	m.shared = sharedPanel{sc: sc, k: m.ink}.SetSize(l.shared.w, l.shared.h)
	m.stats = statsPanel{sc: sc, k: m.ink}.SetSize(l.stats.w, l.stats.h)
	m.events = eventsPanel{sc: sc, k: m.ink}.SetSize(l.events.w, l.events.h)
	m.tasks.k = m.ink
	m.tasks = m.tasks.SetSize(l.tasks.w, l.tasks.h)
	m.timeline = timelinePanel{sc: sc, k: m.ink}.SetSize(l.time.w, l.time.h).follow(m.tasks)
	sc.laneCells = m.timeline.laneWidth()
	sc.bucket = bucketFor(sc, sc.laneCells)
	sc.span = sc.bucket * time.Duration(sc.laneCells)
}

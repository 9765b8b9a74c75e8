package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/timeline"
)

// speeds are the steps of `>` and `<`, in virtual seconds per real second.
var speeds = [...]float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

// Update handles window sizes, frames, keys and the mouse.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m = m.resize(msg)
		if p := m.play; p != nil && !p.started {
			p.started = true
			return m, func() tea.Msg { return scriptFrameMsg{} }
		}
		return m, nil
	case frameMsg:
		return m.handleFrame(msg)
	case scriptFrameMsg:
		return m.handleScriptFrame()
	case syncMsg:
		m.sc.syncing = false
		if m.sc.stale {
			m.sync()
		}
		return m, m.startFrames()
	case forkDoneMsg:
		if msg.tag == m.forkTag && m.sc.forked {
			m.sc.forked = false
			m.relayout()
		}
		return m, nil
	case tea.KeyMsg:
		if m.seeking {
			return m.handleSeekKey(msg)
		}
		m.seekErr = "" // said once, until the next key
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

// The engine's work in a frame is bounded by time, so that tasks that loop
// without ever sleeping cannot freeze the screen and that a fast speed is
// reached whenever the machine allows: the engine runs in chunks of
// frameBudget units (handles run and loop iterations begun; 1<<14 take
// about a millisecond) until the frame's target or half a frame has passed.
const (
	frameBudget = 1 << 14
	frameWork   = frameInterval / 2
)

// handleFrame advances the virtual clock by speed × the real time since the
// previous frame, and asks for the next frame while running.
func (m Model) handleFrame(msg frameMsg) (tea.Model, tea.Cmd) {
	elapsed, live := m.frameOf(msg)
	if !live {
		return m, nil
	}
	if m.paused || m.sc.finished() {
		m.ticking = false
		return m, nil
	}
	target := m.eng.Now() + time.Duration(float64(elapsed)*m.speed)
	if m.sc.until > 0 {
		target = min(target, m.sc.until)
	}
	for deadline := time.Now().Add(frameWork); !m.eng.AdvanceWithin(target, frameBudget) && time.Now().Before(deadline); {
	}
	m.pace.add(msg.at, m.eng.Now())
	m.sync()
	if m.sc.finished() {
		m.ticking = false
		if m.sc.until > 0 && m.sc.snap.Now >= m.sc.until {
			m.paused = true
			m.sync()
		}
		return m, nil
	}
	return m, frameIn(m.frameTag, frameInterval-time.Since(msg.at))
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
	return next, tea.Batch(cmds...)
}

// handleKey applies one key: the keys that steer the view here, those
// that change the simulation in changeSim.
func (m Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := &m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Suspend):
		return m, func() tea.Msg { askToStop(); return nil }
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Code):
		m.codeOn = !m.codeShown()
		m.codeSet = true
	case key.Matches(msg, k.Captions):
		m.caps.hidden = !m.caps.hidden
	case key.Matches(msg, k.Pause):
		if m.sc.finished() {
			return m, nil
		}
		m.paused = !m.paused
		m.pace = pace{}
		if m.paused {
			m.stopFrames()
		} else if m.past != nil {
			return m, tea.Batch(m.fork(), m.startFrames())
		}
	case key.Matches(msg, k.Step, k.Forward):
		if (m.paused || m.past != nil) && (m.past != nil || !m.sc.finished()) {
			m.stepForward(anyEvent, 1)
		}
		return m, nil
	case (m.paused || m.sc.finished()) && m.travelKey(msg):
		return m, nil
	case key.Matches(msg, k.Seek):
		if m.paused || m.sc.finished() {
			m.seeking, m.seekErr = true, ""
			m.seek.SetValue("")
			cmd := m.seek.Focus()
			m.relayout()
			return m, cmd
		}
		return m, nil
	case key.Matches(msg, k.Faster, k.Slower):
		m.speed = stepSpeed(m.speed, stepOf(key.Matches(msg, k.Faster)))
		m.pace = pace{}
	case key.Matches(msg, k.Up):
		m.tasks = m.tasks.move(-1)
	case key.Matches(msg, k.Down):
		m.tasks = m.tasks.move(+1)
	case key.Matches(msg, k.PageUp):
		m.tasks = m.tasks.move(-m.tasks.page())
	case key.Matches(msg, k.PageDown):
		m.tasks = m.tasks.move(+m.tasks.page())
	case key.Matches(msg, k.First):
		m.tasks = m.tasks.move(-m.tasks.count())
	case key.Matches(msg, k.Last):
		m.tasks = m.tasks.move(+m.tasks.count())
	case key.Matches(msg, k.Restart, k.NewSeed):
		m.restart(key.Matches(msg, k.NewSeed))
		return m, nil
	case key.Matches(msg, k.Reset):
		m.reset()
		return m, nil
	default:
		if !m.changes(msg) {
			return m, nil
		}
		// A change in the past resumes the run there.
		forked := m.fork()
		m.changeSim(msg)
		// Run what the change made ready at the current instant (a
		// cancelled holder's release, a woken waiter, a new task's first
		// step), so that it shows at once, paused or not.
		m.eng.AdvanceWithin(m.eng.Now(), frameBudget)
		return m, tea.Batch(m.markStale(), m.startFrames(), forked)
	}
	// These keys change what is shown, not the simulation: no snapshot.
	m.relayout()
	return m, m.startFrames()
}

// markStale notes that the simulation changed and asks for one sync,
// however many keys come before it: a key then costs the same with ten
// tasks or a hundred thousand.
func (m *Model) markStale() tea.Cmd {
	m.sc.stale = true
	if m.sc.syncing {
		return nil
	}
	m.sc.syncing = true
	return syncNow
}

// restart runs the simulation again from time 0 with the current settings,
// under the next seed if newSeed, keeping the selected task selected.
func (m *Model) restart(newSeed bool) {
	cfg := m.eng.Config()
	if newSeed {
		cfg.Seed++
	}
	m.startOver(cfg)
}

// reset runs the scenario again as it was loaded: its tasks, policy and
// seed, without the changes made since.
func (m *Model) reset() {
	cfg := m.loaded
	cfg.Tasks = append([]sim.TaskSpec(nil), m.loaded.Tasks...)
	m.startOver(cfg)
}

// startOver starts cfg paused at time 0, keeping the task of the same name
// selected.
func (m *Model) startOver(cfg sim.Config) {
	name := ""
	if sel := m.tasks.sel; sel >= 0 && int(sel) < m.eng.NumTasks() {
		name = m.eng.TaskName(sel)
	}
	m.stopFrames()
	m.paused = true
	m.start(cfg)
	// A restart leaves the cancelled tasks out, so ids change: select the
	// same task again by its name.
	m.tasks = m.tasks.selectName(name)
}

// changeSim applies a key that changes the running simulation from the
// current virtual time on, and reports whether msg was one.
func (m *Model) changeSim(msg tea.KeyMsg) bool {
	k, sel := &m.keys, m.tasks.sel
	switch {
	case key.Matches(msg, k.AddTask):
		return m.addTask()
	case key.Matches(msg, k.RemoveTask):
		if !m.eng.Running(sel) {
			return false
		}
		m.change(func(e *sim.Engine, _ *timeline.History) { e.CancelTask(sel) })
		return true
	case key.Matches(msg, k.LongerHold, k.ShorterHold):
		return m.tune.step(journaled{m}, sel, holdOf, stepOf(key.Matches(msg, k.LongerHold)))
	case key.Matches(msg, k.LongerHoldAll, k.ShorterHoldAll):
		return m.tune.stepAll(journaled{m}, holdOf, stepOf(key.Matches(msg, k.LongerHoldAll)))
	case key.Matches(msg, k.LongerThink, k.ShorterThink):
		return m.tune.stepAll(journaled{m}, thinkOf, stepOf(key.Matches(msg, k.LongerThink)))
	case key.Matches(msg, k.Policy):
		next, permits := m.eng.Policy().Next(), 1
		if next == lock.Semaphore {
			permits = m.permits
		}
		m.change(func(e *sim.Engine, h *timeline.History) {
			e.SetPolicy(next, permits)
			h.SetLimited(e.Now(), next != lock.None)
		})
		return true
	}
	return false
}

// changes reports whether msg is a key that changes the simulation.
func (m *Model) changes(msg tea.KeyMsg) bool {
	k := &m.keys
	return key.Matches(msg, k.AddTask, k.RemoveTask, k.LongerHold, k.ShorterHold, k.LongerHoldAll,
		k.ShorterHoldAll, k.LongerThink, k.ShorterThink, k.Policy)
}

// travelKey applies a key that goes back or forth in the run's history,
// and reports whether msg was one.
func (m *Model) travelKey(msg tea.KeyMsg) bool {
	k, sel := &m.keys, m.tasks.sel
	switch {
	case key.Matches(msg, k.Back):
		m.stepBack()
	case key.Matches(msg, k.SecondBack):
		m.seekTime(max(m.eng.Now()-time.Second, 0))
	case key.Matches(msg, k.SecondForward):
		m.seekTime(m.eng.Now() + time.Second)
	case key.Matches(msg, k.PrevAcquired) && sel >= 0:
		if s, ok := m.jr.lastBefore(m.at(), acquiredBy(sel)); ok {
			m.show(s)
		}
	case key.Matches(msg, k.NextAcquired) && sel >= 0:
		m.stepForward(acquiredBy(sel), maxSearch)
	default:
		return false
	}
	return true
}

// maxSearch bounds the work `}` runs the live run on for the selected
// task's next acquisition, which may never come.
const maxSearch = 1 << 22

// handleSeekKey feeds a key to `g`'s time: enter goes there, esc gives up.
func (m Model) handleSeekKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.seeking = false
		m.seek.Blur()
	case tea.KeyEnter:
		m.seeking = false
		m.seek.Blur()
		if t, err := parseSeek(m.seek.Value()); err != nil {
			m.seekErr = err.Error()
		} else {
			m.seekTime(t)
		}
	case tea.KeyCtrlC:
		return m, tea.Quit
	default:
		var cmd tea.Cmd
		m.seek, cmd = m.seek.Update(msg)
		m.relayout()
		return m, cmd
	}
	m.relayout()
	return m, nil
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
		r := m.tasks.rowAt(msg.X, msg.Y)
		if r < 0 {
			r = m.timeline.rowAt(msg.X, msg.Y)
		}
		if r < 0 {
			return m
		}
		m.tasks = m.tasks.selectRow(r)
	default:
		return m
	}
	m.relayout()
	return m
}

// startFrames starts a frame chain if the model should run and none is
// live; a script's frames are never stopped, so never started again.
func (m *Model) startFrames() tea.Cmd {
	if m.paused || m.sc.finished() || m.ticking || m.play != nil {
		return nil
	}
	return m.startChain()
}

// sync refreshes the scene from the engine and lays the panels out again.
func (m *Model) sync() {
	sc := m.sc
	m.eng.Snapshot(&sc.snap)
	if m.past == nil && !m.compared {
		m.jr.note(m.eng, sc)
	}
	sc.stale, m.buf.ok = false, false
	if sc.snap.Deadlock != nil && !sc.deadlockSeen {
		// Stop where it formed, so that it can be read before time runs on.
		sc.deadlockSeen = true
		m.paused = true
		m.stopFrames()
	}
	sc.words = format.PolicyWords(sc.snap.Policy)
	sc.reached = 0
	if !m.paused && !sc.finished() {
		if r, ok := m.pace.reached(); ok && r < 0.9*m.speed {
			sc.reached = r
		}
	}
	sc.typical = typicalCycle(&sc.snap)
	m.tasks.sc = sc
	m.tasks = m.tasks.clamp()
	m.relayout()
}

// codeShown reports whether the code panel is wanted: as `c` last set it,
// or else when the window is wide enough for it beside the other panels.
func (m *Model) codeShown() bool {
	if m.codeSet {
		return m.codeOn
	}
	return m.width >= codeFrom
}

// relayout lays the panels out for the current scene, selection and help.
func (m *Model) relayout() {
	sc := m.sc
	m.buf.ok = false
	sc.speed, sc.paused = m.speed, m.paused
	sel := m.tasks.sel
	selRuns := sel >= 0 && int(sel) < len(sc.snap.Tasks) && sc.snap.Tasks[sel].Phase.Active()
	hasTasks := len(sc.snap.Tasks) > 0
	m.keys = m.keys.update(m.paused, sc.finished(), sel >= 0, selRuns, hasTasks, m.help.ShowAll, m.caps.band, codeWidth(m.width) > 0, sc.seed)
	if !m.sized {
		return
	}
	footerH := 0
	if f := m.footer(); f != "" {
		footerH = lipgloss.Height(f)
	}
	m.lay = computeLayout(m.width, m.height, m.caps.shown(), footerH, len(sc.snap.Tasks), sc.finished(), m.help.ShowAll, m.codeShown())
	if m.lay.small || m.lay.helpOnly {
		return
	}
	m.placePanels()
}

// placePanels puts the panels where the layout says and picks the
// timeline's columns for the width it got.
func (m *Model) placePanels() {
	sc, sel := m.sc, m.tasks.sel
	l := &m.lay
	m.header = headerPanel{panel: m.panel(l.header), st: m.styles}
	m.lock = lockPanel{panel: m.panel(l.lock), lastEvent: l.events.h == 0}
	m.shared = sharedPanel{m.panel(l.shared)}
	m.stats = statsPanel{panel: m.panel(l.stats)}
	m.events = eventsPanel{m.panel(l.events)}
	m.code = codePanel{panel: m.panel(l.code), sel: sel}
	m.tasks = m.tasks.place(m.panel(l.tasks))
	m.timeline = timelinePanel{panel: m.panel(l.time)}.follow(m.tasks)
	sc.laneCells = m.timeline.laneWidth()
	sc.bucket, sc.start = m.window(sc.laneCells)
	sc.hist.Grid(&sc.grid, sc.start, sc.bucket, sc.laneCells)
}

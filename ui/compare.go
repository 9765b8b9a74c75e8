package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"lockviz/sim"
)

// Compare is the live view of one scenario under several policies at
// once: a column a policy (a band each when the window is narrow), each a
// live view's lock, timeline and statistics, all on one clock and driven
// by the same keys. Each column is a Model that never runs on its own:
// Compare advances, changes and lays out all of them.
type Compare struct {
	keys   KeyMap
	help   help.Model
	styles *Styles
	ink    *ink
	opts   Options
	cols   []Model

	now        time.Duration // the one clock; a column that ended stays where it ended
	clock      *sharedClock  // now, as the columns read it
	speed      float64
	paused     bool
	frameChain // a frame chain is live while ticking

	width, height int
	sized         bool
	lay           compareLayout
	drawn         *drawnFrame
}

var _ tea.Model = Compare{}

// sharedClock is a comparison's one clock, as its columns' timelines
// read it: the time, and whether every run has ended.
type sharedClock struct {
	now  time.Duration
	done bool
}

// drawnFrame is the last frame drawn, valid while ok.
type drawnFrame struct {
	view string
	ok   bool
}

// NewCompare returns a comparison of cfgs, the same scenario under
// different policies, with the view's settings opts.
func NewCompare(cfgs []sim.Config, opts Options) Compare {
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	c := Compare{keys: DefaultKeyMap(), help: help.New(), opts: opts, speed: opts.Speed, paused: opts.Paused,
		drawn: &drawnFrame{}, clock: &sharedClock{}}
	st := DefaultStyles()
	c.styles = &st
	c.help.Styles = st.Help
	for _, cfg := range cfgs {
		m := New(cfg, Options{Scenario: opts.Scenario, Speed: opts.Speed, Paused: true, Until: opts.Until})
		m.compared, m.clock = true, c.clock
		c.cols = append(c.cols, m)
	}
	c.ticking = !c.paused && !c.finished()
	c.relayout()
	return c
}

// Init starts the frame loop unless the comparison starts paused.
func (c Compare) Init() tea.Cmd {
	if !c.ticking {
		return nil
	}
	return frame(c.frameTag)
}

// finished reports whether every column's run is over.
func (c *Compare) finished() bool {
	for i := range c.cols {
		if !c.cols[i].sc.finished() {
			return false
		}
	}
	return true
}

// Update handles window sizes, frames and keys.
func (c Compare) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		c.width, c.height, c.sized = msg.Width, msg.Height, true
		if c.ink == nil {
			c.ink = compileInk()
		}
		for i := range c.cols {
			c.cols[i].ink = c.ink
		}
		c.help.Width = msg.Width
		c.relayout()
		return c, nil
	case frameMsg:
		return c.handleFrame(msg)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			var cmds []tea.Cmd
			var next tea.Model = c
			for _, r := range msg.Runes {
				var cmd tea.Cmd
				next, cmd = next.(Compare).handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				cmds = append(cmds, cmd)
			}
			return next, tea.Batch(cmds...)
		}
		return c.handleKey(msg)
	}
	return c, nil
}

// handleFrame advances every column to the one clock's new time: speed ×
// the real time since the previous frame.
func (c Compare) handleFrame(msg frameMsg) (tea.Model, tea.Cmd) {
	elapsed, live := c.frameOf(msg)
	if !live {
		return c, nil
	}
	if c.paused || c.finished() {
		c.ticking = false
		return c, nil
	}
	target := c.now + time.Duration(float64(elapsed)*c.speed)
	if c.opts.Until > 0 {
		target = min(target, c.opts.Until)
	}
	// The columns share the frame's work, so that a slow one holds the
	// clock back rather than running ahead of the others.
	reached := make([]bool, len(c.cols))
	for deadline := time.Now().Add(frameWork); ; {
		all := true
		for i := range c.cols {
			if !reached[i] {
				reached[i] = c.cols[i].eng.AdvanceWithin(target, frameBudget/len(c.cols)+1)
				all = all && reached[i]
			}
		}
		if all || !time.Now().Before(deadline) {
			break
		}
	}
	c.now = target
	for i := range c.cols {
		if !reached[i] {
			c.now = min(c.now, c.cols[i].eng.Now())
		}
	}
	c.syncAll()
	if c.finished() {
		// Every run has ended: the clock stops at the last end, not
		// wherever the frame it ended in happened to reach.
		c.now = 0
		for i := range c.cols {
			c.now = max(c.now, c.cols[i].eng.Now())
		}
	}
	if c.paused || c.finished() || c.opts.Until > 0 && c.now >= c.opts.Until {
		c.ticking, c.paused = false, true
		c.relayout()
		return c, nil
	}
	return c, frameIn(c.frameTag, frameInterval-time.Since(msg.at))
}

// syncAll brings every column's scene up to date; a deadlock that formed
// in one pauses all, so that it can be read beside the others.
func (c *Compare) syncAll() {
	for i := range c.cols {
		col := &c.cols[i]
		seen := col.sc.deadlockSeen
		col.sync()
		if col.sc.deadlockSeen && !seen {
			c.paused = true
		}
	}
	c.relayout()
}

// handleKey applies one key to the comparison, or to every column alike.
func (c Compare) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := &c.keys
	switch {
	case key.Matches(msg, k.Quit):
		return c, tea.Quit
	case key.Matches(msg, k.Suspend):
		return c, func() tea.Msg { askToStop(); return nil }
	case key.Matches(msg, k.Help):
		c.help.ShowAll = !c.help.ShowAll
	case key.Matches(msg, k.Pause):
		if c.finished() {
			return c, nil
		}
		c.paused = !c.paused
		if c.paused {
			c.stopFrames()
		}
	case key.Matches(msg, k.Step):
		if c.paused && !c.finished() {
			c.step()
		}
	case key.Matches(msg, k.Faster, k.Slower):
		c.speed = stepSpeed(c.speed, stepOf(key.Matches(msg, k.Faster)))
		for i := range c.cols {
			c.cols[i].speed = c.speed
		}
	case key.Matches(msg, k.Up, k.Down, k.PageUp, k.PageDown, k.First, k.Last, k.AddTask, k.RemoveTask,
		k.LongerHold, k.ShorterHold, k.LongerHoldAll, k.ShorterHoldAll, k.LongerThink, k.ShorterThink):
		c.toAll(msg)
	case key.Matches(msg, k.Restart, k.NewSeed, k.Reset):
		c.toAll(msg)
		c.now, c.paused = 0, true // a restart waits, paused at 0, as the live view's does
		c.stopFrames()
	default:
		return c, nil
	}
	c.relayout()
	return c, c.startFrames()
}

// toAll gives the key to every column, as if typed into each live view:
// the columns run the same tasks, so the same task is selected, added,
// cancelled or changed in each.
func (c *Compare) toAll(msg tea.KeyMsg) {
	for i := range c.cols {
		next, _ := c.cols[i].handleKey(msg) // its commands are for a live view of its own
		col := next.(Model)
		if col.sc.stale {
			col.sync()
		}
		c.cols[i] = col
	}
	c.syncAll()
}

// step runs the comparison to the next instant at which any column has an
// event: the columns whose next event is then take one event each, the
// others wait to then, so that the clock stays one.
func (c *Compare) step() {
	next := make([]time.Duration, len(c.cols))
	target := time.Duration(-1)
	for i := range c.cols {
		next[i] = -1
		if c.cols[i].sc.finished() {
			continue
		}
		if e := c.cols[i].eng.Clone(); e.Step() {
			next[i] = e.Now()
			if target < 0 || next[i] < target {
				target = next[i]
			}
		}
	}
	if target < 0 {
		return
	}
	for i := range c.cols {
		col := &c.cols[i]
		if next[i] == target {
			col.stepForward(anyEvent, 1) // one event, as n in the live view
		} else if next[i] > target {
			col.eng.AdvanceTo(target)
		}
	}
	c.now = target
	c.syncAll()
}

// startFrames starts a frame chain if the comparison should run and none
// is live.
func (c *Compare) startFrames() tea.Cmd {
	if c.paused || c.finished() || c.ticking {
		return nil
	}
	return c.startChain()
}

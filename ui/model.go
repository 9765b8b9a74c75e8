// Package ui is lockviz's live terminal UI: a Bubble Tea model that runs the
// simulation engine on a virtual clock and draws who holds the lock, who
// waits in which order, what each task did over the last stretch of time and
// what the tasks wrote to the shared list. It drives the engine only through
// sim's public API; keys change the running simulation.
package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"lockviz/sim"
)

// Options are the settings of a UI session that are not part of the
// simulation's configuration.
type Options struct {
	Scenario string  // name shown in the header
	Speed    float64 // virtual seconds per real second; 0 means 1
	Paused   bool    // start paused
}

// The smallest window the layout fits in.
const (
	MinWidth  = 72
	MinHeight = 20
)

// Model is the UI's Bubble Tea model.
type Model struct {
	keys   KeyMap
	help   help.Model
	styles *Styles
	ink    *ink

	eng      *sim.Engine
	sc       *scene
	template sim.TaskSpec // what `a` adds when no task is left to copy
	permits  int          // the semaphore's permits when `p` reaches it

	speed     float64
	paused    bool
	ticking   bool // a frame chain is live
	frameTag  int
	lastFrame time.Time

	width, height int
	sized         bool
	lay           layout

	header   headerPanel
	lock     lockPanel
	stats    statsPanel
	shared   sharedPanel
	tasks    taskList
	timeline timelinePanel
	events   eventsPanel
}

var _ tea.Model = Model{}

// scene is what the panels draw: the engine's latest snapshot and the
// history recorded from its trace. Only Update changes it.
type scene struct {
	snap    sim.Snapshot
	hist    *history
	visible []int32 // ids of the tasks shown (cancelled ones are hidden)
	// bucket is the timeline's column width; span its whole width.
	bucket, span time.Duration
	laneCells    int
	scenario     string
	speed        float64
	paused       bool
	// scratch for the views, reused from frame to frame
	cells []cell
	queue []int32
}

// New returns a model running cfg.
func New(cfg sim.Config, opts Options) Model {
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	m := Model{
		keys:    DefaultKeyMap(),
		help:    help.New(),
		sc:      &scene{scenario: opts.Scenario},
		speed:   opts.Speed,
		paused:  opts.Paused,
		permits: max(cfg.Permits, 2),
		template: sim.TaskSpec{
			Name:  "task-1",
			Think: sim.Dist{Kind: sim.Exponential, A: time.Second},
			Hold:  sim.Dist{Kind: sim.Exponential, A: 400 * time.Millisecond},
		},
	}
	if len(cfg.Tasks) > 0 {
		m.template = cfg.Tasks[0]
	}
	st := DefaultStyles()
	m.styles = &st
	m.help.Styles = st.Help
	m.tasks.sel = -1
	m.start(cfg)
	// Init starts the first frame chain.
	m.ticking = !m.paused && !m.sc.snap.Finished
	return m
}

// start replaces the engine with a fresh one running cfg from time 0.
func (m *Model) start(cfg sim.Config) {
	m.eng = sim.New(cfg)
	m.sc.hist = newHistory(len(cfg.Tasks))
	m.eng.OnEvent(m.sc.hist.record)
	// Run what asyncio runs at once: every task's first step.
	m.eng.AdvanceWithin(0, frameBudget)
	m.sync()
}

// Init starts the frame loop unless the model starts paused.
func (m Model) Init() tea.Cmd {
	if m.paused || m.sc.snap.Finished {
		return nil
	}
	return frame(m.frameTag)
}

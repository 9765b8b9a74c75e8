// Package ui is lockviz's live terminal UI: a Bubble Tea model that runs the
// simulation engine on a virtual clock and draws who holds the lock, who
// waits in which order, what each task did over a stretch of time and what
// the tasks wrote to the shared list. It drives the engine only through
// sim's public API; keys change the running simulation.
package ui

import (
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/scenario"
	"lockviz/sim/timeline"
)

// Options are the settings of a UI session that are not part of the
// simulation's configuration.
type Options struct {
	Scenario string             // name shown in the header
	Speed    float64            // virtual seconds per real second; 0 means 1
	Paused   bool               // start paused
	Until    time.Duration      // stop, finished, at this virtual time; 0 runs on
	Theme    Theme              // the terminal's background: auto, dark or light
	Captions []scenario.Caption // the scenario's captions, in order of At
	NoHelp   bool               // no footer of keys, unless ? asks for all
	// Script, when set, is played into the view as if typed, with frames at
	// fixed instants of recording time; Recorder takes those frames, at
	// fixed instants too when there is no script.
	Script   *Script
	Recorder Recorder
}

// The smallest window the layout fits in.
const (
	MinWidth  = 72
	MinHeight = 20
)

// MaxTasks is the most tasks the `a` key adds up to, as in a scenario file.
const MaxTasks = sim.MaxTasks

// Model is the UI's Bubble Tea model.
type Model struct {
	keys   KeyMap
	help   help.Model
	styles *Styles
	ink    *ink
	opts   Options

	eng      *sim.Engine
	sc       *scene
	buf      *scratch
	loaded   sim.Config   // the scenario as loaded, for R
	template sim.TaskSpec // what `a` adds when there is no task to copy
	permits  int          // the semaphore's permits when `p` reaches it
	tune     *tuning      // the hold and think steps of +, -, H, h, T, t
	caps     captions
	play     *player  // the key script being played; nil in a plain live view
	jr       *journal // the run's checkpoints and changes, for going back
	past     *pastRun // the moment shown when it is not the run's newest
	forkTag  int      // the newest fork, whose note the header shows
	seek     textinput.Model
	seeking  bool   // `g` is taking a time
	seekErr  string // why the last time typed was refused

	speed      float64
	paused     bool
	frameChain      // a frame chain is live while ticking
	pace       pace // the speed the clock really reaches

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
	code     codePanel
	// compared says the model is a column of a comparison, which never
	// goes back in time: it takes no checkpoints. clock is the
	// comparison's, which its timeline follows.
	compared bool
	clock    *sharedClock
	// codeOn is the code panel as `c` last set it; until then (codeSet
	// false) it shows when the window is wide enough.
	codeOn, codeSet bool
}

var _ tea.Model = Model{}

// scene is what the panels draw: the engine's latest snapshot and the
// history recorded from its trace. Only Update changes it; keys that change
// the simulation mark it stale, and the next frame or sync message brings it
// up to date, so that a burst of keys costs one snapshot, not one each.
type scene struct {
	snap sim.Snapshot
	seed uint64
	hist *timeline.History
	grid timeline.Grid
	log  eventLog
	// The newest write-back that dropped values: what it dropped, who
	// wrote it and when.
	lastLost []sim.SharedItem
	lostBy   int32
	lostAt   time.Duration
	names    map[string]int // per name stem, the next number `a` gives
	words    format.Words
	typical  time.Duration // a typical think + hold, for the timeline's scale
	// The timeline's columns: width, first column, how many.
	bucket, start time.Duration
	laneCells     int
	scenario      string
	speed         float64
	reached       float64 // the speed the clock reached, 0 when it kept up
	paused        bool
	until         time.Duration
	stale         bool // the simulation changed since the snapshot
	syncing       bool // a syncMsg is on its way
	deadlockSeen  bool // the view paused for the run's deadlock
	forked        bool // the run just resumed from its past, dropping its old future
	inPast        bool // a moment before the run's newest, which is at headNow
	headNow       time.Duration
}

// finished reports whether the run is over: nothing left to run, or the
// clock at the session's until.
func (sc *scene) finished() bool {
	return sc.snap.Finished || sc.snap.Stalled || (sc.until > 0 && sc.snap.Now >= sc.until)
}

// New returns a model running cfg.
func New(cfg sim.Config, opts Options) Model {
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	m := Model{
		keys:    DefaultKeyMap(),
		help:    help.New(),
		opts:    opts,
		sc:      &scene{scenario: opts.Scenario, until: opts.Until},
		buf:     &scratch{},
		speed:   opts.Speed,
		paused:  opts.Paused,
		permits: max(cfg.Permits, 2),
		caps:    newCaptions(opts.Captions, false),
		loaded:  cfg,
		template: sim.TaskSpec{
			Name:  "task-1",
			Think: sim.Dist{Kind: sim.Exponential, A: time.Second},
			Hold:  sim.Dist{Kind: sim.Exponential, A: 400 * time.Millisecond},
		},
	}
	m.loaded.Tasks = slices.Clone(cfg.Tasks)
	if len(cfg.Tasks) > 0 {
		m.template = cfg.Tasks[0]
	}
	st := DefaultStyles()
	m.styles = &st
	m.help.Styles = st.Help
	m.tasks.sel = -1
	m.seek = textinput.New()
	m.seek.Prompt = "go to time: "
	m.seek.Placeholder = "12.5s"
	m.seek.CharLimit = 24
	switch {
	case opts.Script != nil:
		m.play = &player{script: *opts.Script, rec: opts.Recorder}
		m.caps = newCaptions(opts.Captions, opts.Script.Captions)
	case opts.Recorder != nil:
		// Recorded without a script, the view still draws at fixed
		// instants, and runs until quit.
		m.play = &player{rec: opts.Recorder, endless: true}
	}
	m.start(cfg)
	// Init starts the first frame chain; a script's frames start with the
	// first window size instead.
	m.ticking = !m.paused && !m.sc.finished() && m.play == nil
	return m
}

// start replaces the engine with a fresh one running cfg from time 0.
func (m *Model) start(cfg sim.Config) {
	sc := m.sc
	e := sim.New(cfg)
	m.eng = e
	m.tune = newTuning()
	sc.seed = cfg.Seed
	sc.hist = timeline.New(timeline.LimitsFor(len(cfg.Tasks)))
	sc.hist.SetLimited(0, cfg.Policy != lock.None)
	sc.log = eventLog{}
	sc.lastLost = nil
	sc.names = nil
	sc.deadlockSeen = false
	m.jr, m.past = newJournal(len(cfg.Tasks)), nil
	observe(e, sc)
	m.pace = pace{}
	// Run what asyncio runs at once: every task's first step.
	m.eng.AdvanceWithin(0, frameBudget)
	m.sync()
}

// Init starts the frame loop unless the model starts paused or plays a
// script.
func (m Model) Init() tea.Cmd {
	if m.paused || m.sc.finished() || m.play != nil {
		return nil
	}
	return frame(m.frameTag)
}

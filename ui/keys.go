package ui

import (
	"strconv"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap is every binding of the UI; the help is generated from it.
type KeyMap struct {
	Up             key.Binding
	Down           key.Binding
	PageUp         key.Binding
	PageDown       key.Binding
	First          key.Binding
	Last           key.Binding
	AddTask        key.Binding
	RemoveTask     key.Binding
	LongerHold     key.Binding
	ShorterHold    key.Binding
	LongerHoldAll  key.Binding
	ShorterHoldAll key.Binding
	LongerThink    key.Binding
	ShorterThink   key.Binding
	Policy         key.Binding
	Pause          key.Binding
	Step           key.Binding
	Back           key.Binding
	Forward        key.Binding
	SecondBack     key.Binding
	SecondForward  key.Binding
	PrevAcquired   key.Binding
	NextAcquired   key.Binding
	Seek           key.Binding
	Faster         key.Binding
	Slower         key.Binding
	Restart        key.Binding
	NewSeed        key.Binding
	Reset          key.Binding
	Help           key.Binding
	Code           key.Binding
	Captions       key.Binding
	Suspend        key.Binding
	Quit           key.Binding

	finished bool // the short help offers a restart
}

var _ help.KeyMap = KeyMap{}

// DefaultKeyMap returns lockviz's key bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:             key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "select up")),
		Down:           key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "select down")),
		PageUp:         key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:       key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		First:          key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first task")),
		Last:           key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last task")),
		AddTask:        key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add task")),
		RemoveTask:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel task")),
		LongerHold:     key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+", "longer hold, this task")),
		ShorterHold:    key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "shorter hold, this task")),
		LongerHoldAll:  key.NewBinding(key.WithKeys("H"), key.WithHelp("H", "longer hold, all tasks")),
		ShorterHoldAll: key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "shorter hold, all tasks")),
		LongerThink:    key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "longer think, all tasks")),
		ShorterThink:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "shorter think, all tasks")),
		Policy:         key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "next policy")),
		Pause:          key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "pause")),
		Step:           key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next event")),
		Back:           key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "an event back")),
		Forward:        key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "an event forward")),
		SecondBack:     key.NewBinding(key.WithKeys("["), key.WithHelp("[", "a second back")),
		SecondForward:  key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "a second forward")),
		PrevAcquired:   key.NewBinding(key.WithKeys("{"), key.WithHelp("{", "task's last acquisition")),
		NextAcquired:   key.NewBinding(key.WithKeys("}"), key.WithHelp("}", "task's next acquisition")),
		Seek:           key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "go to a time")),
		Faster:         key.NewBinding(key.WithKeys(">", "."), key.WithHelp(">", "faster")),
		Slower:         key.NewBinding(key.WithKeys("<", ","), key.WithHelp("<", "slower")),
		Restart:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "restart, same seed")),
		NewSeed:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "restart, new seed")),
		Reset:          key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset scenario")),
		Help:           key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Code:           key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "code, shown or hidden")),
		Captions:       key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "captions")),
		Suspend:        key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),
		Quit:           key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp returns the bindings of the one-line help, with terse words and
// the hold keys as one pair, so that it fits 80 columns.
func (k KeyMap) ShortHelp() []key.Binding {
	if k.finished {
		return []key.Binding{terse(k.Restart, ""), terse(k.NewSeed, "new seed"), terse(k.AddTask, "add"),
			terse(k.Policy, "policy"), terse(k.Help, "help"), k.Quit}
	}
	return []key.Binding{
		terse(k.Pause, ""), terse(k.Step, "step"), terse(k.AddTask, "add"), terse(k.RemoveTask, "cancel"),
		pair(k.LongerHold, k.ShorterHold, "hold"), terse(k.Policy, "policy"), terse(k.Help, "help"), k.Quit,
	}
}

// terse returns b with a shorter description ("" keeps b's).
func terse(b key.Binding, desc string) key.Binding {
	if desc != "" {
		b.SetHelp(b.Help().Key, desc)
	}
	return b
}

// pair shows two bindings as one help entry, "+/- hold".
func pair(a, b key.Binding, desc string) key.Binding {
	p := key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...), key.WithHelp(a.Help().Key+"/"+b.Help().Key, desc))
	p.SetEnabled(a.Enabled() || b.Enabled())
	return p
}

// FullHelp returns the bindings of the full help, by column: the run, the
// task list, the settings and going back in time. Keys that go both ways
// go in pairs, so that it stays eight lines high and fits 72 columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.Step, pair(k.Faster, k.Slower, "faster, slower"), k.Restart, k.NewSeed, k.Reset, k.Quit,
			pair(k.Back, k.Forward, "event back, on")},
		{k.Up, k.Down, pair(k.PageUp, k.PageDown, "by a page"), pair(k.First, k.Last, "first, last"),
			k.AddTask, k.RemoveTask, k.Captions, k.Help},
		{k.Policy, pair(k.LongerHold, k.ShorterHold, "hold, this task"), pair(k.LongerHoldAll, k.ShorterHoldAll, "hold, all tasks"),
			pair(k.LongerThink, k.ShorterThink, "think, all tasks"), k.Code,
			pair(k.SecondBack, k.SecondForward, "a second back, on"), pair(k.PrevAcquired, k.NextAcquired, "task's acquisitions"), k.Seek},
	}
}

// update enables the bindings that apply to the model's state, so that the
// help shows only those, and names the pause key after what it does now.
// selected says a task is selected, selRuns that it has not ended (only a
// running task can be cancelled); captions that the session has captions;
// codeFits that the window is wide enough for the code panel.
func (k KeyMap) update(paused, finished, selected, selRuns, hasTasks, fullHelp, captions, codeFits bool, seed uint64) KeyMap {
	if fullHelp {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "all keys")
	}
	// The seed, so that a good run can be had again.
	k.Restart.SetHelp("r", "restart, seed "+strconv.FormatUint(seed, 10))
	k.NewSeed.SetHelp("s", "restart, seed "+strconv.FormatUint(seed+1, 10))
	k.finished = finished
	k.Suspend.SetEnabled(stopSignal != nil)
	k.Captions.SetEnabled(captions)
	k.Code.SetEnabled(codeFits)
	k.Step.SetEnabled(paused && !finished)
	for _, b := range []*key.Binding{&k.Back, &k.Forward, &k.SecondBack, &k.SecondForward, &k.Seek} {
		b.SetEnabled(paused || finished)
	}
	k.PrevAcquired.SetEnabled((paused || finished) && selected)
	k.NextAcquired.SetEnabled((paused || finished) && selected)
	k.RemoveTask.SetEnabled(selected && selRuns)
	k.LongerHold.SetEnabled(selected && selRuns)
	k.ShorterHold.SetEnabled(selected && selRuns)
	k.LongerHoldAll.SetEnabled(hasTasks)
	k.ShorterHoldAll.SetEnabled(hasTasks)
	k.LongerThink.SetEnabled(hasTasks)
	k.ShorterThink.SetEnabled(hasTasks)
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.First, &k.Last} {
		b.SetEnabled(hasTasks)
	}
	switch {
	case finished:
		k.Pause.SetHelp("space", "—")
		k.Pause.SetEnabled(false)
	case paused:
		k.Pause.SetEnabled(true)
		k.Pause.SetHelp("space", "resume")
	default:
		k.Pause.SetEnabled(true)
		k.Pause.SetHelp("space", "pause")
	}
	return k
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lockviz/sim"
	"lockviz/sim/timeline"
)

// Theme says which half of the adaptive colours to use: the terminal's
// background as asked (auto), or as the user says, for terminals that
// answer wrongly (tmux often says dark on a white pane).
type Theme string

// The themes.
const (
	ThemeAuto  Theme = "auto"
	ThemeDark  Theme = "dark"
	ThemeLight Theme = "light"
)

// ParseTheme reads a --theme value.
func ParseTheme(s string) (Theme, error) {
	switch t := Theme(s); t {
	case ThemeAuto, ThemeDark, ThemeLight:
		return t, nil
	}
	return "", fmt.Errorf("unknown theme %q (valid: auto, dark, light)", s)
}

// String returns the theme's name.
func (t Theme) String() string { return string(t) }

// dark reports whether the theme draws for a dark background, asking the
// terminal when it is auto. Call it before Bubble Tea owns the terminal, so
// that the query cannot stall.
func (t Theme) dark() bool {
	switch t {
	case ThemeDark:
		return true
	case ThemeLight:
		return false
	}
	return termenv.HasDarkBackground()
}

// The colours, each a pair for light and dark terminals: the light half is a
// deep shade that reads on white (contrast 4.5:1 or more), the dark half a
// light one that reads on black.
var (
	colHolding  = lipgloss.AdaptiveColor{Light: "#047857", Dark: "#34D399"}
	colWaiting  = lipgloss.AdaptiveColor{Light: "#B45309", Dark: "#FBBF24"}
	colThinking = lipgloss.AdaptiveColor{Light: "#4B5563", Dark: "#A8B0BD"}
	colDots     = lipgloss.AdaptiveColor{Light: "#858C97", Dark: "#6B7280"}
	colTimeout  = lipgloss.AdaptiveColor{Light: "#B91C1C", Dark: "#FF5A5A"}
	colMuted    = lipgloss.AdaptiveColor{Light: "#6B7280", Dark: "#9CA3AF"}
	colAccent   = lipgloss.AdaptiveColor{Light: "#1D4ED8", Dark: "#93C5FD"}
	colRule     = lipgloss.AdaptiveColor{Light: "#A9AFB9", Dark: "#4B5563"}
	colSelected = lipgloss.AdaptiveColor{Light: "#E5E7EB", Dark: "#303846"}

	// Python's syntax in the code panel, in hues the state words do not
	// use, so that a green or amber word on a line is always a state.
	colKeyword = lipgloss.AdaptiveColor{Light: "#7C3AED", Dark: "#C4B5FD"}
	colBuiltin = lipgloss.AdaptiveColor{Light: "#1D4ED8", Dark: "#93C5FD"}
	colNumber  = lipgloss.AdaptiveColor{Light: "#0A7AA0", Dark: "#22D3EE"}
	colString  = lipgloss.AdaptiveColor{Light: "#9D174D", Dark: "#F9A8D4"}

	// taskColours give each task a stable colour, by id. Task names sit next
	// to state words, so no task is green, amber or red like holding, waiting
	// and timed out (orange on dark is far enough from amber; on white it is
	// not, so the light half of that slot is indigo). The first six, which the
	// built-in scenarios use, differ most; the later ones repeat a hue at
	// another lightness. A slot's two halves need not share a hue: each
	// column is chosen to tell its twelve apart on its own background.
	taskColours = [...]lipgloss.AdaptiveColor{
		{Light: "#2563EB", Dark: "#60A5FA"}, // blue
		{Light: "#A21CAF", Dark: "#E879F9"}, // fuchsia
		{Light: "#4D7C0F", Dark: "#BEF264"}, // lime
		{Light: "#0A7AA0", Dark: "#22D3EE"}, // cyan
		{Light: "#DB2777", Dark: "#F9A8D4"}, // pink
		{Light: "#3730A3", Dark: "#F97316"}, // indigo / orange
		{Light: "#7C3AED", Dark: "#C4B5FD"}, // violet
		{Light: "#6E1728", Dark: "#818CF8"}, // maroon / indigo
		{Light: "#6C4C02", Dark: "#FDBA8C"}, // brown / peach
		{Light: "#115E59", Dark: "#BAE6FD"}, // teal / pale sky
		{Light: "#075985", Dark: "#F472B6"}, // sky / hot pink
		{Light: "#7F699B", Dark: "#FCA5A5"}, // dusty purple / salmon
	}
)

// Styles holds the Lip Gloss styles of the frame: header, titles, help and
// the too-small notice. The hot grid uses the same colours as escape
// sequences, compiled once by compileInk.
type Styles struct {
	Brand    lipgloss.Style
	Header   lipgloss.Style
	Label    lipgloss.Style
	Value    lipgloss.Style
	Running  lipgloss.Style
	Paused   lipgloss.Style
	Finished lipgloss.Style
	TooSmall lipgloss.Style
	Caption  lipgloss.Style
	Help     help.Styles
}

// DefaultStyles returns lockviz's styles.
func DefaultStyles() Styles {
	key := lipgloss.NewStyle().Foreground(colAccent).Bold(true)
	desc := lipgloss.NewStyle().Foreground(colMuted)
	sep := lipgloss.NewStyle().Foreground(colRule)
	return Styles{
		Brand:    lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		Header:   lipgloss.NewStyle().Bold(true),
		Label:    lipgloss.NewStyle().Foreground(colMuted),
		Value:    lipgloss.NewStyle().Bold(true),
		Running:  lipgloss.NewStyle().Bold(true).Foreground(colHolding),
		Paused:   lipgloss.NewStyle().Bold(true).Foreground(colWaiting),
		Finished: lipgloss.NewStyle().Bold(true).Foreground(colAccent),
		TooSmall: lipgloss.NewStyle().Bold(true).Foreground(colTimeout),
		Caption:  lipgloss.NewStyle().Bold(true),
		Help: help.Styles{
			Ellipsis:       sep,
			ShortKey:       key,
			ShortDesc:      desc,
			ShortSeparator: sep,
			FullKey:        key,
			FullDesc:       desc,
			FullSeparator:  sep,
		},
	}
}

// ink holds the escape sequences the hand-built parts of the frame write:
// one prefix per colour, resolved once for the terminal's colour profile and
// background. An empty prefix (the ASCII profile, NO_COLOR) writes plain text.
type ink struct {
	state    [sim.NumPhases]string     // foreground per task phase
	stateSel [sim.NumPhases]string     // the same on the selected row's background
	timedOut string                    // a timeout's mark and word
	cell     [timeline.NumCells]string // timeline glyphs
	task     [len(taskColours)]string
	taskSel  [len(taskColours)]string
	taskBold [len(taskColours)]string
	struck   [len(taskColours)]string // a lost value: dim and struck through
	muted    string
	mutedSel string
	plainSel string
	bold     string
	accent   string
	rule     string
	lost     string
	code     [numTokenClasses]string // the code panel's syntax colours
	reset    string
}

// compileInk resolves the colours for the current Lip Gloss colour profile
// and background. Call it after lipgloss.SetHasDarkBackground, outside the
// program's terminal handling, so that no query stalls.
func compileInk() *ink {
	p := lipgloss.ColorProfile()
	dark := lipgloss.HasDarkBackground()
	pick := func(c lipgloss.AdaptiveColor) string {
		if dark {
			return c.Dark
		}
		return c.Light
	}
	seq := func(fg string, bg string, bold bool) string {
		if p == termenv.Ascii {
			return ""
		}
		var parts string
		add := func(s string) {
			if s == "" {
				return
			}
			if parts != "" {
				parts += ";"
			}
			parts += s
		}
		if bold {
			add("1")
		}
		if fg != "" {
			if c := p.Color(fg); c != nil {
				add(c.Sequence(false))
			}
		}
		if bg != "" {
			if c := p.Color(bg); c != nil {
				add(c.Sequence(true))
			}
		}
		if parts == "" {
			return ""
		}
		return "\x1b[" + parts + "m"
	}
	sel := pick(colSelected)
	k := &ink{}
	if p != termenv.Ascii {
		k.reset = "\x1b[0m"
	}
	for s := range sim.NumPhases {
		c := pick(stateColour(s))
		k.state[s] = seq(c, "", false)
		k.stateSel[s] = seq(c, sel, true)
	}
	k.cell[timeline.Think] = seq(pick(colDots), "", false)
	k.cell[timeline.Wait] = seq(pick(colWaiting), "", false)
	k.cell[timeline.Hold] = seq(pick(colHolding), "", false)
	k.cell[timeline.Timeout] = seq(pick(colTimeout), "", true)
	for i, c := range taskColours {
		k.task[i] = seq(pick(c), "", false)
		k.taskSel[i] = seq(pick(c), sel, true)
		k.taskBold[i] = seq(pick(c), "", true)
		if k.task[i] != "" {
			k.struck[i] = strings.Replace(k.task[i], "\x1b[", "\x1b[2;9;", 1)
		}
	}
	k.muted = seq(pick(colMuted), "", false)
	k.mutedSel = seq(pick(colMuted), sel, false)
	k.plainSel = seq("", sel, false)
	k.bold = seq("", "", true)
	k.accent = seq(pick(colAccent), "", true)
	k.rule = seq(pick(colRule), "", false)
	k.lost = seq(pick(colTimeout), "", true)
	k.timedOut = seq(pick(colTimeout), "", false)
	k.code[tokKeyword] = seq(pick(colKeyword), "", true)
	k.code[tokBuiltin] = seq(pick(colBuiltin), "", false)
	k.code[tokNumber] = seq(pick(colNumber), "", false)
	k.code[tokString] = seq(pick(colString), "", false)
	k.code[tokComment] = k.muted
	return k
}

// stateColour is the colour of a task phase's word.
func stateColour(p sim.Phase) lipgloss.AdaptiveColor {
	switch p {
	case sim.Holding:
		return colHolding
	case sim.Waiting:
		return colWaiting
	case sim.Thinking:
		return colThinking
	}
	return colMuted
}

// taskInk returns the index of task id's colour.
func taskInk(id int32) int { return int(id) % len(taskColours) }

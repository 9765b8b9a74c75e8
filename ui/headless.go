package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lockviz/sim/format"
)

// Play plays m's key script (Options.Script) in a w×h window without a
// terminal, as fast as the machine allows, handing each frame to the
// script's recorder, and returns the model where the script ended: the
// same frames a live view of the same script draws, since only the wall
// clock paces those.
func Play(m Model, w, h int) Model {
	m = m.resize(tea.WindowSizeMsg{Width: w, Height: h})
	for !m.play.done {
		m = m.playFrame()
	}
	return m
}

// SnapshotAt returns the screen a live view of m shows in a w×h window once
// its virtual clock reaches at: running at its speed with nothing pressed
// or, with a key script, after the keys played by then. A run that stops
// before at (a deadlock, its end) shows where it stopped, as the live view
// does; a script that ends before is an error.
func SnapshotAt(m Model, w, h int, at time.Duration) (string, error) {
	if m.play == nil {
		m.play = &player{endless: true}
	}
	var last lastFrame
	m.play.rec, m.play.stops, m.play.stopAt = &last, true, at
	m = Play(m, w, h)
	if now := m.eng.Now(); m.play.ended && now < at && !m.sc.finished() {
		return "", fmt.Errorf("the key script ends at virtual time %s, before %s", format.Duration(now), format.Duration(at))
	}
	return last.view, nil
}

// SnapshotEnd returns the last screen of m's key script in a w×h window.
func SnapshotEnd(m Model, w, h int) string {
	var last lastFrame
	m.play.rec = &last
	Play(m, w, h)
	return last.view
}

// lastFrame is a Recorder that keeps only the newest frame.
type lastFrame struct{ view string }

func (l *lastFrame) Frame(_ time.Duration, _, _ int, view string) { l.view = view }

// UseColours sets how frames drawn for a file are coloured, the same
// whatever terminal lockviz runs in: 24-bit colour when colour, else plain
// text, for the theme's background, dark unless it is light (there is no
// terminal to ask).
func UseColours(t Theme, colour bool) {
	p := termenv.Ascii
	if colour {
		p = termenv.TrueColor
	}
	lipgloss.SetColorProfile(p)
	lipgloss.SetHasDarkBackground(t != ThemeLight)
}

package ui

import (
	"time"

	"lockviz/sim/scenario"
)

// captions are what a lesson says under the header: the scenario's timed
// captions, or the one a key script set, which stands in for them until
// the script turns it off.
type captions struct {
	timed  []scenario.Caption
	script string
	band   bool // the session has captions, so the band keeps its line even when it is empty
	hidden bool // C hid the band
}

// newCaptions returns the captions of a session: timed, and whether a key
// script may set its own (scripted).
func newCaptions(timed []scenario.Caption, scripted bool) captions {
	return captions{timed: timed, band: len(timed) > 0 || scripted}
}

// shown reports whether the band takes its line.
func (c captions) shown() bool { return c.band && !c.hidden }

// at returns the caption to show at virtual time now.
func (c captions) at(now time.Duration) string {
	if c.script != "" {
		return c.script
	}
	return scenario.CaptionAt(c.timed, now)
}

// captionView draws the band: a bar in the accent colour, then the caption.
func (m Model) captionView() string {
	text := m.caps.at(m.sc.snap.Now)
	if text == "" {
		return spaces(m.width)
	}
	return fitBlock(m.styles.Brand.Render("▌ ")+m.styles.Caption.Render(text), m.width)
}

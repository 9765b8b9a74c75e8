package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Recorder takes the frames of a scripted session, each the whole screen,
// w×h, drawn at recording time at.
type Recorder interface {
	Frame(at time.Duration, w, h int, view string)
}

// Marker is a Recorder that also takes the captions: Mark comes before the
// frame at recording time at whose caption band first shows caption.
type Marker interface {
	Mark(at time.Duration, caption string)
}

// player plays a key script into the model. Frames come at fixed instants
// of recording time, every frameInterval, and each advances the virtual
// clock by exactly speed × frameInterval, so that two runs of a script draw
// the same frames whatever the machine's load: the wall clock only paces
// them in a live view, and a headless run does not wait for it at all.
type player struct {
	script  Script
	rec     Recorder
	stops   bool // end once the virtual clock reaches stopAt
	stopAt  time.Duration
	endless bool // no script: play until stopAt, or until quit
	next    int  // the next step to apply
	frames  int  // frames drawn
	done    bool
	ended   bool      // done because the script ended, not at stopAt
	started bool      // the first frame is asked for, live only
	begun   time.Time // the wall time of frame 0, live only
	caption string    // the caption of the last frame recorded
}

// scriptFrameMsg asks for the next frame of the script.
type scriptFrameMsg struct{}

// scriptChunks bounds the engine's work in a scripted frame by a count, not
// by a deadline as live frames do, so that a frame's work is the same
// whatever the load: about half a frame of this machine's time.
const scriptChunks = 16

// frameAt returns the recording time of frame n: n thirtieths of a second,
// exactly, without the rounding of frameInterval adding up.
func frameAt(n int) time.Duration {
	return time.Duration(int64(n) * int64(time.Second) / int64(time.Second/frameInterval))
}

// Done reports whether the model's key script has ended.
func (m Model) Done() bool { return m.play != nil && m.play.done }

// handleScriptFrame draws the next scripted frame and, in a live view,
// schedules the one after at its wall-clock instant.
func (m Model) handleScriptFrame() (tea.Model, tea.Cmd) {
	p := m.play
	if p.done {
		return m, nil
	}
	if p.frames == 0 {
		p.begun = time.Now()
	}
	m = m.playFrame()
	if p.done {
		return m, tea.Quit
	}
	return m, tea.Tick(max(time.Until(p.begun.Add(frameAt(p.frames))), 0), func(time.Time) tea.Msg { return scriptFrameMsg{} })
}

// playFrame draws one frame of the script: the clock advances by one
// frame's worth (from the second frame on), the steps due by the frame's
// instant apply, and the screen goes to the recorder.
func (m Model) playFrame() Model {
	p := m.play
	at := frameAt(p.frames)
	if p.frames > 0 && !m.paused && !m.sc.finished() {
		m.advanceFrame(time.Duration(float64(at-frameAt(p.frames-1))*m.speed), at)
	}
	quit := m.applySteps(at)
	if m.sc.stale {
		m.sync()
	}
	if p.rec != nil && m.sized {
		m.markCaption(at)
		p.rec.Frame(at, m.width, m.height, m.View())
	}
	p.frames++
	over := p.next == len(p.script.Steps)
	// Without a script, a run that can no longer move (paused, finished)
	// ends where it is: the live view would stay so.
	stopped := p.stops && (m.eng.Now() >= p.stopAt || p.endless && (m.paused || m.sc.finished()))
	p.ended = !stopped && (quit || !p.endless && over && at >= p.script.End)
	p.done = stopped || p.ended
	return m
}

// markCaption tells a Marker about the caption the frame at recording time
// at shows, when it differs from the last frame's, so that a recording's
// chapters are its captions. A hidden band still has its captions.
func (m Model) markCaption(at time.Duration) {
	p := m.play
	mk, ok := p.rec.(Marker)
	if !ok {
		return
	}
	text := m.caps.at(m.sc.snap.Now)
	if text != "" && text != p.caption {
		mk.Mark(at, text)
	}
	p.caption = text
}

// advanceFrame runs the engine for one scripted frame that moves the clock
// by d, the frame drawn at recording time at.
func (m *Model) advanceFrame(d, at time.Duration) {
	target := m.eng.Now() + d
	if m.sc.until > 0 {
		target = min(target, m.sc.until)
	}
	if p := m.play; p.stops {
		target = min(target, p.stopAt)
	}
	for i := 0; i < scriptChunks && !m.eng.AdvanceWithin(target, frameBudget); i++ {
	}
	// The pace counts recording time, so that a clock that cannot keep the
	// speed says so the same way in every run.
	m.pace.add(time.Unix(0, 0).Add(at), m.eng.Now())
	m.sync()
	if m.sc.until > 0 && m.sc.snap.Now >= m.sc.until {
		m.paused = true
		m.sync()
	}
}

// applySteps applies the script's steps due by recording time at, as if
// typed, and reports whether one ended the session.
func (m *Model) applySteps(at time.Duration) (quit bool) {
	p := m.play
	for ; p.next < len(p.script.Steps) && p.script.Steps[p.next].At <= at; p.next++ {
		st := p.script.Steps[p.next]
		switch st.Kind {
		case StepKey:
			if key.Matches(st.Key, m.keys.Quit) {
				p.next++
				return true
			}
			next, _ := m.handleKey(st.Key)
			*m = next.(Model)
		case StepCaption:
			m.caps.script = st.Text
			m.buf.ok = false
		case StepCaptionOff:
			m.caps.script = ""
			m.buf.ok = false
		case StepResize:
			*m = m.resize(tea.WindowSizeMsg{Width: st.W, Height: st.H})
		case StepQuit:
			p.next++
			return true
		}
	}
	return false
}

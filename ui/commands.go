package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
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
func frame(tag int) tea.Cmd { return frameIn(tag, frameInterval) }

// frameChain is a view's chain of frames, the live view's or a comparison's:
// each frame message carries its chain's tag, so that stopping the chain
// (a new tag) drops the frames still on their way.
type frameChain struct {
	frameTag  int
	ticking   bool
	lastFrame time.Time
}

// stopFrames ends the live frame chain: its next frame will be dropped.
func (f *frameChain) stopFrames() {
	f.frameTag++
	f.ticking = false
}

// startChain starts a new chain, its first frame a frame interval away.
func (f *frameChain) startChain() tea.Cmd {
	f.frameTag++
	f.ticking = true
	f.lastFrame = time.Time{}
	return frame(f.frameTag)
}

// frameOf reports whether msg is the live chain's, and if so the real time
// since the chain's last frame: a frame interval for its first, at most
// maxFrameGap.
func (f *frameChain) frameOf(msg frameMsg) (time.Duration, bool) {
	if msg.tag != f.frameTag || !f.ticking {
		return 0, false // a frame of a chain that was stopped
	}
	elapsed := frameInterval
	if !f.lastFrame.IsZero() {
		elapsed = min(max(msg.at.Sub(f.lastFrame), 0), maxFrameGap)
	}
	f.lastFrame = msg.at
	return elapsed, true
}

// frameIn schedules the next frame of chain tag in d: what is left of the
// frame interval once a frame's work is done, so that frames keep their
// rate however long the work takes.
func frameIn(tag int, d time.Duration) tea.Cmd {
	return tea.Tick(max(d, time.Millisecond), func(t time.Time) tea.Msg { return frameMsg{tag: tag, at: t} })
}

// syncMsg asks Update to bring the scene up to date with the simulation
// after keys changed it.
type syncMsg struct{}

func syncNow() tea.Msg { return syncMsg{} }

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

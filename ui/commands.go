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
func frame(tag int) tea.Cmd {
	return tea.Tick(frameInterval, func(t time.Time) tea.Msg { return frameMsg{tag: tag, at: t} })
}

// syncMsg asks Update to bring the scene up to date with the simulation
// after keys changed it.
type syncMsg struct{}

func syncNow() tea.Msg { return syncMsg{} }

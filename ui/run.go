package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Run runs the model full screen until the user quits. It settles the
// terminal's background before Bubble Tea takes the terminal, so that the
// adaptive colours never query it mid-run.
func Run(m Model) error {
	lipgloss.SetHasDarkBackground(m.opts.Theme.dark())
	m.ink = compileInk()
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithFPS(int(time.Second/frameInterval)))
	_, err := p.Run()
	return err
}

package ui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Run runs the model full screen until the user quits. It settles the
// terminal's background before Bubble Tea takes the terminal, so that the
// adaptive colours never query it mid-run.
func Run(m Model) error {
	lipgloss.SetHasDarkBackground(termenv.HasDarkBackground())
	m.ink = compileInk()
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion())
	_, err := p.Run()
	return err
}

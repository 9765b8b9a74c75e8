package ui

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// endSignals end the live view. Bubble Tea's own handler knows only SIGINT
// and SIGTERM, and reports SIGINT as an error: a SIGHUP left the terminal
// in the alternate screen, raw, with mouse reporting on.
var endSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// Run runs the model full screen until the user quits or a signal ends it,
// and returns that signal, nil when the user quit. The terminal is given
// back either way, and for as long as a stop signal (kill -TSTP) holds the
// process. The error is a failure of the UI itself, such as no terminal to
// read keys from.
func Run(m Model) (os.Signal, error) {
	return runProgram(m.opts.Theme, func() tea.Model {
		m.ink = compileInk()
		return m
	})
}

// RunCompare runs a comparison full screen, as Run runs the live view.
func RunCompare(c Compare) (os.Signal, error) {
	return runProgram(c.opts.Theme, func() tea.Model { return c })
}

// runProgram runs the model ready returns, once the colours are settled,
// full screen.
func runProgram(theme Theme, ready func() tea.Model) (os.Signal, error) {
	sigs := make(chan os.Signal, len(endSignals)+2)
	signal.Notify(sigs, append(endSignals, stopSignal, continueSignal)...)
	defer signal.Stop(sigs)
	// Settle the terminal's background before Bubble Tea takes the
	// terminal, so that the adaptive colours never query it mid-run.
	lipgloss.SetHasDarkBackground(theme.dark())
	m := ready()
	// Draw at the rate frames come, so that no redraw is asked for that
	// cannot have changed.
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithoutSignalHandler(),
		tea.WithFPS(int(time.Second/frameInterval)))
	done := make(chan struct{})
	ended := make(chan os.Signal, 1)
	go func() { ended <- handleSignals(p, sigs, done) }()
	_, err := p.Run()
	close(done)
	if sig := <-ended; sig != nil {
		return sig, nil // err is Bubble Tea's word for the kill
	}
	return nil, err
}

// handleSignals serves the signals sent to the running program p until
// done is closed, and returns the signal that ended p, if one did.
//
// An end signal kills p, which gives the terminal back. A stop signal
// suspends p the way tea.Suspend does: Bubble Tea gives the terminal back,
// stops the process group with SIGTSTP, and on SIGCONT takes the terminal
// again, raw, and repaints.
func handleSignals(p *tea.Program, sigs <-chan os.Signal, done <-chan struct{}) os.Signal {
	suspended := false
	for {
		select {
		case <-done:
			return nil
		case sig := <-sigs:
			switch {
			case sig == stopSignal && suspended:
				// The SIGTSTP of Bubble Tea's suspend, sent to the whole
				// process group: caught here it stops nothing, so stop.
				stopProcess()
			case sig == stopSignal:
				suspended = true
				p.Send(tea.SuspendMsg{})
			case sig == continueSignal:
				if suspended {
					suspended = false
					// Sent once the suspend is over; Bubble Tea's resume
					// brings back all the modes but mouse reporting.
					p.Send(tea.EnableMouseCellMotion())
				}
			default:
				p.Kill()
				return sig
			}
		}
	}
}

package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestEveryLayoutFits(t *testing.T) {
	for _, n := range []int{0, 1, 5, 40} {
		cfg := testConfig(n)
		m := newModel(t, cfg, 80, 24, 3*time.Second)
		for _, help := range []bool{false, true} {
			if m.help.ShowAll != help {
				m, _ = press(t, m, "?")
			}
			for w := MinWidth; w <= 220; w += 7 {
				for h := MinHeight; h <= 70; h += 4 {
					m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
					checkFrame(t, m.View(), w, h)
				}
			}
		}
	}
}

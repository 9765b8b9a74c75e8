package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"lockviz/sim"
	"lockviz/sim/timeline"
)

func TestInkFollowsProfileAndBackground(t *testing.T) {
	defer func() {
		lipgloss.SetColorProfile(termenv.Ascii)
		lipgloss.SetHasDarkBackground(true)
	}()
	lipgloss.SetColorProfile(termenv.TrueColor)
	lipgloss.SetHasDarkBackground(true)
	dark := compileInk()
	lipgloss.SetHasDarkBackground(false)
	light := compileInk()
	pairs := []struct {
		name        string
		dark, light string
	}{
		{"holding word", dark.state[sim.Holding], light.state[sim.Holding]},
		{"waiting glyph", dark.cell[timeline.Wait], light.cell[timeline.Wait]},
		{"thinking glyph", dark.cell[timeline.Think], light.cell[timeline.Think]},
		{"first task", dark.task[0], light.task[0]},
		{"rule", dark.rule, light.rule},
	}
	for _, p := range pairs {
		if !strings.HasPrefix(p.dark, "\x1b[38;2;") || !strings.HasPrefix(p.light, "\x1b[38;2;") {
			t.Errorf("%s: %q / %q, want 24-bit foregrounds", p.name, p.dark, p.light)
		}
		if p.dark == p.light {
			t.Errorf("%s is %q on both backgrounds", p.name, p.dark)
		}
	}
	if dark.reset == "" {
		t.Error("no reset with colours on")
	}

	lipgloss.SetColorProfile(termenv.Ascii)
	plain := compileInk()
	for s, seq := range plain.state {
		if seq != "" {
			t.Errorf("state %v has sequence %q under the ASCII profile (NO_COLOR)", sim.Phase(s), seq)
		}
	}
	if plain.reset != "" {
		t.Error("a reset under the ASCII profile")
	}
}

func TestColouredFrameKeepsItsSize(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetColorProfile(termenv.TrueColor)
	m := newModel(t, testConfig(12), 140, 45, 5*1e9)
	v := m.View()
	if !strings.Contains(v, "\x1b[") {
		t.Fatal("no colour in a TrueColor frame")
	}
	checkFrame(t, v, 140, 45)
	m = update(t, m, keyMsg("?"))
	checkFrame(t, m.View(), 140, 45)
}

func TestParseTheme(t *testing.T) {
	for _, s := range []string{"auto", "dark", "light"} {
		if th, err := ParseTheme(s); err != nil || th.String() != s {
			t.Errorf("ParseTheme(%q) = %v, %v", s, th, err)
		}
	}
	if _, err := ParseTheme("solarized"); err == nil || !strings.Contains(err.Error(), "auto, dark, light") {
		t.Errorf("ParseTheme(solarized): %v", err)
	}
	if !ThemeDark.dark() || ThemeLight.dark() {
		t.Error("a forced theme is not what it says")
	}
}

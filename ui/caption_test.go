package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"lockviz/sim/scenario"
)

// lessonCaptions are three captions, the second ending before the third.
var lessonCaptions = []scenario.Caption{
	{At: 0, Text: "Three tasks, one lock"},
	{At: time.Second, Until: 2 * time.Second, Text: "one at a time"},
	{At: 3 * time.Second, Text: "the end"},
}

// captionModel is the rate limiter with lessonCaptions, paused at 0, w×h.
func captionModel(t *testing.T, w, h int) Model {
	t.Helper()
	m := New(rateLimit(), Options{Scenario: "rate-limit", Paused: true, Captions: lessonCaptions})
	return update(t, m, windowSize(w, h))
}

func TestCaptionBandFollowsTheClock(t *testing.T) {
	m := captionModel(t, 100, 30)
	for _, tc := range []struct {
		at   time.Duration
		want string // the band's line, trailing spaces trimmed
	}{
		{0, "▌ Three tasks, one lock"},
		{time.Second, "▌ one at a time"},
		{2 * time.Second, ""}, // until ended it; the band keeps its line
		{3500 * time.Millisecond, "▌ the end"},
	} {
		m = m.advanceTo(tc.at)
		lines := strings.Split(m.View(), "\n")
		if got := strings.TrimRight(lines[1], " "); got != tc.want {
			t.Errorf("at %v the band says %q, want %q", tc.at, got, tc.want)
		}
		if !strings.HasPrefix(lines[2], "Lock ") {
			t.Errorf("at %v the panels do not start below the band:\n%s", tc.at, m.View())
		}
		checkFrame(t, m.View(), 100, 30)
	}
}

func TestCaptionKeyHidesTheBand(t *testing.T) {
	m := captionModel(t, 100, 30)
	if !regexp.MustCompile(`C +captions`).MatchString(m.help.FullHelpView(m.keys.FullHelp())) {
		t.Error("the full help lacks C")
	}
	m, _ = press(t, m, "C")
	lines := strings.Split(m.View(), "\n")
	if strings.Contains(m.View(), "Three tasks") || !strings.HasPrefix(lines[1], "Lock ") {
		t.Fatalf("C left the band on screen:\n%s", m.View())
	}
	m, _ = press(t, m, "C")
	if lines := strings.Split(m.View(), "\n"); !strings.HasPrefix(lines[1], "▌ Three tasks") {
		t.Fatalf("C again did not bring the band back:\n%s", m.View())
	}
}

func TestNoCaptionsNoBand(t *testing.T) {
	m := newModel(t, rateLimit(), 100, 30, 0)
	if lines := strings.Split(m.View(), "\n"); !strings.HasPrefix(lines[1], "Lock ") {
		t.Errorf("a band without captions:\n%s", m.View())
	}
	if strings.Contains(m.help.FullHelpView(m.keys.FullHelp()), "captions") {
		t.Error("the help offers C without captions")
	}
	if m, _ = press(t, m, "C"); strings.Contains(m.View(), "▌") {
		t.Error("C drew a band without captions")
	}
}

// TestGoldenCaptions pins the band at the smallest wide layout's cousin,
// 80×24, where it takes a line from the stacked panels.
func TestGoldenCaptions(t *testing.T) {
	m := New(rateLimit(), Options{Scenario: "rate-limit", Paused: true, Captions: lessonCaptions})
	m.eng.AdvanceTo(1500 * time.Millisecond)
	m.sync()
	runGolden(t, m, 80, 24)
}

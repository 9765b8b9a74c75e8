package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lockviz/lock"
)

func TestLostUpdatesShown(t *testing.T) {
	cfg := testConfig(5)
	cfg.Policy = lock.None
	m := newModel(t, cfg, 100, 30, 10*time.Second)
	if m.sc.snap.Stats.LostUpdates == 0 {
		t.Fatal("no lost updates without a lock")
	}
	v := m.View()
	want := fmt.Sprintf("%d lost", m.sc.snap.Stats.LostUpdates)
	if !strings.Contains(v, want) || !strings.Contains(v, "inside at once") && !strings.Contains(v, "nobody inside") {
		t.Errorf("screen lacks %q or the no-lock holders:\n%s", want, v)
	}
}

func TestOneAppendIsSingular(t *testing.T) {
	cfg := testConfig(1)
	cfg.Tasks[0].Iterations = 1
	m := newModel(t, cfg, 120, 34, time.Minute)
	if v := m.shared.View(); !strings.Contains(v, "1 append") || strings.Contains(v, "1 appends") {
		t.Errorf("shared list:\n%s", v)
	}
}

// TestSharedListShowsLastLoss checks the shared list names the newest
// write-back that dropped values, with the values the engine says it
// dropped.
func TestSharedListShowsLastLoss(t *testing.T) {
	m := newModel(t, loaded(t, "race"), 120, 34, 0)
	for i := 0; i < 400 && len(m.sc.lastLost) == 0; i++ {
		m, _ = press(t, m, "n")
	}
	if len(m.sc.lastLost) == 0 {
		t.Fatal("no update lost in the race")
	}
	want := "at " + fmtClock(m.sc.lostAt) + " " + m.sc.snap.Tasks[m.sc.lostBy].Spec.Name + " dropped"
	for _, it := range m.sc.lastLost {
		want += fmt.Sprintf(" ~%d", it.Value)
	}
	if v := m.View(); !strings.Contains(v, want) {
		t.Errorf("shared list lacks %q:\n%s", want, v)
	}
}

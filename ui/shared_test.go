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

package ui

import (
	"strings"
	"testing"
	"time"

	"lockviz/sim"
)

func TestCancelOffersOnlyForARunningTask(t *testing.T) {
	cfg := testConfig(3)
	cfg.Tasks[0].Iterations = 1
	m := newModel(t, cfg, 140, 45, 0)
	for i := 0; i < 10000 && m.sc.snap.Tasks[0].Phase != sim.Finished; i++ {
		m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
	}
	if m.sc.snap.Tasks[0].Phase != sim.Finished || m.sc.snap.Finished {
		t.Fatal("task-1 never finished while the others ran")
	}
	m = selectTask(t, m, 0)
	if m.keys.RemoveTask.Enabled() || strings.Contains(m.footer(), "x cancel") {
		t.Errorf("x is offered for the done task-1: %q", m.footer())
	}
	m, _ = press(t, m, "x")
	if m.sc.snap.Tasks[0].Phase != sim.Finished || len(m.sc.snap.Tasks) != 3 {
		t.Errorf("x on a done task changed it to %v", m.sc.snap.Tasks[0].Phase)
	}
	m = selectTask(t, m, 1)
	if !m.keys.RemoveTask.Enabled() || !strings.Contains(m.footer(), "x cancel") {
		t.Errorf("x is not offered for the running task-2: %q", m.footer())
	}
}

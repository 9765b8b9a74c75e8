package ui

import (
	"strings"
	"testing"
	"time"
)

func TestHeaderSaysWhenTheClockLags(t *testing.T) {
	m := newModel(t, testConfig(3), 140, 45, 0)
	m.paused, m.speed = false, 1000
	at := time.Unix(0, 0)
	for i := range 40 {
		m.pace.add(at.Add(time.Duration(i)*frameInterval), time.Duration(i)*frameInterval*512)
	}
	m.sync()
	if h := strings.SplitN(m.View(), "\n", 2)[0]; !strings.Contains(h, "×1000 (×512 reached)") {
		t.Errorf("header %q", h)
	}
	m.pace = pace{}
	for i := range 40 {
		m.pace.add(at.Add(time.Duration(i)*frameInterval), time.Duration(i)*frameInterval*1000)
	}
	m.sync()
	if h := strings.SplitN(m.View(), "\n", 2)[0]; strings.Contains(h, "reached") {
		t.Errorf("header %q says the clock lags while it keeps up", h)
	}
}

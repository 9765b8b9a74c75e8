package ui

import (
	"strings"
	"testing"
	"time"

	"lockviz/sim"
)

func TestLostWords(t *testing.T) {
	m := newModel(t, testConfig(5), 200, 60, time.Second)
	e := eventsPanel{m.panel(m.lay.events)}
	item := func(task, v int32) sim.SharedItem { return sim.SharedItem{Task: task, Value: v} }
	for _, tc := range []struct {
		lost []sim.SharedItem
		want string
	}{
		{[]sim.SharedItem{item(0, 41)}, "wrote back a list read at 1.200s: task-1's 41 is lost"},
		{[]sim.SharedItem{item(0, 41), item(4, 7)}, "wrote back a list read at 1.200s: task-1's 41 and task-5's 7 are lost"},
		{[]sim.SharedItem{item(0, 1), item(1, 2), item(2, 3)}, "wrote back a list read at 1.200s: task-1's 1, task-2's 2 and task-3's 3 are lost"},
		{[]sim.SharedItem{item(0, 1), item(1, 2), item(2, 3), item(3, 4), item(4, 5)},
			"wrote back a list read at 1.200s: task-1's 1, task-2's 2, task-3's 3 and 2 more are lost"},
	} {
		if got := e.lostWords(logged{lost: tc.lost, readAt: 1200 * time.Millisecond}, 200); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
	lost := []sim.SharedItem{item(0, 41), item(4, 7)}
	for room, want := range map[int]string{45: "overwrote task-1's 41 and task-5's 7", 20: "dropped 2 values", 12: "dropped 2"} {
		if got := e.lostWords(logged{lost: lost}, room); got != want {
			t.Errorf("in %d columns: %q, want %q", room, got, want)
		}
	}
}

// TestLostUpdateLogged runs the race until a write-back loses values and
// checks the event log names them, as the engine recorded them.
func TestLostUpdateLogged(t *testing.T) {
	m := newModel(t, loaded(t, "race"), 139, 45, 0)
	for i := 0; i < 400 && m.sc.snap.Stats.LostUpdates == 0; i++ {
		m, _ = press(t, m, "n")
	}
	var ev logged
	for i := m.sc.log.len() - 1; i >= 0; i-- {
		if ev = m.sc.log.at(i); ev.lost != nil {
			break
		}
	}
	if ev.lost == nil {
		t.Fatal("no update lost in the race")
	}
	v := m.View()
	e := eventsPanel{m.panel(m.lay.events)}
	name := m.sc.snap.Tasks[ev.Task].Spec.Name
	line := name + " " + e.lostWords(ev, m.lay.events.w-9-2-len(name)-1) // clock, gap, name, space
	if !strings.Contains(v, line) || !strings.Contains(line, " lost") && !strings.Contains(line, "overwrote") && !strings.Contains(line, "dropped") {
		t.Fatalf("screen lacks %q:\n%s", line, v)
	}
	if m.sc.snap.Stats.LostUpdates == 0 {
		t.Errorf("a lost update logged, none counted: %+v", m.sc.snap.Stats)
	}
}

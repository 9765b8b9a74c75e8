package ui

import (
	"strings"
	"testing"
	"time"

	"lockviz/sim"
)

func TestAddTask(t *testing.T) {
	m := newModel(t, testConfig(5), 140, 45, 3*time.Second)
	m = selectTask(t, m, 2)
	m.eng.SetHold(2, sim.FixedDist(700*time.Millisecond))
	m, _ = press(t, m, "a")
	if got := len(m.sc.snap.Tasks); got != 6 {
		t.Fatalf("tasks shown = %d, want 6", got)
	}
	added := taskByName(t, m, "task-6")
	if m.tasks.sel != added.ID {
		t.Errorf("selected = %d, want the new task %d", m.tasks.sel, added.ID)
	}
	if added.Spec.Hold != sim.FixedDist(700*time.Millisecond) || added.Spec.Think != m.eng.Spec(0).Think {
		t.Errorf("new task's spec = %+v, want a copy of task-3's", added.Spec)
	}
	if added.Phase != sim.Thinking || added.Since != 3*time.Second {
		t.Errorf("new task is %v since %v, want thinking since 3s (started at once)", added.Phase, added.Since)
	}
	if !strings.Contains(m.View(), "task-6") {
		t.Error("the new task is not on screen")
	}
}

func TestAddTaskWhenAllCancelled(t *testing.T) {
	m := newModel(t, testConfig(1), 80, 24, time.Second)
	m, _ = press(t, m, "x")
	if len(m.sc.snap.Tasks) != 1 || m.tasks.sel != 0 {
		t.Fatalf("%d tasks, sel = %d after cancelling the only task: want it kept, selected", len(m.sc.snap.Tasks), m.tasks.sel)
	}
	if row := rowOf(t, m.tasks.View(), "task-1"); !strings.Contains(row, " cancelled ") {
		t.Errorf("the cancelled task's row: %q", row)
	}
	m, _ = press(t, m, "a")
	if len(m.sc.snap.Tasks) != 2 || taskByName(t, m, "task-2").Phase != sim.Thinking {
		t.Fatalf("a after the only task was cancelled did not add task-2: %d tasks", len(m.sc.snap.Tasks))
	}
}

func TestHoldAndThinkKeys(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		name      string
		keys      []string
		hold      [3]time.Duration // means of tasks 0..2 (task 1 selected)
		think     [3]time.Duration
		holdKind  sim.DistKind
		thinkKind sim.DistKind
	}{
		{"+ lengthens the selected task's hold one step", []string{"+"}, [3]time.Duration{400 * ms, 500 * ms, 400 * ms}, [3]time.Duration{1000 * ms, 1000 * ms, 1000 * ms}, sim.Exponential, sim.Exponential},
		{"= is + without shift", []string{"=", "="}, [3]time.Duration{400 * ms, 750 * ms, 400 * ms}, [3]time.Duration{1000 * ms, 1000 * ms, 1000 * ms}, sim.Exponential, sim.Exponential},
		{"- shortens the selected task's hold", []string{"-"}, [3]time.Duration{400 * ms, 300 * ms, 400 * ms}, [3]time.Duration{1000 * ms, 1000 * ms, 1000 * ms}, sim.Exponential, sim.Exponential},
		{"H lengthens every hold", []string{"H"}, [3]time.Duration{500 * ms, 500 * ms, 500 * ms}, [3]time.Duration{1000 * ms, 1000 * ms, 1000 * ms}, sim.Exponential, sim.Exponential},
		{"h shortens every hold", []string{"h", "h"}, [3]time.Duration{200 * ms, 200 * ms, 200 * ms}, [3]time.Duration{1000 * ms, 1000 * ms, 1000 * ms}, sim.Exponential, sim.Exponential},
		{"T lengthens every think", []string{"T"}, [3]time.Duration{400 * ms, 400 * ms, 400 * ms}, [3]time.Duration{1500 * ms, 1500 * ms, 1500 * ms}, sim.Exponential, sim.Exponential},
		{"t shortens every think", []string{"t"}, [3]time.Duration{400 * ms, 400 * ms, 400 * ms}, [3]time.Duration{750 * ms, 750 * ms, 750 * ms}, sim.Exponential, sim.Exponential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, testConfig(3), 140, 45, 2*time.Second)
			m = selectTask(t, m, 1)
			now := m.eng.Now()
			m, _ = press(t, m, tt.keys...)
			for i := range 3 {
				s := m.eng.Spec(int32(i))
				if s.Hold.Mean() != tt.hold[i] || s.Hold.Kind != tt.holdKind {
					t.Errorf("task %d hold = %v, want mean %v", i, s.Hold, tt.hold[i])
				}
				if s.Think.Mean() != tt.think[i] || s.Think.Kind != tt.thinkKind {
					t.Errorf("task %d think = %v, want mean %v", i, s.Think, tt.think[i])
				}
			}
			if m.eng.Now() != now {
				t.Errorf("clock moved from %v to %v", now, m.eng.Now())
			}
			// The table shows the new settings at once, in each task's row.
			for i := range 3 {
				s := m.eng.Spec(int32(i))
				row := strings.Fields(rowOf(t, m.tasks.View(), s.Name))
				hold, think := row[len(row)-2], row[len(row)-1]
				if hold != distLabel(s.Hold) || think != distLabel(s.Think) {
					t.Errorf("%s's row shows hold %s and think %s, want %s and %s", s.Name, hold, think, distLabel(s.Hold), distLabel(s.Think))
				}
			}
		})
	}
}

func TestRung(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name string
		in   sim.Dist
		k    int
		want sim.Dist
		ok   bool
	}{
		{"fixed steps up the ladder", sim.FixedDist(time.Second), +1, sim.FixedDist(1500 * ms), true},
		{"between steps goes to the next one up", sim.FixedDist(420 * ms), +1, sim.FixedDist(500 * ms), true},
		{"between steps goes to the next one down", sim.FixedDist(420 * ms), -1, sim.FixedDist(300 * ms), true},
		{"no step gives the base back, off the ladder too", sim.FixedDist(420 * ms), 0, sim.FixedDist(420 * ms), true},
		{"two steps down from between steps", sim.FixedDist(420 * ms), -2, sim.FixedDist(200 * ms), true},
		{"uniform keeps its shape", sim.Dist{Kind: sim.Uniform, A: 50 * ms, B: 150 * ms}, +1, sim.Dist{Kind: sim.Uniform, A: 75 * ms, B: 225 * ms}, true},
		{"zero grows to 1ms", sim.FixedDist(0), +1, sim.FixedDist(ms), true},
		{"1ms is the floor", sim.FixedDist(ms), -1, sim.Dist{}, false},
		{"1h is the ceiling", sim.FixedDist(time.Hour), +1, sim.Dist{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := rung(tt.in, tt.k); got != tt.want || ok != tt.ok {
				t.Errorf("rung(%v, %d) = %v, %v, want %v, %v", tt.in, tt.k, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestHoldStepsRoundTrip(t *testing.T) {
	// 400ms is off the ladder: + then - gives it back, for one task and
	// for all, and + and H stop at the same ceiling.
	m := newModel(t, testConfig(3), 140, 45, time.Second)
	m = selectTask(t, m, 1)
	for _, keys := range [][]string{{"+", "-"}, {"-", "+"}, {"H", "h"}, {"+", "+", "-", "-"}, {"T", "t"}} {
		m, _ = press(t, m, keys...)
		if h, th := m.eng.Spec(1).Hold.Mean(), m.eng.Spec(1).Think.Mean(); h != 400*time.Millisecond || th != time.Second {
			t.Fatalf("after %v: hold %v think %v, want 400ms and 1s back", keys, h, th)
		}
	}
	for range 40 {
		m, _ = press(t, m, "+")
	}
	one := m.eng.Spec(1).Hold.Mean()
	for range 40 {
		m, _ = press(t, m, "H")
	}
	if one != time.Hour || m.eng.Spec(0).Hold.Mean() != time.Hour || m.eng.Spec(1).Hold.Mean() != time.Hour {
		t.Fatalf("+ stops at %v, H at %v: want both at 1h", one, m.eng.Spec(0).Hold.Mean())
	}
}

func TestSpeedKeys(t *testing.T) {
	m := newModel(t, testConfig(2), 80, 24, 0)
	steps := []struct {
		key  string
		want float64
	}{{">", 2}, {">", 5}, {"<", 2}, {"<", 1}, {"<", 0.5}, {".", 1}, {",", 0.5}}
	for _, s := range steps {
		m, _ = press(t, m, s.key)
		if m.speed != s.want {
			t.Fatalf("after %q speed = %v, want %v", s.key, m.speed, s.want)
		}
	}
	if !strings.Contains(m.View(), "×0.5") {
		t.Error("screen does not show the speed ×0.5")
	}
	m.speed = 1000
	if m, _ = press(t, m, ">"); m.speed != 1000 {
		t.Errorf("> beyond the fastest = %v", m.speed)
	}
}

func TestTasksAddedFromTheUIAreCapped(t *testing.T) {
	m := newModel(t, testConfig(MaxTasks-1), 140, 45, 0)
	m, _ = press(t, m, "a", "a", "a")
	if m.eng.NumTasks() != MaxTasks {
		t.Fatalf("%d tasks, want the cap %d", m.eng.NumTasks(), MaxTasks)
	}
}

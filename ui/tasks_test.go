package ui

import (
	"strings"
	"testing"
	"time"

	"lockviz/sim"
)

func TestSelectionKeys(t *testing.T) {
	m := newModel(t, testConfig(5), 80, 24, time.Second)
	if m.tasks.sel != 0 {
		t.Fatalf("initial selection = %d, want 0", m.tasks.sel)
	}
	steps := []struct {
		key  string
		want int32
	}{{"down", 1}, {"j", 2}, {"j", 3}, {"j", 4}, {"j", 4}, {"up", 3}, {"k", 2}, {"k", 1}, {"k", 0}, {"up", 0}}
	for _, s := range steps {
		m, _ = press(t, m, s.key)
		if m.tasks.sel != s.want {
			t.Fatalf("after %s selection = %d, want %d", s.key, m.tasks.sel, s.want)
		}
	}
	m, _ = press(t, m, "j", "j")
	if !strings.Contains(m.View(), "▸ task-3") {
		t.Error("the selected row is not marked")
	}
}

func TestPageKeys(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 45}} {
		m := newModel(t, testConfig(300), size[0], size[1], time.Second)
		page := int32(m.tasks.rows())
		if page < 2 {
			t.Fatalf("%v: %d rows shown", size, page)
		}
		steps := []struct {
			key  string
			want int32
		}{{"pgdown", page}, {"pgdown", 2 * page}, {"down", 2*page + 1}, {"pgup", page + 1}, {"pgup", 1}, {"pgup", 0},
			{"end", 299}, {"pgdown", 299}, {"pgup", 299 - page}, {"home", 0}}
		for _, s := range steps {
			m, _ = press(t, m, s.key)
			if m.tasks.sel != s.want {
				t.Fatalf("%v: after %s selection = %d, want %d", size, s.key, m.tasks.sel, s.want)
			}
			if !strings.Contains(m.tasks.View(), "▸ "+m.eng.TaskName(s.want)+" ") {
				t.Fatalf("%v: after %s the selected row is not on screen", size, s.key)
			}
		}
	}
	m := newModel(t, testConfig(5), 140, 45, time.Second)
	m, _ = press(t, m, "?")
	for _, want := range []string{"pgup/pgdn", "home/end"} {
		if !strings.Contains(m.footer(), want) {
			t.Errorf("the full help lacks %q:\n%s", want, m.footer())
		}
	}
}

func TestManyTasksScroll(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 45}, {200, 60}} {
		w, h := size[0], size[1]
		m := newModel(t, testConfig(300), w, h, 3*time.Second)
		checkFrame(t, m.View(), w, h)
		if !strings.Contains(m.View(), "of 300") {
			t.Errorf("%d×%d: the table does not say it scrolls", w, h)
		}
		for range 150 {
			m, _ = press(t, m, "down")
		}
		v := m.View()
		checkFrame(t, v, w, h)
		if !strings.Contains(v, "▸ task-151") {
			t.Errorf("%d×%d: the selected task-151 is not on screen", w, h)
		}
		if table := m.tasks.View(); strings.Contains(table, " task-1 ") || !strings.Contains(table, "▸ task-151") {
			t.Errorf("%d×%d: the first row did not scroll away", w, h)
		}
		m, _ = press(t, m, "H", "a", "x", "p", "?")
		checkFrame(t, m.View(), w, h)
	}
}

func TestLongDistributionsKeepTheirColumns(t *testing.T) {
	cfg := testConfig(3)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Hold = sim.Dist{Kind: sim.Uniform, A: 200 * time.Millisecond, B: 600 * time.Millisecond}
		cfg.Tasks[i].Think = sim.Dist{Kind: sim.Exponential, A: 200 * time.Millisecond}
	}
	for _, w := range []int{100, 140} {
		v := newModel(t, cfg, w, 30, time.Second).View()
		if !strings.Contains(v, "200ms–600ms  exp:200ms") {
			t.Errorf("at width %d the hold and think settings run together or are cut:\n%s", w, v)
		}
	}
}

func TestStateWordsFollowTheState(t *testing.T) {
	// A task that timed out thinks afterwards: its row says so, as its
	// lane does.
	cfg := testConfig(6)
	for i := range cfg.Tasks {
		cfg.Tasks[i].Timeout = 300 * time.Millisecond
	}
	m := newModel(t, cfg, 140, 45, 0)
	for i := 0; i < 10000; i++ {
		m = m.advanceTo(m.eng.Now() + 10*time.Millisecond)
		for id := range m.sc.snap.Tasks {
			tv := &m.sc.snap.Tasks[id]
			if tv.LastTimeout >= 0 && tv.Phase == sim.Thinking {
				m = selectTask(t, m, int32(id))
				if row := rowOf(t, m.tasks.View(), tv.Spec.Name); !strings.Contains(row, " thinking ") {
					t.Fatalf("a task thinking after a timeout: %q", row)
				}
				return
			}
		}
	}
	t.Fatal("no timeout in 100s")
}

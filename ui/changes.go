package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"lockviz/sim"
	"lockviz/sim/timeline"
)

// addTask adds a copy of the selected task (or of the first task of the run
// when none is selected), starting now, under a new name, and reports
// whether it did: a run holds at most MaxTasks tasks.
func (m *Model) addTask() bool {
	if m.eng.NumTasks() >= MaxTasks {
		return false
	}
	spec := m.template
	if sel := m.tasks.sel; sel >= 0 && int(sel) < m.eng.NumTasks() {
		spec = m.eng.Spec(sel)
	}
	spec.Start = 0
	spec.Name = m.freshName(spec.Name)
	m.tasks.sel = int32(m.eng.NumTasks())
	m.change(func(e *sim.Engine, _ *timeline.History) { e.AddTask(spec) })
	return true
}

// freshName returns name's stem followed by the next number no task uses:
// worker-3 gives worker-6 when worker-1 … worker-5 exist. The numbers in
// use are counted once a run, so that a name costs the same however many
// tasks there are.
func (m *Model) freshName(name string) string {
	sc := m.sc
	if sc.names == nil {
		sc.names = map[string]int{}
		for id := range m.eng.NumTasks() {
			stem, n := splitName(m.eng.TaskName(int32(id)))
			sc.names[stem] = max(sc.names[stem], n+1)
		}
	}
	stem, _ := splitName(name)
	if stem == name {
		stem += "-"
	}
	next := max(sc.names[stem], 1)
	sc.names[stem] = next + 1
	return stem + strconv.Itoa(next)
}

// splitName cuts a trailing number off a name: "worker-12" is "worker-", 12.
func splitName(name string) (stem string, n int) {
	stem = strings.TrimRight(name, "0123456789")
	n, _ = strconv.Atoi(name[len(stem):])
	return stem, n
}

func stepOf(longer bool) int {
	if longer {
		return +1
	}
	return -1
}

// stepSpeed returns the next speed up (dir > 0) or down from s.
func stepSpeed(s float64, dir int) float64 {
	if dir > 0 {
		for _, v := range speeds {
			if v > s*1.0001 {
				return v
			}
		}
		return s
	}
	for i := len(speeds) - 1; i >= 0; i-- {
		if speeds[i] < s*0.9999 {
			return speeds[i]
		}
	}
	return s
}

// ladder is the means `+`/`-`, `H`/`h` and `t`/`T` step through: 1, 1.5,
// 2, 3, 5 and 7.5 times a power of ten, from 1ms to 1h.
var ladder = func() []time.Duration {
	var l []time.Duration
	for p := time.Millisecond; p < time.Hour; p *= 10 {
		for _, f := range [...]float64{1, 1.5, 2, 3, 5, 7.5} {
			if d := time.Duration(f * float64(p)); d < time.Hour {
				l = append(l, d)
			}
		}
	}
	return append(l, time.Hour)
}()

// which picks a task's hold or its think time.
type which int

const (
	holdOf which = iota
	thinkOf
)

// tuning remembers, per task and for hold and think, the distribution the
// steps started from and how many steps up (or down) the ladder it is now,
// so that `+` then `-` gives back what was there, even off the ladder:
// 400ms → 500ms → 400ms.
type tuning struct {
	base  map[int32]*[2]sim.Dist
	steps map[int32]*[2]int
}

func newTuning() *tuning {
	return &tuning{base: map[int32]*[2]sim.Dist{}, steps: map[int32]*[2]int{}}
}

// tunable is the engine as the tuning keys change it.
type tunable interface {
	Running(id int32) bool
	Spec(id int32) sim.TaskSpec
	NumTasks() int
	SetHold(id int32, d sim.Dist)
	SetThink(id int32, d sim.Dist)
}

// journaled is the model's engine with every change journaled, so that
// going back in time gives it again where it was made.
type journaled struct{ m *Model }

func (j journaled) Running(id int32) bool      { return j.m.eng.Running(id) }
func (j journaled) Spec(id int32) sim.TaskSpec { return j.m.eng.Spec(id) }
func (j journaled) NumTasks() int              { return j.m.eng.NumTasks() }

func (j journaled) SetHold(id int32, d sim.Dist) {
	j.m.change(func(e *sim.Engine, _ *timeline.History) { e.SetHold(id, d) })
}

func (j journaled) SetThink(id int32, d sim.Dist) {
	j.m.change(func(e *sim.Engine, _ *timeline.History) { e.SetThink(id, d) })
}

// step moves running task id's hold or think one step up (dir > 0) or
// down, and reports whether it moved: the ladder ends at 1ms and 1h.
func (t *tuning) step(e tunable, id int32, w which, dir int) bool {
	if !e.Running(id) {
		return false
	}
	spec := e.Spec(id)
	if t.base[id] == nil {
		t.base[id], t.steps[id] = &[2]sim.Dist{spec.Hold, spec.Think}, &[2]int{}
	}
	d, ok := rung(t.base[id][w], t.steps[id][w]+dir)
	if !ok {
		return false
	}
	t.steps[id][w] += dir
	if w == holdOf {
		e.SetHold(id, d)
	} else {
		e.SetThink(id, d)
	}
	return true
}

// stepAll steps every task still running.
func (t *tuning) stepAll(e tunable, w which, dir int) bool {
	moved := false
	for id := range int32(e.NumTasks()) {
		if e.Running(id) {
			moved = t.step(e, id, w, dir) || moved
		}
	}
	return moved
}

// rung returns base moved k steps along the ladder, with its shape kept,
// and false past the ladder's ends. A base of mean 0 steps up to 1ms.
func rung(base sim.Dist, k int) (sim.Dist, bool) {
	mean := base.Mean()
	if k == 0 {
		return base, true
	}
	// Where the base sits: the first rung above it, and the last below.
	above, _ := slices.BinarySearch(ladder, mean+1)
	below := above - 1
	if i, found := slices.BinarySearch(ladder, mean); found {
		below = i - 1
	}
	var i int
	if k > 0 {
		i = above + k - 1
	} else {
		i = below + k + 1
	}
	if i < 0 || i >= len(ladder) {
		return sim.Dist{}, false
	}
	target := ladder[i]
	if mean <= 0 {
		b := base.B
		if base.Kind == sim.Uniform {
			b = target
		}
		return sim.Dist{Kind: base.Kind, A: target, B: b}, true
	}
	return base.Scale(float64(target) / float64(mean)), true
}

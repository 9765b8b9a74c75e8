package ui

import (
	"strconv"
	"strings"
	"time"

	"lockviz/sim"
)

// addTask adds a copy of the selected task (or of the first task of the
// run when none is left), starting now, under a new name.
func (m *Model) addTask() {
	spec := m.template
	if m.tasks.sel >= 0 {
		spec = m.eng.Spec(m.tasks.sel)
	}
	spec.Start = 0
	spec.Name = m.freshName(spec.Name)
	m.tasks.sel = m.eng.AddTask(spec)
}

// freshName returns name's stem followed by the next number no task uses:
// worker-3 gives worker-6 when worker-1 … worker-5 exist.
func (m *Model) freshName(name string) string {
	stem := strings.TrimRight(name, "0123456789")
	if stem == name {
		stem += "-"
	}
	next := 1
	for i := range m.sc.snap.Tasks {
		n := m.sc.snap.Tasks[i].Spec.Name
		if rest, ok := strings.CutPrefix(n, stem); ok {
			if v, err := strconv.Atoi(rest); err == nil && v >= next {
				next = v + 1
			}
		}
	}
	return stem + strconv.Itoa(next)
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

// durationSteps are the means `+`/`-`, `H`/`h` and `t`/`T` step through:
// 1, 1.5, 2, 3, 5 and 7.5 times a power of ten, from 1ms up.
func durationSteps(yield func(time.Duration) bool) {
	for p := time.Millisecond; p <= time.Hour; p *= 10 {
		for _, f := range [...]float64{1, 1.5, 2, 3, 5, 7.5} {
			if !yield(time.Duration(f * float64(p))) {
				return
			}
		}
	}
}

// stepDist scales d so that its mean moves one step up (dir > 0) or down
// the 1–1.5–2–3–5–7.5 ladder; the shape of the distribution is kept.
func stepDist(d sim.Dist, dir int) sim.Dist {
	mean := d.Mean()
	if mean <= 0 {
		if dir < 0 {
			return d
		}
		b := d.B
		if d.Kind == sim.Uniform {
			b = time.Millisecond
		}
		return sim.Dist{Kind: d.Kind, A: time.Millisecond, B: b}
	}
	target := mean
	if dir > 0 {
		for v := range durationSteps {
			if v > mean {
				target = v
				break
			}
		}
	} else {
		for v := range durationSteps {
			if v >= mean {
				break
			}
			target = v
		}
	}
	if target == mean {
		return d
	}
	return d.Scale(float64(target) / float64(mean))
}

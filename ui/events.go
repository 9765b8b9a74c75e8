package ui

import (
	"strconv"

	"lockviz/sim"
)

// eventsPanel is the event log: the newest trace events, newest last, each
// with its virtual time, its task and what it did. It follows `n` step by
// step when paused.
type eventsPanel struct {
	w, h int
	sc   *scene
	k    *ink
}

// SetSize sets the panel's size.
func (e eventsPanel) SetSize(w, h int) eventsPanel {
	e.w, e.h = w, h
	return e
}

// View draws the panel.
func (e eventsPanel) View() string {
	k, sc := e.k, e.sc
	p := newPen(k, e.w, e.h)
	p.title("Events", "newest last")
	hist := sc.hist
	n := min(hist.logLen(), e.h-1)
	if n == 0 {
		p.put(k.muted, "no events yet")
	}
	for i := hist.logLen() - n; i < hist.logLen(); i++ {
		ev := hist.logAt(i)
		p.putr(k.muted, fmtClock(ev.T), 9)
		p.sp(2)
		if int(ev.Task) < len(sc.snap.Tasks) {
			p.put(k.task[taskInk(ev.Task)], sc.snap.Tasks[ev.Task].Spec.Name)
		}
		p.sp(1)
		words := eventWords(ev)
		if width(words) > p.room() {
			words = ev.Kind.String()
			if ev.Kind == sim.Append {
				words += " " + strconv.Itoa(int(ev.Value))
			}
		}
		p.put(eventInk(k, ev), words)
		p.nl()
	}
	return p.String()
}

// eventInk colours an event like the state it leads to.
func eventInk(k *ink, ev sim.Event) string {
	switch ev.Kind {
	case sim.Request:
		return k.state[stWaiting]
	case sim.Acquired:
		return k.state[stHolding]
	case sim.Timeout:
		return k.state[stTimedOut]
	}
	return k.muted
}

package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
)

// logCap is how many trace events the event log keeps.
const logCap = 256

// logged is a trace event with the policy it happened under, whose words
// tell it, and its lock's name when the run has several.
type logged struct {
	sim.Event
	policy lock.Policy
	lock   string
	// An append that wrote back a stale snapshot: the values it dropped,
	// and when its snapshot was read.
	lost   []sim.SharedItem
	readAt time.Duration
}

// eventLog keeps the newest trace events, oldest first, and counts them all.
type eventLog struct {
	buf  []logged
	head int
	n    int64 // events ever added
}

func (l *eventLog) add(ev logged) {
	l.n++
	if len(l.buf) < logCap {
		l.buf = append(l.buf, ev)
		return
	}
	l.buf[l.head] = ev
	l.head = (l.head + 1) % logCap
}

// len returns how many events the log holds.
func (l *eventLog) len() int { return len(l.buf) }

// at returns the log's i-th event, oldest first.
func (l *eventLog) at(i int) logged { return l.buf[(l.head+i)%len(l.buf)] }

// last returns the newest event; call it only when the log is not empty.
func (l *eventLog) last() logged { return l.at(len(l.buf) - 1) }

// eventsPanel is the event log: the newest trace events, newest last, each
// with its virtual time, its task and what it did. It follows `n` step by
// step when paused.
type eventsPanel struct {
	panel
}

// View draws the panel.
func (e eventsPanel) View() string {
	k, sc := e.k, e.sc
	p := newPen(k, e.w, e.h)
	p.title("Events", "newest last")
	log := &sc.log
	n := min(log.len(), e.h-1)
	if n == 0 {
		p.put(k.muted, "no events yet")
	}
	for i := log.len() - n; i < log.len(); i++ {
		ev := log.at(i)
		p.putr(k.muted, fmtClock(ev.T), 9)
		p.sp(2)
		if int(ev.Task) < len(sc.snap.Tasks) {
			p.put(k.task[taskInk(ev.Task)], sc.snap.Tasks[ev.Task].Spec.Name)
		}
		p.sp(1)
		if ev.lost != nil {
			p.put(k.lost, e.lostWords(ev, p.room()))
		} else {
			p.put(eventInk(k, ev.Event), fitWords(ev, p.room()))
		}
		p.nl()
	}
	return p.String()
}

// lostWords says what a write-back of a stale snapshot threw away, in room
// columns if it can: "wrote back a list read at 1.200s: task-1's 41 and
// task-5's 7 are lost", or shorter, "overwrote task-1's 41 and task-5's 7",
// "dropped 2 values" or "dropped 2".
func (e eventsPanel) lostWords(ev logged, room int) string {
	values := e.lostValues(ev)
	verb := " are lost"
	if len(ev.lost) == 1 {
		verb = " is lost"
	}
	if s := "wrote back a list read at " + fmtClock(ev.readAt) + ": " + values + verb; width(s) <= room {
		return s
	}
	if s := "overwrote " + values; width(s) <= room {
		return s
	}
	if s := "dropped " + format.Count(int64(len(ev.lost)), "value", "values"); width(s) <= room {
		return s
	}
	return "dropped " + strconv.Itoa(len(ev.lost))
}

// lostValues names the lost values and their tasks, the first three of them.
func (e eventsPanel) lostValues(ev logged) string {
	var b strings.Builder
	for i, it := range ev.lost {
		switch {
		case i == 3:
			b.WriteString(" and " + strconv.Itoa(len(ev.lost)-3) + " more")
		case i > 3:
			continue
		case i > 0 && i == len(ev.lost)-1:
			b.WriteString(" and ")
		case i > 0:
			b.WriteString(", ")
		}
		if i < 3 {
			name := "?"
			if int(it.Task) < len(e.sc.snap.Tasks) {
				name = e.sc.snap.Tasks[it.Task].Spec.Name
			}
			b.WriteString(name + "'s " + strconv.Itoa(int(it.Value)))
		}
	}
	return b.String()
}

// fitWords says what an event did in the words of its policy, shorter
// when the long words do not fit in room columns.
func fitWords(ev logged, room int) string {
	if s := eventWords(ev, false); width(s) <= room {
		return s
	}
	return eventWords(ev, true)
}

// eventWords says what an event did, in the words of its policy.
func eventWords(ev logged, short bool) string {
	w := format.PolicyWords(ev.policy)
	switch ev.Kind {
	case sim.Spawn:
		return "started"
	case sim.Request, sim.Acquired, sim.Released:
		i := int(ev.Kind - sim.Request)
		if ev.lock != "" {
			return w.Short[i] + " " + ev.lock
		}
		if short {
			return w.Short[i]
		}
		return [...]string{w.Request, w.Acquire, w.Release}[i]
	case sim.Timeout:
		if ev.lock != "" {
			return "timed out waiting for " + ev.lock
		}
		if short {
			return "timed out"
		}
		return "timed out waiting"
	case sim.Raised:
		return "raised an exception at line " + strconv.Itoa(int(ev.Line))
	case sim.Append:
		return "appended " + strconv.Itoa(int(ev.Value))
	case sim.Done:
		return "finished"
	case sim.Cancelled:
		return "was cancelled"
	}
	return ev.Kind.String()
}

// eventInk colours an event like the state it leads to.
func eventInk(k *ink, ev sim.Event) string {
	switch ev.Kind {
	case sim.Request:
		return k.state[sim.Waiting]
	case sim.Acquired:
		return k.state[sim.Holding]
	case sim.Timeout:
		return k.timedOut
	}
	return k.muted
}

// clone returns a copy of the log that adding to l leaves alone.
func (l *eventLog) clone() eventLog {
	c := *l
	c.buf = slices.Clone(l.buf)
	return c
}

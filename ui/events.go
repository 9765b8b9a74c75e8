package ui

import (
	"strconv"

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
}

// eventLog keeps the newest trace events, oldest first, and counts them all.
type eventLog struct {
	buf  []logged
	head int
	n    int64 // events ever added
}

func (l *eventLog) add(ev sim.Event, p lock.Policy, lock string) {
	l.n++
	if len(l.buf) < logCap {
		l.buf = append(l.buf, logged{ev, p, lock})
		return
	}
	l.buf[l.head] = logged{ev, p, lock}
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
		p.put(eventInk(k, ev.Event), fitWords(ev, p.room()))
		p.nl()
	}
	return p.String()
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

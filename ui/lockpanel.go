package ui

import (
	"strconv"

	"lockviz/lock"
	"lockviz/sim"
)

// policyLabel names a policy with its real-world counterpart:
// "fifo · asyncio.Lock", "semaphore(2) · asyncio.Semaphore".
func policyLabel(p lock.Policy, permits int) string {
	name := p.String()
	if p == lock.Semaphore {
		name += "(" + strconv.Itoa(permits) + ")"
	}
	return name + " · " + p.Counterpart()
}

// lockPanel shows the lock: who holds it and for how long against the hold
// time, the queue in order with the time each waiter has waited, the
// waiters that just timed out and left, and the latest trace event.
type lockPanel struct {
	w, h      int
	sc        *scene
	k         *ink
	lastEvent bool // show the latest event (when no event log is shown)
}

// SetSize sets the panel's size.
func (l lockPanel) SetSize(w, h int) lockPanel {
	l.w, l.h = w, h
	return l
}

// View draws the panel.
func (l lockPanel) View() string {
	k, sc := l.k, l.sc
	s := &sc.snap
	p := newPen(k, l.w, l.h)
	p.title("Lock", policyLabel(s.Policy, s.Permits))
	budget := l.h - 1
	showLast := l.lastEvent && budget >= 5
	if showLast {
		budget--
	}
	budget -= l.holders(p, budget)
	budget -= l.queue(p, budget)
	l.leaving(p, budget)
	if showLast {
		for p.y < l.h-1 {
			p.nl()
		}
		l.latest(p)
	}
	return p.String()
}

// holders writes the holder lines and returns how many lines it used.
func (l lockPanel) holders(p *pen, budget int) int {
	k, s := l.k, &l.sc.snap
	if budget <= 0 {
		return 0
	}
	switch {
	case len(s.Holders) == 0 && s.Policy == lock.None:
		p.put(k.muted, "nobody inside · no lock keeps anyone out")
		p.nl()
		return 1
	case len(s.Holders) == 0:
		p.put(k.state[stHolding], "free")
		if len(s.Queue) > 0 {
			p.put(k.muted, " · waking the head of the queue")
		} else {
			p.put(k.muted, " · nobody holds the lock")
		}
		p.nl()
		return 1
	case len(s.Holders) == 1 && admits(s) == 1:
		p.put(k.muted, "held by ")
		l.holder(p, &s.Tasks[s.Holders[0]])
		return 1
	}
	// A count, then a line per holder: a semaphore's permits, no lock at
	// all, or more holders than the policy admits, left by a switch
	// (semaphore(2) → barging, none → fifo); they hold until they release.
	used := 1
	n := strconv.Itoa(len(s.Holders))
	switch a := admits(s); {
	case a == 0:
		p.put(k.lost, n+" inside at once")
		p.put(k.muted, " · no lock keeps anyone out")
	case len(s.Holders) > a:
		// Why nobody new gets in: on the same line, or on its own when it
		// does not fit and there is room left for every holder and the queue.
		head, note := n+" holding", " · "+s.Policy.String()+" admits "+strconv.Itoa(a)
		const why = "new requests wait until they release"
		p.put(k.bold, head)
		switch {
		case width(head+note+": "+why) <= p.room():
			p.put(k.muted, note+": "+why)
		case budget-used-1-2 >= len(s.Holders):
			p.put(k.muted, note+":")
			p.nl()
			p.put(k.muted, why)
			used++
		default:
			p.put(k.muted, note)
		}
	default:
		p.put(k.bold, n+" of "+strconv.Itoa(s.Permits))
		p.put(k.muted, " permits held")
	}
	p.nl()
	// Keep at least two lines for the queue.
	room := max(budget-used-2, 1)
	for i, id := range s.Holders {
		if i == room-1 && len(s.Holders) > room {
			p.put(k.muted, "  +"+strconv.Itoa(len(s.Holders)-i)+" more holding")
			p.nl()
			return used + 1
		}
		p.sp(2)
		l.holder(p, &s.Tasks[id])
		used++
	}
	return used
}

// admits returns how many holders s's policy lets in at once, 0 for no limit.
func admits(s *sim.Snapshot) int {
	switch s.Policy {
	case lock.None:
		return 0
	case lock.Semaphore:
		return s.Permits
	}
	return 1
}

// holder writes one holder: name, progress bar of its hold, times.
func (l lockPanel) holder(p *pen, t *sim.TaskView) {
	k := l.k
	elapsed := l.sc.snap.Now - t.Since
	p.put(k.taskBold[taskInk(t.ID)], t.Spec.Name)
	times := " " + fmtDur(elapsed) + " of " + fmtDur(t.HoldFor)
	bar := min(p.room()-width(times)-3, 24)
	if bar >= 4 {
		p.sp(1)
		p.put(k.rule, "▕")
		fill := bar
		if t.HoldFor > 0 {
			fill = int(float64(bar) * min(float64(elapsed)/float64(t.HoldFor), 1))
		}
		p.repeat(k.cell[cellHold], "█", fill)
		p.repeat(k.cell[cellThink], "░", bar-fill)
		p.put(k.rule, "▏")
	}
	p.put(k.muted, times)
	p.nl()
}

// queue writes the waiters, head first, and returns how many lines it used:
// one line each when they fit, else wrapped side by side.
func (l lockPanel) queue(p *pen, budget int) int {
	k, s := l.k, &l.sc.snap
	if budget <= 0 {
		return 0
	}
	if len(s.Queue) == 0 {
		p.put(k.muted, "queue: empty")
		p.nl()
		return 1
	}
	p.put(k.muted, "queue: ")
	p.put(k.state[stWaiting], strconv.Itoa(len(s.Queue))+" waiting")
	p.put(k.muted, ", head first")
	if len(s.Queue) < budget {
		p.nl()
		for i, id := range s.Queue {
			t := &s.Tasks[id]
			p.putr(k.state[stWaiting], strconv.Itoa(i+1)+".", 5)
			p.sp(1)
			p.put(k.task[taskInk(id)], t.Spec.Name)
			p.put(k.muted, " waited "+fmtDur(s.Now-t.Since))
			p.nl()
		}
		return 1 + len(s.Queue)
	}
	// Side by side, wrapped; the last line ends with how many did not fit.
	p.put(k.muted, ": ")
	line := 1
	for i := 0; i < len(s.Queue); {
		id := s.Queue[i]
		t := &s.Tasks[id]
		num := strconv.Itoa(i+1) + "."
		waited := " " + fmtDur(s.Now-t.Since)
		need := width(num) + 1 + width(t.Spec.Name) + width(waited) + 2
		if line == budget && i+1 < len(s.Queue) {
			need += len(" +9999 more")
		}
		if p.room() < need {
			if line == budget {
				p.put(k.muted, "+"+strconv.Itoa(len(s.Queue)-i)+" more")
				break
			}
			p.nl()
			line++
			p.sp(2)
			continue
		}
		p.put(k.state[stWaiting], num)
		p.sp(1)
		p.put(k.task[taskInk(id)], t.Spec.Name)
		p.put(k.muted, waited+"  ")
		i++
	}
	p.nl()
	return line
}

// leaving writes the tasks that timed out and have not asked again yet.
func (l lockPanel) leaving(p *pen, budget int) {
	k, sc := l.k, l.sc
	for _, id := range sc.visible {
		if budget <= 0 {
			return
		}
		t := &sc.snap.Tasks[id]
		if stateOf(t) != stTimedOut {
			continue
		}
		p.put(k.state[stTimedOut], "  ✗ ")
		p.put(k.task[taskInk(id)], t.Spec.Name)
		p.put(k.state[stTimedOut], " timed out")
		p.put(k.muted, " after "+fmtDur(t.Spec.Timeout)+", left the queue")
		p.nl()
		budget--
	}
}

// latest writes the latest trace event.
func (l lockPanel) latest(p *pen) {
	k, sc := l.k, l.sc
	h := sc.hist
	if h.events == 0 {
		p.put(k.muted, "no events yet")
		p.nl()
		return
	}
	ev := h.last
	p.put(k.muted, "last event ")
	p.put(k.muted, fmtClock(ev.T)+" ")
	if int(ev.Task) < len(sc.snap.Tasks) {
		p.put(k.task[taskInk(ev.Task)], sc.snap.Tasks[ev.Task].Spec.Name)
	}
	p.put(k.muted, " "+eventWords(ev))
	p.nl()
}

// eventWords says what an event did, in words.
func eventWords(ev sim.Event) string {
	switch ev.Kind {
	case sim.Spawn:
		return "started"
	case sim.Request:
		return "requested the lock"
	case sim.Acquired:
		return "acquired the lock"
	case sim.Released:
		return "released the lock"
	case sim.Timeout:
		return "timed out waiting"
	case sim.Append:
		return "appended " + strconv.Itoa(int(ev.Value))
	case sim.Done:
		return "finished"
	case sim.Cancelled:
		return "was cancelled"
	}
	return ev.Kind.String()
}

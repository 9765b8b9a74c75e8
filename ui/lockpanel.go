package ui

import (
	"strconv"
	"time"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/timeline"
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
	panel
	lastEvent bool // show the latest event (when no event log is shown)
}

// View draws the panel.
func (l lockPanel) View() string {
	k, sc := l.k, l.sc
	s := &sc.snap
	p := newPen(k, l.w, l.h)
	if len(s.Locks) > 1 {
		p.title("Locks", strconv.Itoa(len(s.Locks)))
		l.stuck(p)
		l.several(p)
		return p.String()
	}
	p.title("Lock", policyLabel(s.Policy, s.Permits))
	l.stuck(p)
	budget := l.h - p.y
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
	bar := l.barWidth(p)
	switch {
	case len(s.Holders) == 0 && s.Policy == lock.None:
		p.put(k.muted, "nobody inside · no lock keeps anyone out")
		p.nl()
		return 1
	case len(s.Holders) == 0 && s.Policy == lock.Semaphore:
		p.put(k.state[sim.Holding], strconv.Itoa(s.Permits)+" of "+strconv.Itoa(s.Permits)+" permits free")
		l.waking(p)
		return 1
	case len(s.Holders) == 0:
		p.put(k.state[sim.Holding], "free")
		l.waking(p)
		return 1
	case len(s.Holders) == 1 && admits(s) == 1:
		p.put(k.muted, "held by ")
		l.holder(p, &s.Tasks[s.Holders[0]], bar)
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
		p.put(k.bold, strconv.Itoa(s.Permits-len(s.Holders))+" of "+strconv.Itoa(s.Permits))
		p.put(k.muted, " permits free · "+n+" held")
	}
	p.nl()
	// Keep at least two lines for the queue.
	room := max(budget-used-2, 1)
	if len(s.Holders) > room && room <= 2 {
		// Too few lines for one a holder: side by side, as many as fit.
		l.holdersInline(p)
		return used + 1
	}
	for i, id := range s.Holders {
		if i == room-1 && len(s.Holders) > room {
			p.put(k.muted, "  +"+strconv.Itoa(len(s.Holders)-i)+" more "+l.sc.words.Holding)
			p.nl()
			return used + 1
		}
		p.sp(2)
		l.holder(p, &s.Tasks[id], bar)
		used++
	}
	return used
}

// holdersInline writes the holders on one line, each with how long it has
// held against its drawn hold, and how many did not fit.
func (l lockPanel) holdersInline(p *pen) {
	k, s := l.k, &l.sc.snap
	p.sp(2)
	for i, id := range s.Holders {
		t := &s.Tasks[id]
		item := t.Spec.Name + " " + format.Duration(s.Now-t.Since) + "/" + format.Duration(t.HoldFor)
		more := ""
		if i+1 < len(s.Holders) {
			more = "  +" + strconv.Itoa(len(s.Holders)-i-1) + " more"
		}
		if width(item)+2+width(more) > p.room() && i > 0 {
			p.put(k.muted, "+"+strconv.Itoa(len(s.Holders)-i)+" more")
			break
		}
		p.put(k.taskBold[taskInk(id)], t.Spec.Name)
		p.put(k.muted, item[len(t.Spec.Name):]+"  ")
	}
	p.nl()
}

// stuck writes, first, what keeps tasks waiting for good: the deadlock,
// its cycle a link a line, and the locks that tasks ended holding.
func (l lockPanel) stuck(p *pen) {
	k, sc := l.k, l.sc
	if sc.snap.Stalled {
		p.put(k.lost, "stalled")
		p.put(k.muted, ": tasks loop without sleeping, time cannot move")
		p.nl()
	}
	if d := sc.snap.Deadlock; d != nil {
		p.put(k.lost, "deadlock")
		p.put(k.muted, " at "+fmtClock(d.At)+", nobody can go on:")
		p.nl()
		// A cycle cut short would read as a chain that ends somewhere:
		// when the links do not all fit, the last line counts the rest.
		links, show := len(d.Cycle)/2, len(d.Cycle)/2
		if room := l.h - p.y; links > room {
			show = max(room-1, 0)
		}
		for i := 0; i < 2*show; i += 2 {
			waiter, holder := d.Cycle[i], d.Cycle[(i+2)%len(d.Cycle)]
			wn, hn, ln := sc.snap.Tasks[waiter].Spec.Name, sc.snap.Tasks[holder].Spec.Name, sc.snap.Locks[d.Cycle[i+1]].Name
			waits := " waits for " + ln + ", held by "
			if 2+width(wn+waits+hn) > p.room() {
				waits = " → " + ln + " ← " // the short form: waiter → lock ← holder
			}
			p.sp(2)
			p.put(k.task[taskInk(waiter)], wn)
			p.put(k.muted, waits)
			p.put(k.task[taskInk(holder)], hn)
			p.nl()
		}
		if show < links {
			p.sp(2)
			p.put(k.muted, "+"+strconv.Itoa(links-show)+" more links close the cycle")
			p.nl()
		}
	}
	for _, leak := range sc.snap.Leaks[:min(len(sc.snap.Leaks), 2)] {
		t := &sc.snap.Tasks[leak.Task]
		p.put(k.lost, "leaked ")
		if len(sc.snap.Locks) > 1 {
			p.put(k.muted, sc.snap.Locks[leak.Lock].Name+": ")
		}
		p.put(k.task[taskInk(leak.Task)], t.Spec.Name)
		how := " ended holding it"
		if t.Raised {
			how = " raised at line " + strconv.Itoa(int(leak.Line))
			if width(how+" holding it") <= p.room() {
				how += " holding it"
			}
		}
		p.put(k.muted, how)
		p.nl()
	}
}

// several writes one line a lock: its name and policy, its holders and
// its queue, head first.
func (l lockPanel) several(p *pen) {
	k, s := l.k, &l.sc.snap
	nameW := 0
	for _, lv := range s.Locks {
		nameW = max(nameW, width(lv.Name))
	}
	for i, lv := range s.Locks {
		if p.y >= l.h-1 && i < len(s.Locks)-1 {
			if i == 0 { // none shown: "more" would count from nothing
				p.put(k.muted, strconv.Itoa(len(s.Locks))+" locks: a taller window shows them")
			} else {
				p.put(k.muted, "+"+strconv.Itoa(len(s.Locks)-i)+" more locks")
			}
			p.nl()
			return
		}
		p.putw(k.bold, lv.Name, nameW+1)
		label := lv.Policy.String()
		if lv.Policy == lock.Semaphore {
			label += "(" + strconv.Itoa(lv.Permits) + ")"
		}
		p.putw(k.muted, label, 13)
		if len(lv.Holders) == 0 {
			p.put(k.state[sim.Holding], "free")
		} else {
			p.put(k.muted, "held by ")
			for j, id := range lv.Holders {
				if j > 0 {
					p.put(k.muted, ", ")
				}
				p.put(k.taskBold[taskInk(id)], s.Tasks[id].Spec.Name)
			}
		}
		if len(lv.Queue) > 0 {
			p.put(k.muted, " · ")
			p.put(k.state[sim.Waiting], "waiting: ")
			for j, id := range lv.Queue {
				if j > 0 {
					p.put(k.muted, ", ")
				}
				p.put(k.task[taskInk(id)], s.Tasks[id].Spec.Name)
			}
		}
		p.nl()
	}
}

// waking ends the line of a free lock: what happens next.
func (l lockPanel) waking(p *pen) {
	if len(l.sc.snap.Queue) > 0 {
		p.put(l.k.muted, " · waking the head of the queue")
	} else if l.sc.snap.Policy != lock.Semaphore {
		p.put(l.k.muted, " · nobody holds the lock")
	}
	p.nl()
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

// barWidth is the length of every holder's progress bar, so that the bars
// of several holders line up: the room the longest name and times leave.
func (l lockPanel) barWidth(p *pen) int {
	s := &l.sc.snap
	longest := 0
	for _, id := range s.Holders[:min(len(s.Holders), 64)] {
		t := &s.Tasks[id]
		longest = max(longest, width(t.Spec.Name)+width(holdTimes(s.Now, t)))
	}
	indent := len("held by ")
	if len(s.Holders) != 1 || admits(s) != 1 {
		indent = 2
	}
	return min(l.w-indent-longest-3, 24)
}

// holdTimes spells how long a holder has held against its drawn hold.
func holdTimes(now time.Duration, t *sim.TaskView) string {
	return " " + format.Duration(now-t.Since) + " of " + format.Duration(t.HoldFor)
}

// holder writes one holder: name, progress bar of its hold, times.
func (l lockPanel) holder(p *pen, t *sim.TaskView, bar int) {
	k := l.k
	if !t.Phase.Active() {
		p.put(k.taskBold[taskInk(t.ID)], t.Spec.Name)
		p.put(k.lost, " ended: the lock leaked")
		p.nl()
		return
	}
	elapsed := l.sc.snap.Now - t.Since
	name := t.Spec.Name
	p.put(k.taskBold[taskInk(t.ID)], name)
	if bar >= 4 {
		p.sp(1)
		p.put(k.rule, "▕")
		fill := bar
		if t.HoldFor > 0 {
			fill = int(float64(bar) * min(float64(elapsed)/float64(t.HoldFor), 1))
		}
		p.repeat(k.cell[timeline.Hold], "█", fill)
		p.repeat(k.cell[timeline.Think], "░", bar-fill)
		p.put(k.rule, "▏")
	}
	p.put(k.muted, holdTimes(l.sc.snap.Now, t))
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
	p.put(k.state[sim.Waiting], strconv.Itoa(len(s.Queue))+" waiting")
	if budget == 1 && len(s.Queue) > 1 {
		// One line, and not even the head fits beside the count: the count
		// alone, not a list that shows no one.
		head := &s.Tasks[s.Queue[0]]
		if p.room() < len(", head first: 1. ")+width(head.Spec.Name)+width(" "+format.Duration(s.Now-head.Since))+2+len(" +9999 more") {
			p.nl()
			return 1
		}
	}
	p.put(k.muted, ", head first")
	if len(s.Queue) < budget {
		p.nl()
		for i, id := range s.Queue {
			t := &s.Tasks[id]
			p.putr(k.state[sim.Waiting], strconv.Itoa(i+1)+".", 5)
			p.sp(1)
			p.put(k.task[taskInk(id)], t.Spec.Name)
			p.put(k.muted, " waiting "+format.Duration(s.Now-t.Since))
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
		waited := " " + format.Duration(s.Now-t.Since)
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
		p.put(k.state[sim.Waiting], num)
		p.sp(1)
		p.put(k.task[taskInk(id)], t.Spec.Name)
		p.put(k.muted, waited+"  ")
		i++
	}
	p.nl()
	return line
}

// leaving writes the tasks whose request timed out within the newest
// timeline column and that have not asked again: they left the queue.
func (l lockPanel) leaving(p *pen, budget int) {
	k, sc := l.k, l.sc
	since := sc.snap.Now - sc.bucket
	for i := range sc.snap.Tasks {
		if budget <= 0 {
			return
		}
		t := &sc.snap.Tasks[i]
		if t.Phase != sim.Thinking || t.LastTimeout < 0 || t.LastTimeout != t.Since || t.LastTimeout < since {
			continue
		}
		p.put(k.timedOut, "  ✗ ")
		p.put(k.task[taskInk(t.ID)], t.Spec.Name)
		p.put(k.timedOut, " timed out")
		// As much of the why as fits.
		for _, why := range [...]string{" after " + format.Duration(t.Spec.Timeout) + ", left the queue",
			" after " + format.Duration(t.Spec.Timeout), ""} {
			if width(why) <= p.room() {
				p.put(k.muted, why)
				break
			}
		}
		p.nl()
		budget--
	}
}

// latest writes the latest trace event.
func (l lockPanel) latest(p *pen) {
	k, sc := l.k, l.sc
	if sc.log.len() == 0 {
		p.put(k.muted, "no events yet")
		p.nl()
		return
	}
	ev := sc.log.last()
	p.put(k.muted, "last event ")
	p.put(k.muted, fmtClock(ev.T)+" ")
	if int(ev.Task) < len(sc.snap.Tasks) {
		p.put(k.task[taskInk(ev.Task)], sc.snap.Tasks[ev.Task].Spec.Name)
	}
	p.sp(1)
	p.put(k.muted, fitWords(ev, p.room()))
	p.nl()
}

package ui

import (
	"strconv"

	"lockviz/lock"
	"lockviz/sim/format"
)

// sharedPanel shows the shared list the holders append to: its newest
// values in the colour of the task that appended each, newest last, its
// length, and the updates lost when no lock kept writers apart.
type sharedPanel struct {
	panel
}

// View draws the panel.
func (s sharedPanel) View() string {
	k, snap := s.k, &s.sc.snap
	st := &snap.Stats
	p := newPen(k, s.w, s.h)
	p.title("Shared list", "")
	p.put(k.muted, "length ")
	p.put(k.bold, strconv.FormatInt(st.Length, 10))
	p.put(k.muted, " · "+format.Count(st.Appends, "append", "appends"))
	if st.LostUpdates > 0 || snap.Policy == lock.None {
		p.put(k.muted, " · ")
		seq := k.muted
		if st.LostUpdates > 0 {
			seq = k.lost
		}
		p.put(seq, strconv.FormatInt(st.LostUpdates, 10)+" lost")
	}
	p.nl()
	lines := s.h - 2
	if st.LostUpdates > 0 && lines >= 3 {
		p.put(k.lost, "lost: ")
		for _, why := range [...]string{"holders overlapped and overwrote appends", "holders overwrote each other", "overwritten"} {
			if width(why) <= p.room() {
				p.put(k.muted, why)
				break
			}
		}
		p.nl()
		lines--
	}
	if sc := s.sc; len(sc.lastLost) > 0 && lines >= 3 {
		s.lastLoss(p)
		lines--
	}
	if lines <= 0 {
		return p.String()
	}
	if st.Appends == 0 {
		p.put(k.muted, "empty")
		if !s.anyAppends() {
			p.put(k.muted, " · no task appends to it")
		}
		p.nl()
		return p.String()
	}
	s.values(p, lines)
	return p.String()
}

// lastLoss writes the newest write-back that lost values: when, by whom,
// and the values, struck through in their tasks' colours (and marked with
// a tilde, which reads without colour).
func (s sharedPanel) lastLoss(p *pen) {
	k, sc := s.k, s.sc
	p.put(k.muted, "at "+fmtClock(sc.lostAt)+" ")
	if int(sc.lostBy) < len(sc.snap.Tasks) {
		p.put(k.task[taskInk(sc.lostBy)], sc.snap.Tasks[sc.lostBy].Spec.Name)
	}
	p.put(k.muted, " dropped")
	for _, it := range sc.lastLost {
		v := "~" + strconv.Itoa(int(it.Value))
		if p.room() < width(v)+1 {
			p.put(k.muted, " …")
			break
		}
		p.sp(1)
		p.put(k.struck[taskInk(it.Task)], v)
	}
	p.nl()
}

// anyAppends reports whether some shown task appends to the list.
func (s sharedPanel) anyAppends() bool {
	for i := range s.sc.snap.Tasks {
		if s.sc.snap.Tasks[i].Spec.Append {
			return true
		}
	}
	return false
}

// values writes as many of the newest values as fit in the given lines,
// oldest first, each in its task's colour; "…" stands for older ones.
func (s sharedPanel) values(p *pen, lines int) {
	k, snap := s.k, &s.sc.snap
	items := snap.Shared
	// Pack from the newest back: how many fit?
	first, line, x := len(items), 1, 0
	older := snap.Stats.Length > int64(len(items))
	for first > 0 {
		n := len(strconv.Itoa(int(items[first-1].Value))) + 1
		if x+n > s.w-2 {
			if line == lines {
				break
			}
			line++
			x = 0
		}
		x += n
		first--
	}
	if first > 0 || older {
		// Make room for the leading ellipsis on the first line.
		p.put(k.muted, "… ")
	}
	for i := first; i < len(items); i++ {
		it := items[i]
		v := strconv.Itoa(int(it.Value))
		if p.room() < len(v)+1 {
			p.nl()
		}
		seq := k.task[taskInk(it.Task)]
		if i == len(items)-1 {
			seq = k.taskBold[taskInk(it.Task)]
		}
		p.put(seq, v)
		p.sp(1)
	}
	p.nl()
}

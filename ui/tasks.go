package ui

import (
	"strconv"

	"lockviz/sim"
)

// state is a task's state as the screen names it.
type state uint8

const (
	stStarting state = iota
	stThinking
	stWaiting
	stHolding
	stTimedOut // thinking right after a timeout
	stDone
	stGone
	numStates
)

var stateWords = [numStates]string{"starting", "thinking", "waiting", "holding", "timed out", "done", "cancelled"}

// String names the state in words.
func (s state) String() string { return stateWords[s] }

// stateOf tells a task's display state from its view.
func stateOf(t *sim.TaskView) state {
	switch t.Phase {
	case sim.Thinking:
		if t.LastTimeout >= 0 && t.LastTimeout == t.Since {
			return stTimedOut
		}
		return stThinking
	case sim.Waiting:
		return stWaiting
	case sim.Holding:
		return stHolding
	case sim.Finished:
		return stDone
	case sim.Gone:
		return stGone
	}
	return stStarting
}

// taskList is the table of tasks, one row each, with a selected row and
// scrolling. It owns the selection; the timeline follows its rows.
type taskList struct {
	w, h int
	sc   *scene
	k    *ink
	sel  int32 // selected task id, -1 for none
	off  int   // index in sc.visible of the first row shown
}

// SetSize sets the panel's size.
func (l taskList) SetSize(w, h int) taskList {
	l.w, l.h = w, h
	return l.clamp()
}

// rows returns how many task rows fit.
func (l taskList) rows() int { return max(l.h-2, 0) }

// index returns the selected row's index in sc.visible, or -1.
func (l taskList) index() int {
	for i, id := range l.sc.visible {
		if id == l.sel {
			return i
		}
	}
	return -1
}

// clamp keeps the selection on a shown task and the selected row in view.
func (l taskList) clamp() taskList {
	vis := l.sc.visible
	if len(vis) == 0 {
		l.sel, l.off = -1, 0
		return l
	}
	i := l.index()
	if i < 0 {
		// The selected task went away: select the next one in id order.
		i = len(vis) - 1
		for j, id := range vis {
			if id > l.sel {
				i = j
				break
			}
		}
		l.sel = vis[i]
	}
	n := max(l.rows(), 1)
	l.off = min(l.off, i)
	if i >= l.off+n {
		l.off = i - n + 1
	}
	l.off = max(min(l.off, len(vis)-n), 0)
	return l
}

// move moves the selection by d rows.
func (l taskList) move(d int) taskList {
	vis := l.sc.visible
	if len(vis) == 0 {
		return l
	}
	i := min(max(l.index()+d, 0), len(vis)-1)
	l.sel = vis[i]
	return l.clamp()
}

// page returns how many rows a page key moves: the rows shown, at least one.
func (l taskList) page() int { return max(l.rows(), 1) }

// selectName selects the first shown task called name, or the first task
// when none is.
func (l taskList) selectName(name string) taskList {
	l.sel = -1
	for _, id := range l.sc.visible {
		if l.sc.snap.Tasks[id].Spec.Name == name {
			l.sel = id
			break
		}
	}
	if l.sel < 0 && len(l.sc.visible) > 0 {
		l.sel = l.sc.visible[0]
	}
	return l.clamp()
}

// selectRow selects the task shown on row r of the panel, if any.
func (l taskList) selectRow(r int) taskList {
	if i := l.off + r; r >= 0 && r < l.rows() && i < len(l.sc.visible) {
		l.sel = l.sc.visible[i]
	}
	return l.clamp()
}

// Column widths of the table, shared with the timeline's name column.
type columns struct{ name, state, iter, acq, wait, hold, think int }

func (l taskList) columns() columns {
	c := columns{name: 8, state: 10, iter: 7, acq: 5, wait: 7, hold: 10, think: 10}
	c.state = max(c.state, len("waiting #")+len(strconv.Itoa(len(l.sc.snap.Queue))))
	for _, id := range l.sc.visible {
		c.name = max(c.name, width(l.sc.snap.Tasks[id].Spec.Name))
	}
	used := 2 + 7 + c.state + c.iter + c.acq + c.wait
	spare := l.w - used - c.hold - c.think
	c.name = min(c.name, 8+max(spare/3, 0), 24)
	// hold and think as wide as the rows shown need, when there is room.
	hold, think := len("hold"), len("think")
	for _, id := range l.sc.visible[min(l.off, len(l.sc.visible)):min(l.off+l.rows(), len(l.sc.visible))] {
		spec := l.sc.snap.Tasks[id].Spec
		hold, think = max(hold, width(distLabel(spec.Hold))), max(think, width(distLabel(spec.Think)))
	}
	room := l.w - used - c.name - 1
	hold++ // two spaces between hold and think
	c.hold, c.think = hold, think
	if hold+think > room {
		c.hold = max(10, min(hold, room-min(think, room/2)))
		c.think = max(10, room-c.hold)
	}
	return c
}

// View draws the table.
func (l taskList) View() string {
	k, sc := l.k, l.sc
	p := newPen(k, l.w, l.h)
	note := "(" + strconv.Itoa(len(sc.visible)) + ")"
	if n := l.rows(); len(sc.visible) > n && n > 0 {
		note = "rows " + strconv.Itoa(l.off+1) + "–" + strconv.Itoa(min(l.off+n, len(sc.visible))) + " of " + strconv.Itoa(len(sc.visible)) + " · ↑↓ scroll"
	}
	p.title("Tasks", note)
	c := l.columns()
	p.sp(2)
	p.putw(k.muted, "task", c.name+1)
	p.putw(k.muted, "state", c.state+1)
	p.putr(k.muted, "iter", c.iter)
	p.putr(k.muted, "acq", c.acq+1)
	p.putr(k.muted, "waited", c.wait+1)
	p.sp(2)
	p.putw(k.muted, "hold", c.hold)
	p.sp(1)
	p.putw(k.muted, "think", c.think)
	p.nl()
	if len(sc.visible) == 0 {
		p.sp(2)
		p.put(k.muted, "no tasks left: press a to add one")
		p.nl()
	}
	queuePos := queuePositions(sc)
	for r := 0; r < l.rows() && l.off+r < len(sc.visible); r++ {
		l.row(p, c, &sc.snap.Tasks[sc.visible[l.off+r]], queuePos)
	}
	return p.String()
}

// row draws one task.
func (l taskList) row(p *pen, c columns, t *sim.TaskView, queuePos func(int32) int) {
	k := l.k
	sel := t.ID == l.sel
	ti := taskInk(t.ID)
	st := stateOf(t)
	name, stSeq, plain, muted := k.task[ti], k.state[st], "", k.muted
	marker := "  "
	if sel {
		name, stSeq, plain, muted = k.taskSel[ti], k.stateSel[st], k.plainSel, k.mutedSel
		marker = "▸ "
	}
	p.put(k.accent, marker)
	p.putw(name, t.Spec.Name, c.name)
	p.put(plain, " ")
	word := st.String()
	if st == stWaiting {
		if i := queuePos(t.ID); i > 0 {
			word += " #" + strconv.Itoa(i)
		}
	}
	p.putw(stSeq, word, c.state+1)
	iter := strconv.Itoa(t.Iteration) + "/"
	if t.Spec.Forever() {
		iter += "∞"
	} else {
		iter += strconv.Itoa(t.Spec.Iterations)
	}
	p.putr(plain, iter, c.iter)
	p.putr(plain, strconv.FormatInt(t.Acquisitions, 10), c.acq+1)
	waited := t.WaitTotal + t.WaitGivenUp // time waited, whether it paid off or not
	if t.Phase == sim.Waiting {
		waited += l.sc.snap.Now - t.Since
	}
	p.putr(plain, fmtDur(waited), c.wait+1)
	p.put(plain, "  ")
	p.putw(muted, distLabel(t.Spec.Hold), c.hold) // truncated, so a space always parts it from think
	p.put(muted, " ")                             // in the row's background when selected
	p.putw(muted, distLabel(t.Spec.Think), c.think)
	p.nlFill(plain)
}

// queuePositions returns a function giving a waiter's place in the queue,
// head = 1, or 0.
func queuePositions(sc *scene) func(int32) int {
	q := sc.snap.Queue
	return func(id int32) int {
		for i, w := range q {
			if w == id {
				return i + 1
			}
		}
		return 0
	}
}

// distLabel spells a distribution for the narrow hold and think columns:
// 1s, exp:400ms, and a uniform range as 100ms–300ms.
func distLabel(d sim.Dist) string {
	if d.Kind == sim.Uniform {
		return d.A.String() + "–" + d.B.String()
	}
	return d.String()
}

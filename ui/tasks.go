package ui

import (
	"strconv"
	"strings"

	"lockviz/sim"
	"lockviz/sim/format"
)

// word is a phase's word under the scene's policy: a task past its acquire
// is "inside" when there is no lock.
func (sc *scene) word(p sim.Phase) string {
	if p == sim.Holding {
		return sc.words.Holding
	}
	return p.String()
}

// taskList is the table of tasks, one row each, cancelled ones included,
// with a selected row and scrolling. Rows are in id order, so row i shows
// task i. It owns the selection; the timeline follows its rows.
type taskList struct {
	panel
	sel int32 // selected task id, -1 for none
	off int   // id of the first row shown
}

// rowSet is the rows a panel shows: ids, their names cut so that no two
// look alike, and the width of the name column.
type rowSet struct {
	ids    []int32
	labels []string
	nameW  int
	sel    int32
}

// place puts the list in p, keeping its selection and scroll in range.
func (l taskList) place(p panel) taskList {
	l.panel = p
	return l.clamp()
}

// rows returns how many task rows fit.
func (l taskList) rows() int { return max(l.h-2, 0) }

// count returns how many tasks the table lists.
func (l taskList) count() int { return len(l.sc.snap.Tasks) }

// clamp keeps the selection on a task and the selected row in view. A task
// added since the last snapshot stays selected; it shows at the next.
func (l taskList) clamp() taskList {
	n := l.count()
	if n == 0 {
		l.sel, l.off = -1, 0
		return l
	}
	if l.sel < 0 {
		l.sel = 0
	}
	i := min(int(l.sel), n-1)
	rows := max(l.rows(), 1)
	l.off = min(l.off, i)
	if i >= l.off+rows {
		l.off = i - rows + 1
	}
	l.off = max(min(l.off, n-rows), 0)
	return l
}

// move moves the selection by d rows.
func (l taskList) move(d int) taskList {
	if n := l.count(); n > 0 {
		l.sel = int32(min(max(int(l.sel)+d, 0), n-1))
	}
	return l.clamp()
}

// page returns how many rows a page key moves: the rows shown, at least one.
func (l taskList) page() int { return max(l.rows(), 1) }

// selectName selects the first task called name, or the first task when
// none is.
func (l taskList) selectName(name string) taskList {
	l.sel = -1
	for i := range l.sc.snap.Tasks {
		if l.sc.snap.Tasks[i].Spec.Name == name {
			l.sel = int32(i)
			break
		}
	}
	return l.clamp()
}

// rowAt returns the index among the rows shown of the row at the screen
// cell (x, y), or -1.
func (l taskList) rowAt(x, y int) int {
	if !l.contains(x, y) || y-l.y < 2 {
		return -1
	}
	return y - l.y - 2
}

// selectRow selects the task shown on row r, if any.
func (l taskList) selectRow(r int) taskList {
	if i := l.off + r; r >= 0 && r < l.rows() && i < l.count() {
		l.sel = int32(i)
	}
	return l.clamp()
}

// rowSet returns the rows shown, with their labels.
func (l taskList) rowSet() rowSet {
	c := l.columns()
	return rowSet{ids: c.ids, labels: c.labels, nameW: c.name, sel: l.sel}
}

// Column widths of the table, shared with the timeline's name column, and
// the rows shown with their labels.
type columns struct {
	name, state, iter, acq, wait, hold, think int
	ids                                       []int32
	labels                                    []string
	code                                      bool // every row shown is a task with code
}

func (l taskList) columns() columns {
	c := columns{state: 10, iter: 7, acq: 5, wait: 10}
	c.state = max(c.state, len("waiting #")+len(strconv.Itoa(len(l.sc.snap.Queue))))
	if locks := l.sc.snap.Locks; len(locks) > 1 {
		for _, lv := range locks {
			c.state = max(c.state, len("waiting ")+width(lv.Name))
		}
	}
	used := 2 + 7 + c.state + c.iter + c.acq + c.wait
	var names []string
	longest := 0
	hold, think := len("hold"), len("think")
	c.code = true
	for i := l.off; i < min(l.off+l.rows(), l.count()); i++ {
		t := &l.sc.snap.Tasks[i]
		c.ids = append(c.ids, int32(i))
		names = append(names, t.Spec.Name)
		longest = max(longest, width(t.Spec.Name))
		h, th := l.settings(t)
		hold, think = max(hold, width(h)), max(think, width(th))
		c.code = c.code && t.Spec.Code != nil
	}
	hold++ // two spaces between hold and think
	// Names as wide as they are, up to 24 columns, when the settings keep
	// theirs; cut in the middle, never alike, when not.
	room := l.w - used - 1 - hold - think
	c.labels, c.name = format.Names(names, min(max(room, 8), 24, max(longest, 8)))
	c.name = max(c.name, 8)
	// hold and think as wide as the rows shown need, when there is room.
	room = l.w - used - c.name - 1
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
	n := l.count()
	note := "(" + strconv.Itoa(n) + ")"
	if rows := l.rows(); n > rows && rows > 0 {
		note = "rows " + strconv.Itoa(l.off+1) + "–" + strconv.Itoa(min(l.off+rows, n)) + " of " + strconv.Itoa(n) + " · ↑↓ scroll"
	}
	p.title("Tasks", note)
	c := l.columns()
	p.sp(2)
	p.putw(k.muted, "task", c.name+1)
	p.putw(k.muted, "state", c.state+1)
	p.putr(k.muted, "iter", c.iter)
	p.putr(k.muted, "acq", c.acq+1)
	p.putr(k.muted, "total wait", c.wait+1)
	p.sp(2)
	if c.code {
		p.putw(k.muted, "line", c.hold)
		p.sp(1)
		p.putw(k.muted, "holds", c.think)
	} else {
		p.putw(k.muted, "hold", c.hold)
		p.sp(1)
		p.putw(k.muted, "think", c.think)
	}
	p.nl()
	if n == 0 {
		p.sp(2)
		p.put(k.muted, "no tasks: press a to add one")
		p.nl()
	}
	queuePos := queuePositions(sc, c.ids)
	for r, id := range c.ids {
		l.row(p, c, &sc.snap.Tasks[id], c.labels[r], queuePos)
	}
	return p.String()
}

// row draws one task.
func (l taskList) row(p *pen, c columns, t *sim.TaskView, label string, queuePos func(int32) int) {
	k, sc := l.k, l.sc
	sel := t.ID == l.sel
	ti := taskInk(t.ID)
	st := t.Phase
	name, stSeq, plain, muted := k.task[ti], k.state[st], "", k.muted
	marker := "  "
	if sel {
		name, stSeq, plain, muted = k.taskSel[ti], k.stateSel[st], k.plainSel, k.mutedSel
		marker = "▸ "
	}
	p.put(k.accent, marker)
	p.putw(name, label, c.name)
	p.put(plain, " ")
	word := sc.word(st)
	if st == sim.Waiting {
		if len(sc.snap.Locks) > 1 && t.WaitingOn >= 0 {
			word += " " + sc.snap.Locks[t.WaitingOn].Name
		} else if i := queuePos(t.ID); i > 0 {
			word += " #" + strconv.Itoa(i)
		}
	}
	if t.Raised {
		word = "raised"
	}
	p.putw(stSeq, word, c.state+1)
	p.putr(plain, iterLabel(t), c.iter)
	p.putr(plain, strconv.FormatInt(t.Acquisitions, 10), c.acq+1)
	total := t.WaitTotal + t.WaitGivenUp // time waited, whether it paid off or not
	if t.Phase == sim.Waiting {
		total += sc.snap.Now - t.Since
	}
	p.putr(plain, format.Duration(total), c.wait+1)
	p.put(plain, "  ")
	hold, think := l.settings(t)
	p.putw(muted, hold, c.hold) // truncated, so a space always parts it from think
	p.put(muted, " ")           // in the row's background when selected
	p.putw(muted, think, c.think)
	p.nlFill(plain)
}

// iterLabel says which round of its loop a task is in: 3/5, 3/∞, or - for
// code without a loop at its top.
func iterLabel(t *sim.TaskView) string {
	rounds, ok := t.Spec.Iterations, true
	if t.Spec.Code != nil {
		rounds, ok = t.Spec.Code.Rounds()
	}
	switch {
	case !ok:
		return "-"
	case rounds == 0:
		return strconv.Itoa(t.Iteration) + "/∞"
	}
	return strconv.Itoa(t.Iteration) + "/" + strconv.Itoa(rounds)
}

// settings are what the last two columns say of a task: its hold and
// think, or, for a task with code, the line it is on and the locks it holds.
func (l taskList) settings(t *sim.TaskView) (string, string) {
	if t.Spec.Code == nil {
		return distLabel(t.Spec.Hold), distLabel(t.Spec.Think)
	}
	var held []string
	for i, lv := range l.sc.snap.Locks {
		if i < 64 && t.Holds&(1<<i) != 0 {
			held = append(held, lv.Name)
		}
	}
	line := "line " + strconv.Itoa(int(t.Line))
	if len(held) == 0 {
		return line, "-"
	}
	return line, strings.Join(held, ",")
}

// queuePositions returns a function giving the place in the queue (head =
// 1, or 0) of the tasks of ids, a run of consecutive ids, in one pass over
// the queue.
func queuePositions(sc *scene, ids []int32) func(int32) int {
	if len(ids) == 0 {
		return func(int32) int { return 0 }
	}
	first := ids[0]
	pos := make([]int, len(ids))
	for i, w := range sc.snap.Queue {
		if j := int(w - first); j >= 0 && j < len(pos) {
			pos[j] = i + 1
		}
	}
	return func(id int32) int { return pos[id-first] }
}

// distLabel spells a distribution for the narrow hold and think columns:
// 1s, exp:400ms, and a uniform range as 100ms–300ms.
func distLabel(d sim.Dist) string {
	if d.Kind == sim.Uniform {
		return d.A.String() + "–" + d.B.String()
	}
	return d.String()
}

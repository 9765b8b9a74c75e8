// Package timeline is the one model of what lockviz's timelines show, used
// by the live view and by the text report alike: a run's trace recorded in
// bounded rings, and, for any stretch of virtual time cut into columns, what
// each task's lane shows in each column.
//
// A column shows a task holding when the task held the lock at some point in
// it (a hold shorter than a column is never lost), but never more holders
// than held the lock at once at some instant of the column: when more tasks
// held it in turn, the ones that held it longest are shown, and the others
// show what they did most of the rest of the column. So a mutex's column
// shows one holder, a semaphore's at most its permits. Without a lock every
// task that was inside shows. A column where a request timed out shows the
// timeout.
package timeline

import (
	"slices"
	"time"

	"lockviz/lock"
	"lockviz/sim"
)

// Cell is what one column of a task's lane shows.
type Cell uint8

// The cells. Idle covers before the start, after the end and cancelled.
const (
	Idle Cell = iota
	Think
	Wait
	Hold
	Timeout // a request timed out in this column; the task thinks afterwards
	NumCells
)

// mark is a change at virtual time t: of a lane's phase, or of a count.
// A lane's mark packs the cell of the change, the phase the lane is in
// after it (a timeout leaves the task holding or thinking) and the lock the
// change was about.
type mark struct {
	t int64
	v int32
}

func laneMark(t int64, c, steady Cell, lock int32) mark {
	return mark{t, int32(c) | int32(steady)<<3 | (lock+1)<<6}
}

func (m mark) cell() Cell   { return Cell(m.v & 7) }
func (m mark) steady() Cell { return Cell(m.v >> 3 & 7) }
func (m mark) lock() int32  { return m.v>>6 - 1 }

// hold is one completed hold of the lock, [from, to).
type hold struct {
	task     int32
	from, to int64
}

// Limits bound a History's memory.
type Limits struct {
	LaneMarks int // phase changes kept per task
	Holds     int // completed holds kept
	Counts    int // changes of the holder and waiter counts kept
}

// LimitsFor returns the limits of a live view's history of about tasks
// tasks: 64 MiB of lane marks shared out, from 64 to 65,536 a task, and
// room for a quarter of a million holds.
func LimitsFor(tasks int) Limits {
	const laneBudget = 1 << 22
	return Limits{
		LaneMarks: min(1<<16, max(64, laneBudget/max(tasks, 1))),
		Holds:     1 << 18,
		Counts:    1 << 19,
	}
}

// Unbounded are the limits of a history that keeps a whole (short) run.
var Unbounded = Limits{LaneMarks: 1 << 30, Holds: 1 << 30, Counts: 1 << 30}

// History records a run's trace for timelines. Feed it every event, in
// order, with Record.
type History struct {
	lim     Limits
	lanes   []ring[mark]
	phase   []Cell     // per task: its steady phase now
	held    [][]int32  // per task: the locks it holds
	holds   ring[hold] // completed holds, in release order
	holding ring[mark] // holders after each change, every change kept
	waiting ring[mark] // waiters, one mark per instant
	limited ring[mark] // 1 from when a policy limits holders, 0 from when none does

	open     []int64 // per task: when its current hold began, or -1
	openList []int32 // the tasks holding now
	openAt   []int32 // per task: its index in openList, or -1
	nWaiting int32
	waitedAt int64 // the time of the newest waiting mark
	since    int64 // the history is complete from this virtual time on
	last     int64 // the time of the newest event: columns that end by then are over
}

// New returns an empty history whose lock limits its holders (a policy
// other than none) from time 0.
func New(lim Limits) *History {
	h := &History{
		lim:     lim,
		holds:   newRing[hold](lim.Holds),
		holding: newRing[mark](lim.Counts),
		waiting: newRing[mark](lim.Counts),
		limited: newRing[mark](1024),
	}
	h.limited.push(mark{t: 0, v: 1})
	return h
}

// Since returns the virtual time from which the history is complete: before
// it, some of what happened has been dropped to bound memory.
func (h *History) Since() time.Duration { return time.Duration(h.since) }

// SetLimited records from virtual time t whether the lock limits how many
// hold it at once (every policy but none).
func (h *History) SetLimited(t time.Duration, limited bool) {
	v := int32(0)
	if limited {
		v = 1
	}
	if last, _ := h.limited.last(); last.v == v {
		return
	}
	if last, _ := h.limited.last(); last.t == int64(t) {
		h.limited.setLast(mark{int64(t), v})
		return
	}
	h.push(&h.limited, mark{int64(t), v})
}

// push appends m to r. A mark r lets go of takes with it what happened
// until the next one, so the history is complete from r's oldest mark on.
func (h *History) push(r *ring[mark], m mark) {
	if _, dropped := r.push(m); dropped {
		h.since = max(h.since, r.at(0).t)
	}
}

// Record adds one trace event.
func (h *History) Record(ev sim.Event) {
	id, t := ev.Task, int64(ev.T)
	h.last = t
	for int(id) >= len(h.lanes) {
		h.lanes = append(h.lanes, newRing[mark](h.lim.LaneMarks))
		h.phase = append(h.phase, Idle)
		h.held = append(h.held, nil)
		h.open = append(h.open, -1)
		h.openAt = append(h.openAt, -1)
	}
	// A task that still holds a lock after a release or a timeout holds
	// on: its lane shows the lock it took last.
	held := h.held[id]
	rest := func() (Cell, int32) {
		if len(held) > 0 {
			return Hold, held[len(held)-1]
		}
		return Think, -1
	}
	var next, steady Cell
	l := ev.Lock
	switch ev.Kind {
	case sim.Spawn:
		next, steady = Think, Think
	case sim.Released:
		if i := slices.Index(held, l); i >= 0 {
			held = slices.Delete(held, i, i+1)
		}
		next, l = rest()
		steady = next
	case sim.Request:
		next, steady = Wait, Wait
	case sim.Acquired:
		held = append(held, l)
		next, steady = Hold, Hold
	case sim.Timeout:
		next = Timeout
		steady, _ = rest()
	case sim.Done, sim.Cancelled, sim.Raised:
		next, steady, l = Idle, Idle, -1
	default:
		return
	}
	h.held[id] = held
	prev := h.phase[id]
	h.phase[id] = steady
	h.push(&h.lanes[id], laneMark(t, next, steady, l))
	if prev == Hold {
		h.closeHold(id, t)
	}
	if steady == Hold {
		h.open[id] = t
		h.openAt[id] = int32(len(h.openList))
		h.openList = append(h.openList, id)
		h.push(&h.holding, mark{t, int32(len(h.openList))})
	}
	w := h.nWaiting
	if prev == Wait {
		w--
	}
	if steady == Wait {
		w++
	}
	if w != h.nWaiting {
		h.nWaiting = w
		// Changes at one instant collapse into the last, so that a
		// request granted at once never shows as a queue.
		if h.waiting.len() > 0 && h.waitedAt == t {
			h.waiting.setLast(mark{t, w})
		} else {
			h.push(&h.waiting, mark{t, w})
			h.waitedAt = t
		}
	}
}

func (h *History) closeHold(id int32, t int64) {
	if old, dropped := h.holds.push(hold{task: id, from: h.open[id], to: t}); dropped {
		h.since = max(h.since, old.to+1)
	}
	i := h.openAt[id]
	lastID := h.openList[len(h.openList)-1]
	h.openList[i] = lastID
	h.openAt[lastID] = i
	h.openList = h.openList[:len(h.openList)-1]
	h.open[id], h.openAt[id] = -1, -1
	h.push(&h.holding, mark{t, int32(len(h.openList))})
}

// Queue writes into dst the longest queue in each of len(dst) columns of
// width bucket from start.
func (h *History) Queue(dst []int32, start, bucket time.Duration) {
	maxPerColumn(&h.waiting, dst, int64(start), int64(bucket))
}

// maxPerColumn writes into each column the largest count r takes in it,
// carrying the count before the column in.
func maxPerColumn(r *ring[mark], dst []int32, start, b int64) {
	i := r.search(func(m mark) bool { return m.t >= start })
	var cur int32
	if i > 0 {
		cur = r.at(i - 1).v
	}
	ce := start
	for c := range dst {
		ce += b
		v := cur
		for ; i < r.len() && r.at(i).t < ce; i++ {
			cur = r.at(i).v
			v = max(v, cur)
		}
		dst[c] = v
	}
}

// Resume returns a history that goes on from a run's state at virtual
// time t, as snap shows it, held giving the locks each task holds in the
// order it took them: each task's phase as if it began at t. From t on it
// draws what a history recorded from the start of the run draws, so a view
// going back in time replays only the stretch it shows. since is what it
// claims to be complete from, as the run's own history did.
func Resume(lim Limits, t, since time.Duration, snap *sim.Snapshot, held func(id int32) []int32) *History {
	h := New(lim)
	at := int64(t)
	h.since, h.last = int64(since), at
	h.SetLimited(t, snap.Policy != lock.None)
	for i := range snap.Tasks {
		tv := &snap.Tasks[i]
		h.lanes = append(h.lanes, newRing[mark](lim.LaneMarks))
		h.phase = append(h.phase, Idle)
		h.held = append(h.held, slices.Clone(held(tv.ID)))
		h.open = append(h.open, -1)
		h.openAt = append(h.openAt, -1)
		var c Cell
		l := int32(-1)
		switch tv.Phase {
		case sim.Thinking:
			c = Think
		case sim.Waiting:
			c, l = Wait, tv.WaitingOn
			h.nWaiting++
		case sim.Holding:
			c = Hold
			if hs := h.held[i]; len(hs) > 0 {
				l = hs[len(hs)-1]
			}
			h.open[i], h.openAt[i] = at, int32(len(h.openList))
			h.openList = append(h.openList, tv.ID)
		default:
			continue // not started, or ended: idle
		}
		h.phase[i] = c
		h.lanes[i].push(laneMark(at, c, c, l))
	}
	h.holding.push(mark{at, int32(len(h.openList))})
	h.waiting.push(mark{at, h.nWaiting})
	h.waitedAt = at
	return h
}

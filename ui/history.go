package ui

import (
	"time"

	"lockviz/sim"
)

// cell is what a timeline cell shows. The values are ordered by priority: a
// cell covering several phases shows the highest, so a short hold or a
// timeout is never lost between two cells.
type cell uint8

const (
	cellNone    cell = iota // not started, finished or cancelled
	cellThink               // thinking
	cellWait                // waiting for the lock
	cellHold                // holding the lock
	cellTimeout             // timed out here (the task thinks afterwards)
	numCells
)

// steady is the phase a lane is in after a change to c.
func (c cell) steady() cell {
	if c == cellTimeout {
		return cellThink
	}
	return c
}

// Bounds of the history: memory stays constant however long the run.
const (
	laneCap   = 512     // phase changes kept per task, at most
	laneMarks = 1 << 22 // phase changes kept over all tasks (64 MiB), at most
	laneMin   = 64      // phase changes kept per task, at least: eight cycles on screen take about 32
	queueCap  = 4096    // queue-length changes kept
	logCap    = 256     // trace events kept for the event log
)

// mark is one change of a lane or of the queue length at virtual time t.
type mark struct {
	t int64
	v int32
}

// ring keeps the newest marks, oldest first, in a bounded buffer.
type ring struct {
	buf  []mark
	head int // index of the oldest mark once the buffer is full
	cap  int
}

func (r *ring) push(m mark) {
	if len(r.buf) < r.cap {
		r.buf = append(r.buf, m)
		return
	}
	r.buf[r.head] = m
	r.head = (r.head + 1) % r.cap
}

func (r *ring) len() int { return len(r.buf) }

// at returns the i-th mark, oldest first.
func (r *ring) at(i int) mark {
	if len(r.buf) < r.cap {
		return r.buf[i]
	}
	return r.buf[(r.head+i)%r.cap]
}

// last returns the newest mark, if any.
func (r *ring) last() (mark, bool) {
	if len(r.buf) == 0 {
		return mark{}, false
	}
	return r.at(len(r.buf) - 1), true
}

// search returns the index of the first mark at or after t.
func (r *ring) search(t int64) int {
	lo, hi := 0, len(r.buf)
	for lo < hi {
		mid := (lo + hi) / 2
		if r.at(mid).t < t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// history records, from the engine's trace, each task's phase changes and the
// length of the queue, for the timeline and the queue sparkline.
type history struct {
	lanes   []ring
	laneCap int // marks kept per lane
	queue   ring
	waiting int32
	last    sim.Event // the latest trace event
	events  int64
	log     []sim.Event // the newest trace events, a ring from logHead
	logHead int
}

// newHistory makes a history for a run of about tasks tasks; with very many
// tasks each lane keeps fewer marks, down to what its timeline shows.
func newHistory(tasks int) *history {
	return &history{queue: ring{cap: queueCap}, laneCap: min(laneCap, max(laneMin, laneMarks/max(tasks, 1)))}
}

// record is the engine's observer.
func (h *history) record(ev sim.Event) {
	h.last = ev
	h.events++
	if len(h.log) < logCap {
		h.log = append(h.log, ev)
	} else {
		h.log[h.logHead] = ev
		h.logHead = (h.logHead + 1) % logCap
	}
	for int(ev.Task) >= len(h.lanes) {
		h.lanes = append(h.lanes, ring{cap: h.laneCap})
	}
	l := &h.lanes[ev.Task]
	prev := cellNone
	if m, ok := l.last(); ok {
		prev = cell(m.v).steady()
	}
	var next cell
	switch ev.Kind {
	case sim.Spawn, sim.Released:
		next = cellThink
	case sim.Request:
		next = cellWait
	case sim.Acquired:
		next = cellHold
	case sim.Timeout:
		next = cellTimeout
	case sim.Done, sim.Cancelled:
		next = cellNone
	default:
		return
	}
	l.push(mark{t: int64(ev.T), v: int32(next)})
	w := h.waiting
	if prev == cellWait {
		w--
	}
	if next == cellWait {
		w++
	}
	if w != h.waiting {
		h.waiting = w
		h.pushQueue(mark{t: int64(ev.T), v: w})
	}
}

// pushQueue records a new queue length. Changes at one instant collapse
// into the last, so that a request granted at once never shows as a queue.
func (h *history) pushQueue(m mark) {
	if last, ok := h.queue.last(); ok && last.t == m.t {
		h.queue.buf[(h.queue.head+h.queue.len()-1)%h.queue.cap] = m
		return
	}
	h.queue.push(m)
}

// logLen returns how many events the log holds.
func (h *history) logLen() int { return len(h.log) }

// logAt returns the log's i-th event, oldest first.
func (h *history) logAt(i int) sim.Event { return h.log[(h.logHead+i)%len(h.log)] }

// fillLane writes into dst the cells of task id's lane for the len(dst)
// buckets of width b ending at end (exclusive).
func (h *history) fillLane(dst []cell, id int32, end, b int64) {
	if int(id) >= len(h.lanes) {
		clear(dst)
		return
	}
	fillBuckets(&h.lanes[id], dst, end, b, cell.steady)
}

// fillQueue writes into dst the longest queue in each of the len(dst)
// buckets of width b ending at end (exclusive).
func (h *history) fillQueue(dst []int32, end, b int64) {
	fillBuckets(&h.queue, dst, end, b, func(v int32) int32 { return v })
}

// fillBuckets writes into each of dst's buckets of width b, ending at end,
// the largest value the ring's marks take in it; a bucket without marks
// carries on the steady value of the mark before it.
func fillBuckets[T cell | int32](r *ring, dst []T, end, b int64, steady func(T) T) {
	start := end - int64(len(dst))*b
	i := r.search(start)
	var cur T
	if i > 0 {
		cur = steady(T(r.at(i - 1).v))
	}
	n := r.len()
	ce := start
	for c := range dst {
		ce += b
		v := cur
		for ; i < n && r.at(i).t < ce; i++ {
			m := T(r.at(i).v)
			v = max(v, m)
			cur = steady(m)
		}
		dst[c] = v
	}
}

// niceBucket rounds d up to a bucket width the timeline uses: 1, 2 or 5
// times a power of ten, from 1µs (d itself beyond about 14 hours).
func niceBucket(d time.Duration) time.Duration {
	if d < time.Microsecond {
		return time.Microsecond
	}
	for p := time.Microsecond; ; p *= 10 {
		for _, f := range [...]time.Duration{1, 2, 5} {
			if f*p >= d {
				return f * p
			}
		}
		if p > time.Hour {
			return d
		}
	}
}

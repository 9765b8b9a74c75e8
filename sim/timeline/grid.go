package timeline

import (
	"cmp"
	"slices"
	"time"
)

// Grid is the timeline of one stretch of virtual time cut into columns: it
// knows, for every column, which tasks show as holders. Make it with
// History.Grid, then draw each task's lane with Lane. A Grid is reused from
// frame to frame without allocating.
type Grid struct {
	h         *History
	start, b  int64
	cols      int
	contested []bool  // per column: more tasks held than may be shown
	shownAt   []int32 // per column: where its shown holders start in shown
	shown     []int32 // the shown holders of contested columns, by column, ids sorted
	// scratch
	caps, counts []int32
	entries      []entry
}

// entry is the time one task held the lock in one column.
type entry struct {
	col   int32
	task  int32
	held  int64
	first int64 // when its first hold in the column began
}

// Start returns the virtual time of the grid's first column.
func (g *Grid) Start() time.Duration { return time.Duration(g.start) }

// Grid fills g with the cols columns of width bucket from start.
func (h *History) Grid(g *Grid, start, bucket time.Duration, cols int) {
	g.h, g.start, g.b, g.cols = h, int64(start), max(int64(bucket), 1), max(cols, 0)
	g.contested = resize(g.contested, g.cols)
	g.shownAt = resize(g.shownAt, g.cols+1)
	g.caps = resize(g.caps, g.cols)
	g.counts = resize(g.counts, g.cols+1)
	g.shown, g.entries = g.shown[:0], g.entries[:0]
	clear(g.counts)

	// How many held at once, at most, in each column; whether a policy
	// limited holders throughout it.
	maxPerColumn(&h.holding, g.caps, g.start, g.b)
	limited := g.contested // borrowed: 1 where limited throughout
	minPerColumn(&h.limited, limited, g.start, g.b)

	// How many holds touch each column; only columns with more holds than
	// holders at once need a choice.
	h.eachHold(g.start, g.end(), func(task int32, from, to int64) {
		c0, c1 := g.span(from, to)
		g.counts[c0]++
		g.counts[c1+1]--
	})
	run := int32(0)
	some := false
	for c := range g.cols {
		run += g.counts[c]
		g.contested[c] = limited[c] && run > g.caps[c]
		some = some || g.contested[c]
	}
	if !some {
		clear(g.shownAt)
		return
	}
	h.eachHold(g.start, g.end(), func(task int32, from, to int64) {
		c0, c1 := g.span(from, to)
		for c := c0; c <= c1; c++ {
			if !g.contested[c] {
				continue
			}
			cs := g.start + int64(c)*g.b
			held := max(min(to, cs+g.b)-max(from, cs), 0)
			g.entries = append(g.entries, entry{col: int32(c), task: task, held: held, first: from})
		}
	})
	// One entry per task and column, then the longest holders first.
	slices.SortFunc(g.entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.col, b.col), cmp.Compare(a.task, b.task), cmp.Compare(a.first, b.first))
	})
	merged := g.entries[:0]
	for _, e := range g.entries {
		if n := len(merged); n > 0 && merged[n-1].col == e.col && merged[n-1].task == e.task {
			merged[n-1].held += e.held
			continue
		}
		merged = append(merged, e)
	}
	slices.SortFunc(merged, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.col, b.col), cmp.Compare(b.held, a.held), cmp.Compare(a.first, b.first), cmp.Compare(a.task, b.task))
	})
	i := 0
	for c := range g.cols {
		g.shownAt[c] = int32(len(g.shown))
		from := len(g.shown)
		for n := int32(0); i < len(merged) && merged[i].col == int32(c); i++ {
			if n < g.caps[c] {
				g.shown = append(g.shown, merged[i].task)
				n++
			}
		}
		slices.Sort(g.shown[from:])
	}
	g.shownAt[g.cols] = int32(len(g.shown))
}

func (g *Grid) end() int64 { return g.start + int64(g.cols)*g.b }

// span returns the first and last columns a hold touches; the caller
// made sure it touches one.
func (g *Grid) span(from, to int64) (c0, c1 int) {
	c0 = int((max(from, g.start) - g.start) / g.b)
	c1 = c0
	if to > from {
		c1 = int((min(to, g.end()) - 1 - g.start) / g.b)
	}
	return c0, c1
}

// eachHold calls fn for every hold, completed or still going on, that
// touches [start, end): one that overlaps it, or one of no length in it.
func (h *History) eachHold(start, end int64, fn func(task int32, from, to int64)) {
	touches := func(from, to int64) bool {
		if from == to {
			return from >= start && from < end
		}
		return from < end && to > start
	}
	for i := h.holds.search(func(x hold) bool { return x.to >= start }); i < h.holds.len(); i++ {
		if x := h.holds.at(i); touches(x.from, x.to) {
			fn(x.task, x.from, x.to)
		}
	}
	for _, id := range h.openList {
		if from := h.open[id]; from < end {
			fn(id, from, end)
		}
	}
}

// shows reports whether task id shows as a holder in column c, given that
// it held the lock in it.
func (g *Grid) shows(c int, id int32) bool {
	if !g.contested[c] {
		return true
	}
	_, found := slices.BinarySearch(g.shown[g.shownAt[c]:g.shownAt[c+1]], id)
	return found
}

// Lane writes task id's cells into dst, one per column (len(dst) of them at
// most the grid's).
func (g *Grid) Lane(id int32, dst []Cell) {
	h := g.h
	dst = dst[:min(len(dst), g.cols)]
	if int(id) >= len(h.lanes) || id < 0 {
		clear(dst)
		return
	}
	r := &h.lanes[id]
	i := r.search(func(m mark) bool { return m.t >= g.start })
	cur := Idle
	if i > 0 {
		cur = Cell(r.at(i - 1).v).steady()
	}
	cs := g.start
	for c := range dst {
		ce := cs + g.b
		var spent [Hold + 1]int64
		held, timedOut := false, false
		t := cs
		for ; i < r.len() && r.at(i).t < ce; i++ {
			m := r.at(i)
			spent[cur] += m.t - t
			t = m.t
			v := Cell(m.v)
			held = held || v == Hold
			timedOut = timedOut || v == Timeout
			cur = v.steady()
		}
		spent[cur] += ce - t
		held = held || spent[Hold] > 0
		dst[c] = g.pick(c, id, &spent, held, timedOut)
		cs = ce
	}
}

// pick chooses a column's cell: a timeout, else a hold the grid shows, else
// what the task did most of the rest of the column (waiting before thinking
// before idle on a tie).
func (g *Grid) pick(c int, id int32, spent *[Hold + 1]int64, held, timedOut bool) Cell {
	switch {
	case timedOut:
		return Timeout
	case held && g.shows(c, id):
		return Hold
	}
	best, most := Hold, int64(0)
	for _, p := range [...]Cell{Wait, Think, Idle} {
		if spent[p] > most {
			best, most = p, spent[p]
		}
	}
	return best
}

// minPerColumn writes into each column whether r's value stayed 1
// throughout it.
func minPerColumn(r *ring[mark], dst []bool, start, b int64) {
	i := r.search(func(m mark) bool { return m.t > start })
	cur := int32(1)
	if i > 0 {
		cur = r.at(i - 1).v
	}
	ce := start
	for c := range dst {
		ce += b
		v := cur
		for ; i < r.len() && r.at(i).t < ce; i++ {
			cur = r.at(i).v
			v = min(v, cur)
		}
		dst[c] = v == 1
	}
}

// resize returns s with length n, reusing its array when it is big enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

package timeline

import (
	"cmp"
	"slices"
	"time"
)

// Grid is the timeline of one stretch of virtual time cut into columns: it
// knows, for every column, which tasks show as holders. Make it with
// History.Grid, then draw each task's lane with Lane. A Grid is reused from
// frame to frame: columns that were over at the last frame (no event can
// change them) are kept, so a frame only works out the newest columns, and
// a window of a quarter of a million holds costs what its last column holds.
type Grid struct {
	h         *History
	start, b  int64
	cols      int
	contested []bool  // per column: more tasks held than may be shown
	shownAt   []int32 // per column: where its shown holders start in shown
	shown     []int32 // the shown holders of contested columns, by column, ids sorted
	// columns that were over, by absolute index (start / width), for
	// this history and width
	cacheH *History
	cacheB int64
	cache  map[int64]column
	// scratch
	caps, counts []int32
	fresh        []int32 // shown holders of the columns worked out, by column
	freshAt      []int32
	entries      []entry
	byCol        []entry // entries grouped by column
	acc          []entry // per task: its time in the column being summed
	touched      []int32 // the tasks with time in it
}

// column is what a Grid keeps of a column that is over.
type column struct {
	contested bool
	shown     []int32
}

// entry is the time one task held the lock in one column.
type entry struct {
	col   int32
	task  int32
	held  int64
	first int64 // when its first hold in the column began
	mark  bool  // in acc: counted in the column being summed
}

// longer reports whether a shows before b as a holder: it held longer, or
// as long but from earlier, or it has the lower id.
func longer(a, b *entry) bool {
	return cmp.Or(cmp.Compare(b.held, a.held), cmp.Compare(a.first, b.first), cmp.Compare(a.task, b.task)) < 0
}

// Start returns the virtual time of the grid's first column.
func (g *Grid) Start() time.Duration { return time.Duration(g.start) }

// Grid fills g with the cols columns of width bucket from start.
func (h *History) Grid(g *Grid, start, bucket time.Duration, cols int) {
	g.h, g.start, g.b, g.cols = h, int64(start), max(int64(bucket), 1), max(cols, 0)
	g.contested = resize(g.contested, g.cols)
	g.shownAt = resize(g.shownAt, g.cols+1)
	g.shown = g.shown[:0]
	if g.cacheH != h || g.cacheB != g.b || g.cache == nil {
		g.cacheH, g.cacheB, g.cache = h, g.b, map[int64]column{}
	}
	// Only columns on the grid of absolute indices can be kept.
	aligned := g.start%g.b == 0
	first := g.start / g.b
	c0 := 0
	for aligned && c0 < g.cols {
		if _, ok := g.cache[first+int64(c0)]; !ok {
			break
		}
		c0++
	}
	g.compute(c0)
	for c := range g.cols {
		g.shownAt[c] = int32(len(g.shown))
		if c < c0 {
			col := g.cache[first+int64(c)]
			g.contested[c] = col.contested
			g.shown = append(g.shown, col.shown...)
			continue
		}
		shown := g.fresh[g.freshAt[c-c0]:g.freshAt[c-c0+1]]
		g.shown = append(g.shown, shown...)
		if end := g.start + int64(c+1)*g.b; aligned && end <= h.last {
			g.cache[first+int64(c)] = column{contested: g.contested[c], shown: slices.Clone(shown)}
		}
	}
	g.shownAt[g.cols] = int32(len(g.shown))
	for k := range g.cache {
		if k < first {
			delete(g.cache, k)
		}
	}
}

// compute works out columns c0 and after: whether each is contested, and
// its shown holders into fresh.
func (g *Grid) compute(c0 int) {
	h, n := g.h, g.cols-c0
	g.caps = resize(g.caps, n)
	g.counts = resize(g.counts, n+1)
	g.freshAt = resize(g.freshAt, n+1)
	g.fresh, g.entries = g.fresh[:0], g.entries[:0]
	clear(g.counts)
	clear(g.freshAt)
	if n == 0 {
		return
	}
	from := g.start + int64(c0)*g.b
	contested := g.contested[c0:]

	// How many held at once, at most, in each column; whether a policy
	// limited holders throughout it.
	maxPerColumn(&h.holding, g.caps, from, g.b)
	limited := contested // borrowed: true where limited throughout
	minPerColumn(&h.limited, limited, from, g.b)

	// How many holds touch each column; only columns with more holds than
	// holders at once need a choice.
	h.eachHold(from, g.end(), func(task int32, hf, ht int64) {
		a, b := g.span(hf, ht)
		a = max(a, c0)
		g.counts[a-c0]++
		g.counts[b-c0+1]--
	})
	run := int32(0)
	some := false
	for c := range n {
		run += g.counts[c]
		contested[c] = limited[c] && run > g.caps[c]
		some = some || contested[c]
	}
	if !some {
		return
	}
	h.eachHold(from, g.end(), func(task int32, hf, ht int64) {
		a, b := g.span(hf, ht)
		for c := max(a, c0); c <= b; c++ {
			if !contested[c-c0] {
				continue
			}
			cs := g.start + int64(c)*g.b
			held := max(min(ht, cs+g.b)-max(hf, cs), 0)
			g.entries = append(g.entries, entry{col: int32(c - c0), task: task, held: held, first: hf})
		}
	})
	// Group the entries by column (a counting sort: holds come about in
	// column order already), then sum each task's time in the column and
	// keep the longest holders.
	g.byCol = resize(g.byCol, len(g.entries))
	clear(g.counts)
	for _, e := range g.entries {
		g.counts[e.col+1]++
	}
	for c := range n {
		g.counts[c+1] += g.counts[c]
	}
	for _, e := range g.entries {
		g.byCol[g.counts[e.col]] = e
		g.counts[e.col]++
	}
	if len(g.acc) < len(h.lanes) {
		g.acc = make([]entry, len(h.lanes))
	}
	i := 0
	for c := range n {
		g.freshAt[c] = int32(len(g.fresh))
		g.touched = g.touched[:0]
		for ; i < len(g.byCol) && g.byCol[i].col == int32(c); i++ {
			e := g.byCol[i]
			a := &g.acc[e.task]
			if !a.mark {
				*a = entry{col: int32(c), task: e.task, first: e.first, mark: true}
				g.touched = append(g.touched, e.task)
			}
			a.held += e.held
			a.first = min(a.first, e.first)
		}
		start := len(g.fresh)
		for k := int32(0); k < g.caps[c] && len(g.touched) > 0; k++ {
			best := 0
			for j := 1; j < len(g.touched); j++ {
				if longer(&g.acc[g.touched[j]], &g.acc[g.touched[best]]) {
					best = j
				}
			}
			g.fresh = append(g.fresh, g.touched[best])
			g.touched[best] = g.touched[len(g.touched)-1]
			g.touched = g.touched[:len(g.touched)-1]
		}
		for _, id := range g.touched {
			g.acc[id].mark = false
		}
		for _, id := range g.fresh[start:] {
			g.acc[id].mark = false
		}
		slices.Sort(g.fresh[start:])
	}
	g.freshAt[n] = int32(len(g.fresh))
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
func (g *Grid) Lane(id int32, dst []Cell) { g.LaneLocks(id, dst, nil) }

// LaneLocks is Lane that also writes, into locks when it is not nil, the
// lock each column's hold, wait or timeout was about (-1 for the others):
// the lock held longest, or waited for longest, in the column.
func (g *Grid) LaneLocks(id int32, dst []Cell, locks []int32) {
	h := g.h
	dst = dst[:min(len(dst), g.cols)]
	if int(id) >= len(h.lanes) || id < 0 {
		clear(dst)
		for i := range locks {
			locks[i] = -1
		}
		return
	}
	r := &h.lanes[id]
	i := r.search(func(m mark) bool { return m.t >= g.start })
	cur, curLock := Idle, int32(-1)
	if i > 0 {
		m := r.at(i - 1)
		cur, curLock = m.steady(), m.lock()
	}
	cs := g.start
	for c := range dst {
		ce := cs + g.b
		var spent [Hold + 1]int64
		var best [Hold + 1]int64 // the longest stretch of a hold or a wait, for its lock
		var which [Hold + 1]int32
		which[Hold], which[Wait] = -1, -1
		held, timedOut, timedLock := false, false, int32(-1)
		t := cs
		stretch := func(until int64) {
			spent[cur] += until - t
			if d := until - t; (cur == Hold || cur == Wait) && (d > best[cur] || which[cur] < 0) {
				best[cur], which[cur] = d, curLock
			}
		}
		for ; i < r.len() && r.at(i).t < ce; i++ {
			m := r.at(i)
			stretch(m.t)
			t = m.t
			switch m.cell() {
			case Hold:
				held = true
				if which[Hold] < 0 {
					which[Hold] = m.lock()
				}
			case Timeout:
				timedOut, timedLock = true, m.lock()
			}
			cur, curLock = m.steady(), m.lock()
		}
		stretch(ce)
		held = held || spent[Hold] > 0
		dst[c] = g.pick(c, id, &spent, held, timedOut)
		if locks != nil {
			switch dst[c] {
			case Hold, Wait:
				locks[c] = which[dst[c]]
			case Timeout:
				locks[c] = timedLock
			default:
				locks[c] = -1
			}
		}
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

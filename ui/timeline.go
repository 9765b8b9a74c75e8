package ui

import (
	"slices"
	"time"
)

// glyphs draw the timeline's cells; each state has its own shape, so the
// lanes read without colour.
var glyphs = [numCells]string{" ", "·", "▒", "█", "×"}

// timelinePanel draws one swimlane per task over the last stretch of
// virtual time, one column per time bucket, newest on the right. Its rows
// follow the task list's.
type timelinePanel struct {
	w, h int
	sc   *scene
	k    *ink
	sel  int32
	off  int
	name int // width of the name column
}

// SetSize sets the panel's size.
func (t timelinePanel) SetSize(w, h int) timelinePanel {
	t.w, t.h = w, h
	return t
}

// follow shows the rows the task list shows.
func (t timelinePanel) follow(l taskList) timelinePanel {
	t.sel, t.off = l.sel, l.off
	t.name = l.columns().name
	return t
}

// rows returns how many lanes fit.
func (t timelinePanel) rows() int { return max(t.h-2, 0) }

// laneWidth returns how many time buckets a lane shows.
func (t timelinePanel) laneWidth() int { return max(t.w-t.name-4, 1) }

// bucketFor picks the column width so that a lane spans about eight of the
// tasks' typical cycles (think + hold), rounded to 1, 2 or 5 times a power
// of ten.
func bucketFor(sc *scene, cells int) time.Duration {
	cycles := make([]time.Duration, 0, len(sc.visible))
	for _, id := range sc.visible {
		s := &sc.snap.Tasks[id].Spec
		if c := s.Think.Mean() + s.Hold.Mean(); c > 0 {
			cycles = append(cycles, c)
		}
	}
	typical := time.Second
	if len(cycles) > 0 {
		slices.Sort(cycles)
		typical = cycles[len(cycles)/2]
	}
	return niceBucket(8 * typical / time.Duration(max(cells, 1)))
}

// window returns the end (exclusive) of the newest bucket, which holds now.
func window(now, bucket time.Duration) int64 {
	b := int64(bucket)
	return (int64(now)/b + 1) * b
}

// View draws the lanes, then a line with the time axis and the legend.
func (t timelinePanel) View() string {
	k, sc := t.k, t.sc
	p := newPen(k, t.w, t.h)
	p.title("Timeline", "1 column = "+fmtDur(sc.bucket)+" · last "+fmtDur(sc.span))
	n := t.laneWidth()
	if cap(sc.cells) < n {
		sc.cells = make([]cell, n)
	}
	cells := sc.cells[:n]
	end := window(sc.snap.Now, sc.bucket)
	rows := t.rows()
	for r := 0; r < rows; r++ {
		if t.off+r >= len(sc.visible) {
			p.nl()
			continue
		}
		id := sc.visible[t.off+r]
		if id == t.sel {
			p.put(k.accent, "▸ ")
		} else {
			p.sp(2)
		}
		p.putw(k.task[taskInk(id)], sc.snap.Tasks[id].Spec.Name, t.name)
		p.put(k.rule, " ▕")
		sc.hist.fillLane(cells, id, end, int64(sc.bucket))
		for i := 0; i < n; {
			j := i + 1
			for j < n && cells[j] == cells[i] {
				j++
			}
			p.repeat(k.cell[cells[i]], glyphs[cells[i]], j-i)
			i = j
		}
		p.nl()
	}
	t.legend(p)
	return p.String()
}

// legend writes the bottom line: how far back the lanes go, what the glyphs
// mean, and where now is.
func (t timelinePanel) legend(p *pen) {
	k := p.k
	p.sp(t.name + 3)
	p.put(k.rule, "▕")
	left := "◂ " + fmtDur(t.sc.span) + " ago"
	p.put(k.muted, left)
	type item struct {
		c    cell
		word string
	}
	items := [...]item{{cellHold, "holding"}, {cellWait, "waiting"}, {cellThink, "thinking"}, {cellTimeout, "timed out"}}
	need := 0
	for _, it := range items {
		need += 3 + len(it.word)
	}
	now := "now ▸"
	free := p.room() - width(now)
	if free >= need+2 {
		p.sp((free - need) / 2)
		for _, it := range items {
			p.sp(1)
			p.put(k.cell[it.c], glyphs[it.c])
			p.sp(1)
			p.put(k.muted, it.word)
		}
		p.sp(p.room() - width(now))
	} else {
		p.sp(free)
	}
	p.put(k.muted, now)
	p.nl()
}

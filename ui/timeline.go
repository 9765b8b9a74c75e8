package ui

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/timeline"
)

// glyphs draw the timeline's cells; each state has its own shape, so the
// lanes read without colour.
var glyphs = [timeline.NumCells]string{" ", "·", "▒", "█", "×"}

// timelinePanel draws one swimlane per task, one column per time bucket,
// newest on the right, with the model of sim/timeline: a column never shows
// more holders than held the lock at once in it. Its rows follow the task
// list's.
type timelinePanel struct {
	panel
	rows rowSet
}

// follow shows the rows the task list shows.
func (t timelinePanel) follow(l taskList) timelinePanel {
	t.rows = l.rowSet()
	return t
}

// rowAt returns the index among the rows shown of the lane at the screen
// cell (x, y), or -1.
func (t timelinePanel) rowAt(x, y int) int {
	if r := y - t.y - 1; t.contains(x, y) && r >= 0 && r < t.h-2 {
		return r
	}
	return -1
}

// laneWidth returns how many time buckets a lane shows.
func (t timelinePanel) laneWidth() int { return max(t.w-t.rows.nameW-4, 1) }

// typicalCycle is the median think + hold mean of the tasks (of an even
// sample of at most 256 of them, so that it costs the same for any number),
// 1s when none has one.
func typicalCycle(s *sim.Snapshot) time.Duration {
	n := len(s.Tasks)
	stride := max(n/256, 1)
	cycles := make([]time.Duration, 0, min(n, 256)+1)
	for i := 0; i < n; i += stride {
		sp := &s.Tasks[i].Spec
		if c := sp.Think.Mean() + sp.Hold.Mean(); c > 0 && s.Tasks[i].Phase.Active() {
			cycles = append(cycles, c)
		}
	}
	if len(cycles) == 0 {
		return time.Second
	}
	slices.Sort(cycles)
	return cycles[len(cycles)/2]
}

// realSpan is how much real time a running timeline spans at least, so
// that at a high speed the window widens instead of blurring.
const realSpan = 8 * time.Second

// window picks the timeline's columns for cells of them: their width and
// the first one's time. A running timeline spans about eight typical cycles
// (or realSpan of real time at the current speed, when longer), newest on
// the right; until the run is that long, and once it is finished, the whole
// run fills the width. It never reaches back past what the history keeps.
func (m *Model) window(cells int) (bucket, start time.Duration) {
	sc := m.sc
	now, finished := sc.snap.Now, sc.finished()
	if c := m.clock; c != nil {
		// A comparison's columns share one time axis, so that their lanes
		// line up; a run that ended early leaves its lanes empty after.
		now, finished = c.now, c.done
	}
	return windowOf(now, sc.hist.Since(), sc.typical, finished, m.speed, cells)
}

// windowOf is window for a run at now, its history complete from since,
// with typical cycles, finished or not, shown at speed.
func windowOf(now, since, typical time.Duration, finished bool, speed float64, cells int) (bucket, start time.Duration) {
	want := max(8*typical, time.Duration(float64(realSpan)*speed))
	if finished || now-since <= want {
		// The newest column must hold now: columns span [t, t+bucket), so
		// a run exactly cells buckets long needs one nanosecond more.
		bucket = timeline.Fit(now-since+1, cells)
		start = (since + bucket - 1) / bucket * bucket
		if start+time.Duration(cells)*bucket > now {
			return bucket, start
		}
	}
	bucket = timeline.Bucket(want / time.Duration(max(cells, 1)))
	end := (now/bucket + 1) * bucket // the newest column holds now
	return bucket, max(end-time.Duration(cells)*bucket, (since+bucket-1)/bucket*bucket)
}

// wholeRun reports whether the timeline starts at the start of the run.
func (sc *scene) wholeRun() bool { return sc.start == 0 }

// View draws the lanes, then a line with the time axis and the legend.
func (t timelinePanel) View() string {
	k, sc := t.k, t.sc
	p := newPen(k, t.w, t.h)
	span := sc.bucket * time.Duration(sc.laneCells)
	note := "1 column = " + format.Duration(sc.bucket) + " · "
	if sc.wholeRun() {
		note += "the whole run"
	} else {
		note += "from " + fmtClock(sc.start)
	}
	if sc.inPast && sc.headNow > 0 {
		p.titleAt("Timeline", note, float64(sc.snap.Now)/float64(sc.headNow))
	} else {
		p.title("Timeline", note)
	}
	n := t.laneWidth()
	b := t.buf
	if cap(b.cells) < n {
		b.cells = make([]timeline.Cell, n)
	}
	cells := b.cells[:n]
	var locks []int32
	letters := lockLetters(&sc.snap)
	if letters != nil {
		if cap(b.locks) < n {
			b.locks = make([]int32, n)
		}
		locks = b.locks[:n]
	}
	// Columns that start after now are the future: blank.
	past := min(int((sc.snap.Now-sc.start)/sc.bucket)+1, n)
	for r := range t.h - 2 {
		if r >= len(t.rows.ids) {
			p.nl()
			continue
		}
		id := t.rows.ids[r]
		if id == t.rows.sel {
			p.put(k.accent, "▸ ")
		} else {
			p.sp(2)
		}
		p.putw(k.task[taskInk(id)], t.rows.labels[r], t.rows.nameW)
		p.put(k.rule, " ▕")
		sc.grid.LaneLocks(id, cells, locks)
		clear(cells[past:])
		for i := 0; i < n; {
			j := i + 1
			for j < n && cells[j] == cells[i] && (locks == nil || locks[j] == locks[i]) {
				j++
			}
			glyph := glyphs[cells[i]]
			if locks != nil {
				glyph = lockGlyph(letters, cells[i], locks[i], glyph)
			}
			p.repeat(k.cell[cells[i]], glyph, j-i)
			i = j
		}
		p.nl()
	}
	t.legend(p, span)
	return p.String()
}

// legend writes the bottom line: where the lanes start, what the glyphs
// mean, and where now is.
func (t timelinePanel) legend(p *pen, span time.Duration) {
	k, sc := p.k, t.sc
	p.sp(t.rows.nameW + 3)
	p.put(k.rule, "▕")
	left := "◂ " + fmtClock(sc.start)
	p.put(k.muted, left)
	type item struct {
		c    timeline.Cell
		word string
	}
	items := [...]item{{timeline.Hold, sc.words.Holding}, {timeline.Wait, "waiting"}, {timeline.Think, "thinking"}, {timeline.Timeout, "timed out"}}
	symbols := glyphs
	if letters := lockLetters(&sc.snap); letters != nil {
		// With several locks, a hold is the lock's letter in capitals, a
		// wait in small letters: A holding a, b waiting for b.
		symbols[timeline.Hold], symbols[timeline.Wait] = strings.ToUpper(string(letters[0])), string(letters[1])
		items[0].word = sc.words.Holding + " " + sc.snap.Locks[0].Name + ","
		items[1].word = "waiting for " + sc.snap.Locks[1].Name + ","
	}
	need := 0
	for _, it := range items {
		need += 3 + len(it.word)
	}
	right := fmtClock(sc.start+span) + " ▸"
	free := p.room() - width(right)
	if free >= need+2 {
		p.sp((free - need) / 2)
		for _, it := range items {
			p.sp(1)
			p.put(k.cell[it.c], symbols[it.c])
			p.sp(1)
			p.put(k.muted, it.word)
		}
		p.sp(p.room() - width(right))
	} else {
		p.sp(free)
	}
	p.put(k.muted, right)
	p.nl()
}

// lockLetters returns the timeline's letters of the snapshot's locks, nil
// for a run of one lock.
func lockLetters(s *sim.Snapshot) []rune {
	if len(s.Locks) < 2 {
		return nil
	}
	names := make([]string, len(s.Locks))
	for i, l := range s.Locks {
		names[i] = l.Name
	}
	return format.LockLetters(names)
}

// lockGlyph draws a hold of a lock as its letter in capitals and a wait for
// it in small letters; other cells keep their glyph.
func lockGlyph(letters []rune, c timeline.Cell, l int32, glyph string) string {
	if l < 0 || int(l) >= len(letters) {
		return glyph
	}
	switch c {
	case timeline.Hold:
		return string(unicode.ToUpper(letters[l]))
	case timeline.Wait:
		return string(letters[l])
	}
	return glyph
}

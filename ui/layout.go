package ui

// wideFrom is the width from which the panels sit side by side.
const wideFrom = 120

// The code panel: shown from codeFrom columns unless `c` hides it, and
// never narrower than codeMin, nor leaving the other panels less than the
// minimum width.
const (
	codeFrom = 140
	codeMin  = 30
)

// codeWidth returns the code panel's width in a w-column window, 0 when it
// does not fit.
func codeWidth(w int) int {
	cw := min(max(w*3/10, 40), 72)
	if w-cw-3 < MinWidth {
		cw = w - MinWidth - 3
	}
	if cw < codeMin {
		return 0
	}
	return cw
}

// rect is a panel's place on the screen.
type rect struct{ x, y, w, h int }

// contains reports whether the cell (x, y) is inside r.
func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layout places the panels for one window size. Wide windows put the lock
// beside the tasks, the timeline across the whole width below them, and the
// shared list, the statistics and the event log side by side at the bottom;
// narrower ones stack the panels. A zero rect is a panel left out.
type layout struct {
	small    bool // below the minimum size
	helpOnly bool // the full help takes the screen: it does not fit beside the panels
	header   rect
	caption  rect // the caption band under the header; zero when there is none
	lock     rect
	shared   rect
	stats    rect
	tasks    rect
	time     rect
	events   rect
	code     rect
	footer   rect
	seps     []rect // one-column vertical rules between side-by-side panels
}

// Heights of the panels that do not scroll.
const (
	lockMin   = 4  // title, holder, queue (wrapped)
	lockWant  = 12 // enough for a vertical queue of a few waiters
	eventsMin = 4
)

// computeLayout places the panels in a w×h window with a caption band
// under the header when caption, a footer of footerH lines and n tasks to
// show; a finished run's summary is taller. The full help (fullHelp) takes
// the whole screen when it does not fit beside the least body the layout
// needs. With code, the code panel takes a column on the right, the whole
// body high, when it fits.
func computeLayout(w, h int, caption bool, footerH, n int, finished, fullHelp, code bool) layout {
	if w < MinWidth || h < MinHeight {
		return layout{small: true}
	}
	inner, codeW := w, 0
	if code {
		if codeW = codeWidth(w); codeW > 0 {
			inner = w - codeW - 3
		}
	}
	wide := inner >= wideFrom
	top := 1
	if caption {
		top = 2
	}
	if footerH > h-top-minBody(inner, wide, finished) {
		if fullHelp {
			return layout{helpOnly: true}
		}
		footerH = max(h-top-minBody(inner, wide, finished), 1)
	}
	l := layout{header: rect{0, 0, w, 1}, footer: rect{0, h - footerH, w, footerH}}
	if caption {
		l.caption = rect{0, 1, w, 1}
	}
	body := h - top - footerH
	n = max(n, 1)
	if wide {
		wideLayout(&l, inner, top, body, n, finished)
	} else {
		stackedLayout(&l, inner, top, body, n, finished)
	}
	if codeW > 0 {
		l.code = rect{inner + 3, top, codeW, body}
		l.seps = append(l.seps, rect{inner + 1, top, 1, body})
	}
	return l
}

// minBody is the least height of the panels, with one task row.
func minBody(w int, wide, finished bool) int {
	if wide {
		_, _, statsW := wideColumns(w)
		return lockMin + 2 + 1 + 3 + 1 + statsHeight(statsW, finished)
	}
	return lockMin + statsHeight(w, finished) + 2*3
}

// wideColumns returns the width of the left column, of the right one and of
// the statistics.
func wideColumns(w int) (leftW, rightW, statsW int) {
	leftW = min(max(w*36/100, 44), 60)
	rightW = w - leftW - 3
	statsW = rightW
	if rightW-46-3 >= 32 {
		statsW = 46
	}
	return leftW, rightW, statsW
}

// wideLayout, from row top down: lock | tasks, then the timeline, then
// shared | stats | events.
func wideLayout(l *layout, w, top, body, n int, finished bool) {
	leftW, rw, statsW := wideColumns(w)
	rx := leftW + 3
	statsH := statsHeight(statsW, finished)
	rows := n
	for rows > 1 && max(2+rows, lockMin+2)+2+rows+2+statsH > body {
		rows--
	}
	topH := max(2+rows, lockMin+2)
	spare := body - topH - (2 + rows) - 2 - statsH
	want := min(lockWant, n+4) // title, holder, queue head line, waiters, one leaving
	if grow := min(max(want-topH, 0), max(spare-eventsMin, 0)); grow > 0 {
		topH += grow
		spare -= grow
	}
	y := top
	l.lock = rect{0, y, leftW, topH}
	l.tasks = rect{rx, y, rw, 2 + rows}
	l.seps = append(l.seps, rect{leftW + 1, y, 1, topH})
	y += topH + 1
	l.time = rect{0, y, w, 2 + rows}
	y += 2 + rows + 1
	bottomH := statsH + max(spare, 0)
	l.shared = rect{0, y, leftW, bottomH}
	l.stats = rect{rx, y, statsW, statsH}
	l.seps = append(l.seps, rect{leftW + 1, y, 1, bottomH})
	switch {
	case statsW < rw:
		l.events = rect{rx + statsW + 3, y, rw - statsW - 3, bottomH}
		l.seps = append(l.seps, rect{rx + statsW + 1, y, 1, bottomH})
	case bottomH-statsH-1 >= eventsMin:
		l.events = rect{rx, y + statsH + 1, rw, bottomH - statsH - 1}
	}
}

// stackedLayout, from row top down: lock | shared, then stats, tasks,
// timeline and, when there is room, the event log, each across the whole width.
func stackedLayout(l *layout, w, top, body, n int, finished bool) {
	statsH := statsHeight(w, finished)
	fixed := lockMin + statsH + 4
	rows := min(max((body-fixed)/2, 1), n)
	spare := max(body-fixed-2*rows, 0)
	gaps := min(spare, 3)
	spare -= gaps
	topH := lockMin + min(spare, 3)
	spare -= topH - lockMin
	eventsH := 0
	if spare >= eventsMin+1 {
		eventsH = spare - 1
	} else {
		topH += spare
	}
	sharedW := min(max(w*3/8, 28), 48)
	lockW := w - sharedW - 3
	y := top
	l.lock = rect{0, y, lockW, topH}
	l.shared = rect{lockW + 3, y, sharedW, topH}
	l.seps = []rect{{lockW + 1, y, 1, topH}}
	y += topH + min(gaps, 1)
	l.stats = rect{0, y, w, statsH}
	y += statsH + min(max(gaps-1, 0), 1)
	l.tasks = rect{0, y, w, 2 + rows}
	y += 2 + rows + min(max(gaps-2, 0), 1)
	l.time = rect{0, y, w, 2 + rows}
	y += 2 + rows + 1
	if eventsH > 0 {
		l.events = rect{0, y, w, eventsH}
	}
}

package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/report"
)

// compareColMin is the least width of a column side by side with others:
// the live view's lock panel, and two figures a line in the statistics.
const compareColMin = 46

// compareLayout places a comparison in one window size: a header, a
// column (or, narrow, a band) a policy, and the footer. Each column's
// panels are in its Model's layout: a title line (in caption, for
// scenarios of several locks, whose panel cannot name the policy), the
// lock, the timeline and the statistics; its task list sits on the
// timeline's rows, never drawn, so that the lanes scroll with the
// selection.
type compareLayout struct {
	small, helpOnly bool
	needW, needH    int // the least window, when small
	header, footer  rect
	cols            []layout
	seps            []rect
	statsCols       int // figures a line in every column's statistics
	figures         figureSet
	lost            bool // the statistics show the lost updates too
}

// computeCompareLayout lays out n columns of tasks tasks in a w×h window
// with a footer of footerH lines, each with a title line when titled and
// the lost updates among the statistics when lost.
// Columns sit side by side when they are wide enough for two figures a
// line; narrower windows stack them as bands, the lock beside the
// statistics (the live figures only, to leave a lane or two).
func computeCompareLayout(w, h, n, footerH, tasks int, titled, lost, fullHelp bool) compareLayout {
	tasks = max(tasks, 1)
	title := 0
	if titled {
		title = 1
	}
	colW := (w - 3*(n-1)) / n
	side := colW >= compareColMin
	statsW := colW
	if !side {
		statsW = w - stackedLockW(w) - 3
	}
	statsCols, items := statGrid(statsW, side, true, lost)
	statsH := 1 + (items+statsCols-1)/statsCols + 2 // title, grid, waiting now, sparkline
	bandMin := title + lockMin + 1 + 3 + 1 + statsH
	if !side {
		statsH-- // a band leaves the sparkline out
		bandMin = title + max(lockMin, statsH) + 3
	}
	need := 2 + n*bandMin + n - 1
	if side {
		need = 2 + bandMin
	}
	if w < MinWidth || h < need {
		return compareLayout{small: true, needW: max(w, MinWidth), needH: max(need, MinHeight)}
	}
	if footerH > h-need+1 {
		if fullHelp {
			return compareLayout{helpOnly: true}
		}
		footerH = 1
	}
	l := compareLayout{header: rect{0, 0, w, 1}, footer: rect{0, h - footerH, w, footerH}, statsCols: statsCols, figures: liveFigures, lost: lost}
	if side {
		l.figures = summaryFigures
	}
	body := h - 1 - footerH
	if side {
		for i := range n {
			// Every column as wide as the others, so that their timelines
			// keep one scale.
			x := i * (colW + 3)
			l.cols = append(l.cols, sideColumn(x, 1, colW, body, tasks, title, statsH))
			if i > 0 {
				l.seps = append(l.seps, rect{x - 2, 1, 1, body})
			}
		}
		return l
	}
	bandH := (body - (n - 1)) / n
	for i := range n {
		l.cols = append(l.cols, band(1+i*(bandH+1), w, bandH, tasks, title, statsH))
	}
	return l
}

// sideColumn is a column at x, from row top, w×h: its title, the lock,
// the timeline and the statistics, each under the other.
func sideColumn(x, top, w, h, tasks, title, statsH int) layout {
	lockH := max(min(lockWant, tasks+4), lockMin)
	rows := min(tasks, h-title-lockH-1-2-1-statsH)
	for rows < 1 && lockH > lockMin {
		lockH--
		rows++
	}
	rows = max(rows, 1)
	var l layout
	y := top
	if title > 0 {
		l.caption = rect{x, y, w, 1}
		y++
	}
	l.lock = rect{x, y, w, lockH}
	y += lockH + 1
	l.time = rect{x, y, w, 2 + rows}
	l.tasks = l.time
	y += 2 + rows + 1
	l.stats = rect{x, y, w, statsH}
	return l
}

// stackedLockW is the lock panel's width in a band of a w-wide window,
// leaving the statistics room for two figures a line at 80 columns.
func stackedLockW(w int) int { return min(max(w*4/10, 34), 56) }

// band is a narrow window's band from row top, w×h: its title, the lock
// beside the statistics, then the timeline.
func band(top, w, h, tasks, title, statsH int) layout {
	lockW := stackedLockW(w)
	topH := max(lockMin, statsH)
	rows := max(min(tasks, h-title-topH-2), 1)
	var l layout
	y := top
	if title > 0 {
		l.caption = rect{0, y, w, 1}
		y++
	}
	l.lock = rect{0, y, lockW, topH}
	l.stats = rect{lockW + 3, y, w - lockW - 3, topH}
	l.seps = []rect{{lockW + 1, y, 1, topH}}
	l.time = rect{0, y + topH, w, 2 + rows}
	l.tasks = l.time
	return l
}

// relayout lays the columns out for the current scenes, selection and
// help, and marks the better figures of their statistics.
func (c *Compare) relayout() {
	c.drawn.ok = false
	var sel int32 = -1
	tasks := 0
	for i := range c.cols {
		tasks = max(tasks, len(c.cols[i].sc.snap.Tasks))
		sel = c.cols[i].tasks.sel
	}
	selRuns := false
	if len(c.cols) > 0 && sel >= 0 {
		snap := &c.cols[0].sc.snap
		selRuns = int(sel) < len(snap.Tasks) && snap.Tasks[sel].Phase.Active()
	}
	c.keys = c.keys.update(c.paused, c.finished(), sel >= 0, selRuns, tasks > 0, c.help.ShowAll, false, false, c.seed())
	for _, b := range []*key.Binding{&c.keys.Policy, &c.keys.Back, &c.keys.Forward, &c.keys.SecondBack, &c.keys.SecondForward,
		&c.keys.PrevAcquired, &c.keys.NextAcquired, &c.keys.Seek} {
		b.SetEnabled(false) // one policy a column; no going back
	}
	if !c.sized {
		return
	}
	footerH := lipgloss.Height(c.help.View(c.keys))
	titled := len(c.cols) > 0 && len(c.cols[0].sc.snap.Locks) > 1
	// Lost updates once a run has written the shared list: without a
	// lock, where they are lost, they are the comparison's point.
	lost := false
	for i := range c.cols {
		lost = lost || c.cols[i].sc.snap.Stats.Appends > 0
	}
	c.lay = computeCompareLayout(c.width, c.height, len(c.cols), footerH, tasks, titled, lost, c.help.ShowAll)
	if c.lay.small || c.lay.helpOnly {
		return
	}
	c.clock.now, c.clock.done = c.now, c.finished()
	for i := range c.cols {
		col := &c.cols[i]
		col.lay = c.lay.cols[i]
		col.speed = c.speed
		col.placePanels()
		col.lock.lastEvent = true
		col.stats.figures, col.stats.most, col.stats.lost = c.lay.figures, c.lay.statsCols, c.lay.lost
	}
	c.markBest()
}

// seed is the comparison's seed, the same in every column.
func (c *Compare) seed() uint64 {
	if len(c.cols) == 0 {
		return 0
	}
	return c.cols[0].sc.seed
}

// figureRule is which way a figure of the statistics is better, by its
// label; the figures without one only describe.
type figureRule struct {
	higher bool
	value  func(st *sim.Stats) float64
}

var figureRules = []struct {
	label string
	figureRule
}{
	{"throughput", figureRule{true, func(st *sim.Stats) float64 { return st.Throughput }}},
	{"fairness", figureRule{true, func(st *sim.Stats) float64 { return st.Fairness }}},
	{"wait mean", figureRule{false, func(st *sim.Stats) float64 { return float64(st.WaitMean) }}},
	{"wait p50", figureRule{false, func(st *sim.Stats) float64 { return float64(st.WaitP50) }}},
	{"wait p95", figureRule{false, func(st *sim.Stats) float64 { return float64(st.WaitP95) }}},
	{"wait p99", figureRule{false, func(st *sim.Stats) float64 { return float64(st.WaitP99) }}},
	{"wait max", figureRule{false, func(st *sim.Stats) float64 { return float64(st.WaitMax) }}},
	{"timeouts", figureRule{false, func(st *sim.Stats) float64 { return float64(st.Timeouts) }}},
	{"lost updates", figureRule{false, func(st *sim.Stats) float64 { return float64(st.LostUpdates) }}},
}

// markBest marks, figure by figure, the better ones among the columns, as
// lockviz run --compare does: a stuck column wins nothing, and a figure
// that reads the same ties.
func (c *Compare) markBest() {
	n := len(c.cols)
	stuck := make([]bool, n)
	items := make([][][2]string, n)
	for i := range c.cols {
		sc := c.cols[i].sc
		stuck[i] = sc.snap.Deadlock != nil || stranded(&sc.snap)
		all, k := statItems(sc, c.cols[i].stats.full(), c.lay.lost)
		items[i] = all[:k]
		c.cols[i].stats.best = make([]bool, maxStatItems)
	}
	// As report.Understated: beside a run whose longest wait is still going
	// on, the finished waits' figures are not compared.
	understated := slices.ContainsFunc(c.cols, func(col Model) bool {
		st := &col.sc.snap.Stats
		return st.LongestTask >= 0 && st.LongestWait > st.WaitMax
	})
	vals, cells, at := make([]float64, n), make([]string, n), make([]int, n)
rules:
	for _, r := range figureRules {
		if understated && strings.HasPrefix(r.label, "wait ") {
			continue
		}
		// By label, so that a rule only ever marks the figure it is about.
		for i := range c.cols {
			at[i] = slices.IndexFunc(items[i], func(it [2]string) bool { return it[0] == r.label })
			if at[i] < 0 {
				continue rules
			}
			vals[i], cells[i] = r.value(&c.cols[i].sc.snap.Stats), items[i][at[i]][1]
		}
		for i, b := range report.Best(vals, cells, r.higher, stuck) {
			c.cols[i].stats.best[at[i]] = b
		}
	}
	// The longest wait going on is where a starved task shows.
	for i := range c.cols {
		st := &c.cols[i].sc.snap.Stats
		// Nobody waiting reads as a wait of 0s, so that it ties with a
		// wait that has just begun.
		vals[i], cells[i] = 0, format.Duration(0)
		if st.LongestTask >= 0 {
			vals[i], cells[i] = float64(st.LongestWait), format.Duration(st.LongestWait)
		}
	}
	for i, b := range report.Best(vals, cells, false, stuck) {
		c.cols[i].stats.bestWaiting = b
	}
	var lw, vw [4]int
	for i := range c.cols {
		st := &c.cols[i].stats
		_, ownL, ownV := statColumns(st.items(), st.w, st.most)
		for k := range lw {
			lw[k], vw[k] = max(lw[k], ownL[k]), max(vw[k], ownV[k])
		}
	}
	for i := range c.cols {
		c.cols[i].stats.labelW, c.cols[i].stats.valueW = lw, vw
	}
}

// View draws the whole screen, exactly the window's size.
func (c Compare) View() string {
	if !c.sized {
		return ""
	}
	if !c.drawn.ok {
		c.drawn.view, c.drawn.ok = c.draw(), true
	}
	return c.drawn.view
}

// draw draws the screen.
func (c Compare) draw() string {
	switch {
	case c.lay.small:
		return tooSmallView(c.styles, c.width, c.height, c.lay.needW, c.lay.needH)
	case c.lay.helpOnly:
		return helpScreenView(c.styles, c.help, c.keys, c.width, c.height)
	}
	var cv canvas
	cv.init(c.width, c.height)
	cv.place(c.lay.header, fitBlock(c.header(), c.width))
	rule := func(s rect) {
		cv.place(s, strings.TrimSuffix(strings.Repeat(c.ink.rule+"│"+c.ink.reset+"\n", s.h), "\n"))
	}
	for i := range c.cols {
		col := &c.cols[i]
		l := &col.lay
		if l.caption.h > 0 {
			cv.place(l.caption, fitBlock(c.columnTitle(col), l.caption.w))
		}
		cv.place(l.lock, col.lock.View())
		cv.place(l.time, col.timeline.View())
		cv.place(l.stats, col.stats.View())
		for _, s := range l.seps {
			rule(s)
		}
	}
	for _, s := range c.lay.seps {
		rule(s)
	}
	cv.place(c.lay.footer, fitBlock(c.help.View(c.keys), c.width))
	return cv.String()
}

// header is the top line: the scenario, the policies compared, the one
// clock, the speed and the state of the whole.
func (c Compare) header() string {
	st := c.styles
	sep := st.Label.Render(" · ")
	names := make([]string, len(c.cols))
	anyDeadlock := false
	for i := range c.cols {
		names[i] = c.cols[i].sc.snap.Policy.String()
		anyDeadlock = anyDeadlock || c.cols[i].sc.snap.Deadlock != nil
	}
	status := st.Running.Render("▶ running ")
	switch {
	case c.finished():
		status = st.Finished.Render("■ finished")
	case anyDeadlock && c.paused:
		status = st.TooSmall.Render("✖ deadlock")
	case c.paused:
		status = st.Paused.Render("‖ paused  ")
	}
	left := st.Brand.Render("lockviz") + sep + st.Header.Render(c.opts.Scenario) + sep +
		st.Header.Render(strings.Join(names, " vs "))
	right := st.Label.Render("t ") + st.Value.Render(fmtClock(c.now)) + "  " + st.Label.Render("speed ") +
		st.Value.Render(fmtSpeed(c.speed)) + "  " + status
	gap := c.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return right
	}
	return left + spaces(gap) + right
}

// columnTitle names a column's policy, its real-world counterpart, and how
// its run stands when it is not running like the others.
func (c Compare) columnTitle(col *Model) string {
	st, snap := c.styles, &col.sc.snap
	title := st.Header.Render(policyLabel(snap.Policy, snap.Permits))
	if len(snap.Locks) > 1 {
		title = st.Header.Render(snap.Policy.String()) + st.Label.Render(" · every lock "+snap.Policy.Counterpart())
	}
	switch {
	case snap.Deadlock != nil:
		title += "  " + st.TooSmall.Render("✖ deadlock at "+format.Duration(snap.Deadlock.At))
	case stranded(snap) && col.sc.finished():
		title += "  " + st.TooSmall.Render("✖ leaked")
	case col.sc.finished():
		title += "  " + st.Finished.Render("■ finished at "+fmtClock(snap.Now))
	}
	return title
}

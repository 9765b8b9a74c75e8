package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"lockviz/sim"
	"lockviz/sim/format"
)

// sparks are the sparkline's levels, lowest first.
var sparks = [...]string{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

// figureSet is which figures the statistics show.
type figureSet uint8

const (
	liveThenSummary figureSet = iota // the live figures, the summary's once the run is over
	summaryFigures                   // the summary's, from the start
	liveFigures                      // the live figures, even once the run is over
)

// full reports whether the panel shows the summary's figures.
func (s statsPanel) full() bool {
	return s.figures == summaryFigures || s.figures == liveThenSummary && s.sc.finished()
}

// statMark follows a better figure in a comparison.
const statMark = " *"

// statsPanel shows the run's statistics, live, and a sparkline of the queue
// length over the timeline's stretch of time. When the run is finished it is
// the summary.
type statsPanel struct {
	panel
	// A comparison's columns show the same figures whether their run is
	// over or not (figures), at most most figures a line (0: as many as
	// fit), and mark the better ones (best, by figure, and bestWaiting),
	// so that their lines align and compare.
	figures     figureSet
	most        int
	best        []bool
	bestWaiting bool
	lost        bool // the lost updates too: the runs write the shared list
	// The least label and value widths: the widest of all the columns'.
	labelW, valueW [4]int
}

// maxStatItems is the most figures the panel shows: the summary's, and a
// comparison's lost updates.
const maxStatItems = 11

// statItems returns the figures, label and value, in reading order, and how
// many there are; the summary adds the median and the 99th percentile wait.
func statItems(sc *scene, full, lost bool) (items [maxStatItems][2]string, n int) {
	st := &sc.snap.Stats
	add := func(label, value string) {
		items[n] = [2]string{label, value}
		n++
	}
	add(sc.words.Taken, strconv.FormatInt(st.Acquisitions, 10))
	add("throughput", rate(st.Throughput))
	add(sc.words.Utilization, strconv.Itoa(int(st.Utilization*100+0.5))+"%")
	add("fairness", strconv.FormatFloat(st.Fairness, 'f', 2, 64))
	add("wait mean", format.Duration(st.WaitMean))
	if full {
		add("wait p50", format.Duration(st.WaitP50))
	}
	add("wait p95", format.Duration(st.WaitP95))
	if full {
		add("wait p99", format.Duration(st.WaitP99))
	}
	add("wait max", format.Duration(st.WaitMax))
	add("timeouts", strconv.FormatInt(st.Timeouts, 10))
	if lost {
		add("lost updates", strconv.FormatInt(st.LostUpdates, 10))
	}
	return items, n
}

// waitingNow writes the line of the waits going on, which no figure of the
// grid counts yet: a starved task's wait shows only here.
func (s statsPanel) waitingNow(p *pen, labelW int) {
	k, st := s.k, &s.sc.snap.Stats
	// At least its own width: a policy's first label may be shorter
	// ("entries" without a lock).
	p.putw(k.muted, "waiting now", max(labelW, width("waiting now"))+1)
	id := st.LongestTask
	if id < 0 || int(id) >= len(s.sc.snap.Tasks) {
		p.put(k.bold, "nobody")
		if s.bestWaiting {
			p.put(k.accent, statMark)
		}
		p.nl()
		return
	}
	name, wait := s.sc.snap.Tasks[id].Spec.Name, format.Duration(st.LongestWait)
	if st.Queue > 1 && width(strconv.Itoa(st.Queue)+" tasks · longest "+name+" for "+wait) <= p.room() {
		p.put(k.bold, strconv.Itoa(st.Queue)+" tasks")
		p.put(k.muted, " · longest ")
	}
	p.put(k.task[taskInk(id)], name)
	p.put(k.muted, " for ")
	p.put(k.bold, wait)
	if s.bestWaiting {
		p.put(k.accent, statMark)
	}
	p.nl()
}

// statMinValue is the least width of a figure, so columns do not jump as
// numbers grow.
const statMinValue = 6

// statColumns returns how many label-value pairs fit side by side in w
// columns (4, 2 or 1, at most most) and the label and value widths of
// each column.
func statColumns(items [][2]string, w, most int) (cols int, lw, vw [4]int) {
	for _, cols = range [...]int{4, 2, 1} {
		if cols > most {
			continue
		}
		lw, vw = [4]int{}, [4]int{}
		for i, it := range items {
			lw[i%cols] = max(lw[i%cols], width(it[0]))
			vw[i%cols] = max(vw[i%cols], width(it[1]), statMinValue)
		}
		total := 2 * (cols - 1)
		for c := range cols {
			total += lw[c] + 1 + vw[c]
		}
		if total <= w {
			break
		}
	}
	return cols, lw, vw
}

// statsHeight is the height the panel needs at width w, live or, when
// finished, as the summary.
func statsHeight(w int, finished bool) int {
	cols, n := statGrid(w, finished, false, false)
	return 1 + (n+cols-1)/cols + 2 // title, grid, waiting now, sparkline
}

// statGrid returns how many figures a line of the panel fits at width w
// and how many figures it shows: all the summary's when full, the lost
// updates too when lost, each with room for a mark when marked.
func statGrid(w int, full, marked, lost bool) (cols, n int) {
	items := [][2]string{{"acquisitions", "100000"}, {"throughput", "100.0/s"}, {"utilization", "100%"}, {"fairness", "1.00"},
		{"wait mean", "10.0s"}, {"wait p95", "10.0s"}, {"wait max", "10.0s"}, {"timeouts", "100"}}
	if full {
		items = slices.Insert(items, 5, [2]string{"wait p50", "10.0s"})
		items = slices.Insert(items, 7, [2]string{"wait p99", "10.0s"})
	}
	if lost {
		items = append(items, [2]string{"lost updates", "100"})
	}
	if marked {
		for i := range items {
			items[i][1] += statMark
		}
	}
	cols, _, _ = statColumns(items, w, 4)
	return cols, len(items)
}

// View draws the panel.
func (s statsPanel) View() string {
	k, snap := s.k, &s.sc.snap
	p := newPen(k, s.w, s.h)
	seed := "seed " + strconv.FormatUint(s.sc.seed, 10)
	if s.sc.finished() {
		p.title("Summary", "finished at "+fmtClock(snap.Now)+" · "+seed)
	} else {
		p.title("Statistics", seed)
	}
	items := s.items()
	most := s.most
	if most == 0 {
		most = 4
	}
	cols, lw, vw := statColumns(items, s.w, most)
	for c := range lw {
		// A policy's own words ("entries" without a lock) and figures
		// must not move its figures off those of the columns beside it.
		lw[c], vw[c] = max(lw[c], s.labelW[c]), max(vw[c], s.valueW[c])
	}
	for i, it := range items {
		c := i % cols
		if i > 0 && c == 0 {
			p.nl()
		} else if c != 0 {
			p.sp(2)
		}
		p.putw(k.muted, it[0], lw[c]+1)
		if v, marked := strings.CutSuffix(it[1], statMark); marked {
			p.put(k.bold, v)
			p.putw(k.accent, statMark, vw[c]-width(v))
		} else {
			p.putw(k.bold, it[1], vw[c])
		}
	}
	p.nl()
	s.waitingNow(p, lw[0])
	s.sparkline(p)
	return p.String()
}

// items are the figures the panel shows, each with room for its mark
// when the panel marks the better ones.
func (s statsPanel) items() [][2]string {
	all, n := statItems(s.sc, s.full(), s.lost)
	items := all[:n]
	if s.best != nil {
		// Every figure keeps room for a mark, so that marks do not move
		// the grid.
		for i := range items {
			if i < len(s.best) && s.best[i] {
				items[i][1] += statMark
			} else {
				items[i][1] += spaces(len(statMark))
			}
		}
	}
	return items
}

// rate writes a throughput per virtual second.
func rate(x float64) string {
	prec := 2
	switch {
	case x >= 1000:
		prec = 0
	case x >= 100:
		prec = 1
	}
	return strconv.FormatFloat(x, 'f', prec, 64) + "/s"
}

// sparkline writes the queue length over the timeline's stretch of time, a
// whole number of timeline columns per cell so that it scrolls with it.
func (s statsPanel) sparkline(p *pen) {
	k, sc := s.k, s.sc
	longest := " longest " + strconv.Itoa(sc.snap.Stats.MaxQueue)
	p.put(k.muted, "queue length ")
	p.put(k.rule, "▕")
	n := p.room() - width(longest) - 1
	if n < 4 || sc.bucket <= 0 {
		p.nl()
		return
	}
	per := max((sc.laneCells+n-1)/n, 1)
	n = min(n, (sc.laneCells+per-1)/per)
	if cap(s.buf.queue) < n {
		s.buf.queue = make([]int32, n)
	}
	q := s.buf.queue[:n]
	sc.hist.Queue(q, sc.start, sc.bucket*time.Duration(per))
	// Cells that start after now are the future: empty.
	past := min(int((sc.snap.Now-sc.start)/(sc.bucket*time.Duration(per)))+1, n)
	clear(q[past:])
	var top int32
	for _, v := range q {
		top = max(top, v)
	}
	for i := 0; i < n; {
		lvl := level(q[i], top)
		j := i + 1
		for j < n && level(q[j], top) == lvl {
			j++
		}
		if lvl < 0 {
			p.sp(j - i)
		} else {
			p.repeat(k.state[sim.Waiting], sparks[lvl], j-i)
		}
		i = j
	}
	p.put(k.rule, "▏")
	p.put(k.muted, longest)
	p.nl()
}

// level maps a queue length to a spark, -1 for an empty queue.
func level(v, top int32) int {
	if v <= 0 || top <= 0 {
		return -1
	}
	return int((v*int32(len(sparks)) - 1) / top)
}

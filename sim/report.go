package sim

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"lockviz/lock"
)

// Limits of the text report.
const (
	TimelineEvents = 4000 // most events a run may have to get a timeline
	timelineRows   = 40   // most tasks a timeline shows
	timelineCols   = 60   // most columns a timeline has
	tableRows      = 50   // most tasks the table lists
	nameWidth      = 24   // longest task name shown in full
)

// Timeline records the events of a run for the text report's timeline, up
// to a limit, so that memory stays bounded however long the run.
type Timeline struct {
	limit  int
	events []Event
	over   bool
}

// NewTimeline returns a recorder keeping at most limit events.
func NewTimeline(limit int) *Timeline { return &Timeline{limit: limit} }

// Add records ev and reports whether the recorder still wants events; once
// it returns false the run is too long for a timeline.
func (t *Timeline) Add(ev Event) bool {
	if t.over || len(t.events) >= t.limit {
		t.over, t.events = true, nil
		return false
	}
	t.events = append(t.events, ev)
	return true
}

// Events returns the whole run's events, or nil when there were too many.
func (t *Timeline) Events() []Event {
	if t == nil || t.over {
		return nil
	}
	return t.events
}

// Report is what the text report of a run shows.
type Report struct {
	Summary     Summary
	Description string
	End         time.Duration // the virtual time the run reached
	Events      []Event       // the run's whole trace; nil leaves the timeline out
}

// WriteText writes the report as plain text: the figures, a table of the
// tasks and, for a short run with its events, a timeline.
func (r Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	r.writeFigures(bw)
	r.writeTable(bw)
	r.writeTimeline(bw)
	return bw.Flush()
}

func (r Report) writeFigures(w *bufio.Writer) {
	s := r.Summary
	if r.Description != "" {
		fmt.Fprintf(w, "%s: %s\n\n", s.Scenario, r.Description)
	} else {
		fmt.Fprintf(w, "%s\n\n", s.Scenario)
	}
	policy := s.Policy
	if p, err := lock.ParsePolicy(s.Policy); err == nil {
		policy += " (" + p.Counterpart() + ")"
		if p == lock.Semaphore {
			policy += fmt.Sprintf(", %d permits", s.Permits)
		}
	}
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-13s %s\n", label, fmt.Sprintf(format, args...))
	}
	line("policy", "%s", policy)
	line("seed", "%d", s.Seed)
	line("virtual time", "%v", r.End)
	line("acquisitions", "%d (%s/s)", s.Acquisitions, formatRate(s.Throughput))
	line("utilization", "%.1f%%", 100*s.Utilization)
	line("wait", "mean %s, p50 %s, p95 %s, p99 %s, max %s", formatSeconds(s.Wait.Mean),
		formatSeconds(s.Wait.P50), formatSeconds(s.Wait.P95), formatSeconds(s.Wait.P99), formatSeconds(s.Wait.Max))
	line("max queue", "%d", s.MaxQueue)
	line("fairness", "%.3f (1 = even shares)", s.Fairness)
	line("timeouts", "%d", s.Timeouts)
	if l := s.SharedList; l.Appends > 0 {
		line("shared list", "%d appends, length %d, %d lost", l.Appends, l.Length, l.LostUpdates)
	}
}

func (r Report) writeTable(w *bufio.Writer) {
	tasks := r.Summary.Tasks
	nw := len("task")
	for _, t := range tasks[:min(len(tasks), tableRows)] {
		nw = max(nw, utf8.RuneCountInString(shortName(t.Name)))
	}
	// A column for the waits still going on at the end, when there are any:
	// a starved task's wait shows nowhere else.
	waiting := slices.ContainsFunc(tasks, func(t TaskSummary) bool { return t.Waiting > 0 })
	fmt.Fprintf(w, "\n%-*s  %8s  %9s  %9s  %8s", nw, "task", "acquired", "wait mean", "wait max", "timeouts")
	if waiting {
		fmt.Fprintf(w, "  %11s", "waiting now")
	}
	fmt.Fprintln(w)
	for _, t := range tasks[:min(len(tasks), tableRows)] {
		fmt.Fprintf(w, "%s  %8d  %9s  %9s  %8d", pad(shortName(t.Name), nw),
			t.Acquisitions, formatSeconds(t.WaitMean), formatSeconds(t.WaitMax), t.Timeouts)
		if waiting {
			now := "-"
			if t.Waiting > 0 {
				now = formatSeconds(t.Waiting)
			}
			fmt.Fprintf(w, "  %11s", now)
		}
		fmt.Fprintln(w)
	}
	if n := len(tasks) - tableRows; n > 0 {
		fmt.Fprintf(w, "… and %d more tasks\n", n)
	}
}

// The timeline's glyphs.
const (
	glyphIdle     = ' '
	glyphThinking = '.'
	glyphWaiting  = '-'
	glyphHolding  = '#'
	glyphTimeout  = 'x'
)

// lane is one task's row: time spent per column in each of idle, thinking,
// waiting and holding, and the columns where an acquire timed out.
type lane struct {
	spent   [][4]time.Duration
	timeout []bool
}

func (r Report) writeTimeline(w *bufio.Writer) {
	n := len(r.Summary.Tasks)
	switch {
	case r.End <= 0 || n == 0:
		return
	case r.Events == nil:
		fmt.Fprintf(w, "\n(no timeline: the run has more than %d events)\n", TimelineEvents)
		return
	case n > timelineRows:
		fmt.Fprintf(w, "\n(no timeline: more than %d tasks)\n", timelineRows)
		return
	}
	bucket := niceBucket(r.End, timelineCols)
	cols := int((r.End-1)/bucket + 1)
	lanes := r.lanes(bucket, cols)

	nw := 0
	for _, t := range r.Summary.Tasks {
		nw = max(nw, utf8.RuneCountInString(shortName(t.Name)))
	}
	fmt.Fprintf(w, "\ntimeline (one column = %v)\n", bucket)
	var ruler strings.Builder
	for c := 0; c <= cols; c += 10 {
		label := (time.Duration(c) * bucket).String()
		for ruler.Len() < c {
			ruler.WriteByte(' ')
		}
		ruler.WriteString(label)
	}
	fmt.Fprintf(w, "%s  %s\n", strings.Repeat(" ", nw), strings.TrimRight(ruler.String(), " "))
	row := make([]byte, 0, cols)
	for i, t := range r.Summary.Tasks {
		row = row[:0]
		for c := range cols {
			row = append(row, lanes[i].glyph(c))
		}
		fmt.Fprintf(w, "%s  %s\n", pad(shortName(t.Name), nw), strings.TrimRight(string(row), " "))
	}
	fmt.Fprintf(w, "%s  %c holding  %c waiting  %c thinking  %c timed out\n",
		strings.Repeat(" ", nw), glyphHolding, glyphWaiting, glyphThinking, glyphTimeout)
}

// lanes replays the events into per-column phase times.
func (r Report) lanes(bucket time.Duration, cols int) []lane {
	n := len(r.Summary.Tasks)
	lanes := make([]lane, n)
	for i := range lanes {
		lanes[i] = lane{spent: make([][4]time.Duration, cols), timeout: make([]bool, cols)}
	}
	phase := make([]int, n) // 0 idle, 1 thinking, 2 waiting, 3 holding
	since := make([]time.Duration, n)
	move := func(id int, p int, t time.Duration) {
		lanes[id].add(phase[id], since[id], min(t, r.End), bucket)
		phase[id], since[id] = p, t
	}
	for _, ev := range r.Events {
		id := int(ev.Task)
		if id < 0 || id >= n || ev.T > r.End {
			continue
		}
		switch ev.Kind {
		case Spawn, Released:
			move(id, 1, ev.T)
		case Timeout:
			move(id, 1, ev.T)
			lanes[id].timeout[min(int(ev.T/bucket), cols-1)] = true
		case Request:
			move(id, 2, ev.T)
		case Acquired:
			move(id, 3, ev.T)
		case Done, Cancelled:
			move(id, 0, ev.T)
		}
	}
	for id := range n {
		move(id, 0, r.End)
	}
	return lanes
}

// add counts the span [from, to) in phase p.
func (l lane) add(p int, from, to, bucket time.Duration) {
	for c := int(from / bucket); from < to && c < len(l.spent); c++ {
		end := min(to, time.Duration(c+1)*bucket)
		l.spent[c][p] += end - from
		from = end
	}
}

// glyph shows what took most of column c; ties go to holding, then
// waiting, then thinking.
func (l lane) glyph(c int) byte {
	if l.timeout[c] {
		return glyphTimeout
	}
	best := 3
	for p := 2; p >= 0; p-- {
		if l.spent[c][p] > l.spent[c][best] {
			best = p
		}
	}
	return [4]byte{glyphIdle, glyphThinking, glyphWaiting, glyphHolding}[best]
}

// niceBucket returns the smallest 1, 2 or 5 × 10ⁿ ns that cuts end into at
// most cols columns.
func niceBucket(end time.Duration, cols int) time.Duration {
	for b := time.Duration(1); ; b *= 10 {
		for _, m := range []time.Duration{1, 2, 5} {
			if (end-1)/(b*m)+1 <= time.Duration(cols) {
				return b * m
			}
		}
	}
}

// formatSeconds shows seconds as a duration to four significant digits.
func formatSeconds(sec float64) string {
	d := time.Duration(math.Round(sec * 1e9))
	m := time.Duration(1)
	for x := d; x >= 10000; x /= 10 {
		m *= 10
	}
	return d.Round(m).String()
}

func formatRate(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// shortName cuts a name to nameWidth runes.
func shortName(s string) string {
	if utf8.RuneCountInString(s) <= nameWidth {
		return s
	}
	return string([]rune(s)[:nameWidth-1]) + "…"
}

// pad right-pads s with spaces to width runes.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}

// Package report writes the text report of a headless run: the figures, a
// table of the tasks and, for a short run, a timeline drawn with the same
// model as the live view's.
package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/timeline"
)

// Limits of the text report.
const (
	TimelineEvents = 4000 // most events a run may have to get a timeline
	timelineRows   = 40   // most tasks a timeline shows
	timelineCols   = 60   // most columns a timeline has
	tableRows      = 50   // most tasks the table lists
	nameWidth      = 24   // names wider than this are cut (in the middle, never alike)
)

// Recorder records a run for the report's timeline, up to a number of
// events, so that memory stays bounded however long the run.
type Recorder struct {
	h          *timeline.History
	n, limit   int
	over       bool
	policySeen bool
}

// NewRecorder returns a recorder of at most limit events of a run under
// policy p.
func NewRecorder(limit int, p lock.Policy) *Recorder {
	h := timeline.New(timeline.Unbounded)
	h.SetLimited(0, p != lock.None)
	return &Recorder{h: h, limit: limit}
}

// Add records ev and reports whether the recorder still wants events; once
// it returns false the run is too long for a timeline.
func (r *Recorder) Add(ev sim.Event) bool {
	if r.over || r.n >= r.limit {
		r.over, r.h = true, nil
		return false
	}
	r.n++
	r.h.Record(ev)
	return true
}

// History returns the run's history, or nil when it had too many events.
func (r *Recorder) History() *timeline.History {
	if r == nil || r.over {
		return nil
	}
	return r.h
}

// Report is what the text report of a run shows.
type Report struct {
	Summary     Summary
	Description string
	End         time.Duration     // the virtual time the run reached
	History     *timeline.History // the whole run; nil leaves the timeline out
	Lines       []sim.CodeLines   // time on each line of code; nil leaves them out
}

// WriteText writes the report as plain text: the figures, a table of the
// tasks and, for a short run with its history, a timeline.
func (r Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	r.writeFigures(bw)
	r.writeTable(bw)
	r.writeTimeline(bw)
	r.writeLines(bw)
	return bw.Flush()
}

func (r Report) policy() (lock.Policy, bool) {
	p, err := lock.ParsePolicy(r.Summary.Policy)
	return p, err == nil
}

// words are the run's policy's words (a lock's for an unknown policy).
func (r Report) words() format.Words {
	p, _ := r.policy()
	return format.PolicyWords(p)
}

func (r Report) writeFigures(w *bufio.Writer) {
	s := r.Summary
	if r.Description != "" {
		fmt.Fprintf(w, "%s: %s\n\n", s.Scenario, r.Description)
	} else {
		fmt.Fprintf(w, "%s\n\n", s.Scenario)
	}
	policy, words := s.Policy, r.words()
	if p, ok := r.policy(); ok {
		policy += " (" + p.Counterpart() + ")"
		if p == lock.Semaphore {
			policy += fmt.Sprintf(", %d permits", s.Permits)
		}
	}
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-13s %s\n", label, fmt.Sprintf(format, args...))
	}
	sec := format.Seconds
	if len(s.Locks) > 0 {
		var ls []string
		for _, l := range s.Locks {
			p := l.Name + " " + l.Policy
			if l.Policy == lock.Semaphore.String() {
				p += fmt.Sprintf("(%d)", l.Permits)
			}
			ls = append(ls, p)
		}
		policy = fmt.Sprintf("%d locks: %s", len(s.Locks), strings.Join(ls, ", "))
		words.UseNote = strings.Replace(words.UseNote, "the lock was", "each lock was", 1) + ", on average"
	}
	line("policy", "%s", policy)
	line("seed", "%d", s.Seed)
	line("virtual time", "%s", format.Duration(r.End))
	line(words.Taken, "%d (%s/s)", s.Acquisitions, formatRate(s.Throughput))
	line(words.Utilization, "%.1f%% %s", 100*s.Utilization, words.UseNote)
	line("wait", "mean %s, p50 %s, p95 %s, p99 %s, max %s", sec(s.Wait.Mean),
		sec(s.Wait.P50), sec(s.Wait.P95), sec(s.Wait.P99), sec(s.Wait.Max))
	if n := s.WaitingNow; n.Tasks > 0 {
		line("waiting now", "%s, longest %s (%s)", format.Count(int64(n.Tasks), "task", "tasks"), sec(n.Longest), n.Task)
	}
	line("max queue", "%d", s.MaxQueue)
	line("fairness", "%.3f (1 = even shares)", s.Fairness)
	line("timeouts", "%d", s.Timeouts)
	if d := s.Deadlock; d != nil {
		line("deadlock", "at %s: %s", format.Seconds(d.At), d.Words)
	}
	for _, k := range s.Leaked {
		line("leaked", "%s at %s: %s ended holding it (line %d)", k.Lock, format.Seconds(k.At), k.Task, k.Line)
	}
	if n := len(s.Stranded); n > 0 {
		line("stranded", "%s forever: %s", format.Count(int64(n), "task waits", "tasks wait"), strings.Join(s.Stranded, ", "))
	}
	if l := s.SharedList; l.Appends > 0 {
		line("shared list", "%s, length %d, %d lost", format.Count(l.Appends, "append", "appends"), l.Length, l.LostUpdates)
		line("", "%s", lastValues(l, sharedWidth))
	}
}

// sharedWidth is how wide the line of the shared list's last values is.
const sharedWidth = 60

// lastValues writes as many of the list's last values as fit in w columns,
// with "…" first when older ones are left out.
func lastValues(l SharedSummary, w int) string {
	first, n := len(l.Values), 0
	for first > 0 && n+len(fmt.Sprint(l.Values[first-1]))+1 <= w-2 {
		n += len(fmt.Sprint(l.Values[first-1])) + 1
		first--
	}
	var b strings.Builder
	if int64(len(l.Values)-first) < l.Length {
		b.WriteString("…")
	}
	for _, v := range l.Values[first:] {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, v)
	}
	return b.String()
}

// names returns the labels of the first n tasks, cut so none look alike,
// and their width.
func (r Report) names(n int) ([]string, int) {
	names := make([]string, 0, n)
	for _, t := range r.Summary.Tasks[:n] {
		names = append(names, t.Name)
	}
	return format.Names(names, nameWidth)
}

func (r Report) writeTable(w *bufio.Writer) {
	tasks := r.Summary.Tasks
	shown := min(len(tasks), tableRows)
	labels, nw := r.names(shown)
	nw = max(nw, len("task"))
	// A column for the waits still going on at the end, when there are any:
	// a starved task's wait shows nowhere else.
	waiting := slices.ContainsFunc(tasks, func(t TaskSummary) bool { return t.Waiting > 0 })
	raised := slices.ContainsFunc(tasks, func(t TaskSummary) bool { return t.Raised })
	fmt.Fprintf(w, "\n%s  %8s  %9s  %9s  %8s", format.Pad("task", nw), r.words().Took, "wait mean", "wait max", "timeouts")
	if waiting {
		fmt.Fprintf(w, "  %11s", "waiting now")
	}
	if raised {
		fmt.Fprintf(w, "  %s", "ended")
	}
	fmt.Fprintln(w)
	for i, t := range tasks[:shown] {
		fmt.Fprintf(w, "%s  %8d  %9s  %9s  %8d", format.Pad(labels[i], nw),
			t.Acquisitions, format.Seconds(t.WaitMean), format.Seconds(t.WaitMax), t.Timeouts)
		if waiting {
			now := "-"
			if t.Waiting > 0 {
				now = format.Seconds(t.Waiting)
			}
			fmt.Fprintf(w, "  %11s", now)
		}
		if t.Raised {
			fmt.Fprintf(w, "  raised at line %d", t.Line)
		}
		fmt.Fprintln(w)
	}
	if n := len(tasks) - tableRows; n > 0 {
		fmt.Fprintf(w, "… and %d more tasks\n", n)
	}
}

// glyphs draw the timeline's cells in plain ASCII.
var glyphs = [timeline.NumCells]byte{' ', '.', '-', '#', 'x'}

func (r Report) writeTimeline(w *bufio.Writer) {
	n := len(r.Summary.Tasks)
	switch {
	case r.End <= 0 || n == 0:
		return
	case r.History == nil:
		fmt.Fprintf(w, "\n(no timeline: the run has more than %d events)\n", TimelineEvents)
		return
	case n > timelineRows:
		fmt.Fprintf(w, "\n(no timeline: more than %d tasks)\n", timelineRows)
		return
	}
	bucket := timeline.Fit(r.End, timelineCols)
	cols := int((r.End-1)/bucket + 1)
	var g timeline.Grid
	r.History.Grid(&g, 0, bucket, cols)
	labels, nw := r.names(n)

	fmt.Fprintf(w, "\ntimeline (one column = %s)\n", format.Duration(bucket))
	var ruler strings.Builder
	for c := 0; c <= cols; c += 10 {
		label := format.Duration(time.Duration(c) * bucket)
		for ruler.Len() < c {
			ruler.WriteByte(' ')
		}
		ruler.WriteString(label)
	}
	fmt.Fprintf(w, "%s  %s\n", strings.Repeat(" ", nw), strings.TrimRight(ruler.String(), " "))
	cells := make([]timeline.Cell, cols)
	row := make([]byte, cols)
	var locks []int32
	var letters []rune
	if len(r.Summary.Locks) > 1 {
		// With several locks a hold is the lock's letter in capitals, a
		// wait in small letters.
		names := make([]string, len(r.Summary.Locks))
		for i, l := range r.Summary.Locks {
			names[i] = l.Name
		}
		letters, locks = format.LockLetters(names), make([]int32, cols)
	}
	for i := range n {
		g.LaneLocks(int32(i), cells, locks)
		for c, x := range cells {
			row[c] = glyphs[x]
			if locks != nil && locks[c] >= 0 && (x == timeline.Hold || x == timeline.Wait) {
				row[c] = byte(letters[locks[c]])
				if x == timeline.Hold {
					row[c] -= 'a' - 'A'
				}
			}
		}
		fmt.Fprintf(w, "%s  %s\n", format.Pad(labels[i], nw), strings.TrimRight(string(row), " "))
	}
	holding := r.words().Holding
	if letters != nil {
		l0, l1 := r.Summary.Locks[0].Name, r.Summary.Locks[1].Name
		fmt.Fprintf(w, "%s  %c %s %s, %c waiting for %s, …  %c thinking  %c timed out\n", strings.Repeat(" ", nw),
			letters[0]-('a'-'A'), holding, l0, letters[1], l1, glyphs[timeline.Think], glyphs[timeline.Timeout])
		return
	}
	fmt.Fprintf(w, "%s  %c %s  %c waiting  %c thinking  %c timed out\n",
		strings.Repeat(" ", nw), glyphs[timeline.Hold], holding, glyphs[timeline.Wait], glyphs[timeline.Think], glyphs[timeline.Timeout])
}

func formatRate(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

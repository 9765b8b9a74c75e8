package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"lockviz/lock"
	"lockviz/sim/format"
)

// figure is one row of a comparison of runs: each run's figure, spelt as
// the report spells it, and which of them are the better ones.
type figure struct {
	Label string
	Cells []string
	Best  []bool
}

// better is the way a figure is better.
type better int8

// The ways a figure can be better; neither for figures that only describe
// (a busier lock is neither better nor worse).
const (
	neither better = iota
	lower
	higher
)

// Stuck reports whether the run deadlocked or left tasks waiting forever
// on a leaked lock, as lockviz run's exit status 3 says.
func (s Summary) Stuck() bool { return s.Deadlock != nil || len(s.Stranded) > 0 }

// figures lines up the figures of runs of the same tasks under different
// policies, row by row, and marks the better figure of each row that has
// one, as Best marks them.
func figures(sums []Summary) []figure {
	var rows []figure
	add := func(label string, way better, value func(Summary) float64, cell func(Summary) string) {
		f := figure{Label: label, Cells: make([]string, len(sums)), Best: make([]bool, len(sums))}
		vals := make([]float64, len(sums))
		for i, s := range sums {
			f.Cells[i] = cell(s)
			if value != nil {
				vals[i] = value(s)
			}
		}
		if way != neither {
			stuck := make([]bool, len(sums))
			for i, s := range sums {
				stuck[i] = s.Stuck()
			}
			f.Best = Best(vals, f.Cells, way == higher, stuck)
		}
		rows = append(rows, f)
	}
	sec := format.Seconds
	add("lock", neither, nil, lockWords)
	add("virtual time", neither, nil, func(s Summary) string { return sec(s.VirtualTime) })
	add("acquisitions", higher, func(s Summary) float64 { return s.Throughput },
		func(s Summary) string { return fmt.Sprintf("%d (%s/s)", s.Acquisitions, formatRate(s.Throughput)) })
	add("utilization", neither, nil, func(s Summary) string { return fmt.Sprintf("%.1f%%", 100*s.Utilization) })
	for _, w := range []struct {
		label string
		v     func(WaitSummary) float64
	}{
		{"wait mean", func(w WaitSummary) float64 { return w.Mean }},
		{"wait p50", func(w WaitSummary) float64 { return w.P50 }},
		{"wait p95", func(w WaitSummary) float64 { return w.P95 }},
		{"wait p99", func(w WaitSummary) float64 { return w.P99 }},
		{"wait max", func(w WaitSummary) float64 { return w.Max }},
	} {
		way := lower
		if slices.ContainsFunc(sums, Understated) {
			way = neither
		}
		add(w.label, way, func(s Summary) float64 { return w.v(s.Wait) }, func(s Summary) string { return sec(w.v(s.Wait)) })
	}
	// The longest wait still going on is where a starved task shows.
	add("waiting now", lower, func(s Summary) float64 { return s.WaitingNow.Longest }, func(s Summary) string {
		if s.WaitingNow.Tasks == 0 {
			return "-"
		}
		return fmt.Sprintf("%d, longest %s", s.WaitingNow.Tasks, sec(s.WaitingNow.Longest))
	})
	add("max queue", lower, func(s Summary) float64 { return float64(s.MaxQueue) }, func(s Summary) string { return fmt.Sprint(s.MaxQueue) })
	add("fairness", higher, func(s Summary) float64 { return s.Fairness }, func(s Summary) string { return fmt.Sprintf("%.3f", s.Fairness) })
	add("timeouts", lower, func(s Summary) float64 { return float64(s.Timeouts) }, func(s Summary) string { return fmt.Sprint(s.Timeouts) })
	if slices.ContainsFunc(sums, func(s Summary) bool { return s.SharedList.Appends > 0 }) {
		add("lost updates", lower, func(s Summary) float64 { return float64(s.SharedList.LostUpdates) },
			func(s Summary) string { return fmt.Sprint(s.SharedList.LostUpdates) })
	}
	if slices.ContainsFunc(sums, Summary.Stuck) {
		add("stuck", neither, nil, stuckWords)
	}
	return rows
}

// Understated reports whether a run's figures of finished waits leave out
// its longest: a wait still going on is longer than every finished one, as
// a starved task's is. Beside such a run no wait figure is marked better,
// since its 0s mean would win by counting none of its starved waits.
func Understated(s Summary) bool { return s.WaitingNow.Longest > s.Wait.Max }

// Best marks the better values among the runs that are not stuck (higher
// or lower ones), and those spelt as one of them: figures that read the
// same are a tie, or 1.000 would be marked beside an unmarked 1.000. A
// stuck run stopped early, so its figures say nothing of its policy.
func Best(vals []float64, cells []string, higher bool, stuck []bool) []bool {
	marks := make([]bool, len(vals))
	var in []int
	for i := range vals {
		if !stuck[i] {
			in = append(in, i)
		}
	}
	if len(in) < 2 {
		return marks
	}
	top := in[0]
	for _, i := range in {
		if !higher && vals[i] < vals[top] || higher && vals[i] > vals[top] {
			top = i
		}
	}
	ties := 0
	for _, i := range in {
		if cells[i] == cells[top] {
			marks[i] = true
			ties++
		}
	}
	if ties == len(in) {
		clear(marks)
	}
	return marks
}

// lockWords names the primitive a run's policy behaves like.
func lockWords(s Summary) string {
	p, err := lock.ParsePolicy(s.Policy)
	if err != nil {
		return s.Policy
	}
	if p == lock.Semaphore && len(s.Locks) == 0 {
		return fmt.Sprintf("%s(%d)", p.Counterpart(), s.Permits)
	}
	return p.Counterpart()
}

// stuckWords says in a few words how a run got stuck, "-" when it did not.
func stuckWords(s Summary) string {
	switch {
	case s.Deadlock != nil:
		return "deadlock at " + format.Seconds(s.Deadlock.At)
	case len(s.Stranded) > 0:
		return fmt.Sprintf("leaked, %d stranded", len(s.Stranded))
	}
	return "-"
}

// mark is what follows a better figure in the text comparison.
const mark = " *"

// WriteComparison writes runs of the same tasks under different policies
// side by side: a column a policy, the figures aligned row by row, the
// better ones marked.
func WriteComparison(w io.Writer, description string, sums []Summary) error {
	bw := bufio.NewWriter(w)
	s0 := sums[0]
	if description != "" {
		fmt.Fprintf(bw, "%s: %s\n\n", s0.Scenario, description)
	} else {
		fmt.Fprintf(bw, "%s\n\n", s0.Scenario)
	}
	fmt.Fprintf(bw, "the same tasks, seed %d, under %d policies\n\n", s0.Seed, len(sums))
	rows := figures(sums)
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, format.Width(r.Label))
	}
	widths := make([]int, len(sums))
	for i, s := range sums {
		widths[i] = format.Width(s.Policy)
		for _, r := range rows {
			widths[i] = max(widths[i], format.Width(r.Cells[i]))
		}
	}
	// Figures are right-aligned so that their digits line up, with room
	// after each for the mark.
	line := func(label string, cells []string, best []bool) {
		var b strings.Builder
		b.WriteString(format.Pad(label, labelW))
		for i, c := range cells {
			b.WriteString("   ")
			b.WriteString(strings.Repeat(" ", widths[i]-format.Width(c)))
			b.WriteString(c)
			if best != nil && best[i] {
				b.WriteString(mark)
			} else {
				b.WriteString(strings.Repeat(" ", len(mark)))
			}
		}
		fmt.Fprintln(bw, strings.TrimRight(b.String(), " "))
	}
	policies := make([]string, len(sums))
	for i, s := range sums {
		policies[i] = s.Policy
	}
	line("policy", policies, nil)
	for _, r := range rows {
		line(r.Label, r.Cells, r.Best)
	}
	fmt.Fprintf(bw, "\n%s the better figure (a stuck run's are never marked)\n", strings.TrimSpace(mark))
	if slices.ContainsFunc(sums, Understated) {
		fmt.Fprintln(bw, "waits unmarked: a wait still going on is longer than every finished one (see waiting now)")
	}
	return bw.Flush()
}

// Policies to compare: two at least, so there is something to compare,
// and four at most, so that their columns fit beside each other.
const (
	MinPolicies = 2
	MaxPolicies = 4
)

// ParsePolicies reads a comma-separated list of policies to compare.
func ParsePolicies(list string) ([]lock.Policy, error) {
	var ps []lock.Policy
	for _, name := range strings.Split(list, ",") {
		p, err := lock.ParsePolicy(strings.TrimSpace(name))
		if err != nil {
			return nil, err
		}
		if slices.Contains(ps, p) {
			return nil, fmt.Errorf("policy %s given twice: compare different policies", p)
		}
		ps = append(ps, p)
	}
	if len(ps) < MinPolicies || len(ps) > MaxPolicies {
		return nil, fmt.Errorf("%d policies given: compare %d to %d", len(ps), MinPolicies, MaxPolicies)
	}
	return ps, nil
}

// DefaultPolicies are the policies a comparison of a scenario of policy p
// shows when none are given: p beside asyncio.Lock's fifo, the lock every
// lesson measures the others against (race beside a lock, starvation's
// barging beside a fair queue); a fifo scenario beside barging, the unfair
// lock that fifo prevents.
func DefaultPolicies(p lock.Policy) []lock.Policy {
	if p == lock.FIFO {
		return []lock.Policy{lock.FIFO, lock.Barging}
	}
	return []lock.Policy{p, lock.FIFO}
}

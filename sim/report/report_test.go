package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/scenario"
)

// report runs the named built-in with a timeline and returns its text report.
func report(t *testing.T, name string) string {
	t.Helper()
	s, err := scenario.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	e := sim.New(s.Config())
	rec := NewRecorder(TimelineEvents, s.Policy)
	e.OnEvent(func(ev sim.Event) { rec.Add(ev) })
	if s.Until > 0 {
		e.AdvanceTo(s.Until)
	} else {
		e.Run()
	}
	var b strings.Builder
	r := Report{Summary: Summarize(e, s.Name), Description: s.Description, End: e.Now(), History: rec.History()}
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestReportRateLimit(t *testing.T) {
	got := report(t, "rate-limit")
	for _, want := range []string{
		"rate-limit: three rate limiters",
		"policy        fifo (asyncio.Lock)\n",
		"virtual time  5s\n",
		"acquisitions  5 (1/s)\n",
		"utilization   100.0% of the time the lock was held\n",
		"wait          mean 1.4s, p50 2s, p95 2s, p99 2s, max 2s\n",
		"timeouts      0\n",
		// rate_limiter-1 waits 0s then 2s; -2 waits 1s then 2s; -3 waits 2s.
		"task            acquired  wait mean   wait max  timeouts\n",
		"rate_limiter-1         2         1s         2s         0\n",
		"rate_limiter-2         2       1.5s         2s         0\n",
		"rate_limiter-3         1         2s         2s         0\n",
		"timeline (one column = 100ms)\n",
		"                0s        1s        2s        3s        4s        5s\n",
		"rate_limiter-1  ##########--------------------##########\n",
		"rate_limiter-2  ----------##########--------------------##########\n",
		"rate_limiter-3  --------------------##########\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "shared list") {
		t.Errorf("no task appends, yet the report shows the shared list:\n%s", got)
	}
}

func TestReportShowsSharedListAndTimeouts(t *testing.T) {
	if got := report(t, "shared-resource"); !strings.Contains(got, "shared list   5 appends, length 5, 0 lost\n") {
		t.Errorf("shared-resource report:\n%s", got)
	}
	got := report(t, "timeouts")
	var row string
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "impatient-1 ") && strings.ContainsAny(l, "#-.x") {
			row = l
		}
	}
	if !strings.Contains(row, "x") {
		t.Errorf("no timeout mark in the timeline of impatient-1:\n%s", got)
	}
}

func TestTimelineGivesUpPastItsLimit(t *testing.T) {
	rec := NewRecorder(3, 0)
	for i := range 3 {
		if !rec.Add(sim.Event{T: time.Duration(i)}) {
			t.Fatalf("refused event %d of 3", i)
		}
	}
	if rec.History() == nil {
		t.Fatal("lost the history within the limit")
	}
	if rec.Add(sim.Event{T: 4}) || rec.History() != nil {
		t.Fatal("kept events past the limit")
	}
	var b strings.Builder
	r := Report{Summary: Summary{Scenario: "s", Tasks: []TaskSummary{{Name: "a"}}}, End: time.Second, History: rec.History()}
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no timeline") || strings.Contains(b.String(), "timeline (") {
		t.Fatalf("report of a long run:\n%s", b.String())
	}
}

func TestReportListsAtMostFiftyTasks(t *testing.T) {
	sum := Summary{Scenario: "s"}
	for i := range 60 {
		sum.Tasks = append(sum.Tasks, TaskSummary{Name: fmt.Sprint("t", i)})
	}
	var b strings.Builder
	if err := (Report{Summary: sum}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "… and 10 more tasks") {
		t.Fatalf("report:\n%s", b.String())
	}
}

// text writes the report of a summary and a history.
func text(t *testing.T, r Report) string {
	t.Helper()
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// runOf runs cfg to its end and returns its report.
func runOf(t *testing.T, name string, cfg sim.Config) string {
	t.Helper()
	e := sim.New(cfg)
	rec := NewRecorder(TimelineEvents, cfg.Policy)
	e.OnEvent(func(ev sim.Event) { rec.Add(ev) })
	e.Run()
	return text(t, Report{Summary: Summarize(e, name), End: e.Now(), History: rec.History()})
}

func TestLongNamesNeverLookAlike(t *testing.T) {
	var cfg sim.Config
	for i := range 3 {
		cfg.Tasks = append(cfg.Tasks, sim.TaskSpec{Name: fmt.Sprintf("a_very_long_rate_limiter_name-%d", i+1), Iterations: 1, Hold: sim.FixedDist(time.Second)})
	}
	got := runOf(t, "long", cfg)
	for _, section := range strings.Split(got, "timeline (") {
		seen := map[string]bool{}
		for _, l := range strings.Split(section, "\n") {
			if strings.HasPrefix(l, "a_very") {
				name, _, _ := strings.Cut(l, "  ")
				if seen[name] || format.Width(name) > nameWidth {
					t.Fatalf("two rows show %q, or it is too wide:\n%s", name, got)
				}
				seen[name] = true
			}
		}
		if len(seen) != 3 {
			t.Fatalf("want three rows in each part, got %v:\n%s", seen, got)
		}
	}
}

func TestWideNamesAlign(t *testing.T) {
	cfg := sim.Config{Tasks: []sim.TaskSpec{
		{Name: "任务", Iterations: 1, Hold: sim.FixedDist(time.Second)},
		{Name: "abc", Iterations: 1, Hold: sim.FixedDist(time.Second)},
	}}
	got := runOf(t, "wide", cfg)
	// The timeline's rows start their lanes in one column.
	var starts []int
	for _, l := range strings.Split(got, "\n") {
		if (strings.HasPrefix(l, "任务  ") || strings.HasPrefix(l, "abc   ")) && strings.Contains(l, "#") {
			starts = append(starts, format.Width(l[:strings.IndexAny(l, "#-")]))
		}
	}
	if len(starts) != 2 || starts[0] != starts[1] {
		t.Fatalf("lanes start at columns %v:\n%s", starts, got)
	}
}

func TestHugeWaitsAreNotNegative(t *testing.T) {
	end := 9.3e9 // past the clock's 292 years, as a float rounds it
	got := text(t, Report{Summary: Summary{Scenario: "s", Policy: "fifo",
		Wait:  WaitSummary{Mean: end, P50: end, P95: end, P99: end, Max: end},
		Tasks: []TaskSummary{{Name: "a", WaitMean: end, WaitMax: end}}}})
	if strings.Contains(got, "-2") || !strings.Contains(got, "p99 2562047h47m") {
		t.Fatalf("report:\n%s", got)
	}
}

func TestSemaphoreColumnsShowAtMostItsPermits(t *testing.T) {
	got := report(t, "pool")
	cols := map[int]int{}
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "client-") {
			for i, c := range l[len("client-1  "):] {
				if c == '#' {
					cols[i]++
				}
			}
		}
	}
	for c, n := range cols {
		if n > 2 {
			t.Fatalf("column %d shows %d holders of 2 permits:\n%s", c, n, got)
		}
	}
}

func TestPolicyWords(t *testing.T) {
	got := report(t, "race")
	for _, want := range []string{"entries       ", "occupied      ", "of the time with a task inside", "# inside", "entered"} {
		if !strings.Contains(got, want) {
			t.Errorf("race report lacks %q:\n%s", want, got)
		}
	}
	if got := report(t, "starvation"); !strings.Contains(got, "waiting now   2 tasks, longest 10s (greedy-2)\n") {
		t.Errorf("starvation report does not show the waits going on:\n%s", got)
	}
}

func TestSummaryShowsTheWaitsGoingOn(t *testing.T) {
	s, err := scenario.Load("starvation")
	if err != nil {
		t.Fatal(err)
	}
	e := sim.New(s.Config())
	e.AdvanceTo(s.Until)
	sum := Summarize(e, s.Name)
	if sum.WaitingNow != (WaitingNow{Tasks: 2, Longest: 10, Task: "greedy-2"}) || sum.Tasks[1].Waiting != 10 || sum.Tasks[0].Waiting != 0 {
		t.Fatalf("waiting now %+v, tasks %+v", sum.WaitingNow, sum.Tasks)
	}
}

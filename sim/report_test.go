package sim

import (
	"strings"
	"testing"
	"time"
)

// report runs the named built-in with a timeline and returns its text report.
func report(t *testing.T, name string) string {
	t.Helper()
	s, err := LoadScenario(name)
	if err != nil {
		t.Fatal(err)
	}
	e := New(s.Config())
	tl := NewTimeline(TimelineEvents)
	e.OnEvent(func(ev Event) { tl.Add(ev) })
	if s.Until > 0 {
		e.AdvanceTo(s.Until)
	} else {
		e.Run()
	}
	var b strings.Builder
	r := Report{Summary: e.Summary(s.Name), Description: s.Description, End: e.Now(), Events: tl.Events()}
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
		"utilization   100.0%\n",
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
	tl := NewTimeline(3)
	for i := range 3 {
		if !tl.Add(Event{T: time.Duration(i)}) {
			t.Fatalf("refused event %d of 3", i)
		}
	}
	if len(tl.Events()) != 3 {
		t.Fatalf("kept %d events", len(tl.Events()))
	}
	if tl.Add(Event{T: 4}) || tl.Events() != nil {
		t.Fatal("kept events past the limit")
	}
	var b strings.Builder
	r := Report{Summary: Summary{Scenario: "s", Tasks: []TaskSummary{{Name: "a"}}}, End: time.Second, Events: tl.Events()}
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no timeline") || strings.Contains(b.String(), "timeline (") {
		t.Fatalf("report of a long run:\n%s", b.String())
	}
}

func TestReportListsAtMostFiftyTasks(t *testing.T) {
	sum := Summary{Scenario: "s"}
	for range 60 {
		sum.Tasks = append(sum.Tasks, TaskSummary{Name: "t"})
	}
	var b strings.Builder
	if err := (Report{Summary: sum}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "… and 10 more tasks") {
		t.Fatalf("report:\n%s", b.String())
	}
}

func TestNiceBucket(t *testing.T) {
	tests := []struct{ end, want time.Duration }{
		{5 * time.Second, 100 * time.Millisecond},
		{2 * time.Second, 50 * time.Millisecond},
		{time.Minute, time.Second},
		{61 * time.Second, 2 * time.Second},
		{1, 1},
		{60, 1},
		{61, 2},
		{1<<63 - 1, 200000000000000000},
	}
	for _, tt := range tests {
		if got := niceBucket(tt.end, 60); got != tt.want {
			t.Errorf("niceBucket(%v) = %v, want %v", tt.end, got, tt.want)
		}
	}
}

func TestFormatSeconds(t *testing.T) {
	tests := []struct {
		sec  float64
		want string
	}{
		{0, "0s"}, {1.4, "1.4s"}, {1.23456, "1.235s"}, {0.0833333, "83.33ms"}, {2e-9, "2ns"}, {3600, "1h0m0s"},
	}
	for _, tt := range tests {
		if got := formatSeconds(tt.sec); got != tt.want {
			t.Errorf("formatSeconds(%v) = %s, want %s", tt.sec, got, tt.want)
		}
	}
}

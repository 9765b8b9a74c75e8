package main

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lockviz/sim/report"
)

// TestRunCompareJSON checks that --compare runs the same tasks and seed
// with only the policy replaced: each summary of the array, in the order
// given, is the one run --policy prints.
func TestRunCompareJSON(t *testing.T) {
	for _, tt := range []struct {
		name     string
		args     []string
		policies []string
	}{
		{"one lock, flags kept", []string{"playground", "--seed", "7", "--until", "20s"}, []string{"none", "fifo", "barging"}},
		{"a semaphore keeps its permits", []string{"pool"}, []string{"semaphore", "fifo", "barging", "none"}},
		{"several locks, each one's policy replaced", []string{"ordered"}, []string{"barging", "fifo"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run"}, tt.args...)
			args = append(args, "--json", "--compare", strings.Join(tt.policies, ","))
			var got []report.Summary
			if err := json.Unmarshal([]byte(ok(t, args...)), &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.policies) {
				t.Fatalf("%d summaries, want %d", len(got), len(tt.policies))
			}
			for i, p := range tt.policies {
				var want report.Summary
				one := append([]string{"run"}, tt.args...)
				one = append(one, "--json", "--policy", p)
				if err := json.Unmarshal([]byte(ok(t, one...)), &want); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got[i], want) {
					t.Errorf("summary %d (%s) differs from lockviz %s:\n%+v\n%+v", i, p, strings.Join(one, " "), got[i], want)
				}
				for _, l := range got[i].Locks {
					if l.Policy != p {
						t.Errorf("%s: lock %s is %s", p, l.Name, l.Policy)
					}
				}
			}
		})
	}
}

// TestRunCompareText recounts the marked figures of the side-by-side text
// from the runs' own summaries.
func TestRunCompareText(t *testing.T) {
	for _, args := range [][]string{
		{"run", "playground", "--compare", "fifo,barging,none"},
		{"run", "starvation", "--compare", "barging,fifo,none"},
		{"run", "race", "--compare", "none,fifo,semaphore,barging"},
		{"run", "timeouts", "--compare", "fifo,none"},
	} {
		t.Run(args[1], func(t *testing.T) {
			policies := strings.Split(args[3], ",")
			out := ok(t, args...)
			sums := make([]report.Summary, len(policies))
			for i, p := range policies {
				if err := json.Unmarshal([]byte(ok(t, "run", args[1], "--json", "--policy", p)), &sums[i]); err != nil {
					t.Fatal(err)
				}
			}
			rows := compareRows(t, out, len(policies))
			if got := rows["policy"]; !slices.Equal(got, policies) {
				t.Fatalf("columns %v, want %v", got, policies)
			}
			type rule struct {
				higher bool
				value  func(report.Summary) float64
			}
			rules := map[string]rule{
				"acquisitions": {true, func(s report.Summary) float64 { return s.Throughput }},
				"wait mean":    {false, func(s report.Summary) float64 { return s.Wait.Mean }},
				"wait p50":     {false, func(s report.Summary) float64 { return s.Wait.P50 }},
				"wait p95":     {false, func(s report.Summary) float64 { return s.Wait.P95 }},
				"wait p99":     {false, func(s report.Summary) float64 { return s.Wait.P99 }},
				"wait max":     {false, func(s report.Summary) float64 { return s.Wait.Max }},
				"waiting now":  {false, func(s report.Summary) float64 { return s.WaitingNow.Longest }},
				"max queue":    {false, func(s report.Summary) float64 { return float64(s.MaxQueue) }},
				"fairness":     {true, func(s report.Summary) float64 { return s.Fairness }},
				"timeouts":     {false, func(s report.Summary) float64 { return float64(s.Timeouts) }},
				"lost updates": {false, func(s report.Summary) float64 { return float64(s.SharedList.LostUpdates) }},
			}
			marked := 0
			for label, r := range rules {
				cells, ok := rows[label]
				if !ok {
					if label != "lost updates" {
						t.Errorf("no %s row", label)
					}
					continue
				}
				vals := make([]float64, len(sums))
				for i, s := range sums {
					vals[i] = r.value(s)
				}
				top := slices.Min(vals)
				if r.higher {
					top = slices.Max(vals)
				}
				// Figures that read the same as the best tie with it.
				var topCell string
				for i, v := range vals {
					if v == top {
						topCell = strings.TrimSuffix(cells[i], " *")
					}
				}
				same := 0
				for _, c := range cells {
					if strings.TrimSuffix(c, " *") == topCell {
						same++
					}
				}
				// Beside a run whose longest wait is still going on, the
				// finished waits are not compared.
				unmarked := strings.HasPrefix(label, "wait ") && slices.ContainsFunc(sums, report.Understated)
				for i, c := range cells {
					want := strings.TrimSuffix(c, " *") == topCell && same < len(cells) && !unmarked
					if got := strings.HasSuffix(c, " *"); got != want {
						t.Errorf("%s under %s: %q marked %v, want %v (values %v)", label, policies[i], c, got, want, vals)
					}
					if want {
						marked++
					}
				}
			}
			if marked == 0 {
				t.Errorf("nothing marked:\n%s", out)
			}
		})
	}
}

// compareRows reads the side-by-side text: each row's label and cells.
func compareRows(t *testing.T, out string, n int) map[string][]string {
	t.Helper()
	rows := map[string][]string{}
	sep := regexp.MustCompile(`\s{2,}`)
	for _, line := range strings.Split(out, "\n") {
		f := sep.Split(strings.TrimSpace(line), -1)
		if len(f) == n+1 {
			rows[f[0]] = f[1:]
		}
	}
	return rows
}

func TestRunCompareStuck(t *testing.T) {
	r := lockviz(t, "run", "deadlock", "--compare", "fifo,none,barging")
	if r.code != 3 || r.stderr != "lockviz: under fifo: deadlock at 208ms: left waits for b, held by right; right waits for a, held by left; stuck under barging too\n" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := compareRows(t, r.stdout, 3)["stuck"]; !slices.Equal(got, []string{"deadlock at 208ms", "-", "deadlock at 208ms"}) {
		t.Errorf("stuck row %q:\n%s", got, r.stdout)
	}
	r = lockviz(t, "run", "deadlock", "--compare", "none,fifo", "--json")
	var sums []report.Summary
	if err := json.Unmarshal([]byte(r.stdout), &sums); r.code != 3 || err != nil || sums[0].Deadlock != nil || sums[1].Deadlock == nil {
		t.Fatalf("exit %d, %v, %+v", r.code, err, sums)
	}
}

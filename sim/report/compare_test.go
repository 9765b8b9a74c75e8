package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lockviz/lock"
)

func TestBest(t *testing.T) {
	tests := []struct {
		name   string
		vals   []float64
		cells  []string
		higher bool
		stuck  []bool
		want   []bool
	}{
		{"lower: the least wins", []float64{2, 1, 3}, nil, false, make([]bool, 3), []bool{false, true, false}},
		{"higher: the most wins", []float64{2, 1, 3}, nil, true, make([]bool, 3), []bool{false, false, true}},
		{"a tie for best marks both", []float64{1, 1, 3}, nil, false, make([]bool, 3), []bool{true, true, false}},
		{"all equal: nothing to mark", []float64{1, 1}, nil, false, make([]bool, 2), []bool{false, false}},
		{"a stuck run wins nothing", []float64{0, 1, 2}, nil, false, []bool{true, false, false}, []bool{false, true, false}},
		{"figures that read the same tie", []float64{0.9996, 1, 0.99}, []string{"1.000", "1.000", "0.990"}, true, make([]bool, 3), []bool{true, true, false}},
		{"one run left in the running: nothing to mark", []float64{0, 1}, nil, false, []bool{true, false}, []bool{false, false}},
	}
	for _, tt := range tests {
		cells := tt.cells
		if cells == nil {
			for _, v := range tt.vals {
				cells = append(cells, fmt.Sprint(v))
			}
		}
		if got := Best(tt.vals, cells, tt.higher, tt.stuck); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParsePolicies(t *testing.T) {
	if ps, err := ParsePolicies("none,fifo,barging"); err != nil || len(ps) != 3 || ps[0].String() != "none" {
		t.Fatalf("%v, %v", ps, err)
	}
	for list, want := range map[string]string{
		"fifo":                         "1 policies given: compare 2 to 4",
		"fifo,barging,none,semaphore,": `unknown policy ""`,
		"fifo,fifo":                    "policy fifo given twice",
		"fifo,mutex":                   `unknown policy "mutex"`,
	} {
		if _, err := ParsePolicies(list); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", list, err, want)
		}
	}
}

func TestComparisonStuckColumn(t *testing.T) {
	sums := []Summary{{Scenario: "x", Policy: "fifo", Deadlock: &DeadlockSummary{At: 0.25}}, {Scenario: "x", Policy: "barging"}}
	var b strings.Builder
	if err := WriteComparison(&b, "", sums); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "stuck          deadlock at 250ms                  -\n") {
		t.Fatalf("no stuck row:\n%s", b.String())
	}
}

func TestDefaultPolicies(t *testing.T) {
	for p, want := range map[lock.Policy]string{
		lock.FIFO:      "fifo barging",
		lock.Semaphore: "semaphore fifo",
		lock.Barging:   "barging fifo",
		lock.None:      "none fifo",
	} {
		got := DefaultPolicies(p)
		if s := got[0].String() + " " + got[1].String(); s != want {
			t.Errorf("%s: %s, want %s", p, s, want)
		}
	}
}

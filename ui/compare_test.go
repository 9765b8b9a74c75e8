package ui

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"lockviz/lock"
	"lockviz/sim"
)

// compareConfigs is testConfig(n) under each of policies.
func compareConfigs(n int, policies ...lock.Policy) []sim.Config {
	var cfgs []sim.Config
	for _, p := range policies {
		cfg := testConfig(n)
		cfg.Policy = p
		cfgs = append(cfgs, cfg)
	}
	return cfgs
}

// newCompare returns a paused comparison sized w×h at virtual time at.
func newCompare(t testing.TB, cfgs []sim.Config, w, h int, at time.Duration) Compare {
	t.Helper()
	c := NewCompare(cfgs, Options{Scenario: "golden", Paused: true})
	next, _ := c.Update(windowSize(w, h))
	return next.(Compare).advanceTo(at)
}

// advanceTo runs every column to virtual time at, as frames would.
func (c Compare) advanceTo(at time.Duration) Compare {
	for i := range c.cols {
		c.cols[i].eng.AdvanceTo(at)
	}
	c.now = at
	c.syncAll()
	return c
}

// pressAll sends the keys one by one to the comparison.
func pressAll(t testing.TB, c Compare, keys ...string) Compare {
	t.Helper()
	for _, k := range keys {
		next, _ := c.Update(keyMsg(k))
		c = next.(Compare)
	}
	return c
}

// runCompareGolden runs c in a teatest program at w×h, quits it with q
// and compares the final View with testdata/<test name>.golden.
func runCompareGolden(t *testing.T, c Compare, w, h int) {
	t.Helper()
	tm := teatest.NewTestModel(t, c, teatest.WithInitialTermSize(w, h))
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Compare)
	view := final.View()
	checkFrame(t, view, w, h)
	teatest.RequireEqualOutput(t, []byte(view))
}

func goldenCompare(t *testing.T, policies ...lock.Policy) Compare {
	c := NewCompare(compareConfigs(5, policies...), Options{Scenario: "golden", Paused: true})
	return c.advanceTo(goldenAt)
}

func TestGoldenCompare200x60(t *testing.T) {
	runCompareGolden(t, goldenCompare(t, lock.FIFO, lock.Barging, lock.None), 200, 60)
}

func TestGoldenCompare120x40(t *testing.T) {
	runCompareGolden(t, goldenCompare(t, lock.FIFO, lock.None), 120, 40)
}

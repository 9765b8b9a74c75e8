package lessons

import (
	"slices"
	"testing"
	"time"

	"lockviz/sim/format"
	"lockviz/sim/scenario"
	"lockviz/ui"
)

func TestShippedLessons(t *testing.T) {
	all := All()
	if len(all) != 3 {
		t.Fatalf("%d lessons, want 3", len(all))
	}
	for _, l := range all {
		s, err := ui.ParseScript(l.Name, l.Script)
		if err != nil {
			t.Fatal(err)
		}
		if s.End <= 10*time.Second || s.End >= time.Minute {
			t.Errorf("%s lasts %v: a lesson is under a minute", l.Name, s.End)
		}
		for _, st := range s.Steps {
			// An 80-column band leaves 78 after its bar.
			if st.Kind == ui.StepCaption && format.Width(st.Text) > 78 {
				t.Errorf("%s: caption at %v is %d columns: %q", l.Name, st.At, format.Width(st.Text), st.Text)
			}
		}
		if l.Title == "" {
			t.Errorf("%s has no title", l.Name)
		}
		if !slices.Contains(scenario.BuiltinNames(), l.Scenario) {
			t.Errorf("%s plays on %q, not a built-in scenario", l.Name, l.Scenario)
		}
	}
}

func TestLoad(t *testing.T) {
	if l, err := Load("race"); err != nil || l.Scenario != "race" {
		t.Errorf("Load(race) = %+v, %v", l, err)
	}
	if _, err := Load("nope"); err == nil || err.Error() != `unknown lesson "nope" (lessons: race, rate-limit, starvation)` {
		t.Errorf("Load(nope): %v", err)
	}
}

func TestHeader(t *testing.T) {
	l := parse("x", []byte("# title: A: b\n#scenario:race\n# other: 1\nwait 1s\n# title: later\n"))
	if l.Title != "A: b" || l.Scenario != "race" {
		t.Errorf("header read as %+v", l)
	}
}

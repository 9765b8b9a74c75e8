package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// frames is a Recorder that keeps every frame.
type frames struct {
	at    []time.Duration
	views []string
	sizes [][2]int
}

func (f *frames) Frame(at time.Duration, w, h int, view string) {
	f.at = append(f.at, at)
	f.views = append(f.views, view)
	f.sizes = append(f.sizes, [2]int{w, h})
}

// scripted returns a model of cfg playing src at speed, recording into rec.
func scripted(t testing.TB, src string, speed float64, rec Recorder) Model {
	t.Helper()
	s, err := ParseScript("t.keys", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return New(rateLimit(), Options{Scenario: "rate-limit", Speed: speed, Script: &s, Recorder: rec, Captions: lessonCaptions})
}

func TestScriptFramesAtFixedInstants(t *testing.T) {
	var rec frames
	m := Play(scripted(t, "wait 1s\nkey space\nwait 0.5s\nkey space\ncaption \"on again\"\nwait 0.5s\n", 2, &rec), 100, 30)
	if len(rec.views) != 61 {
		t.Fatalf("%d frames for 2s of script, want 61", len(rec.views))
	}
	for i, at := range rec.at {
		if want := time.Duration(i) * time.Second / 30; at-want > time.Nanosecond || want-at > time.Nanosecond {
			t.Fatalf("frame %d at %v, want %v", i, at, want)
		}
	}
	for _, tc := range []struct {
		frame int
		clock string
		state string
	}{
		{0, "t 0.000s", "running"},
		{15, "t 1.000s", "running"}, // speed 2: half a second of recording is a second
		{30, "t 2.000s", "paused"},  // space at 1s pauses on that frame, exactly at 2s
		{44, "t 2.000s", "paused"},  // and the clock stands
		{45, "t 2.000s", "running"}, // space at 1.5s runs it again from there
		{60, "t 3.000s", "running"},
	} {
		h, _, _ := strings.Cut(rec.views[tc.frame], "\n")
		if !strings.Contains(h, tc.clock) || !strings.Contains(h, tc.state) {
			t.Errorf("frame %d header %q, want %s and %s", tc.frame, h, tc.clock, tc.state)
		}
	}
	if !strings.Contains(rec.views[45], "\n▌ on again") || strings.Contains(rec.views[44], "on again") {
		t.Error("the script's caption does not replace the scenario's from its frame on")
	}
	if m.eng.Now() != 3*time.Second {
		t.Errorf("the script ends at %v, want 3s", m.eng.Now())
	}
}

// marks is a Marker that keeps every frame and every caption marked.
type marks struct {
	frames
	marked []string // "frame n: caption", n the frame the mark came before
}

func (k *marks) Mark(at time.Duration, caption string) {
	k.marked = append(k.marked, fmt.Sprintf("frame %d at %v: %s", len(k.views), at, caption))
}

func TestCaptionsMarkedWhereTheyStart(t *testing.T) {
	var rec marks
	Play(scripted(t, "wait 1s\nkey space\nwait 0.5s\nkey space\ncaption \"on again\"\nwait 0.5s\n", 2, &rec), 100, 30)
	// The scenario's captions by virtual time (speed 2), the gap after
	// "one at a time" unmarked, then the script's own.
	want := []string{"frame 0 at 0s: Three tasks, one lock", "frame 15 at 500ms: one at a time", "frame 45 at 1.5s: on again"}
	if !slices.Equal(rec.marked, want) {
		t.Errorf("marks\n%q\nwant\n%q", rec.marked, want)
	}
}

func TestScriptPlaysTheSameTwice(t *testing.T) {
	const src = "wait 0.4s\nkey p\nkey down\nkey a\nwait 0.3s\nresize 80x24\nkey r\nkey space\nwait 0.5s\n"
	var a, b frames
	Play(scripted(t, src, 5, &a), 120, 34)
	Play(scripted(t, src, 5, &b), 120, 34)
	if !slices.Equal(a.views, b.views) || !slices.Equal(a.sizes, b.sizes) {
		t.Fatal("two plays of one script drew different frames")
	}
	if a.sizes[0] != [2]int{120, 34} || a.sizes[len(a.sizes)-1] != [2]int{80, 24} {
		t.Errorf("sizes %v … %v, want 120×34 then 80×24 after resize", a.sizes[0], a.sizes[len(a.sizes)-1])
	}
	checkFrame(t, a.views[len(a.views)-1], 80, 24)
}

func TestScriptQuitEndsEarly(t *testing.T) {
	for _, quit := range []string{"quit", "key q", "key ctrl+c"} {
		var rec frames
		Play(scripted(t, "wait 0.2s\n"+quit+"\nwait 5s\n", 1, &rec), 100, 30)
		if len(rec.views) != 7 {
			t.Errorf("%s at 0.2s: %d frames, want 7", quit, len(rec.views))
		}
	}
}

// TestGoldenScriptLive plays a script in a real Bubble Tea program, paced
// by the wall clock: it quits by itself, and its last screen is the one a
// headless play draws.
func TestGoldenScriptLive(t *testing.T) {
	const src = "wait 0.5s\nkey down\nkey space\ncaption \"paused at one second\"\nwait 0.3s\n"
	var live frames
	tm := teatest.NewTestModel(t, scripted(t, src, 2, &live), teatest.WithInitialTermSize(100, 30))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if !final.Done() {
		t.Fatal("the program ended before its script")
	}
	var headless frames
	Play(scripted(t, src, 2, &headless), 100, 30)
	if !slices.Equal(live.views, headless.views) {
		t.Fatalf("live and headless frames differ: %d and %d frames", len(live.views), len(headless.views))
	}
	teatest.RequireEqualOutput(t, []byte(final.View()))
}

func TestSnapshotAt(t *testing.T) {
	m := New(rateLimit(), Options{Scenario: "rate-limit"})
	s, err := SnapshotAt(m, 100, 30, 2500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	checkFrame(t, s, 100, 30)
	if h, _, _ := strings.Cut(s, "\n"); !strings.Contains(h, "t 2.500s") || !strings.Contains(h, "running") {
		t.Errorf("header %q, want running at 2.500s", h)
	}
	// Past the run's end, the view shows where it finished.
	s, _ = SnapshotAt(New(rateLimit(), Options{}), 100, 30, time.Minute)
	if h, _, _ := strings.Cut(s, "\n"); !strings.Contains(h, "t 5.000s") || !strings.Contains(h, "finished") {
		t.Errorf("header %q, want finished at 5.000s", h)
	}
	// A script that pauses before the time asked for never reaches it.
	if _, err := SnapshotAt(scripted(t, "key space\nwait 1s\n", 1, nil), 100, 30, 2*time.Second); err == nil ||
		!strings.Contains(err.Error(), "the key script ends at virtual time 0s, before 2s") {
		t.Errorf("error %v", err)
	}
}

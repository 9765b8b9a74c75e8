package ui

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHighlightClassesPython(t *testing.T) {
	lines := highlight("for _ in range(3):\n    await asyncio.sleep(0.5)  # nap\n    raise RuntimeError(\"no\")\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3: %q", len(lines), lines)
	}
	class := map[string]tokenClass{}
	for _, l := range lines {
		for _, tok := range l {
			class[strings.TrimSpace(tok.text)] = tok.class
		}
	}
	for text, want := range map[string]tokenClass{"for": tokKeyword, "in": tokKeyword, "await": tokKeyword,
		"range": tokBuiltin, "3": tokNumber, "0.5": tokNumber, "# nap": tokComment, "raise": tokKeyword, "no": tokString} {
		if got, ok := class[text]; !ok || got != want {
			t.Errorf("%q is class %d (found %v), want %d", text, got, ok, want)
		}
	}
}

// codeLines returns the code panel's lines of the screen: what is right of
// its rule, from the row below its title.
func codeLines(t *testing.T, m Model) []string {
	t.Helper()
	r := m.lay.code
	if r.w == 0 {
		t.Fatalf("no code panel at %d×%d", m.width, m.height)
	}
	rows := strings.Split(m.View(), "\n")
	var out []string
	for y := r.y; y < r.y+r.h; y++ {
		out = append(out, sliceCols(rows[y], r.x, r.w))
	}
	return out
}

func sliceCols(s string, x, w int) string {
	rs := []rune(s)
	return strings.TrimRight(string(rs[min(x, len(rs)):min(x+w, len(rs))]), " ")
}

// TestCodeMarksEveryTask checks the code panel against the snapshot: the
// shown task's line carries ▶, and each line as many dots as other tasks
// on the same code are on it.
func TestCodeMarksEveryTask(t *testing.T) {
	m := newModel(t, testConfig(6), 200, 60, goldenAt)
	lines := codeLines(t, m)
	shown := m.sc.snap.Tasks[0]
	if !strings.Contains(lines[0], "Code "+shown.Spec.Name) {
		t.Fatalf("title %q does not name %s", lines[0], shown.Spec.Name)
	}
	want := map[int32]int{}
	for _, o := range m.sc.snap.Tasks[1:] {
		if o.Phase.Active() && o.Code.Source == shown.Code.Source {
			want[o.Line]++
		}
	}
	marked := 0
	for i, l := range lines[1:] {
		n := int32(i + 1)
		if strings.Contains(l, "▶") != (n == shown.Line) {
			t.Errorf("line %d: %q; the task is on line %d", n, l, shown.Line)
		}
		got := strings.Count(l, "●")
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[1], "+") {
			got, _ = strconv.Atoi(f[1][1:]) // more than the gutter's dots
		}
		if got != want[n] {
			t.Errorf("line %d: %d dots, %d tasks on it: %q", n, got, want[n], l)
		}
		marked += want[n]
	}
	if marked == 0 {
		t.Fatal("no other task on the code: the test tests nothing")
	}
}

// TestCodeFollowsStepAndSelection steps a paused run event by event: the
// ▶ line is always the selected task's line, and selecting another task
// shows its code.
func TestCodeFollowsStepAndSelection(t *testing.T) {
	m := newModel(t, loaded(t, "deadlock"), 200, 60, 0)
	m, _ = press(t, m, "down")
	seen := map[int32]bool{}
	for range 12 {
		m, _ = press(t, m, "n")
		tv := m.sc.snap.Tasks[m.tasks.sel]
		lines := codeLines(t, m)
		if !strings.Contains(lines[0], tv.Spec.Name) {
			t.Fatalf("title %q, selected %s", lines[0], tv.Spec.Name)
		}
		if tv.Line >= 1 && !strings.Contains(lines[tv.Line], "▶") {
			t.Fatalf("%s is on line %d, the panel marks:\n%s", tv.Spec.Name, tv.Line, strings.Join(lines, "\n"))
		}
		seen[tv.Line] = true
	}
	if len(seen) < 2 {
		t.Errorf("the marked line never moved: %v", seen)
	}
}

func TestCodeToggle(t *testing.T) {
	cfg := testConfig(3)
	for _, tc := range []struct {
		w     int
		keys  []string
		shown bool
	}{
		{200, nil, true},
		{140, nil, true},
		{139, nil, false},
		{200, []string{"c"}, false},
		{200, []string{"c", "c"}, true},
		{120, []string{"c"}, true},
		{100, []string{"c"}, false}, // no room beside the other panels
	} {
		m := newModel(t, cfg, tc.w, 40, time.Second)
		m, _ = press(t, m, tc.keys...)
		if got := m.lay.code.w > 0; got != tc.shown {
			t.Errorf("%d columns after %v: code shown %v, want %v", tc.w, tc.keys, got, tc.shown)
		}
		checkFrame(t, m.View(), tc.w, 40)
	}
}

// TestCodeOfShorthand shows the Python a shorthand task stands for.
func TestCodeOfShorthand(t *testing.T) {
	m := newModel(t, testConfig(2), 200, 60, time.Second)
	v := strings.Join(codeLines(t, m), "\n")
	for _, want := range []string{"while True:", "async with lock:", "fields stand for"} {
		if !strings.Contains(v, want) {
			t.Errorf("code panel lacks %q:\n%s", want, v)
		}
	}
}

// TestGoldenCode pins the code panel beside the leaked lock's three tasks
// at 200×60 and 140×45: ▶ on the holder's line, two dots on the sleepers',
// readable without colour.
func TestGoldenCode(t *testing.T) {
	for _, size := range [][2]int{{200, 60}, {140, 45}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := New(loaded(t, "leaked"), Options{Scenario: "leaked", Paused: true})
			m.eng.AdvanceTo(500 * time.Millisecond)
			m.sync()
			runGolden(t, m, size[0], size[1])
		})
	}
}

// TestCodeKeyOnlyWhereItFits keeps `c` out of the help where the code
// panel cannot fit beside the others, so the help promises nothing the key
// cannot do.
func TestCodeKeyOnlyWhereItFits(t *testing.T) {
	for w, want := range map[int]bool{104: false, 105: true, 200: true} {
		m := newModel(t, testConfig(2), w, 40, time.Second)
		if got := m.keys.Code.Enabled(); got != want {
			t.Errorf("%d columns: c enabled %v, want %v", w, got, want)
		}
	}
}

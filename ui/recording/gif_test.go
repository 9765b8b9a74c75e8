package recording

import (
	"bytes"
	"image"
	"image/gif"
	"strings"
	"testing"

	"lockviz/sim/scenario"
	"lockviz/ui"
	"lockviz/ui/lessons"
)

// lessonModel returns the view of lesson name, its script to play.
func lessonModel(t *testing.T, name string, rec ui.Recorder) ui.Model {
	t.Helper()
	l, err := lessons.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	script, err := ui.ParseScript(name, l.Script)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Load(l.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	return ui.New(s.Config(), ui.Options{Scenario: s.Name, Script: &script, Recorder: rec, Captions: s.Captions})
}

func TestGIFOfALesson(t *testing.T) {
	const cols, rows = 100, 30
	defer ui.UseColours(ui.ThemeDark, false)
	ui.UseColours(ui.ThemeDark, true)
	var b bytes.Buffer
	g := NewGIF(&b, cols, rows, true)
	ui.Play(lessonModel(t, "race", g), cols, rows)
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	anim, err := gif.DecodeAll(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	gl := newGlyphs()
	if w, h := anim.Config.Width, anim.Config.Height; w != cols*gl.w || h != rows*gl.h {
		t.Errorf("%d×%d pixels, want %d×%d: %d×%d cells of %d×%d", w, h, cols*gl.w, rows*gl.h, cols, rows, gl.w, gl.h)
	}
	// Unchanged frames are skipped, changed ones drawn where they changed:
	// many frames, most smaller than the screen, each shown for a while.
	full, total := 0, 0
	for i, img := range anim.Image {
		if img.Bounds() == image.Rect(0, 0, anim.Config.Width, anim.Config.Height) {
			full++
		}
		if anim.Delay[i] < 3 {
			t.Fatalf("frame %d shows for %d/100 s, less than a frame of 1/30 s", i, anim.Delay[i])
		}
		total += anim.Delay[i]
	}
	if n := len(anim.Image); n < 50 || full > n/2 {
		t.Errorf("%d frames, %d of them the whole screen: want many, mostly partial", n, full)
	}
	if total < 2800 || total > 2800+310 {
		t.Errorf("the frames last %d/100 s, want the lesson's 28 s and the end's hold", total)
	}
	// The last frame is the lesson's last screen, cell for cell.
	ui.UseColours(ui.ThemeDark, false)
	want := ui.SnapshotEnd(lessonModel(t, "race", nil), cols, rows)
	if got := g.Text(); got != want {
		t.Errorf("the GIF ends on\n%s\nwant\n%s", got, want)
	}
}

func TestGIFResizeAndTheme(t *testing.T) {
	defer ui.UseColours(ui.ThemeDark, false)
	ui.UseColours(ui.ThemeLight, true)
	script, err := ui.ParseScript("t.keys", []byte("wait 0.2s\nresize 80x24\nwait 0.2s\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := scenario.Load("rate-limit")
	var b bytes.Buffer
	g := NewGIF(&b, 100, 30, false)
	ui.Play(ui.New(s.Config(), ui.Options{Script: &script, Recorder: g}), 100, 30)
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	anim, err := gif.DecodeAll(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(g.Text(), "\n")
	if len(lines) != 30 || strings.TrimSpace(lines[29]) != "" || strings.TrimSpace(lines[20]) == "" ||
		strings.TrimSpace(string([]rune(lines[0])[80:])) != "" {
		t.Errorf("after the resize to 80×24 the canvas past it is not blank:\n%s", g.Text())
	}
	// The light theme's background is white: the first frame's corner.
	if r, gr, bl, _ := anim.Image[0].At(anim.Config.Width-1, anim.Config.Height-1).RGBA(); r>>8 != 0xFF || gr>>8 != 0xFF || bl>>8 != 0xFF {
		t.Errorf("light background is %x %x %x, want white", r>>8, gr>>8, bl>>8)
	}
}

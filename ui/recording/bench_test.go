package recording

import (
	"io"
	"os"
	"testing"

	"lockviz/sim/scenario"
	"lockviz/ui"
)

// BenchmarkRecordMinute records testdata/minute.keys, a 60-second lesson
// on the playground, headless at 100×30 in 24-bit colour: what lockviz
// record does, less the file.
func BenchmarkRecordMinute(b *testing.B) {
	data, err := os.ReadFile("testdata/minute.keys")
	if err != nil {
		b.Fatal(err)
	}
	script, err := ui.ParseScript("minute.keys", data)
	if err != nil {
		b.Fatal(err)
	}
	s, err := scenario.Load("playground")
	if err != nil {
		b.Fatal(err)
	}
	ui.UseColours(ui.ThemeDark, true)
	for b.Loop() {
		c := NewCast("minute", nil)
		ui.Play(ui.New(s.Config(), ui.Options{Scenario: s.Name, Script: &script, Recorder: c, Captions: s.Captions}), 100, 30)
		if _, err := c.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

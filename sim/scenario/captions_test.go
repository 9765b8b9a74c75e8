package scenario

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"lockviz/sim/format"
)

func TestCaptionsParse(t *testing.T) {
	file := "[[tasks]]\nhold = \"1s\"\n\n[[captions]]\nat = \"2s\"\ntext = \"second\"\nuntil = \"3s\"\n\n" +
		"[[captions]]\nat = \"0s\"\ntext = \"Three tasks, one lock\"\n"
	s, err := Parse("x.toml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Caption{{At: 0, Text: "Three tasks, one lock"}, {At: 2 * time.Second, Until: 3 * time.Second, Text: "second"}}
	if !reflect.DeepEqual(s.Captions, want) {
		t.Errorf("captions %+v, want %+v, sorted by at", s.Captions, want)
	}
	back, err := Parse("x.toml", s.TOML())
	if err != nil || !reflect.DeepEqual(back.Captions, want) {
		t.Errorf("round trip: %+v, %v", back.Captions, err)
	}
}

func TestCaptionsBad(t *testing.T) {
	const task = "[[tasks]]\nhold = \"1s\"\n"
	for _, tc := range []struct{ name, file, want string }{
		{"unknown key names its line", task + "[[captions]]\nat = \"1s\"\ntext = \"a\"\nwhen = 1\n", `x.toml:6: unknown key "when" in [[captions]]`},
		{"bad duration", task + "[[captions]]\nat = \"soon\"\ntext = \"a\"\n", `x.toml:4: at:`},
		{"negative at", task + "[[captions]]\nat = \"-1s\"\ntext = \"a\"\n", `x.toml:4: at: negative duration`},
		{"no text", task + "[[captions]]\nat = \"1s\"\n", `x.toml:3: a caption needs text`},
		{"no at", task + "[[captions]]\ntext = \"a\"\n", `x.toml:3: a caption needs at`},
		{"empty text", task + "[[captions]]\nat = \"1s\"\ntext = \"  \"\n", `x.toml:5: text: empty`},
		{"control character", task + "[[captions]]\nat = \"1s\"\ntext = \"a\\u001b[2Jb\"\n", `x.toml:5: text: "a\x1b[2Jb" has control characters`},
		{"too long", task + "[[captions]]\nat = \"1s\"\ntext = \"" + strings.Repeat("a", MaxCaptionLen+1) + "\"\n", `x.toml:5: text: longer than 200 bytes`},
		{"until before at", task + "[[captions]]\nat = \"2s\"\ntext = \"a\"\nuntil = \"1s\"\n", `x.toml:6: until: 1s is not after the caption's at, 2s`},
		{"not tables", "captions = 3\n" + task, `x.toml:1: captions: want [[captions]] tables`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q", err, tc.want)
			}
		})
	}
}

func TestCaptionAt(t *testing.T) {
	caps := []Caption{
		{At: time.Second, Text: "one"},
		{At: 2 * time.Second, Until: 3 * time.Second, Text: "two"},
		{At: 5 * time.Second, Text: "five"},
	}
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{0, ""},
		{time.Second, "one"},
		{1999 * time.Millisecond, "one"},
		{2 * time.Second, "two"},
		{3 * time.Second, ""}, // until ends it, and nothing follows before 5s
		{5 * time.Second, "five"},
		{time.Hour, "five"},
	} {
		if got := CaptionAt(caps, tc.at); got != tc.want {
			t.Errorf("CaptionAt(%v) = %q, want %q", tc.at, got, tc.want)
		}
	}
	if got := CaptionAt(nil, time.Second); got != "" {
		t.Errorf("no captions: %q", got)
	}
}

// TestBuiltinCaptionsFit80Columns keeps the built-ins' captions whole in
// an 80-column window, where the band leaves them 78 after its bar.
func TestBuiltinCaptionsFit80Columns(t *testing.T) {
	n := 0
	for _, s := range Builtins() {
		for _, c := range s.Captions {
			n++
			if w := format.Width(c.Text); w > 78 {
				t.Errorf("%s: caption at %v is %d columns: %q", s.Name, c.At, w, c.Text)
			}
		}
	}
	if n == 0 {
		t.Error("no built-in has captions")
	}
}

package recording

import (
	"strings"
	"testing"
	"time"
)

func TestCastEvents(t *testing.T) {
	c := NewCast("lockviz · test", nil)
	c.Frame(0, 4, 2, "ab  \ncd  ")
	c.Frame(time.Second/30, 4, 2, "ab  \ncd  ") // unchanged: no event
	c.Mark(2*time.Second/30, "a <caption>")
	c.Frame(2*time.Second/30, 4, 2, "ab  \nce  ")
	c.Frame(time.Second, 5, 2, "ab   \nce   ")
	var b strings.Builder
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"version":2,"width":4,"height":2,"timestamp":0,"title":"lockviz · test"}
[0.000000, "o", "\u001b[?25l\u001b[H\u001b[2J\u001b[1;1H\u001b[0mab  \u001b[2;1H\u001b[0mcd  "]
[0.066667, "m", "a <caption>"]
[0.066667, "o", "\u001b[2;1H\u001b[0mce  "]
[1.000000, "r", "5x2"]
[1.000000, "o", "\u001b[H\u001b[2J\u001b[1;1H\u001b[0mab   \u001b[2;1H\u001b[0mce   "]
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestCastLastsToItsLastFrame(t *testing.T) {
	c := NewCast("t", nil)
	c.Frame(0, 1, 1, "a")
	c.Frame(time.Second, 1, 1, "a") // unchanged, but the recording goes on
	var b strings.Builder
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "\n[1.000000, \"o\", \"\"]\n") {
		t.Errorf("the recording ends\n%s\nwithout an empty output at 1s", b.String())
	}
}

func TestCastOrigin(t *testing.T) {
	c := NewCast("t", &Origin{Scenario: "race", Seed: 7, Command: "lockviz race --seed 7 --keys l.keys", KeysFile: "l.keys", Keys: "wait 1s\n"})
	c.Frame(0, 1, 1, "a")
	var b strings.Builder
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"version":2,"width":1,"height":1,"timestamp":0,"title":"t","lockviz":{"scenario":"race","seed":7,` +
		`"command":"lockviz race --seed 7 --keys l.keys","keys_file":"l.keys","keys":"wait 1s\n"}}`
	if first, _, _ := strings.Cut(b.String(), "\n"); first != want {
		t.Errorf("header\n%s\nwant\n%s", first, want)
	}
}

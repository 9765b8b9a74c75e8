package recording

import (
	"strings"
	"testing"
	"time"
)

func TestCastEvents(t *testing.T) {
	c := NewCast("lockviz · test")
	c.Frame(0, 4, 2, "ab  \ncd  ")
	c.Frame(time.Second/30, 4, 2, "ab  \ncd  ") // unchanged: no event
	c.Frame(2*time.Second/30, 4, 2, "ab  \nce  ")
	c.Frame(time.Second, 5, 2, "ab   \nce   ")
	var b strings.Builder
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"version":2,"width":4,"height":2,"timestamp":0,"title":"lockviz · test"}
[0.000000, "o", "\u001b[?25l\u001b[H\u001b[2J\u001b[1;1H\u001b[0mab  \u001b[2;1H\u001b[0mcd  "]
[0.066667, "o", "\u001b[2;1H\u001b[0mce  "]
[1.000000, "r", "5x2"]
[1.000000, "o", "\u001b[H\u001b[2J\u001b[1;1H\u001b[0mab   \u001b[2;1H\u001b[0mce   "]
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

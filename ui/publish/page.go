package publish

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"

	"lockviz/assets"
)

//go:embed page.html
var pageSource string

// page is the template of every page; its funcs format what it shows.
var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"clock": clock,
	// A key script or scenario as a link that saves it, with no server.
	"dataURL": func(text string) template.URL {
		return template.URL("data:text/plain;charset=utf-8," + url.PathEscape(text))
	},
}).Parse(pageSource))

// player is the embedded asciinema-player: its script and style sheet as
// elements, its version and its licence.
type player struct {
	Script, Style    template.HTML
	Version, Licence string
}

// loadPlayer reads the player from assets/player. Its files are
// embedded, and a test checks that neither can end its element early.
func loadPlayer() player {
	read := func(name string) string {
		b, _ := assets.Player.ReadFile("player/" + name) // embedded: it reads
		return string(b)
	}
	return player{
		Script:  template.HTML("<script>" + read("asciinema-player.min.js") + "</script>"),
		Style:   template.HTML("<style>" + read("asciinema-player.css") + "</style>"),
		Version: strings.TrimSpace(read("VERSION")),
		Licence: read("LICENSE"),
	}
}

// WriteTo writes the recording's web page to w.
func (r Recording) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	err := page.Execute(cw, struct {
		Recording
		Cast   template.HTML
		Player player
	}{r, template.HTML(`<script type="application/x-asciicast" id="cast">` + r.castScript() + "</script>"), loadPlayer()})
	return cw.n, err
}

// clock formats seconds into a recording as m:ss.
func clock(s float64) string {
	t := int(s)
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}

// countingWriter counts the bytes written through it, for WriteTo.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

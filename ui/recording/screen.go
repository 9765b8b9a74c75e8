package recording

import (
	"strconv"
	"strings"
)

// differ turns whole screens into what a terminal needs to be written to
// show them: the first screen, or one of a new size, in full; after that
// only the lines that changed.
type differ struct {
	w    int
	prev []string // the last screen's lines; nil before the first
	out  strings.Builder
}

// next returns the output that turns the last screen into view, w×h wide,
// "" when nothing changed, and whether the size changed since the last.
func (d *differ) next(w, h int, view string) (out string, resized bool) {
	lines := strings.Split(view, "\n")
	o := &d.out
	o.Reset()
	switch {
	case d.prev == nil:
		// Hide the cursor: lockviz draws none.
		o.WriteString("\x1b[?25l\x1b[H\x1b[2J")
		d.prev = []string{}
	case w != d.w || h != len(d.prev):
		resized = true
		o.WriteString("\x1b[H\x1b[2J")
		d.prev = d.prev[:0]
	}
	for i, line := range lines {
		if i < len(d.prev) && d.prev[i] == line {
			continue
		}
		// Each line starts at its row's first column in the default style, so
		// that a line drawn alone reads as in the whole frame.
		o.WriteString("\x1b[")
		o.WriteString(strconv.Itoa(i + 1))
		o.WriteString(";1H\x1b[0m")
		o.WriteString(line)
	}
	d.prev = append(d.prev[:0], lines...)
	d.w = w
	return o.String(), resized
}

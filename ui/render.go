package ui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// pen writes a w×h block of text by hand: each piece with its cached escape
// sequence, every line padded to w and cut at w, lines past h dropped. The
// hot parts of the frame are built with it instead of Lip Gloss.
type pen struct {
	b    strings.Builder
	k    *ink
	w, h int
	x    int // columns written on the current line
	y    int // lines finished
}

func newPen(k *ink, w, h int) *pen {
	p := &pen{k: k, w: max(w, 0), h: max(h, 0)}
	p.b.Grow((p.w + 16) * p.h)
	return p
}

// full reports whether the block has all its lines.
func (p *pen) full() bool { return p.y >= p.h }

// room returns the columns left on the current line.
func (p *pen) room() int { return p.w - p.x }

// put writes s in the style seq, cut with an ellipsis where the line ends.
func (p *pen) put(seq, s string) {
	if p.full() || s == "" || p.x >= p.w {
		return
	}
	n := width(s)
	if p.x+n > p.w {
		s = ansi.Truncate(s, p.w-p.x, "…")
		n = width(s)
	}
	if seq != "" {
		p.b.WriteString(seq)
		p.b.WriteString(s)
		p.b.WriteString(p.k.reset)
	} else {
		p.b.WriteString(s)
	}
	p.x += n
}

// putw writes s padded with spaces (or cut) to exactly n columns.
func (p *pen) putw(seq, s string, n int) {
	if w := width(s); w > n {
		s = ansi.Truncate(s, n, "…")
	} else if w < n {
		s += spaces(n - w)
	}
	p.put(seq, s)
}

// putr writes s right-aligned in n columns.
func (p *pen) putr(seq, s string, n int) {
	if w := width(s); w < n {
		p.put(seq, spaces(n-w)+s)
		return
	}
	p.putw(seq, s, n)
}

// repeat writes glyph n times in one run.
func (p *pen) repeat(seq, glyph string, n int) {
	if p.full() || n <= 0 {
		return
	}
	n = min(n, p.w-p.x)
	if n <= 0 {
		return
	}
	if seq != "" {
		p.b.WriteString(seq)
	}
	for range n {
		p.b.WriteString(glyph)
	}
	if seq != "" {
		p.b.WriteString(p.k.reset)
	}
	p.x += n
}

// sp writes n spaces.
func (p *pen) sp(n int) { p.repeat("", " ", n) }

// nl pads the line to the block's width and starts the next one.
func (p *pen) nl() { p.nlFill("") }

// nlFill pads the line in the style seq (a background) and starts the next.
func (p *pen) nlFill(seq string) {
	if p.full() {
		return
	}
	p.repeat(seq, " ", p.w-p.x)
	p.y++
	p.x = 0
	if p.y < p.h {
		p.b.WriteByte('\n')
	}
}

// String finishes the block: the current line and any missing lines.
func (p *pen) String() string {
	if p.x > 0 {
		p.nl()
	}
	for !p.full() {
		p.nl()
	}
	return p.b.String()
}

// title writes a panel's title line: the name, a note, a rule to the end.
func (p *pen) title(name, note string) {
	p.put(p.k.accent, name)
	if note != "" {
		p.sp(1)
		p.put(p.k.muted, note)
	}
	p.sp(1)
	p.repeat(p.k.rule, "─", p.room())
	p.nl()
}

// titleAt is title with a marker on the rule at frac of its length: where
// the moment shown is in the run's history.
func (p *pen) titleAt(name, note string, frac float64) {
	p.put(p.k.accent, name)
	if note != "" {
		p.sp(1)
		p.put(p.k.muted, note)
	}
	p.sp(1)
	n := p.room()
	at := min(max(int(frac*float64(n-1)), 0), n-1)
	p.repeat(p.k.rule, "─", at)
	p.put(p.k.accent, "●")
	p.repeat(p.k.rule, "─", n-at-1)
	p.nl()
}

// width is the display width of s, fast for ASCII.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

const blanks = "                                                                                                                                "

func spaces(n int) string {
	if n <= len(blanks) {
		return blanks[:n]
	}
	return strings.Repeat(" ", n)
}

// fmtClock writes the virtual clock with millisecond precision.
func fmtClock(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
}

// fmtSpeed writes a speed as ×1, ×0.25, ×10.
func fmtSpeed(s float64) string {
	if s >= 1 {
		// A measured speed is not worth its decimals.
		return "×" + strconv.FormatFloat(math.Round(s), 'f', -1, 64)
	}
	return "×" + strconv.FormatFloat(s, 'g', 3, 64)
}

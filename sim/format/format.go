// Package format spells lockviz's figures and names the same way in the text
// report and the live view: durations to three significant digits, names cut
// so that two tasks never look alike, widths counted in terminal columns,
// and each policy's own words for what tasks do.
package format

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/clipperhouse/displaywidth"
)

// Duration spells d short, to three significant digits: 0s, 12ns, 850ms,
// 1.62s, 12.3s, 2m05s, 3h07m.
func Duration(d time.Duration) string {
	if d < 0 {
		if d == math.MinInt64 {
			d++ // one nanosecond off, so that it can be negated
		}
		return "-" + Duration(-d)
	}
	switch {
	case d == 0:
		return "0s"
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		if s, ok := decimal(float64(d) / 1e3); ok {
			return s + "µs"
		}
		return "1ms"
	case d < time.Second:
		if s, ok := decimal(float64(d) / 1e6); ok {
			return s + "ms"
		}
		return "1s"
	case d < 59_950*time.Millisecond: // above, three digits round to a minute
		s, _ := decimal(float64(d) / 1e9)
		return s + "s"
	case d < time.Hour:
		d = d.Round(time.Second)
		if d < time.Hour {
			return strconv.Itoa(int(d/time.Minute)) + "m" + pad2(int(d%time.Minute/time.Second)) + "s"
		}
	}
	d = d.Round(time.Minute) // saturates at the clock's end instead of wrapping
	return strconv.FormatInt(int64(d/time.Hour), 10) + "h" + pad2(int(d%time.Hour/time.Minute)) + "m"
}

// Seconds is Duration of a number of seconds; a value past the clock's
// range (292 years) spells the end of the range.
func Seconds(sec float64) string {
	ns := math.Round(sec * 1e9)
	switch {
	case ns >= math.MaxInt64:
		return Duration(math.MaxInt64)
	case ns <= math.MinInt64:
		return Duration(math.MinInt64)
	}
	return Duration(time.Duration(ns))
}

// decimal writes x (1 ≤ x) with three significant digits at most and no
// trailing zeros; it reports false when x rounds up to 1000.
func decimal(x float64) (string, bool) {
	prec := 0
	switch {
	case x < 9.995:
		prec = 2
	case x < 99.95:
		prec = 1
	case x >= 999.5:
		return "", false
	}
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s, true
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Count spells n followed by its noun, singular or plural: "1 append",
// "3 appends".
func Count(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// Width returns how many terminal columns s takes (wide CJK characters and
// emoji take two), as the live view's terminal library counts them.
func Width(s string) int { return displaywidth.String(s) }

// Pad right-pads s with spaces to w columns.
func Pad(s string, w int) string {
	if n := Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// Cut returns s cut to at most w columns, whole characters only, with "…"
// in the middle when it had to cut: the end of a name, which is where
// names that share a prefix differ, is kept longer than its start.
func Cut(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	switch {
	case w <= 0:
		return ""
	case w == 1:
		return "…"
	}
	var parts []string
	g := displaywidth.StringGraphemes(s)
	for g.Next() {
		parts = append(parts, g.Value())
	}
	room := w - 1
	tail := room - room*2/5
	head := room - tail
	var b, e strings.Builder
	used := 0
	for _, p := range parts {
		pw := Width(p)
		if used+pw > head {
			break
		}
		b.WriteString(p)
		used += pw
	}
	used = 0
	var end []string
	for i := len(parts) - 1; i >= 0; i-- {
		pw := Width(parts[i])
		if used+pw > room-Width(b.String()) {
			break
		}
		end = append(end, parts[i])
		used += pw
	}
	for i := len(end) - 1; i >= 0; i-- {
		e.WriteString(end[i])
	}
	return b.String() + "…" + e.String()
}

// Names returns labels for names at most w columns wide, each cut in the
// middle, widening the cut until no two different names get the same label
// (so a label may be wider than w when names differ only deep inside). It
// returns the labels' width too.
func Names(names []string, w int) (labels []string, width int) {
	longest := 0
	for _, n := range names {
		longest = max(longest, Width(n))
	}
	labels = make([]string, len(names))
	for w = max(min(w, longest), 1); ; w++ {
		seen := make(map[string]string, len(names))
		clash := false
		for i, n := range names {
			labels[i] = Cut(n, w)
			if other, ok := seen[labels[i]]; ok && other != n {
				clash = true
			}
			seen[labels[i]] = n
		}
		if !clash || w >= longest {
			width = 0
			for _, l := range labels {
				width = max(width, Width(l))
			}
			return labels, width
		}
	}
}

// IsControlOrFormat reports whether r must not reach the terminal as it
// is: a control character (Cc), an invisible format character such as a
// soft hyphen, a zero-width space or a bidirectional override (Cf), a line
// or paragraph separator (Zl, Zp), a private-use code point (Co) or a
// surrogate (Cs). Raw, they move the cursor, reorder or hide text, so a
// name holding one corrupts the live view or passes for another name.
func IsControlOrFormat(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Cs)
}

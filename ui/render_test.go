package ui

import (
	"strings"
	"testing"
)

func TestPenOfNegativeSizeIsClamped(t *testing.T) {
	k := compileInk()
	for _, size := range [][2]int{{10, -3}, {-20, 2}, {-1, -1}, {0, 0}} {
		p := newPen(k, size[0], size[1])
		p.title("Lock", "fifo")
		p.put(k.muted, "held by")
		p.nl()
		w, h := max(size[0], 0), max(size[1], 0)
		want := strings.TrimSuffix(strings.Repeat(spaces(w)+"\n", h), "\n")
		if got := p.String(); got != want {
			t.Errorf("pen %v wrote %q, want %d lines of %d columns", size, got, h, w)
		}
	}
}

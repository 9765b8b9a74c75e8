package recording

import (
	"bufio"
	"compress/lzw"
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/vt"
)

// GIF draws frames as an animated GIF. Each frame's output goes through a
// terminal emulator, and the emulator's cells are drawn in Go Mono in the
// theme's colours, so the GIF shows what a terminal shows. A frame that
// changes nothing is skipped (the one before it shows longer); one that
// does is drawn as the rectangle of the cells that changed. Frames are
// written as they come, so a long recording holds one frame in memory.
type GIF struct {
	w          *bufio.Writer
	cols, rows int // the canvas, in cells
	emu        *vt.Emulator
	screen     differ
	cells      []cell // what each cell of the canvas shows
	glyphs     *glyphs
	pal        palette
	fg, bg     color.RGBA // the terminal's default colours
	pending    *image.Paletted
	pendingAt  time.Duration
	lastAt     time.Duration // the newest frame's time, changed or not
	started    bool
	err        error
}

// cell is what a cell of the canvas shows.
type cell struct {
	content string
	width   int
	fg, bg  color.RGBA
	bold    bool
}

// The default colours of the terminal a GIF draws, for a dark and a light
// background: the halves of lockviz's adaptive colours read on them.
var (
	darkFg, darkBg   = color.RGBA{0xE5, 0xE7, 0xEB, 0xFF}, color.RGBA{0x11, 0x13, 0x18, 0xFF}
	lightFg, lightBg = color.RGBA{0x1F, 0x29, 0x37, 0xFF}, color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// endHold is how long the last frame shows before the GIF loops, so that
// the lesson's end can be read.
const endHold = 3 * time.Second

// NewGIF returns a GIF of a cols×rows canvas, the largest window of the
// recording, written to w, for a dark background or a light one.
func NewGIF(w io.Writer, cols, rows int, dark bool) *GIF {
	g := &GIF{w: bufio.NewWriter(w), cols: cols, rows: rows, glyphs: newGlyphs(), pal: newPalette()}
	g.fg, g.bg = lightFg, lightBg
	if dark {
		g.fg, g.bg = darkFg, darkBg
	}
	g.cells = make([]cell, cols*rows)
	return g
}

// Frame adds the screen view, w×h, drawn at time at of the recording.
func (g *GIF) Frame(at time.Duration, w, h int, view string) {
	if g.err != nil {
		return
	}
	if g.emu == nil {
		g.emu = vt.NewEmulator(w, h)
	}
	g.lastAt = at
	out, resized := g.screen.next(w, h, view)
	if resized {
		g.emu.Resize(w, h)
	}
	if out == "" {
		return
	}
	g.emu.WriteString(out)
	x0, y0, x1, y1 := g.cols, g.rows, -1, -1
	for y := range g.rows {
		for x := range g.cols {
			c := g.cellAt(x, y, w, h)
			if i := y*g.cols + x; c != g.cells[i] {
				g.cells[i] = c
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return
	}
	// A wide character's second cell is drawn with its first.
	for x0 > 0 && g.cells[y0*g.cols+x0].width == 0 {
		x0--
	}
	g.emit(at, g.draw(x0, y0, x1+1, y1+1))
}

// cellAt returns the cell at (x, y) of the emulator's w×h screen, blank
// past its edges.
func (g *GIF) cellAt(x, y, w, h int) cell {
	blank := cell{content: " ", width: 1, fg: g.fg, bg: g.bg}
	if x >= w || y >= h {
		return blank
	}
	c := g.emu.CellAt(x, y)
	if c == nil {
		return blank
	}
	out := cell{content: c.Content, width: c.Width, fg: g.fg, bg: g.bg, bold: c.Style.Attrs&1 != 0}
	if c.Style.Fg != nil {
		out.fg = rgba(c.Style.Fg)
	}
	if c.Style.Bg != nil {
		out.bg = rgba(c.Style.Bg)
	}
	if out.content == "" && out.width != 0 {
		out.content = " "
	}
	return out
}

// draw returns the image of the cells in [x0, x1) × [y0, y1).
func (g *GIF) draw(x0, y0, x1, y1 int) *image.Paletted {
	cw, ch := g.glyphs.w, g.glyphs.h
	img := image.NewPaletted(image.Rect(x0*cw, y0*ch, x1*cw, y1*ch), nil)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			c := g.cells[y*g.cols+x]
			if c.width == 0 {
				continue
			}
			shades := g.pal.shades(c.fg, c.bg)
			mask := g.glyphs.mask(c.content, c.bold, c.width)
			mw := cw * c.width
			for py := range ch {
				row := img.Pix[(y*ch+py-img.Rect.Min.Y)*img.Stride:]
				for px := 0; px < mw && x*cw+px < img.Rect.Max.X; px++ {
					row[x*cw+px-img.Rect.Min.X] = shades[mask[py*mw+px]]
				}
			}
		}
	}
	return img
}

// emit queues img, drawn at at, and writes the frame before it, whose delay
// it gives.
func (g *GIF) emit(at time.Duration, img *image.Paletted) {
	if g.pending != nil {
		g.writeFrame(g.pending, centis(at)-centis(g.pendingAt))
	}
	g.pending, g.pendingAt = img, at
}

// centis returns at in hundredths of a second, GIF's unit of delay,
// rounded, so that delays add up to the recording's times.
func centis(at time.Duration) int { return int((at + 5*time.Millisecond) / (10 * time.Millisecond)) }

// Close writes the last frame and the end of the GIF.
func (g *GIF) Close() error {
	if g.pending != nil {
		// The last change shows to the recording's end, then a while longer.
		g.writeFrame(g.pending, centis(g.lastAt)-centis(g.pendingAt)+centis(endHold))
		g.pending = nil
	}
	if g.err == nil && !g.started {
		g.writeHeader()
	}
	g.write([]byte{0x3B})
	if g.err != nil {
		return g.err
	}
	return g.w.Flush()
}

// Text returns what the emulator's screen shows, a line per row, the
// content of each cell: the GIF's last frame as text.
func (g *GIF) Text() string {
	var b strings.Builder
	for y := range g.rows {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := range g.cols {
			b.WriteString(g.cells[y*g.cols+x].content)
		}
	}
	return b.String()
}

func (g *GIF) write(p []byte) {
	if g.err == nil {
		_, g.err = g.w.Write(p)
	}
}

// writeHeader writes the GIF's header: the canvas, no global colour table
// (each frame has its own), and the loop forever of NETSCAPE2.0.
func (g *GIF) writeHeader() {
	g.started = true
	var b []byte
	b = append(b, "GIF89a"...)
	b = binary.LittleEndian.AppendUint16(b, uint16(g.cols*g.glyphs.w))
	b = binary.LittleEndian.AppendUint16(b, uint16(g.rows*g.glyphs.h))
	b = append(b, 0, 0, 0)
	b = append(b, 0x21, 0xFF, 0x0B)
	b = append(b, "NETSCAPE2.0"...)
	b = append(b, 0x03, 0x01, 0x00, 0x00, 0x00)
	g.write(b)
}

// writeFrame writes img, shown for delay hundredths of a second over the
// frames before it (disposal: leave in place).
func (g *GIF) writeFrame(img *image.Paletted, delay int) {
	if !g.started {
		g.writeHeader()
	}
	pal := g.pal.colors
	bits := 1
	for 1<<bits < len(pal) {
		bits++
	}
	r := img.Rect
	var b []byte
	b = append(b, 0x21, 0xF9, 0x04, 1<<2)
	b = binary.LittleEndian.AppendUint16(b, uint16(max(delay, 2)))
	b = append(b, 0, 0)
	b = append(b, 0x2C)
	for _, v := range []int{r.Min.X, r.Min.Y, r.Dx(), r.Dy()} {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	b = append(b, 0x80|byte(bits-1))
	for i := range 1 << bits {
		c := color.RGBA{}
		if i < len(pal) {
			c = rgba(pal[i])
		}
		b = append(b, c.R, c.G, c.B)
	}
	litWidth := max(bits, 2)
	b = append(b, byte(litWidth))
	g.write(b)
	bw := &blockWriter{g: g}
	lw := lzw.NewWriter(bw, lzw.LSB, litWidth)
	if _, err := lw.Write(img.Pix); err != nil && g.err == nil {
		g.err = err
	}
	lw.Close()
	bw.flush()
	g.write([]byte{0})
}

// blockWriter cuts the LZW stream into GIF's data sub-blocks of at most
// 255 bytes, each after its length.
type blockWriter struct {
	g   *GIF
	buf [256]byte
	n   int
}

func (w *blockWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		w.n++
		w.buf[w.n] = c
		if w.n == 255 {
			w.flush()
		}
	}
	return len(p), w.g.err
}

func (w *blockWriter) flush() {
	if w.n == 0 {
		return
	}
	w.buf[0] = byte(w.n)
	w.g.write(w.buf[:w.n+1])
	w.n = 0
}

// rgba converts a colour to 8-bit RGBA.
func rgba(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xFF}
}

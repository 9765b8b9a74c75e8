package recording

import (
	"image/color"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fontSize is Go Mono's size in pixels: 9×17 pixel cells, so that a 100×30
// window is a 900×510 GIF.
const fontSize = 14.5

// levels are the shades a cell's pixel can take between its background (0)
// and its foreground (levels-1): enough for smooth glyph edges and for the
// shade blocks ░ ▒ ▓, few enough that a frame's colours fit a GIF's 256.
const levels = 5

// glyphs draws characters into cell-sized masks of shade levels, once each.
type glyphs struct {
	w, h   int // a cell, in pixels
	ascent int
	faces  [2]font.Face // regular, bold
	cache  map[glyphKey][]uint8
}

type glyphKey struct {
	content string
	bold    bool
	width   int
}

func newGlyphs() *glyphs {
	g := &glyphs{cache: map[glyphKey][]uint8{}}
	for i, ttf := range [][]byte{gomono.TTF, gomonobold.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			panic("recording: Go Mono does not parse: " + err.Error()) // embedded: never
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: fontSize, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			panic("recording: Go Mono has no face: " + err.Error()) // valid options: never
		}
		g.faces[i] = face
	}
	m := g.faces[0].Metrics()
	adv, _ := g.faces[0].GlyphAdvance('0')
	g.w, g.h, g.ascent = adv.Ceil(), m.Height.Ceil(), m.Ascent.Ceil()
	return g
}

// mask returns the shade levels of content drawn in width cells, a row of
// width × w pixels after another, h rows.
func (g *glyphs) mask(content string, bold bool, width int) []uint8 {
	k := glyphKey{content, bold, width}
	if m, ok := g.cache[k]; ok {
		return m
	}
	mw := g.w * width
	m := make([]uint8, mw*g.h)
	r, _ := utf8.DecodeRuneInString(content)
	if !g.block(m, mw, r) && r != ' ' {
		face := g.faces[0]
		if bold {
			face = g.faces[1]
		}
		dr, src, sp, _, ok := face.Glyph(fixed.P(0, g.ascent), r)
		if ok {
			for y := max(dr.Min.Y, 0); y < min(dr.Max.Y, g.h); y++ {
				for x := max(dr.Min.X, 0); x < min(dr.Max.X, mw); x++ {
					_, _, _, a := src.At(sp.X+x-dr.Min.X, sp.Y+y-dr.Min.Y).RGBA()
					m[y*mw+x] = uint8((a*(levels-1) + 0x7FFF) / 0xFFFF)
				}
			}
		}
	}
	g.cache[k] = m
	return m
}

// block draws the block elements lockviz's bars and lanes are made of as
// exact rectangles, so that neighbouring cells join without a seam, and
// reports whether r is one.
func (g *glyphs) block(m []uint8, mw int, r rune) bool {
	fill := func(x0, y0, x1, y1 int, level uint8) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m[y*mw+x] = level
			}
		}
	}
	w, h, full := mw, g.h, uint8(levels-1)
	switch {
	case r == '█':
		fill(0, 0, w, h, full)
	case r == '░', r == '▒', r == '▓':
		fill(0, 0, w, h, uint8(r-'░'+1))
	case r == '▀':
		fill(0, 0, w, h/2, full)
	case r >= '▁' && r <= '▇': // lower eighths
		fill(0, h-h*int(r-'▁'+1)/8, w, h, full)
	case r >= '▉' && r <= '▏': // left eighths, seven down to one
		fill(0, 0, w*int('▏'-r+1)/8, h, full)
	case r == '▐':
		fill(w/2, 0, w, h, full)
	case r == '▕':
		fill(w-max(w/8, 1), 0, w, h, full)
	case r == '▔':
		fill(0, 0, w, max(h/8, 1), full)
	case r == '─':
		fill(0, h/2, w, h/2+1, full)
	case r == '│':
		fill(w/2, 0, w/2+1, h, full)
	default:
		return false
	}
	return true
}

// palette is a GIF's colours, shared by its frames: the colours cells use
// and the shades between each foreground and background in use, at most
// 256; past that a colour takes the nearest one there is.
type palette struct {
	colors color.Palette
	index  map[color.RGBA]uint8
	pairs  map[[2]color.RGBA][levels]uint8
}

func newPalette() palette {
	return palette{index: map[color.RGBA]uint8{}, pairs: map[[2]color.RGBA][levels]uint8{}}
}

// shades returns the palette's indices of the levels from bg to fg.
func (p *palette) shades(fg, bg color.RGBA) [levels]uint8 {
	if s, ok := p.pairs[[2]color.RGBA{fg, bg}]; ok {
		return s
	}
	var s [levels]uint8
	for i := range levels {
		mix := func(a, b uint8) uint8 { return uint8((int(a)*(levels-1-i) + int(b)*i) / (levels - 1)) }
		s[i] = p.of(color.RGBA{mix(bg.R, fg.R), mix(bg.G, fg.G), mix(bg.B, fg.B), 0xFF})
	}
	p.pairs[[2]color.RGBA{fg, bg}] = s
	return s
}

// of returns the index of c, adding it while there is room.
func (p *palette) of(c color.RGBA) uint8 {
	if i, ok := p.index[c]; ok {
		return i
	}
	if len(p.colors) < 256 {
		p.colors = append(p.colors, c)
	}
	i := uint8(p.colors.Index(c))
	p.index[c] = i
	return i
}

package ui

import (
	"lockviz/sim"
	"lockviz/sim/timeline"
)

// panel is what every panel has: where it sits on the screen, the scene it
// draws, the ink it draws with and the buffers it draws into.
type panel struct {
	rect
	sc  *scene
	k   *ink
	buf *scratch
}

// panel returns the panel at r of the model's screen.
func (m *Model) panel(r rect) panel { return panel{rect: r, sc: m.sc, k: m.ink, buf: m.buf} }

// scratch holds what drawing reuses from frame to frame, kept apart from
// the scene, which holds what the engine said: the buffers the panels fill,
// and the last frame drawn.
type scratch struct {
	cells []timeline.Cell
	locks []int32
	queue []int32
	code  map[*sim.Program][][]token // programs' highlighted lines, lexed once
	view  string                     // the last frame drawn, valid while ok
	ok    bool
}

package ui

import (
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"lockviz/sim"
)

// headerPanel is the top line: program, scenario, policy with its
// real-world counterpart, virtual clock, speed and run state.
type headerPanel struct {
	panel
	st *Styles
}

// stranded reports whether a run that has nothing left to do still has
// tasks waiting: they wait for a lock that a task ended holding, forever.
func stranded(s *sim.Snapshot) bool {
	if len(s.Leaks) == 0 {
		return false
	}
	for i := range s.Tasks {
		if s.Tasks[i].Phase == sim.Waiting {
			return true
		}
	}
	return false
}

// forkWords is the header's note when the run resumes from its past.
const forkWords = "resumed here: the old future is dropped"

// View draws the header.
func (h headerPanel) View() string {
	st, sc := h.st, h.sc
	snap := &sc.snap
	// One width for every state, so the clock does not jump on pause.
	status := st.Running.Render("▶ running ")
	switch {
	case snap.Stalled:
		status = st.TooSmall.Render("✖ stalled ")
	case snap.Deadlock != nil && (sc.paused || sc.finished()):
		status = st.TooSmall.Render("✖ deadlock")
	case sc.finished() && stranded(snap):
		status = st.TooSmall.Render("✖ leaked  ")
	case sc.finished():
		status = st.Finished.Render("■ finished")
	case sc.paused:
		status = st.Paused.Render("‖ paused  ")
	}
	sep := st.Label.Render(" · ")
	speed := st.Value.Render(fmtSpeed(sc.speed))
	if sc.reached > 0 {
		// The machine cannot keep up: say how fast the clock really goes.
		speed += st.Label.Render(" (" + fmtSpeed(sc.reached) + " reached)")
	}
	clock := st.Label.Render("t ") + st.Value.Render(fmtClock(snap.Now))
	if sc.inPast {
		clock = st.Label.Render("⏪ ") + st.Value.Render(fmtClock(snap.Now)) + st.Label.Render(" of "+fmtClock(sc.headNow))
	}
	right := clock + "  " + st.Label.Render("speed ") + speed + "  " + status
	policy := st.Header.Render(policyLabel(snap.Policy, snap.Permits))
	left := st.Brand.Render("lockviz") + sep
	if sc.scenario != "" && lipgloss.Width(left+right+policy)+width(sc.scenario)+4 <= h.w {
		left += st.Header.Render(sc.scenario) + sep
	}
	left += policy
	if sc.forked && lipgloss.Width(left+right)+len(forkWords)+3 <= h.w {
		left += sep + st.Paused.Render(forkWords)
	}
	gap := h.w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		p := newPen(h.k, h.w, 1)
		p.put("", ansi.Strip(left+" "+right)) // too long to style: cut plain
		return p.String()
	}
	return left + spaces(gap) + right
}

// View draws the whole screen, exactly the window's size. Bubble Tea asks
// for it after every message; a frame is drawn once and kept until the
// scene, the layout or the selection changes.
func (m Model) View() string {
	if !m.sized {
		return ""
	}
	if b := m.buf; !b.ok {
		b.view, b.ok = m.draw(), true
	}
	return m.buf.view
}

// draw draws the screen.
func (m Model) draw() string {
	switch {
	case m.lay.small:
		return m.tooSmall()
	case m.lay.helpOnly:
		return m.helpScreen()
	}
	var c canvas
	c.init(m.width, m.height)
	l := &m.lay
	c.place(l.header, fitBlock(m.header.View(), m.width))
	if l.caption.h > 0 {
		c.place(l.caption, m.captionView())
	}
	c.place(l.lock, m.lock.View())
	c.place(l.shared, m.shared.View())
	c.place(l.stats, m.stats.View())
	c.place(l.tasks, m.tasks.View())
	c.place(l.time, m.timeline.View())
	if l.events.h > 0 {
		c.place(l.events, m.events.View())
	}
	if l.code.w > 0 {
		c.place(l.code, m.code.View())
	}
	for _, s := range l.seps {
		c.place(s, strings.TrimSuffix(strings.Repeat(m.ink.rule+"│"+m.ink.reset+"\n", s.h), "\n"))
	}
	c.place(l.footer, fitBlock(m.footer(), m.width))
	return c.String()
}

// tooSmall says the window is below the minimum size, centred, each line
// cut to the width and the lines past the height dropped, so that even a
// 0×0 window gets exactly its size.
func (m Model) tooSmall() string {
	return tooSmallView(m.styles, m.width, m.height, MinWidth, MinHeight)
}

// tooSmallView asks a w×h window for needW×needH.
func tooSmallView(st *Styles, w, h, needW, needH int) string {
	lines := []string{
		st.TooSmall.Render("terminal too small"),
		st.Label.Render("need " + strconv.Itoa(needW) + "×" + strconv.Itoa(needH) +
			", have " + strconv.Itoa(w) + "×" + strconv.Itoa(h)),
	}
	w, h = max(w, 0), max(h, 0)
	if h == 0 {
		return ""
	}
	lines = lines[:min(len(lines), h)]
	for i, line := range lines {
		lines[i] = ansi.Truncate(line, w, "…")
	}
	msg := lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
	// Place leaves lines short when the longest already fills the width.
	return fitBlock(msg, w)
}

// helpScreen is the full help alone, when the window is too short for it
// beside the panels: the header, then the keys.
func (m Model) helpScreen() string {
	return helpScreenView(m.styles, m.help, m.keys, m.width, m.height)
}

// helpScreenView is the full help of keys alone in a w×height window.
func helpScreenView(st *Styles, h help.Model, keys KeyMap, w, height int) string {
	var c canvas
	c.init(w, height)
	c.place(rect{0, 0, w, 1}, fitBlock(st.Brand.Render("lockviz")+st.Label.Render(" · keys · ? closes"), w))
	h.Width = 0 // uncut, to see whether it fits
	groups := keys.FullHelp()
	all := h.FullHelpView(groups)
	if lipgloss.Width(all) > w {
		// Narrow: the settings' column goes below the others.
		all = h.FullHelpView(groups[:len(groups)-1]) + "\n\n" + h.FullHelpView(groups[len(groups)-1:])
	}
	c.place(rect{0, 2, w, height - 2}, fitBlock(all, w))
	return c.String()
}

// footer is the help, short or full; "" when the session hides the short
// help (a recording that needs no keys on screen).
func (m Model) footer() string {
	switch {
	case m.seeking:
		return m.seek.View()
	case m.seekErr != "":
		return m.styles.TooSmall.Render(m.seekErr)
	}
	if m.opts.NoHelp && !m.help.ShowAll {
		return ""
	}
	return m.help.View(m.keys)
}

// fitBlock pads or cuts every line of s to exactly w columns.
func fitBlock(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		switch n := lipgloss.Width(line); {
		case n < w:
			lines[i] = line + spaces(w-n)
		case n > w:
			lines[i] = ansi.Truncate(line, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// canvas assembles the panels' blocks into the screen's lines.
type canvas struct {
	w, h int
	rows [][]piece
}

// piece is one line of a panel at column x.
type piece struct {
	x, w int
	s    string
}

func (c *canvas) init(w, h int) {
	c.w, c.h = w, h
	c.rows = make([][]piece, h)
}

// place puts block s, one line per row, into r; lines past r's height are
// dropped.
func (c *canvas) place(r rect, s string) {
	for i, line := range strings.Split(s, "\n") {
		if i >= r.h || r.y+i >= c.h {
			return
		}
		c.rows[r.y+i] = append(c.rows[r.y+i], piece{x: r.x, w: r.w, s: line})
	}
}

// String joins the rows, padding the gaps with spaces and every line to
// the full width.
func (c *canvas) String() string {
	var b strings.Builder
	b.Grow(c.w * c.h * 2)
	for y, row := range c.rows {
		if len(row) > 1 {
			sort.Slice(row, func(i, j int) bool { return row[i].x < row[j].x })
		}
		x := 0
		for _, p := range row {
			if p.x < x {
				continue // overlaps the piece before: never in a sound layout
			}
			if p.x > x {
				b.WriteString(spaces(p.x - x))
				x = p.x
			}
			b.WriteString(p.s)
			x += p.w
		}
		if x < c.w {
			b.WriteString(spaces(c.w - x))
		}
		if y < c.h-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

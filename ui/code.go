package ui

import (
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"

	"lockviz/assets"
	"lockviz/sim"
)

// codePanel shows the selected task's code, highlighted as Python, with the
// line the task is on marked ▶ and what it does there, and the other tasks
// running the same code as dots in their colours beside their lines: three
// tasks waiting at an `async with` are three dots on its line.
type codePanel struct {
	panel
	sel int32 // the selected task, -1 for none
}

// The token classes the panel colours.
type tokenClass uint8

const (
	tokText tokenClass = iota
	tokKeyword
	tokBuiltin // asyncio, random, range, list: the names the subset calls
	tokNumber
	tokString
	tokComment
	numTokenClasses
)

// token is one run of a line in one class.
type token struct {
	class tokenClass
	text  string
}

// highlight splits source into lines of classed tokens with chroma's Python
// lexer; tabs become four spaces, so that widths are the terminal's.
func highlight(source string) [][]token {
	lines := [][]token{nil}
	add := func(c tokenClass, s string) {
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				lines = append(lines, nil)
			}
			if part != "" {
				last := &lines[len(lines)-1]
				*last = append(*last, token{c, strings.ReplaceAll(part, "\t", "    ")})
			}
		}
	}
	it, err := pythonLexer().Tokenise(nil, source)
	if err != nil {
		// Tokenise fails only on bad options: show the code plain.
		add(tokText, source)
		return lines
	}
	for t := it(); t != chroma.EOF; t = it() {
		add(classOf(t.Type), t.Value)
	}
	if n := len(lines); n > 1 && lines[n-1] == nil {
		lines = lines[:n-1] // the lexer ends the code with a newline
	}
	return lines
}

// pythonLexer is chroma's Python lexer, built from its definition the first
// time code is shown.
var pythonLexer = sync.OnceValue(func() chroma.Lexer {
	return chroma.MustNewXMLLexer(assets.Chroma, "chroma/python.xml")
})

func classOf(t chroma.TokenType) tokenClass {
	switch {
	case t.InCategory(chroma.Keyword), t == chroma.OperatorWord:
		return tokKeyword
	case t.InSubCategory(chroma.LiteralNumber):
		return tokNumber
	case t.InSubCategory(chroma.LiteralString):
		return tokString
	case t.InCategory(chroma.Comment):
		return tokComment
	case t.InSubCategory(chroma.NameBuiltin), t == chroma.NameNamespace:
		return tokBuiltin
	}
	return tokText
}

// lines returns the program's highlighted lines, lexed once a program.
func (c codePanel) lines(p *sim.Program) [][]token {
	b := c.buf
	if b.code == nil {
		b.code = map[*sim.Program][][]token{}
	}
	ls, ok := b.code[p]
	if !ok {
		ls = highlight(p.Source)
		b.code[p] = ls
	}
	return ls
}

// shown returns the task whose code the panel shows: the selected one, or
// else the first.
func (c codePanel) shown() (sim.TaskView, bool) {
	ts := c.sc.snap.Tasks
	switch {
	case c.sel >= 0 && int(c.sel) < len(ts):
		return ts[c.sel], true
	case len(ts) > 0:
		return ts[0], true
	}
	return sim.TaskView{}, false
}

// maxDots is the most dots a line's gutter shows; more are counted.
const maxDots = 3

// View draws the panel.
func (c codePanel) View() string {
	k := c.k
	p := newPen(k, c.w, c.h)
	t, ok := c.shown()
	if !ok || t.Code == nil {
		p.title("Code", "")
		p.put(k.muted, "no task")
		return p.String()
	}
	lines := c.lines(t.Code)
	note := t.Spec.Name
	if w := c.doing(t); w != "" {
		note += " · " + w
	}
	p.title("Code", note)
	// The other tasks on the same code, by line.
	others := map[int32][]int32{}
	for i := range c.sc.snap.Tasks {
		o := &c.sc.snap.Tasks[i]
		if o.ID != t.ID && o.Phase.Active() && o.Phase != sim.Starting && o.Code != nil &&
			(o.Code == t.Code || o.Code.Source == t.Code.Source) {
			others[o.Line] = append(others[o.Line], o.ID)
		}
	}
	numW := len(strconv.Itoa(len(lines)))
	on := t.Line
	if !t.Phase.Active() && !t.Raised {
		on = 0 // done: on no line
	}
	// Scroll so that the current line shows, a third of the way down.
	rows := c.h - 1
	first := 0
	if int(on) > rows {
		first = min(int(on)-1-rows/3, len(lines)-rows)
	}
	for i := first; i < len(lines) && !p.full(); i++ {
		n := int32(i + 1)
		here := n == on
		dots := others[n]
		num := strconv.Itoa(int(n))
		numSeq := k.muted
		if here {
			numSeq = k.bold
		}
		p.putr(numSeq, num, numW)
		p.sp(1)
		if here {
			p.put(k.taskBold[taskInk(t.ID)], "▶")
		} else {
			p.sp(1)
		}
		c.dots(p, dots)
		p.sp(1)
		for _, tok := range lines[i] {
			p.put(k.code[tok.class], tok.text)
		}
		p.nl()
	}
	if t.Spec.Code == nil && c.h-1-(len(lines)-first) >= 2 {
		p.nl()
		p.put(k.muted, "the Python "+t.Spec.Name+"'s fields stand for")
		p.nl()
	}
	return p.String()
}

// dots writes up to maxDots dots in the colours of the tasks on a line, or
// a count when there are more, in a gutter of maxDots columns.
func (c codePanel) dots(p *pen, ids []int32) {
	k := c.k
	if len(ids) > maxDots {
		p.putr(k.muted, "+"+strconv.Itoa(len(ids)), maxDots)
		return
	}
	for _, id := range ids {
		p.put(k.task[taskInk(id)], "●")
	}
	p.sp(maxDots - len(ids))
}

// doing says what the task does on its line.
func (c codePanel) doing(t sim.TaskView) string {
	switch t.Phase {
	case sim.Waiting:
		if name := c.lockName(t.WaitingOn); name != "" {
			return "waiting for " + name
		}
		return "waiting"
	case sim.Holding:
		var held []string
		for l := range c.sc.snap.Locks {
			if l < 64 && t.Holds&(1<<l) != 0 {
				held = append(held, c.lockName(int32(l)))
			}
		}
		return "holding " + strings.Join(held, ", ")
	case sim.Thinking:
		return "sleeping"
	case sim.Gone:
		return "cancelled"
	}
	if t.Raised {
		return "raised"
	}
	return ""
}

func (c codePanel) lockName(l int32) string {
	if ls := c.sc.snap.Locks; l >= 0 && int(l) < len(ls) {
		return ls[l].Name
	}
	return ""
}

// Package scenario reads lockviz's scenario language. For now it holds
// the compiler of a task's code to the program the engine interprets
// (sim.Program). The code is the body of the task's coroutine in a small
// subset of Python that is itself Python, so a scenario reads as the
// asyncio program it simulates. The subset, with L a declared lock, X and
// T number expressions, N an integer literal:
//
//	pass
//	await asyncio.sleep(X)
//	await L.acquire()
//	await asyncio.wait_for(L.acquire(), T)   # or timeout=T
//	L.release()
//	async with L:
//	for NAME in range(N):                    # NAME may not be used
//	while True:
//	try:                                     # then except, finally or both
//	except asyncio.TimeoutError:             # or except TimeoutError:
//	finally:
//	if A < B:                                # or A > B; then elif, else
//	break                                    # and continue, in a loop
//	raise RuntimeError("message")            # or RuntimeError(), RuntimeError
//	shared.append(X)
//	NAME = X
//	NAME = list(shared)                      # a snapshot of the shared list
//	shared[:] = NAME + [X]                   # NAME a snapshot
//
// A number expression is a literal (never negative), a variable holding a
// number, random.random(), or random.randint(A, B), random.uniform(A, B)
// or random.expovariate(R) with literal arguments. A block starts on the
// line after its header; a statement fits on one line.
package scenario

import (
	"fmt"
	"slices"
	"strings"

	"lockviz/sim"
)

// subsetHint ends the message for a statement outside the subset.
const subsetHint = "see the README: sleep, acquire/release, async with, for, while, try, if, raise, shared"

// Nesting limits, so that every program accepted is one CPython 3.11
// compiles once wrapped in `async def task():`.
const (
	// maxDepth is how deep statements nest: CPython's tokenizer allows
	// 100 levels of indentation (MAXINDENT), the first of which is the
	// module's and the second the coroutine's. An elif nests one level
	// deeper than its if, as in Python's syntax tree, which CPython's
	// compiler gives up on somewhere past a thousand levels: a long elif
	// chain must end too.
	maxDepth = 98
	// maxBlocks is CPython's CO_MAXBLOCKS: at most 20 loops, async with
	// and try blocks inside one another, counted as its compiler counts
	// them (see checkBlocks).
	maxBlocks = 20
)

// ParseCode compiles a task's code, the body of its coroutine, written in
// lockviz's subset of Python. locks are the lock names the code may use
// (declared in the scenario's [locks] table, or just "lock"). file and
// line0 (the file line of the code's first line) place errors.
//
// The code is dedented first, so it may be indented as a whole; its
// statements then start at indentation 0, and each suite (the block of a
// for, while, async with, try, except, finally, if, elif or else) starts
// on the line after its header, indented with spaces. A statement fits on
// one line. Errors are one line, "file:line: message", or "file: message"
// for a lock name the code could not use (not an identifier, a keyword, a
// name the subset uses, declared twice), which has no line in the code.
func ParseCode(file string, line0 int, code string, locks []string) (*sim.Program, error) {
	if err := checkLocks(locks); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	lines, kinds := dedent(code)
	p := &parser{
		file:     file,
		line0:    line0,
		lines:    lines,
		kinds:    kinds,
		locks:    locks,
		vars:     map[string]*variable{},
		loopVars: map[string]int{},
	}
	body, err := p.block(0)
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, p.errorf(1, "the code has no statement (pass is one)")
	}
	if err := p.checkBlocks(body, 0); err != nil {
		return nil, err
	}
	return &sim.Program{
		Body:   body,
		Source: strings.Join(lines, "\n"),
		Vars:   len(p.vars),
		Locks:  slices.Clone(locks),
	}, nil
}

// parser compiles the lines of one code, reading them one at a time so
// that the first error reported is the first in the code.
type parser struct {
	file     string
	line0    int
	lines    []string // dedented
	kinds    []lineKind
	next     int   // index in lines of the next line to read
	peeked   *line // the next statement's line, once read
	locks    []string
	vars     map[string]*variable
	loopVars map[string]int // a for's variable → the code line of its first for
	loops    int            // loops around the statement being parsed
	depth    int            // statements around it, an elif counting as one
}

// variable is a local variable: a number, or a snapshot of the shared
// list (list(shared)), never both, as only then is every use valid Python.
type variable struct {
	slot int32
	list bool
	line int // the code line of its first assignment
}

// errorf places a message on code line n.
func (p *parser) errorf(n int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.file, p.fileLine(n), fmt.Sprintf(format, args...))
}

// fileLine is the file's line of code line n.
func (p *parser) fileLine(n int) int { return p.line0 + n - 1 }

// peek returns the next statement's line, nil at the end of the code.
// Comment lines are only checked for the characters they may not hold.
func (p *parser) peek() (*line, error) {
	for p.peeked == nil && p.next < len(p.lines) {
		n, text := p.next+1, p.lines[p.next]
		switch p.kinds[p.next] {
		case codeLine:
			l, err := lexLine(n, text)
			if err != nil {
				return nil, p.errorf(n, "%v", err)
			}
			p.peeked = l
		case commentLine:
			if err := checkChars(text); err != nil {
				return nil, p.errorf(n, "%v", err)
			}
		}
		p.next++
	}
	return p.peeked, nil
}

// block parses the statements indented by indent, up to the first line
// indented less.
func (p *parser) block(indent int) ([]sim.Stmt, error) {
	var body []sim.Stmt
	for {
		l, err := p.peek()
		if err != nil {
			return nil, err
		}
		if l == nil || l.indent < indent {
			return body, nil
		}
		if l.indent > indent {
			if len(body) > 0 && isCompound(body[len(body)-1].Kind) {
				return nil, p.errorf(l.n, "inconsistent indentation: the line's indentation matches no enclosing block")
			}
			return nil, p.errorf(l.n, "inconsistent indentation: unexpected indent")
		}
		p.peeked = nil
		s, err := p.stmt(l)
		if err != nil {
			return nil, err
		}
		body = append(body, s)
	}
}

// isCompound tells the statements that hold a block.
func isCompound(k sim.StmtKind) bool {
	return k == sim.SWith || k == sim.SFor || k == sim.SWhile || k == sim.STry || k == sim.SIf
}

// suite parses the block of the compound statement whose header is l,
// which starts on the next line, indented deeper.
func (p *parser) suite(l *line) ([]sim.Stmt, error) {
	next, err := p.peek()
	if err != nil {
		return nil, err
	}
	if next == nil || next.indent <= l.indent {
		return nil, p.errorf(l.n, "%s needs an indented block on the lines after it", quote(l.source()))
	}
	if p.depth+1 > maxDepth {
		return nil, p.errorf(next.n, "nested too deep: at most %d levels (an elif counts as one more)", maxDepth)
	}
	p.depth++
	body, err := p.block(next.indent)
	p.depth--
	return body, err
}

// header checks that a compound statement's header ends with its colon.
func (p *parser) header(c *cursor) error {
	if !c.op(":") {
		return p.notInSubset(c.l)
	}
	if !c.done() {
		t := c.l.toks[c.i-1]
		return p.errorf(c.l.n, "put the block of %s on the lines after it, indented: lockviz's subset of Python has no one-line blocks",
			quote(c.l.text[c.l.toks[0].pos:t.pos+1]))
	}
	return nil
}

// end checks that nothing follows a simple statement's last token.
func (p *parser) end(c *cursor) error {
	if !c.done() {
		return p.notInSubset(c.l)
	}
	return nil
}

// notInSubset is the error for a statement the subset does not have.
func (p *parser) notInSubset(l *line) error {
	return p.errorf(l.n, "%s is not in lockviz's subset of Python (%s)", quote(l.source()), subsetHint)
}

// quote quotes s for a message, cut to a readable length.
func quote(s string) string {
	const maxRunes = 60
	if r := []rune(s); len(r) > maxRunes {
		s = string(r[:maxRunes-1]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// checkBlocks refuses statements nested in more than maxBlocks blocks as
// CPython 3.11's compiler counts them (its fblock stack): a loop, an async
// with, a try's body and its finally one each, an except two (the handler
// and its cleanup), and a try's body and handler one more when the try
// also has a finally. An if counts none. It runs on the whole program, as
// a try's body counts differently once its clauses are known.
func (p *parser) checkBlocks(body []sim.Stmt, n int) error {
	in := func(s *sim.Stmt, body []sim.Stmt, n int) error {
		if n > maxBlocks {
			return p.errorf(int(s.Line), "too many nested blocks: CPython allows %d loops, async with, try and except blocks inside one another (as its compiler counts them)", maxBlocks)
		}
		return p.checkBlocks(body, n)
	}
	for i := range body {
		s := &body[i]
		var err error
		switch s.Kind {
		case sim.SFor, sim.SWhile, sim.SWith:
			err = in(s, s.Body, n+1)
		case sim.SIf:
			if err = in(s, s.Body, n); err == nil {
				err = in(s, s.Else, n)
			}
		case sim.STry:
			t := n // the blocks around the try's clauses
			if s.Finally != nil {
				t++
			}
			inner := t // around its body
			if s.HasHandler {
				inner++
			}
			err = in(s, s.Body, inner)
			if err == nil && s.HasHandler {
				err = in(s, s.Handler, t+2)
			}
			if err == nil && s.Finally != nil {
				err = in(s, s.Finally, n+1)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// cursor walks the tokens of one line.
type cursor struct {
	l *line
	i int
}

// peek returns the next token, nil at the end of the line.
func (c *cursor) peek() *token {
	if c.i < len(c.l.toks) {
		return &c.l.toks[c.i]
	}
	return nil
}

// done reports whether the line's tokens are all read.
func (c *cursor) done() bool { return c.i == len(c.l.toks) }

// op reads the operator o if it comes next.
func (c *cursor) op(o string) bool { return c.accept(tOp, o) }

// accept reads the token of kind k and text s if it comes next.
func (c *cursor) accept(k tokKind, s string) bool {
	if t := c.peek(); t != nil && t.kind == k && t.text == s {
		c.i++
		return true
	}
	return false
}

// name reads a name if one comes next.
func (c *cursor) name() (string, bool) {
	if t := c.peek(); t != nil && t.kind == tName {
		c.i++
		return t.text, true
	}
	return "", false
}

// seq reads the names and operators ws if they come next, else nothing.
func (c *cursor) seq(ws ...string) bool {
	i := c.i
	for _, w := range ws {
		k := tOp
		if isNameStart(w[0]) {
			k = tName
		}
		if !c.accept(k, w) {
			c.i = i
			return false
		}
	}
	return true
}

// isCall reports whether the rest of the line is `NAME.method()`, reading
// nothing.
func (c *cursor) isCall(method string) bool {
	i := c.i
	defer func() { c.i = i }()
	_, ok := c.name()
	return ok && c.seq(".", method, "(", ")") && c.done()
}

// span returns the text of the operand that starts at token i, for
// messages: a dotted name with its call or subscript, or one token.
func (c *cursor) span(i int) string {
	toks := c.l.toks
	j := i
	for j+2 < len(toks) && toks[j].kind == tName && toks[j+1].text == "." && toks[j+2].kind == tName {
		j += 2
	}
	if toks[j].kind == tName && j+1 < len(toks) && (toks[j+1].text == "(" || toks[j+1].text == "[") {
		// The lexer saw every bracket closed on its line.
		level := 0
		for j++; ; j++ {
			switch toks[j].text {
			case "(", "[", "{":
				level++
			case ")", "]", "}":
				level--
			}
			if level == 0 {
				break
			}
		}
	}
	end := toks[j]
	return c.l.text[toks[i].pos : end.pos+len(end.text)]
}

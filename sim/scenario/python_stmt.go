package scenario

import (
	"slices"

	"lockviz/sim"
)

// stmt parses the statement that starts on line l, with its blocks.
func (p *parser) stmt(l *line) (sim.Stmt, error) {
	c := &cursor{l: l}
	s := sim.Stmt{Line: int32(l.n)}
	first := l.toks[0]
	if first.kind != tName {
		return s, p.notInSubset(l)
	}
	var err error
	switch first.text {
	case "pass":
		c.i++
		s.Kind, err = sim.SPass, p.end(c)
	case "break", "continue":
		c.i++
		s.Kind = sim.SBreak
		if first.text == "continue" {
			s.Kind = sim.SContinue
		}
		if err = p.end(c); err == nil && p.loops == 0 {
			err = p.errorf(l.n, "%s outside a loop", first.text)
		}
	case "await":
		err = p.await(c, &s)
	case "async":
		err = p.with(c, &s)
	case "with":
		err = p.errorf(l.n, "%s: an asyncio lock is entered with async with", quote(l.source()))
	case "for":
		err = p.forLoop(c, &s)
	case "while":
		err = p.whileLoop(c, &s)
	case "try":
		err = p.try(c, &s)
	case "if":
		return p.ifChain(c)
	case "elif", "else", "except", "finally":
		err = p.errorf(l.n, "%s has no if or try before it at its indentation (for … else, while … else and try … else are not in lockviz's subset of Python)", quote(l.source()))
	case "raise":
		err = p.raise(c, &s)
	case "shared":
		err = p.shared(c, &s)
	default:
		err = p.nameStmt(c, &s)
	}
	return s, err
}

// await parses `await asyncio.sleep(X)`, `await L.acquire()` and
// `await asyncio.wait_for(L.acquire(), T)` (T may be given as timeout=T).
func (p *parser) await(c *cursor, s *sim.Stmt) error {
	c.i++
	var err error
	switch {
	case c.seq("asyncio", ".", "sleep", "("):
		s.Kind = sim.SSleep
		if s.X, err = p.number(c); err != nil {
			return err
		}
	case c.seq("asyncio", ".", "wait_for", "("):
		s.Kind = sim.SAcquireWithin
		name, ok := c.name()
		if !ok || !c.seq(".", "acquire", "(", ")", ",") {
			return p.errorf(c.l.n, "%s: lockviz's subset of Python waits for L.acquire() only, as in await asyncio.wait_for(lock.acquire(), 1)", quote(c.l.source()))
		}
		if s.Lock, err = p.lockIndex(c.l, name); err != nil {
			return err
		}
		c.seq("timeout", "=")
		if s.X, err = p.number(c); err != nil {
			return err
		}
	case c.isCall("acquire"):
		s.Kind = sim.SAcquire
		if s.Lock, err = p.lockName(c); err != nil {
			return err
		}
		c.seq(".", "acquire", "(")
	case c.isCall("release"):
		return p.errorf(c.l.n, "%s: release is not awaited, write %s", quote(c.l.source()), quote(c.l.sourceFrom(1)))
	default:
		return p.errorf(c.l.n, "%s is not in lockviz's subset of Python: it awaits asyncio.sleep(X), L.acquire() and asyncio.wait_for(L.acquire(), T)", quote(c.l.source()))
	}
	if !c.op(")") {
		return p.notInSubset(c.l)
	}
	return p.end(c)
}

// lockName reads the name of a declared lock and returns its index.
func (p *parser) lockName(c *cursor) (int32, error) {
	name, ok := c.name()
	if !ok {
		return 0, p.notInSubset(c.l)
	}
	return p.lockIndex(c.l, name)
}

// lockIndex returns the index of the lock name, used on line l.
func (p *parser) lockIndex(l *line, name string) (int32, error) {
	if i := slices.Index(p.locks, name); i >= 0 {
		return int32(i), nil
	}
	return 0, p.errorf(l.n, "unknown lock %q (declared: %s)", name, declared(p.locks))
}

// with parses `async with L:` and its block.
func (p *parser) with(c *cursor, s *sim.Stmt) error {
	if !c.seq("async", "with") {
		return p.notInSubset(c.l)
	}
	s.Kind = sim.SWith
	var err error
	if s.Lock, err = p.lockName(c); err != nil {
		return err
	}
	if err = p.header(c); err != nil {
		return err
	}
	s.Body, err = p.suite(c.l)
	return err
}

// forLoop parses `for NAME in range(N):` and its block. The loop's
// variable is not tracked, so it may not be used.
func (p *parser) forLoop(c *cursor, s *sim.Stmt) error {
	c.i++
	name, ok := c.name()
	if !ok || !c.seq("in", "range", "(") {
		return p.notInSubset(c.l)
	}
	t := c.peek()
	if t == nil || t.kind != tNumber || !t.isInt {
		return p.errorf(c.l.n, "%s: range takes a non-negative integer literal in lockviz's subset of Python", quote(c.l.source()))
	}
	c.i++
	if !c.op(")") {
		return p.notInSubset(c.l)
	}
	if err := p.header(c); err != nil {
		return err
	}
	if err := p.checkTarget(c.l, name); err != nil {
		return err
	}
	if v := p.vars[name]; v != nil {
		return p.errorf(c.l.n, "%q is a variable assigned on line %d: lockviz's subset of Python does not track a for's variable, so it cannot be one", name, p.fileLine(v.line))
	}
	if _, ok := p.loopVars[name]; !ok {
		p.loopVars[name] = c.l.n
	}
	s.Kind, s.N = sim.SFor, int(t.num)
	p.loops++
	var err error
	s.Body, err = p.suite(c.l)
	p.loops--
	return err
}

// whileLoop parses `while True:` and its block.
func (p *parser) whileLoop(c *cursor, s *sim.Stmt) error {
	if !c.seq("while", "True") {
		return p.errorf(c.l.n, "%s: the only while loop in lockviz's subset of Python is while True (leave it with break)", quote(c.l.source()))
	}
	if err := p.header(c); err != nil {
		return err
	}
	s.Kind = sim.SWhile
	p.loops++
	var err error
	s.Body, err = p.suite(c.l)
	p.loops--
	return err
}

// try parses `try:`, its block and its clauses: an optional
// `except asyncio.TimeoutError:` (or `except TimeoutError:`, the same
// class since Python 3.11), then an optional `finally:`, at least one.
func (p *parser) try(c *cursor, s *sim.Stmt) error {
	c.i++
	if err := p.header(c); err != nil {
		return err
	}
	s.Kind = sim.STry
	var err error
	if s.Body, err = p.suite(c.l); err != nil {
		return err
	}
	clause, err := p.clause(c.l, "except")
	if err != nil {
		return err
	}
	if clause != nil {
		cc := &cursor{l: clause, i: 1}
		if !cc.seq("asyncio", ".", "TimeoutError") && !cc.seq("TimeoutError") {
			return p.errorf(clause.n, "%s: the only exception lockviz's subset of Python catches is asyncio.TimeoutError", quote(clause.source()))
		}
		if err := p.header(cc); err != nil {
			return err
		}
		if s.Handler, err = p.suite(clause); err != nil {
			return err
		}
		s.HasHandler = true
		if again, err := p.clause(c.l, "except"); err != nil || again != nil {
			if err == nil {
				err = p.errorf(again.n, "%s: one except clause per try in lockviz's subset of Python", quote(again.source()))
			}
			return err
		}
	}
	if clause, err = p.clause(c.l, "finally"); err != nil || clause == nil {
		if err == nil && !s.HasHandler {
			err = p.errorf(c.l.n, `"try:" needs an "except asyncio.TimeoutError:" or a "finally:" after its block`)
		}
		return err
	}
	cc := &cursor{l: clause, i: 1}
	if err := p.header(cc); err != nil {
		return err
	}
	s.Finally, err = p.suite(clause)
	return err
}

// clause reads the next line if it continues the compound statement of
// header with the keyword word, at the header's indentation.
func (p *parser) clause(header *line, word string) (*line, error) {
	l, err := p.peek()
	if err != nil || l == nil || l.indent != header.indent || !(&cursor{l: l}).seq(word) {
		return nil, err
	}
	p.peeked = nil
	return l, nil
}

// ifChain parses `if X:` with its block, then any `elif X:` and `else:`
// clauses. An elif becomes an if alone in the else of the one before, as
// in Python's syntax tree, so elif needs no kind of its own.
func (p *parser) ifChain(c *cursor) (sim.Stmt, error) {
	depth := p.depth
	defer func() { p.depth = depth }()
	var chain []sim.Stmt
	for l := c.l; ; {
		cond := &cursor{l: l, i: 1}
		x, err := p.condition(cond)
		if err != nil {
			return sim.Stmt{}, err
		}
		if err := p.header(cond); err != nil {
			return sim.Stmt{}, err
		}
		body, err := p.suite(l)
		if err != nil {
			return sim.Stmt{}, err
		}
		chain = append(chain, sim.Stmt{Kind: sim.SIf, Line: int32(l.n), X: x, Body: body})
		if l, err = p.clause(c.l, "elif"); err != nil || l == nil {
			if err != nil {
				return sim.Stmt{}, err
			}
			break
		}
		// The elif's if sits in the else of the one before.
		p.depth++
	}
	var orElse []sim.Stmt
	l, err := p.clause(c.l, "else")
	if err != nil {
		return sim.Stmt{}, err
	}
	if l != nil {
		if err := p.header(&cursor{l: l, i: 1}); err != nil {
			return sim.Stmt{}, err
		}
		if orElse, err = p.suite(l); err != nil {
			return sim.Stmt{}, err
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		chain[i].Else = orElse
		orElse = []sim.Stmt{chain[i]}
	}
	return orElse[0], nil
}

// raise parses `raise RuntimeError("message")`, `raise RuntimeError()` and
// `raise RuntimeError`.
func (p *parser) raise(c *cursor, s *sim.Stmt) error {
	c.i++
	if !c.seq("RuntimeError") {
		return p.errorf(c.l.n, "%s: lockviz's subset of Python raises RuntimeError only, as in raise RuntimeError(\"message\")", quote(c.l.source()))
	}
	s.Kind = sim.SRaise
	if c.op("(") && !c.op(")") {
		t := c.peek()
		if t.kind != tString {
			return p.errorf(c.l.n, "%s: RuntimeError takes one string literal in lockviz's subset of Python", quote(c.l.source()))
		}
		s.Msg = t.str
		c.i++
		if !c.op(")") {
			return p.notInSubset(c.l)
		}
	}
	return p.end(c)
}

// shared parses `shared.append(X)` and `shared[:] = NAME + [X]`, the
// write-back of a snapshot taken with NAME = list(shared).
func (p *parser) shared(c *cursor, s *sim.Stmt) error {
	var err error
	switch {
	case c.seq("shared", ".", "append", "("):
		s.Kind = sim.SAppend
		if s.X, err = p.number(c); err != nil {
			return err
		}
		if !c.op(")") {
			return p.notInSubset(c.l)
		}
	case c.seq("shared", "[", ":", "]", "="):
		s.Kind = sim.SWriteBack
		name, ok := c.name()
		if !ok || !c.seq("+", "[") {
			return p.errorf(c.l.n, "%s: lockviz's subset of Python writes the shared list back as shared[:] = snapshot + [value]", quote(c.l.source()))
		}
		switch v := p.vars[name]; {
		case v == nil:
			return p.errorf(c.l.n, "%q is used before it is assigned (a snapshot, as in %s = list(shared))", name, name)
		case !v.list:
			return p.errorf(c.l.n, "%q holds a number, not a snapshot of the shared list", name)
		default:
			s.Var = v.slot
		}
		if s.X, err = p.number(c); err != nil {
			return err
		}
		if !c.op("]") {
			return p.notInSubset(c.l)
		}
	default:
		return p.notInSubset(c.l)
	}
	return p.end(c)
}

// nameStmt parses the statements that start with a name other than a
// keyword and shared: `L.release()` and `NAME = X`.
func (p *parser) nameStmt(c *cursor, s *sim.Stmt) error {
	name, _ := c.name()
	if keywords[name] {
		return p.notInSubset(c.l)
	}
	switch {
	case c.seq(".", "release", "(", ")"):
		s.Kind = sim.SRelease
		var err error
		if s.Lock, err = p.lockIndex(c.l, name); err != nil {
			return err
		}
		return p.end(c)
	case c.seq(".", "acquire", "(", ")") && c.done():
		return p.errorf(c.l.n, "%s must be awaited: %s", quote(c.l.source()), quote("await "+c.l.source()))
	case c.op("="):
		return p.assign(c, s, name)
	}
	return p.notInSubset(c.l)
}

// assign parses the right side of `name = X` or `name = list(shared)`.
func (p *parser) assign(c *cursor, s *sim.Stmt, name string) error {
	if err := p.checkTarget(c.l, name); err != nil {
		return err
	}
	if n, ok := p.loopVars[name]; ok {
		return p.errorf(c.l.n, "%q is the variable of the for on line %d: lockviz's subset of Python does not track it, so it cannot be assigned", name, p.fileLine(n))
	}
	s.Kind = sim.SAssign
	list := c.seq("list", "(", "shared", ")")
	if list {
		s.X = sim.Expr{Kind: sim.ESnapshot}
	} else {
		var err error
		if s.X, err = p.number(c); err != nil {
			return err
		}
	}
	if err := p.end(c); err != nil {
		return err
	}
	v := p.vars[name]
	if v == nil {
		v = &variable{slot: int32(len(p.vars)), list: list, line: c.l.n}
		p.vars[name] = v
	}
	if v.list != list {
		what := map[bool]string{false: "a number", true: "a snapshot of the shared list"}
		return p.errorf(c.l.n, "%q holds %s since line %d, and a variable holds numbers or snapshots, not both", name, what[v.list], p.fileLine(v.line))
	}
	s.Var = v.slot
	return nil
}

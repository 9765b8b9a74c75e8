package scenario

import (
	"fmt"
	"slices"
	"strings"

	"lockviz/sim"
)

// keywords are Python 3.11's keywords, which no variable or lock may be
// named.
var keywords = setOf("False", "None", "True", "and", "as", "assert", "async", "await",
	"break", "class", "continue", "def", "del", "elif", "else", "except", "finally",
	"for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
	"or", "pass", "raise", "return", "try", "while", "with", "yield")

// reserved are the names the subset gives a meaning, and __debug__, which
// Python refuses to assign: a variable or lock named so would change what
// the code means in Python.
var reserved = setOf("asyncio", "random", "shared", "list", "range",
	"RuntimeError", "TimeoutError", "__debug__")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// comparisons are Python's comparison operators; the subset has < and >.
var comparisons = setOf("<", ">", "<=", ">=", "==", "!=")

// numberForms ends the message for an expression outside the subset.
const numberForms = "a number, a variable, random.random(), random.randint(A, B), random.uniform(A, B) or random.expovariate(R)"

// checkLocks checks that each lock name can be written in the code.
func checkLocks(locks []string) error {
	for i, name := range locks {
		switch {
		case !isIdentifier(name):
			return fmt.Errorf("lock name %s is not a Python identifier (ASCII letters, digits and _)", quote(name))
		case keywords[name]:
			return fmt.Errorf("lock name %q is a Python keyword", name)
		case reserved[name]:
			return fmt.Errorf("lock name %q is a name lockviz's subset of Python uses", name)
		case slices.Contains(locks[:i], name):
			return fmt.Errorf("lock %q is declared twice", name)
		}
	}
	return nil
}

// isIdentifier reports whether s is an ASCII Python identifier.
func isIdentifier(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

// declared lists the locks for a message.
func declared(locks []string) string {
	if len(locks) == 0 {
		return "none"
	}
	return strings.Join(locks, ", ")
}

// checkTarget checks that name may be assigned, or be a for's variable.
func (p *parser) checkTarget(l *line, name string) error {
	switch {
	case keywords[name]:
		return p.notInSubset(l)
	case reserved[name] || slices.Contains(p.locks, name):
		return p.errorf(l.n, "%q cannot be a variable: lockviz's subset of Python gives it a meaning (asyncio, random, shared, list, range, RuntimeError, TimeoutError and the locks)", name)
	}
	return nil
}

// condition parses an if's or elif's condition, `A < B` or `A > B`, as
// ELess with the operands in the order of <.
func (p *parser) condition(c *cursor) (sim.Expr, error) {
	if !slices.ContainsFunc(c.l.toks[c.i:], func(t token) bool { return t.kind == tOp && comparisons[t.text] }) {
		return sim.Expr{}, p.errorf(c.l.n, "%s: a condition in lockviz's subset of Python compares two numbers with < or >, as in if random.random() < 0.1:", quote(c.l.source()))
	}
	a, err := p.number(c)
	if err != nil {
		return sim.Expr{}, err
	}
	op := c.peek()
	if op == nil || op.kind != tOp || !comparisons[op.text] {
		return sim.Expr{}, p.notInSubset(c.l)
	}
	if op.text != "<" && op.text != ">" {
		return sim.Expr{}, p.errorf(c.l.n, "%s: lockviz's subset of Python compares with < and > only, not %s", quote(c.l.source()), op.text)
	}
	c.i++
	b, err := p.number(c)
	if err != nil {
		return sim.Expr{}, err
	}
	if t := c.peek(); t != nil && t.kind == tOp && comparisons[t.text] {
		return sim.Expr{}, p.errorf(c.l.n, "%s: chained comparisons are not in lockviz's subset of Python", quote(c.l.source()))
	}
	if op.text == ">" {
		a, b = b, a
	}
	return sim.Expr{Kind: sim.ELess, Args: []sim.Expr{a, b}}, nil
}

// number parses a number expression: a literal, a variable holding a
// number, or a draw from the random module with literal arguments. Every
// one is at least 0, since negative literals are not in the subset.
func (p *parser) number(c *cursor) (sim.Expr, error) {
	start := c.i
	t := c.peek()
	switch {
	case t == nil || t.isOp(")", ",", "]", ":"):
		return sim.Expr{}, p.errorf(c.l.n, "%s: a number is missing", quote(c.l.source()))
	case t.kind == tNumber:
		c.i++
		return sim.Expr{Kind: sim.EConst, A: t.num}, nil
	case t.isOp("-"):
		return sim.Expr{}, p.negative(c.l)
	case t.kind == tName && t.text == "await":
		return sim.Expr{}, p.errorf(c.l.n, "%s: await starts a statement of its own in lockviz's subset of Python", quote(c.l.source()))
	case t.isOp("("):
		return sim.Expr{}, p.errorf(c.l.n, "%s: parentheses around an expression are not in lockviz's subset of Python", quote(c.l.source()))
	case c.seq("random", "."):
		return p.random(c, start)
	case c.seq("list", "(", "shared", ")"):
		return sim.Expr{}, p.errorf(c.l.n, "%s: list(shared) is not a number; it is the whole right side of an assignment, as in snapshot = list(shared)", quote(c.l.source()))
	case t.kind == tName && !keywords[t.text] && !reserved[t.text] && !slices.Contains(p.locks, t.text):
		// A name followed by these is a call, attribute or subscript.
		if next := start + 1; next == len(c.l.toks) || !c.l.toks[next].isOp("(", ".", "[") {
			return p.variable(c, t.text)
		}
	}
	return sim.Expr{}, p.errorf(c.l.n, "%s is not a number expression in lockviz's subset of Python (%s)", quote(c.span(start)), numberForms)
}

// negative is the error for a minus sign on line l.
func (p *parser) negative(l *line) error {
	return p.errorf(l.n, "%s: negative numbers are not in lockviz's subset of Python", quote(l.source()))
}

// variable reads a reference to the number variable name.
func (p *parser) variable(c *cursor, name string) (sim.Expr, error) {
	if n, ok := p.loopVars[name]; ok {
		return sim.Expr{}, p.errorf(c.l.n, "%q is the variable of the for on line %d: lockviz's subset of Python does not track it, so it cannot be used (write for _ in range(N))", name, p.fileLine(n))
	}
	v := p.vars[name]
	switch {
	case v == nil:
		return sim.Expr{}, p.errorf(c.l.n, "%q is used before it is assigned", name)
	case v.list:
		return sim.Expr{}, p.errorf(c.l.n, "%q holds a snapshot of the shared list, not a number", name)
	}
	c.i++
	return sim.Expr{Kind: sim.EVarRef, Var: v.slot}, nil
}

// random parses the rest of a call of the random module, after
// "random.": random(), expovariate(R) with R > 0, uniform(A, B) with
// A <= B, randint(A, B) with integers A <= B, all arguments literals.
func (p *parser) random(c *cursor, start int) (sim.Expr, error) {
	fn, ok := c.name()
	if !ok || !c.op("(") {
		return sim.Expr{}, p.errorf(c.l.n, "%s is not a number expression in lockviz's subset of Python (%s)", quote(c.span(start)), numberForms)
	}
	var e sim.Expr
	var args int
	var want string // what the arguments must be
	switch fn {
	case "random":
		e.Kind, want = sim.ERandom, "random.random() takes no argument"
	case "expovariate":
		e.Kind, args, want = sim.EExpovariate, 1, "random.expovariate takes one number literal, the rate, above 0"
	case "uniform":
		e.Kind, args, want = sim.EUniform, 2, "random.uniform takes two number literals A <= B"
	case "randint":
		e.Kind, args, want = sim.ERandInt, 2, "random.randint takes two integer literals A <= B"
	default:
		return sim.Expr{}, p.errorf(c.l.n, "%s: random.%s is not in lockviz's subset of Python (random.random(), random.randint(A, B), random.uniform(A, B) and random.expovariate(R) are)", quote(c.span(start)), fn)
	}
	var lits []token
	for i := range args {
		if i > 0 && !c.op(",") {
			break
		}
		// A ")" closes the call on this line, so there is a token.
		t := c.peek()
		if t.isOp("-") {
			return sim.Expr{}, p.negative(c.l)
		}
		if t.kind != tNumber {
			break
		}
		lits = append(lits, *t)
		c.i++
	}
	ok = len(lits) == args && c.op(")")
	switch {
	case !ok:
	case e.Kind == sim.EExpovariate:
		e.A = lits[0].num
		ok = e.A > 0
	case e.Kind == sim.EUniform || e.Kind == sim.ERandInt:
		e.A, e.B = lits[0].num, lits[1].num
		ok = e.A <= e.B && (e.Kind == sim.EUniform || lits[0].isInt && lits[1].isInt)
	}
	if !ok {
		return sim.Expr{}, p.errorf(c.l.n, "%s: %s", quote(c.span(start)), want)
	}
	return e, nil
}

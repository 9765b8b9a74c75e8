package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"lockviz/sim/format"
)

// lineKind tells the lines the parser reads from those Python skips.
type lineKind uint8

const (
	blankLine   lineKind = iota // only spaces and tabs
	commentLine                 // a comment, maybe indented
	codeLine                    // a statement
)

// dedent splits code into lines and removes the leading spaces its
// statements have in common, as textwrap.dedent does, with two
// differences: comment lines do not count, since Python ignores their
// indentation (a comment less indented than the code would otherwise
// indent the whole body), and a statement indented with a tab does not
// count either, so that the tab is reported on its own line instead of
// every other line looking over-indented. Whitespace-only lines become
// empty, as with textwrap.dedent. The lines keep their numbers: line i of
// the result is line i of code.
func dedent(code string) (lines []string, kinds []lineKind) {
	lines = strings.Split(code, "\n")
	kinds = make([]lineKind, len(lines))
	common := -1
	for i, l := range lines {
		// Python reads \r\n as one line end; a lone \r is refused with
		// the other control characters.
		l = strings.TrimSuffix(l, "\r")
		lines[i] = l
		rest := strings.TrimLeft(l, " \t")
		switch {
		case rest == "":
			kinds[i] = blankLine
		case rest[0] == '#':
			kinds[i] = commentLine
		default:
			kinds[i] = codeLine
			ws := l[:len(l)-len(rest)]
			if !strings.Contains(ws, "\t") && (common < 0 || len(ws) < common) {
				common = len(ws)
			}
		}
	}
	for i, l := range lines {
		if kinds[i] == blankLine {
			lines[i] = ""
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		lines[i] = l[min(n, max(common, 0)):]
	}
	return lines, kinds
}

// tokKind says what a token is.
type tokKind uint8

const (
	tName   tokKind = iota // an identifier or keyword, ASCII only
	tNumber                // a decimal integer or float literal
	tString                // a '...' or "..." literal
	tOp                    // punctuation: ( ) [ ] : , . = + - < > <= >= == != and the like
)

// token is one token of a line; text is as written, pos its byte offset.
type token struct {
	kind  tokKind
	text  string
	pos   int
	num   float64 // tNumber: the value
	isInt bool    // tNumber: written as an integer
	str   string  // tString: the value
}

// isOp reports whether t is one of the operators ops.
func (t *token) isOp(ops ...string) bool {
	return t.kind == tOp && slices.Contains(ops, t.text)
}

// line is a statement's line, lexed.
type line struct {
	n      int    // line within the code, from 1
	indent int    // leading spaces
	text   string // the dedented line
	toks   []token
}

// source returns the line's statement as written, without indentation or
// comment, for error messages.
func (l *line) source() string { return l.sourceFrom(0) }

// sourceFrom returns the line's statement from its token i on.
func (l *line) sourceFrom(i int) string {
	last := l.toks[len(l.toks)-1]
	return l.text[l.toks[i].pos : last.pos+len(last.text)]
}

// checkChars refuses what Python refuses in a source file (bytes that are
// not UTF-8) and what lockviz refuses wherever text may reach a terminal:
// control and invisible format characters, which could hide or reorder
// code. A tab is fine between tokens; lexLine refuses it in indentation.
func checkChars(text string) error {
	for i, r := range text {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(text[i:], "\uFFFD"):
			return fmt.Errorf("invalid UTF-8 at byte %d of the line", i+1)
		case r != '\t' && format.IsControlOrFormat(r):
			return fmt.Errorf("control or invisible format character %U: lockviz's subset refuses them", r)
		}
	}
	return nil
}

// ops are Python's operators and delimiters, two-character ones first so
// that they win; only some of them are in the subset, but lexing them all
// lets the parser name the construct that is not.
var ops = []string{
	"<=", ">=", "==", "!=", "->", ":=", "**", "//", "<<", ">>",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
	"(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "+", "-", "*", "/",
	"%", "<", ">", "&", "|", "^", "~", "@", ";", "!",
}

// closers pairs each bracket with its closer.
var closers = map[string]string{"(": ")", "[": "]", "{": "}"}

// lexLine splits the text of code line n into tokens. A statement fits
// on one line in the subset, so a backslash continuation, a bracket left
// open, a triple-quoted string or a semicolon is an error here.
func lexLine(n int, text string) (*line, error) {
	if err := checkChars(text); err != nil {
		return nil, err
	}
	rest := strings.TrimLeft(text, " \t")
	ws := text[:len(text)-len(rest)]
	if strings.Contains(ws, "\t") {
		return nil, fmt.Errorf("a tab in the indentation: lockviz's subset of Python indents with spaces only")
	}
	l := &line{n: n, indent: len(ws), text: text}
	var open []string // brackets not yet closed
	for i := len(ws); i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			continue
		case c == '#':
			i = len(text)
			continue
		case isNameStart(c):
			j := i + 1
			for j < len(text) && isNameChar(text[j]) {
				j++
			}
			if j < len(text) && text[j] >= utf8.RuneSelf {
				r, _ := utf8.DecodeRuneInString(text[j:])
				return nil, fmt.Errorf("%s: names are ASCII in lockviz's subset of Python", quote(text[i:j]+string(r)))
			}
			l.toks = append(l.toks, token{kind: tName, text: text[i:j], pos: i})
			i = j
			continue
		case isDigit(c) || c == '.' && i+1 < len(text) && isDigit(text[i+1]):
			t, err := lexNumber(text, i)
			if err != nil {
				return nil, err
			}
			l.toks = append(l.toks, t)
			i += len(t.text)
			continue
		case c == '\'' || c == '"':
			t, err := lexString(text, i)
			if err != nil {
				return nil, err
			}
			l.toks = append(l.toks, t)
			i += len(t.text)
			continue
		case c == '\\':
			return nil, fmt.Errorf("a backslash continues the line: a statement fits on one line in lockviz's subset of Python")
		}
		op := ""
		for _, o := range ops {
			if strings.HasPrefix(text[i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			r, _ := utf8.DecodeRuneInString(text[i:])
			return nil, fmt.Errorf("unexpected character %q", r)
		}
		switch {
		case op == ";":
			return nil, fmt.Errorf("one statement per line: %q is not in lockviz's subset of Python", op)
		case closers[op] != "":
			open = append(open, op)
		case op == ")" || op == "]" || op == "}":
			if len(open) == 0 || closers[open[len(open)-1]] != op {
				return nil, fmt.Errorf("unmatched %q", op)
			}
			open = open[:len(open)-1]
		}
		l.toks = append(l.toks, token{kind: tOp, text: op, pos: i})
		i += len(op)
	}
	if len(open) > 0 {
		return nil, fmt.Errorf("%q is not closed on its line: a statement fits on one line in lockviz's subset of Python", open[len(open)-1])
	}
	return l, nil
}

func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isNameStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isNameChar(c byte) bool  { return isNameStart(c) || isDigit(c) }

// maxExactInt is the largest integer a float64 (Expr.A) holds exactly.
const maxExactInt = 1 << 53

// lexNumber reads the number at text[i]: a decimal integer (no leading
// zeros, as Python 3 requires) or a float such as 1.5, .5, 1. or 2e-3.
// Underscores, hexadecimal, octal, binary and imaginary literals are not in
// the subset.
func lexNumber(text string, i int) (token, error) {
	j := i
	digits := func() {
		for j < len(text) && isDigit(text[j]) {
			j++
		}
	}
	digits()
	isInt := true
	if j < len(text) && text[j] == '.' {
		isInt = false
		j++
		digits()
	}
	if j < len(text) && (text[j] == 'e' || text[j] == 'E') {
		isInt = false
		k := j + 1
		if k < len(text) && (text[k] == '+' || text[k] == '-') {
			k++
		}
		if k < len(text) && isDigit(text[k]) {
			j = k
			digits()
		}
	}
	bad := j < len(text) && (isNameChar(text[j]) || text[j] == '.')
	for j < len(text) && (isNameChar(text[j]) || text[j] == '.') {
		j++
	}
	s := text[i:j]
	if bad || isInt && len(s) > 1 && s[0] == '0' && strings.Trim(s, "0") != "" {
		return token{}, fmt.Errorf("invalid number %s: lockviz's subset of Python writes plain decimals such as 100, 0.5 or 1e-3", quote(s))
	}
	if isInt {
		if n, err := strconv.ParseUint(s, 10, 64); err != nil || n > maxExactInt {
			return token{}, fmt.Errorf("integer %s is too large (at most %d)", quote(s), uint64(maxExactInt))
		}
	}
	// The forms lexed above are all Go float syntax too, so the only
	// error left is overflow, where Python would make inf.
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return token{}, fmt.Errorf("number %s is too large", quote(s))
	}
	return token{kind: tNumber, text: s, pos: i, num: v, isInt: isInt}, nil
}

// lexString reads the string literal at text[i]. Escapes are \\, \' and
// \" only: a string is a RuntimeError's message, shown on one line.
func lexString(text string, i int) (token, error) {
	q := text[i]
	if strings.HasPrefix(text[i:], strings.Repeat(string(q), 3)) {
		return token{}, fmt.Errorf("triple-quoted strings are not in lockviz's subset of Python")
	}
	var b strings.Builder
	for j := i + 1; j < len(text); j++ {
		switch c := text[j]; c {
		case q:
			return token{kind: tString, text: text[i : j+1], pos: i, str: b.String()}, nil
		case '\\':
			j++
			if j == len(text) {
				// A backslash at the end continues the string on the
				// next line.
				return token{}, fmt.Errorf("string %s is not closed on its line", quote(text[i:]))
			}
			if e := text[j]; e == '\\' || e == '\'' || e == '"' {
				b.WriteByte(e)
				continue
			}
			r, _ := utf8.DecodeRuneInString(text[j:])
			esc := `\` + string(r)
			if !strconv.IsPrint(r) {
				esc = fmt.Sprintf(`\ and %U`, r)
			}
			return token{}, fmt.Errorf(`escape %s is not in lockviz's subset of Python: a message is one line, and \\, \' and \" are its escapes`, esc)
		case '\t':
			return token{}, fmt.Errorf(`a tab in a string: a message is one line, without tabs`)
		default:
			b.WriteByte(c)
		}
	}
	return token{}, fmt.Errorf("string %s is not closed on its line", quote(text[i:]))
}

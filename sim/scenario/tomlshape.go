package scenario

import (
	"fmt"
	"strings"
)

// The TOML library's time and memory grow steeply with nesting: 24 KB of
// inline tables nested in one another took 9 s and 762 MB, a 16 KB dotted
// key 4.7 s and 831 MB, and under a memory limit the runtime crashed. A
// scenario nests two deep ([[tasks]] tables, an inline table in an array),
// so checkShape refuses much deeper files before the library sees them.
const (
	maxNesting  = 8 // arrays and inline tables inside one another
	maxKeyParts = 8 // parts of a dotted key, in a key/value pair or a [table.header]
)

// checkShape returns "name:line: problem" for the first array or inline
// table nested more than maxNesting deep or dotted key of more than
// maxKeyParts parts in the TOML document text, nil when there is none. It
// reads only enough TOML to tell keys from values and to skip strings and
// comments, in one pass: everything else malformed is left to the TOML
// library to report.
func checkShape(name, text string) error {
	s := shapeScanner{name: name, text: strings.TrimPrefix(text, "\ufeff"), line: 1}
	return s.document()
}

// shapeScanner is checkShape's position in its document.
type shapeScanner struct {
	name, text string
	i, line    int
}

// document reads table headers and key/value pairs to the end.
func (s *shapeScanner) document() error {
	for s.i < len(s.text) {
		switch s.text[s.i] {
		case '\n':
			s.line++
			s.i++
		case ' ', '\t', '\r', ']':
			s.i++ // a header's closing brackets land here, after its key
		case '#':
			s.i = skipLine(s.text, s.i)
		case '[':
			s.i++
			if s.i < len(s.text) && s.text[s.i] == '[' {
				s.i++ // [[array.of.tables]]
			}
			if err := s.key(); err != nil {
				return err
			}
		default:
			start := s.i
			if err := s.key(); err != nil {
				return err
			}
			s.skipSpace()
			switch {
			case s.i < len(s.text) && s.text[s.i] == '=':
				s.i++
				if err := s.value(); err != nil {
					return err
				}
			case s.i == start:
				s.i++ // not a key: the TOML library will say so
			}
		}
	}
	return nil
}

// key reads a key, bare, quoted or dotted, and refuses one of more than
// maxKeyParts parts.
func (s *shapeScanner) key() error {
	line := s.line
	for parts := 1; ; parts++ {
		s.skipSpace()
		if s.i >= len(s.text) {
			return nil
		}
		switch c := s.text[s.i]; {
		case c == '"' || c == '\'':
			s.i = skipString(s.text, s.i, &s.line)
		case isBareKeyByte(c):
			for s.i < len(s.text) && isBareKeyByte(s.text[s.i]) {
				s.i++
			}
		default:
			return nil
		}
		if parts > maxKeyParts {
			return fmt.Errorf("%s:%d: a dotted key of more than %d parts", s.name, line, maxKeyParts)
		}
		s.skipSpace()
		if s.i >= len(s.text) || s.text[s.i] != '.' {
			return nil
		}
		s.i++
	}
}

// value reads one value, counting the arrays and inline tables it opens
// inside one another; the keys of inline tables are read as keys.
func (s *shapeScanner) value() error {
	var open []byte  // '[' or '{' for each array or inline table the scan is in
	keyNext := false // an inline table's key comes next
	for {
		if len(open) == 0 {
			s.skipSpace()
		} else {
			s.skipBlank()
		}
		if s.i >= len(s.text) {
			return nil
		}
		c := s.text[s.i]
		switch {
		case keyNext && c != '}' && c != ',':
			if err := s.key(); err != nil {
				return err
			}
			s.skipSpace()
			if s.i < len(s.text) && s.text[s.i] == '=' {
				s.i++
			}
			keyNext = false
			continue
		case c == '[' || c == '{':
			open = append(open, c)
			if len(open) > maxNesting {
				return fmt.Errorf("%s:%d: arrays and inline tables nested more than %d deep", s.name, s.line, maxNesting)
			}
			keyNext = c == '{'
			s.i++
			continue
		case c == ']' || c == '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			keyNext = false
			s.i++
		case c == ',':
			keyNext = len(open) > 0 && open[len(open)-1] == '{'
			s.i++
			continue
		case c == '"' || c == '\'':
			s.i = skipString(s.text, s.i, &s.line)
		case c == '\n' || c == '#':
			return nil // no value: the TOML library will say so
		default: // a number, a boolean, a date or a time
			start := s.i
			for s.i < len(s.text) && !strings.ContainsRune(" \t\r\n,[]{}#\"'", rune(s.text[s.i])) {
				s.i++
			}
			if s.i == start {
				s.i++
			}
		}
		if len(open) == 0 {
			return nil
		}
	}
}

// skipSpace skips spaces and tabs, and the carriage return of a CRLF.
func (s *shapeScanner) skipSpace() {
	for s.i < len(s.text) && (s.text[s.i] == ' ' || s.text[s.i] == '\t' || s.text[s.i] == '\r') {
		s.i++
	}
}

// skipBlank skips what may stand between the elements of an array:
// whitespace, newlines and comments.
func (s *shapeScanner) skipBlank() {
	for s.i < len(s.text) {
		switch s.text[s.i] {
		case '\n':
			s.line++
			s.i++
		case ' ', '\t', '\r':
			s.i++
		case '#':
			s.i = skipLine(s.text, s.i)
		default:
			return
		}
	}
}

// isBareKeyByte reports whether c may appear in a bare key: ASCII letters,
// digits, '_' and '-'. Bytes of non-ASCII characters count too, so that a
// key the library refuses still reads as one part.
func isBareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c >= 0x80
}

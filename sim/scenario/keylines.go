package scenario

import (
	"strconv"
	"strings"
)

// keyLines tells on which line a scenario file defines each key. The TOML
// library keeps key positions to itself, so scanKeys finds them again.
type keyLines struct {
	top    map[string]int   // top-level key → line
	groups []map[string]int // per [[tasks]] table: key → line; "" is its header
	locks  map[string]int   // lock name in [locks] → line
	code   map[int]int      // per [[tasks]] table: the line its code starts on
	// per [[captions]] table: key → line; "" is its header
	captions []map[string]int
}

// line returns where key is defined in group (-1: the top level), falling
// back to the group's header, then to the tasks key; 0 when unknown.
func (kl keyLines) line(group int, key string) int {
	if group < 0 {
		return kl.top[key]
	}
	if group < len(kl.groups) {
		if l, ok := kl.groups[group][key]; ok {
			return l
		}
		return kl.groups[group][""]
	}
	return kl.top["tasks"]
}

// captionLine returns where key is defined in [[captions]] table i,
// falling back to the table's header, then to the captions key.
func (kl keyLines) captionLine(i int, key string) int {
	if i < len(kl.captions) {
		if l, ok := kl.captions[i][key]; ok {
			return l
		}
		return kl.captions[i][""]
	}
	return kl.top["captions"]
}

// scanKeys finds the line of every key definition in a TOML document that
// the TOML library has already accepted: table headers, and `key = value`
// lines at the top level or in a [[tasks]] table. Values are skipped over,
// strings and multi-line arrays included.
func scanKeys(text string) keyLines {
	kl := keyLines{top: map[string]int{}, locks: map[string]int{}, code: map[int]int{}}
	text = strings.TrimPrefix(text, "\ufeff") // a byte order mark, which the TOML library skips too
	const (
		inTop = iota
		inTask
		inLocks
		inCaption
		inOther
	)
	ctx, line := inTop, 1
	record := func(ctx int, key string) {
		var m map[string]int
		switch {
		case ctx == inTop:
			m = kl.top
		case ctx == inTask && len(kl.groups) > 0:
			m = kl.groups[len(kl.groups)-1]
		case ctx == inLocks:
			m = kl.locks
		case ctx == inCaption && len(kl.captions) > 0:
			m = kl.captions[len(kl.captions)-1]
		default:
			return
		}
		if _, ok := m[key]; !ok {
			m[key] = line
		}
	}
	for i := 0; i < len(text); {
		switch c := text[i]; {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			i = skipLine(text, i)
		case c == '[':
			double := i+1 < len(text) && text[i+1] == '['
			if double {
				i++
			}
			var path []string
			path, i = scanKeyPath(text, i+1)
			switch {
			case len(path) == 0:
				ctx = inOther
			case path[0] == "tasks" && len(path) == 1 && double:
				record(inTop, "tasks")
				kl.groups = append(kl.groups, map[string]int{"": line})
				ctx = inTask
			case path[0] == "tasks" && len(path) > 1:
				record(inTask, path[1])
				ctx = inOther
			case path[0] == "captions" && len(path) == 1 && double:
				record(inTop, "captions")
				kl.captions = append(kl.captions, map[string]int{"": line})
				ctx = inCaption
			case path[0] == "locks" && len(path) == 1 && !double:
				record(inTop, "locks")
				ctx = inLocks
			case path[0] == "locks":
				record(inTop, "locks")
				record(inLocks, path[1])
				ctx = inOther
			default:
				record(inTop, path[0])
				ctx = inOther
			}
			i = skipLine(text, i)
		default:
			var path []string
			path, i = scanKeyPath(text, i)
			if len(path) > 0 {
				record(ctx, path[0])
				if ctx == inTask && path[0] == "code" && len(kl.groups) > 0 {
					kl.code[len(kl.groups)-1] = codeStart(text, i, line)
				}
			}
			i = skipValue(text, i, &line)
		}
	}
	return kl
}

// codeStart returns the line a string value at text[i:] (past its key's
// '=') starts on: a multi-line string's first newline is not part of it.
func codeStart(text string, i, line int) int {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	rest := text[i:]
	if strings.HasPrefix(rest, "'''") || strings.HasPrefix(rest, `"""`) {
		rest = strings.TrimPrefix(rest[3:], "\r")
		if strings.HasPrefix(rest, "\n") {
			return line + 1
		}
	}
	return line
}

// scanKeyPath reads a dotted key from text[i:], bare or quoted, up to the
// '=' or ']' that ends it, and returns its parts and where it stopped.
func scanKeyPath(text string, i int) ([]string, int) {
	var path []string
	for i < len(text) {
		switch c := text[i]; {
		case c == ' ' || c == '\t' || c == '.':
			i++
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(text) && text[j] != c && text[j] != '\n' {
				if c == '"' && text[j] == '\\' {
					j++
				}
				j++
			}
			part := text[i+1 : min(j, len(text))]
			if c == '"' {
				if u, err := strconv.Unquote(`"` + part + `"`); err == nil {
					part = u
				}
			}
			path = append(path, part)
			i = min(j+1, len(text))
		case c == '=' || c == ']' || c == '\n' || c == '#':
			if c == '=' || c == ']' {
				i++
			}
			return path, i
		default:
			j := i
			for j < len(text) && strings.IndexByte(" \t.=]\n#\"'", text[j]) < 0 {
				j++
			}
			path = append(path, text[i:j])
			i = j
		}
	}
	return path, i
}

// skipLine returns the index of the newline ending the line at i.
func skipLine(text string, i int) int {
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(text)
}

// skipValue skips the value starting at text[i:] to the newline that ends
// it, counting the newlines inside it.
func skipValue(text string, i int, line *int) int {
	depth := 0
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\n':
			if depth <= 0 {
				return i
			}
			*line++
			i++
		case c == '#':
			i = skipLine(text, i)
		case c == '[' || c == '{':
			depth++
			i++
		case c == ']' || c == '}':
			depth--
			i++
		case c == '"' || c == '\'':
			i = skipString(text, i, line)
		default:
			i++
		}
	}
	return i
}

// skipString skips the string starting at text[i], basic or literal,
// single- or multi-line.
func skipString(text string, i int, line *int) int {
	q := text[i]
	if strings.HasPrefix(text[i:], strings.Repeat(string(q), 3)) {
		delim := strings.Repeat(string(q), 3)
		j := i + 3
		for j < len(text) && !strings.HasPrefix(text[j:], delim) {
			switch text[j] {
			case '\n':
				*line++
			case '\\':
				if q == '"' {
					j++
					if j < len(text) && text[j] == '\n' {
						*line++
					}
				}
			}
			j++
		}
		j += 3
		for j < len(text) && text[j] == q { // up to two quotes may end the content
			j++
		}
		return min(j, len(text))
	}
	j := i + 1
	for j < len(text) && text[j] != q && text[j] != '\n' {
		if q == '"' && text[j] == '\\' {
			j++
		}
		j++
	}
	if j < len(text) && text[j] == q {
		j++
	}
	return min(j, len(text))
}

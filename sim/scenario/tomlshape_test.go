package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestCheckShapeAccepts(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"a scenario's own depth", "tasks = [{name = \"a\", hold = \"1s\"}, {name = \"b\"}]\n[[tasks]]\nname = \"c\"\n"},
		{"tables of locks with inline tables", "[locks]\na = { policy = \"fifo\" }\nb = { policy = \"semaphore\", permits = 2 }\n"},
		{"brackets, braces and dots in a multi-line literal string", "[[tasks]]\ncode = '''\nasync with lock: x[0][1][2][3][4][5][6][7][8] = {a.b.c.d.e.f.g.h.i.j}\n# not a comment\n'''\nhold = \"1s\"\n"},
		{"brackets in a multi-line basic string, escaped quotes too", "code = \"\"\"\n[[[[[[[[[[\\\"\"\" {{{{{{{{{{ \\\\\n\"\"\"\"\n"},
		{"quotes closing a multi-line literal string", "code = '''[[[[[[[[[['''''\nx = 1\n"},
		{"brackets and dots in basic and literal strings", "a = \"[[[[[[[[[[a.b.c.d.e.f.g.h.i\"\nb = '{{{{{{{{{{'\nc = \"\\\"[[[[[[[[[[\"\n"},
		{"brackets in comments", "# [[[[[[[[[[ a.b.c.d.e.f.g.h.i.j = 1\nx = [1, # {{{{{{{{{{\n  2]\n[t] # [[[[[[[[[[\n"},
		{"dots in quoted keys", "\"a.b.c.d.e.f.g.h.i\" = 1\n['a.b.c.d.e.f.g.h.i'.x]\n"},
		{"eight parts in keys and headers", "a.b.c.d.e.f.g.h = 1\n[a . b . c . d . e . f . g . i]\n[[a.b.c.d.e.f.g.j]]\nx = {a.b.c.d.e.f.g.h = 1}\n"},
		{"eight levels of arrays and inline tables", "x = [[[[{a = [[[1]]]}]]]]\n"},
		{"floats and dates are values, not keys", "pi = 3.14159\nd = 1979-05-27 07:32:00.999\nt = [1.5e10, 2.5, -inf]\n"},
		{"multi-line arrays and CRLF lines", "x = [\r\n  [1, 2],\r\n  [3],\r\n]\r\ny = 2\r\n"},
		{"a byte order mark", "\ufeffx = [[1]]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkShape("x.toml", tt.doc); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCheckShapeRefuses(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"inline tables nine deep", "x = {a={a={a={a={a={a={a={a={a=1}}}}}}}}}\n", "x.toml:1: arrays and inline tables nested more than 8 deep"},
		{"arrays nine deep, on the line that opens the ninth", "a = 1\nx = [[[[[[[[\n[1]]]]]]]]]\n", "x.toml:3: arrays and inline tables nested more than 8 deep"},
		{"arrays and inline tables mixed", "x = [{a=[{a=[{a=[{a=[1]}]}]}]}]\n", "nested more than 8 deep"},
		{"a dotted key of nine parts", "name = \"x\"\na.b.c.d.e.f.g.h.i = 1\n", "x.toml:2: a dotted key of more than 8 parts"},
		{"a table header of nine parts", "[a.b.\"c\".d.e.f.g.h.i]\n", "x.toml:1: a dotted key of more than 8 parts"},
		{"an array-of-tables header of nine parts", "[[a.b.c.d.e.f.g.h.i]]\n", "x.toml:1: a dotted key of more than 8 parts"},
		{"a long key in an inline table", "x = [{a.b.c.d.e.f.g.h.i = 1}]\n", "x.toml:1: a dotted key of more than 8 parts"},
		{"deep nesting after a multi-line string", "d = '''\n]]]]\n'''\nx = [[[[[[[[[1]]]]]]]]]\n", "x.toml:4:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkShape("x.toml", tt.doc)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestDeepFileRefusedQuickly feeds ParseScenario files that took the TOML
// library seconds and hundreds of megabytes; they must be refused at once.
func TestDeepFileRefusedQuickly(t *testing.T) {
	const size = 32 << 10
	tests := []struct{ name, doc, want string }{
		{"nested inline tables", "x = " + strings.Repeat("{a=", size/4) + "1" + strings.Repeat("}", size/4) + "\n", "arrays and inline tables nested more than 8 deep"},
		{"nested arrays", "x = " + strings.Repeat("[", size/2) + strings.Repeat("]", size/2) + "\n", "arrays and inline tables nested more than 8 deep"},
		{"a dotted key", strings.Repeat("a.", size/2) + "a = 1\n", "a dotted key of more than 8 parts"},
		{"a table header", "[" + strings.Repeat("a.", size/2) + "a]\n", "a dotted key of more than 8 parts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("deep.toml", []byte(tt.doc))
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
			if err == nil || !strings.HasPrefix(err.Error(), "deep.toml:1: "+tt.want) {
				t.Fatalf("err = %v, want deep.toml:1: %s", err, tt.want)
			}
		})
	}
}

// depth counts the tables and arrays of a decoded TOML value inside one
// another, the document's own table included.
func depth(v any) int {
	d := 0
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			d = max(d, depth(e))
		}
	case []map[string]any:
		for _, e := range v {
			d = max(d, depth(e))
		}
	case []any:
		for _, e := range v {
			d = max(d, depth(e))
		}
	default:
		return 0
	}
	return d + 1
}

// FuzzCheckShape checks that checkShape never refuses a document the TOML
// library reads to no more than maxNesting levels: it must tell strings,
// comments, keys and values apart as the library does. Whatever it refuses
// nests deeper: a key of more than 8 parts makes more than 8 tables.
func FuzzCheckShape(f *testing.F) {
	for _, data := range builtinFiles(f) {
		f.Add(string(data))
	}
	f.Add("[locks]\na = { policy = \"fifo\" }\n[[tasks]]\ncode = '''\nx[0] = {a.b}\n'''\n")
	f.Add("a = \"\"\"\n[[[\\\"\"\" {{{ \\\n\"\"\"\"\nb = [[1], {c.d = 2}] # ]]\n")
	f.Add("x = [[[[[[[[1]]]]]]]]\n")
	f.Add("a.b.c.d.e.f.g = 1\n['a.b'.c]\n")
	f.Fuzz(func(t *testing.T, doc string) {
		err := checkShape("fuzz.toml", doc)
		if err != nil && (strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "fuzz.toml:")) {
			t.Fatalf("bad error %q", err)
		}
		if len(doc) > 4<<10 {
			return // the library may take long on deep documents
		}
		var v map[string]any
		if _, derr := toml.Decode(doc, &v); derr != nil {
			return
		}
		if d := depth(v); err != nil && d <= maxNesting {
			t.Fatalf("refused a document %d deep: %v", d, err)
		}
	})
}

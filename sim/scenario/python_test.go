package scenario

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"lockviz/sim"
	"lockviz/sim/format"
	"lockviz/sim/tooltest"
)

// goodCase is code the subset accepts, with the program it compiles to,
// written as dump writes it.
type goodCase struct {
	name  string
	locks []string // nil: just "lock"
	code  string
	want  string
}

var goodCases = []goodCase{
	{name: "pass: the smallest program", code: "pass", want: `
1 pass`},
	{name: "sleep: literals are seconds, as Python writes them", code: `
await asyncio.sleep(0.5)
await asyncio.sleep(2)
await asyncio.sleep(1e-3)
await asyncio.sleep(.25)
await asyncio.sleep(0)`, want: `
2 sleep 0.5
3 sleep 2
4 sleep 0.001
5 sleep 0.25
6 sleep 0`},
	{name: "sleep: every draw of the random module", code: `
await asyncio.sleep(random.expovariate(2))
await asyncio.sleep(random.uniform(0.1, 0.2))
await asyncio.sleep(random.randint(1, 3))
await asyncio.sleep(random.random())
await asyncio.sleep(random.uniform(1, 1))`, want: `
2 sleep expovariate(2)
3 sleep uniform(0.1, 0.2)
4 sleep randint(1, 3)
5 sleep random()
6 sleep uniform(1, 1)`},
	{name: "acquire/release: the lock by name", code: `
await lock.acquire()
lock.release()`, want: `
2 acquire lock
3 release lock`},
	{name: "acquire: the lock's index in the locks given", locks: []string{"a", "b"}, code: `
await b.acquire()
await a.acquire()
a.release()
b.release()`, want: `
2 acquire b
3 acquire a
4 release a
5 release b`},
	{name: "wait_for: acquire within a timeout in seconds", code: `
await asyncio.wait_for(lock.acquire(), 0.5)
await asyncio.wait_for(lock.acquire(), timeout=2)
await asyncio.wait_for(lock.acquire(), random.uniform(1, 2))`, want: `
2 acquire lock within 0.5
3 acquire lock within 2
4 acquire lock within uniform(1, 2)`},
	{name: "async with: holds its body", code: `
async with lock:
    await asyncio.sleep(1)
    shared.append(1)
pass`, want: `
2 with lock
  3 sleep 1
  4 append 1
5 pass`},
	{name: "for: range(3) holds its body", code: `
for _ in range(3):
    await asyncio.sleep(1)
pass`, want: `
2 for 3
  3 sleep 1
4 pass`},
	{name: "for: range(0) is a loop that never runs", code: `
for _ in range(0):
    pass`, want: `
2 for 0
  3 pass`},
	{name: "for: any name may be the variable, and loops may share it", code: `
for i in range(2):
    for i in range(5):
        pass
for turn in range(1):
    pass`, want: `
2 for 2
  3 for 5
    4 pass
5 for 1
  6 pass`},
	{name: "while: True loops, left by break, turned by continue", code: `
while True:
    if random.random() < 0.5:
        continue
    break`, want: `
2 while
  3 if random() < 0.5
    4 continue
  5 break`},
	{name: "try: except and finally both kept", code: `
try:
    await asyncio.wait_for(lock.acquire(), 1)
except asyncio.TimeoutError:
    shared.append(0)
finally:
    pass`, want: `
2 try
  3 acquire lock within 1
 except
  5 append 0
 finally
  7 pass`},
	{name: "try: except alone leaves finally nil", code: `
try:
    await asyncio.wait_for(lock.acquire(), 1)
except TimeoutError:
    pass`, want: `
2 try
  3 acquire lock within 1
 except
  5 pass`},
	{name: "try: finally alone leaves the handler nil", code: `
try:
    pass
finally:
    lock.release()`, want: `
2 try
  3 pass
 finally
  5 release lock`},
	{name: "if: < keeps its operands in order", code: `
if random.random() < 0.1:
    pass`, want: `
2 if random() < 0.1
  3 pass`},
	{name: "if: > swaps its operands onto <", code: `
if 0.1 > random.random():
    pass
if random.randint(1, 6) > 3:
    pass`, want: `
2 if random() < 0.1
  3 pass
4 if 3 < randint(1, 6)
  5 pass`},
	{name: "if: else holds its own body", code: `
if random.random() < 0.5:
    pass
else:
    await asyncio.sleep(1)`, want: `
2 if random() < 0.5
  3 pass
 else
  5 sleep 1`},
	{name: "elif: an if alone in the else, the last else in the last if", code: `
if random.random() < 0.2:
    await asyncio.sleep(1)
elif random.random() < 0.5:
    await asyncio.sleep(2)
elif random.random() < 0.9:
    await asyncio.sleep(3)
else:
    pass
pass`, want: `
2 if random() < 0.2
  3 sleep 1
 else
  4 if random() < 0.5
    5 sleep 2
   else
    6 if random() < 0.9
      7 sleep 3
     else
      9 pass
10 pass`},
	{name: "break and continue: allowed in finally, as in Python 3.8 and later", code: `
for _ in range(2):
    try:
        pass
    finally:
        continue
while True:
    try:
        pass
    finally:
        break`, want: `
2 for 2
  3 try
    4 pass
   finally
    6 continue
7 while
  8 try
    9 pass
   finally
    11 break`},
	{name: "raise: RuntimeError with a message and its escapes", code: `raise RuntimeError("it's \"late\" \\ # no comment")`, want: `
1 raise "it's \"late\" \\ # no comment"`},
	{name: "raise: single quotes, no argument, no call", code: `
raise RuntimeError('gave up')
raise RuntimeError()
raise RuntimeError`, want: `
2 raise "gave up"
3 raise ""
4 raise ""`},
	{name: "shared: append a drawn value", code: `shared.append(random.randint(1, 100))`, want: `
1 append randint(1, 100)`},
	{name: "shared: the read-modify-write of the README, through a snapshot", code: `
for _ in range(2):
    await lock.acquire()
    value = random.randint(1, 100)
    snapshot = list(shared)
    try:
        await asyncio.sleep(random.expovariate(2.5))
        shared[:] = snapshot + [value]
    finally:
        lock.release()`, want: `
2 for 2
  3 acquire lock
  4 v0 = randint(1, 100)
  5 v1 = list(shared)
  6 try
    7 sleep expovariate(2.5)
    8 shared = v1 + v0
   finally
    10 release lock`},
	{name: "assign: one slot per distinct name, in order of first assignment", code: `
x = 1
y = random.random()
x = y
await asyncio.sleep(x)`, want: `
2 v0 = 1
3 v1 = random()
4 v0 = v1
5 sleep v0`},
	{name: "names: soft keywords and builtins are variables like any other", code: `
match = 1
print = 2
_ = match
shared.append(print)`, want: `
2 v0 = 1
3 v1 = 2
4 v2 = v0
5 append v1`},
	{name: "nesting: async with inside for inside while", locks: []string{"a", "b"}, code: `
while True:
    for _ in range(3):
        async with b:
            async with a:
                await asyncio.sleep(random.expovariate(10))
    await asyncio.sleep(1)`, want: `
2 while
  3 for 3
    4 with b
      5 with a
        6 sleep expovariate(10)
  7 sleep 1`},
	{name: "nesting: try/finally around a manual acquire and release", code: `
for _ in range(5):
    await lock.acquire()
    try:
        await asyncio.sleep(0.1)
        if random.random() < 0.1:
            raise RuntimeError("boom")
    finally:
        lock.release()`, want: `
2 for 5
  3 acquire lock
  4 try
    5 sleep 0.1
    6 if random() < 0.1
      7 raise "boom"
   finally
    9 release lock`},
	{name: "lines: comments and blank lines keep the numbering", code: `# a task

   # an odd comment
await lock.acquire()  # take it

    # inside

lock.release()
`, want: `
4 acquire lock
8 release lock`},
	{name: "dedent: code indented as a whole, as in a TOML string", code: `
        for _ in range(2):
            pass
        pass
    `, want: `
2 for 2
  3 pass
4 pass`},
	{name: "dedent: a comment less indented than the code does not count", code: `
# the body
    await asyncio.sleep(1)
    if 1 < 2:
        pass`, want: `
3 sleep 1
4 if 1 < 2
  5 pass`},
	{name: "lines: CRLF line ends are line ends", code: "pass\r\nawait asyncio.sleep(1)\r\n", want: `
1 pass
2 sleep 1`},
	{name: "spaces: tabs and spaces between tokens are Python's business", code: "await\tasyncio . sleep (  1 )\nsnap =list( shared )\nshared[ : ] =snap+[ 2 ]", want: `
1 sleep 1
2 v0 = list(shared)
3 shared = v0 + 2`},
	{name: "numbers: leading zeros in floats, and zero as 00", code: `
await asyncio.sleep(00)
await asyncio.sleep(01.5)
await asyncio.sleep(1.)
await asyncio.sleep(2E1)`, want: `
2 sleep 0
3 sleep 1.5
4 sleep 1
5 sleep 20`},
}

// dump writes a program's statements one a line, "line what", blocks
// indented, so that a test can spell a whole tree. A field a kind does not
// use is flagged when set, so the dump tells programs apart exactly.
func dump(p *sim.Program) string {
	var b strings.Builder
	dumpBody(&b, p, p.Body, "")
	return b.String()
}

func dumpBody(b *strings.Builder, p *sim.Program, body []sim.Stmt, indent string) {
	for _, s := range body {
		rest := s
		rest.Body, rest.Else, rest.Handler, rest.Finally, rest.HasHandler = nil, nil, nil, nil, false
		lock := func() string {
			rest.Lock = 0
			if int(s.Lock) < len(p.Locks) {
				return p.Locks[s.Lock]
			}
			return fmt.Sprintf("lock#%d", s.Lock)
		}
		x := func() string { rest.X = sim.Expr{}; return dumpExpr(s.X) }
		v := func() string { rest.Var = 0; return fmt.Sprintf("v%d", s.Var) }
		var what string
		switch s.Kind {
		case sim.SPass:
			what = "pass"
		case sim.SSleep:
			what = "sleep " + x()
		case sim.SAcquire:
			what = "acquire " + lock()
		case sim.SAcquireWithin:
			what = "acquire " + lock() + " within " + x()
		case sim.SRelease:
			what = "release " + lock()
		case sim.SWith:
			what = "with " + lock()
		case sim.SFor:
			what = fmt.Sprintf("for %d", s.N)
			rest.N = 0
		case sim.SWhile:
			what = "while"
		case sim.STry:
			what = "try"
		case sim.SIf:
			what = "if " + x()
		case sim.SBreak:
			what = "break"
		case sim.SContinue:
			what = "continue"
		case sim.SRaise:
			what = "raise " + strconv.Quote(s.Msg)
			rest.Msg = ""
		case sim.SAppend:
			what = "append " + x()
		case sim.SAssign:
			what = v() + " = " + x()
		case sim.SWriteBack:
			what = "shared = " + v() + " + " + x()
		default:
			what = fmt.Sprintf("kind#%d", s.Kind)
		}
		if !reflect.DeepEqual(rest, sim.Stmt{Kind: s.Kind, Line: s.Line}) {
			what += fmt.Sprintf(" STRAY%+v", rest)
		}
		fmt.Fprintf(b, "%s%d %s\n", indent, s.Line, what)
		dumpBody(b, p, s.Body, indent+"  ")
		clause := func(name string, body []sim.Stmt) {
			if body != nil {
				fmt.Fprintf(b, "%s %s\n", indent, name)
				dumpBody(b, p, body, indent+"  ")
			}
		}
		clause("else", s.Else)
		switch {
		case s.HasHandler != (s.Handler != nil):
			fmt.Fprintf(b, "%s HANDLER MISMATCH %v %v\n", indent, s.HasHandler, s.Handler)
		case s.Handler != nil:
			clause("except", s.Handler)
		}
		clause("finally", s.Finally)
	}
}

func dumpExpr(e sim.Expr) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	rest := sim.Expr{Kind: e.Kind}
	var s string
	switch e.Kind {
	case sim.EConst:
		s, rest.A = num(e.A), e.A
	case sim.EExpovariate:
		s, rest.A = "expovariate("+num(e.A)+")", e.A
	case sim.EUniform:
		s, rest.A, rest.B = "uniform("+num(e.A)+", "+num(e.B)+")", e.A, e.B
	case sim.ERandInt:
		s, rest.A, rest.B = "randint("+num(e.A)+", "+num(e.B)+")", e.A, e.B
	case sim.ERandom:
		s = "random()"
	case sim.ELess:
		if len(e.Args) == 2 {
			s, rest.Args = dumpExpr(e.Args[0])+" < "+dumpExpr(e.Args[1]), e.Args
		}
	case sim.EVarRef:
		s, rest.Var = fmt.Sprintf("v%d", e.Var), e.Var
	case sim.ESnapshot:
		s = "list(shared)"
	}
	if !reflect.DeepEqual(rest, e) {
		s += fmt.Sprintf(" STRAY%+v", e)
	}
	return s
}

func locksOf(c goodCase) []string {
	if c.locks == nil {
		return []string{"lock"}
	}
	return c.locks
}

func TestParseCode(t *testing.T) {
	for _, c := range goodCases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParseCode("s.toml", 1, c.code, locksOf(c))
			if err != nil {
				t.Fatal(err)
			}
			want := strings.TrimPrefix(c.want, "\n") + "\n"
			if got := dump(p); got != want {
				t.Errorf("code:\n%s\ngot:\n%swant:\n%s", c.code, got, want)
			}
		})
	}
}

func TestParseCodeProgram(t *testing.T) {
	code := "\n    x = list(shared)\n  \n    # a comment\n    y = 1  \n    z = 2\n"
	p, err := ParseCode("s.toml", 1, code, []string{"b", "a", "unused"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "\nx = list(shared)\n\n# a comment\ny = 1  \nz = 2\n"; p.Source != want {
		t.Errorf("source = %q, want %q (dedented line for line, blank lines emptied)", p.Source, want)
	}
	if want := []string{"b", "a", "unused"}; !reflect.DeepEqual(p.Locks, want) {
		t.Errorf("locks = %q, want %q, all kept in order", p.Locks, want)
	}
	if p.Vars != 3 {
		t.Errorf("vars = %d, want 3", p.Vars)
	}
}

// badCase is code the subset refuses: the error's file line, with line0
// 10, and a part of its message.
type badCase struct {
	name  string
	locks []string // nil: just "lock"
	code  string
	line  int
	want  string
}

var badCases = []badCase{
	{"empty: no statement at all", nil, "", 10, "the code has no statement (pass is one)"},
	{"empty: comments and blank lines only", nil, "\n# nothing\n   \n", 10, "the code has no statement"},
	{"subset: a call to print", nil, "pass\nprint(x)", 11, `"print(x)" is not in lockviz's subset of Python (see the README: sleep, acquire/release, async with, for, while, try, if, raise, shared)`},
	{"subset: return", nil, "return", 10, `"return" is not in lockviz's subset`},
	{"subset: arithmetic", nil, "x = 1 + 2", 10, `"x = 1 + 2" is not in lockviz's subset`},
	{"subset: a tuple assignment", nil, "a, b = 1, 2", 10, `"a, b = 1, 2" is not in lockviz's subset`},
	{"lock: unknown name, the declared ones listed", []string{"a", "b"}, "await a.acquire()\nawait c.acquire()", 11, `unknown lock "c" (declared: a, b)`},
	{"lock: async with an undeclared lock", nil, "async with other:\n    pass", 10, `unknown lock "other" (declared: lock)`},
	{"lock: release of an undeclared lock", nil, "thing.release()", 10, `unknown lock "thing"`},
	{"lock: wait_for on an undeclared lock", nil, "await asyncio.wait_for(x.acquire(), 1)", 10, `unknown lock "x"`},
	{"lock: none declared", []string{}, "await lock.acquire()", 10, `unknown lock "lock" (declared: none)`},
	{"indentation: a dedent to no enclosing level", nil, "for _ in range(2):\n        pass\n    pass", 12, "inconsistent indentation: the line's indentation matches no enclosing block"},
	{"indentation: an indent without a header", nil, "pass\n    pass", 11, "inconsistent indentation: unexpected indent"},
	{"indentation: a tab", nil, "for _ in range(2):\n\tpass", 11, "a tab in the indentation"},
	{"indentation: a header with no block before the end", nil, "pass\nasync with lock:\n# nothing", 11, `"async with lock:" needs an indented block on the lines after it`},
	{"indentation: a header with no block before the next statement", nil, "while True:\npass", 10, `"while True:" needs an indented block`},
	{"one line: a one-line block", nil, "if random.random() < 0.5: pass", 10, `put the block of "if random.random() < 0.5:" on the lines after it, indented: lockviz's subset of Python has no one-line blocks`},
	{"one line: a semicolon", nil, "pass; pass", 10, `one statement per line: ";" is not in lockviz's subset`},
	{"one line: a backslash continuation", nil, "await asyncio.sleep( \\\n1)", 10, "a backslash continues the line"},
	{"one line: a bracket left open", nil, "shared.append(\n    1)", 10, `"(" is not closed on its line`},
	{"one line: a triple-quoted string", nil, `raise RuntimeError("""x""")`, 10, "triple-quoted strings are not in"},
	{"loop: break outside a loop", nil, "pass\nbreak", 11, "break outside a loop"},
	{"loop: continue in an if outside a loop", nil, "if 1 < 2:\n    continue", 11, "continue outside a loop"},
	{"while: a condition other than True", nil, "while x < 3:\n    pass", 10, "the only while loop in lockviz's subset of Python is while True"},
	{"for: range of a variable", nil, "n = 3\nfor _ in range(n):\n    pass", 11, "range takes a non-negative integer literal"},
	{"for: range with a start", nil, "for _ in range(1, 3):\n    pass", 10, `"for _ in range(1, 3):" is not in lockviz's subset`},
	{"for: its variable used", nil, "for i in range(3):\n    shared.append(i)", 11, `"i" is the variable of the for on line 10: lockviz's subset of Python does not track it`},
	{"for: its variable assigned", nil, "for i in range(3):\n    pass\ni = 2", 12, `"i" is the variable of the for on line 10`},
	{"for: a variable as its variable", nil, "i = 2\nfor i in range(3):\n    pass", 11, `"i" is a variable assigned on line 10`},
	{"try: neither except nor finally", nil, "try:\n    pass\npass", 10, `"try:" needs an "except asyncio.TimeoutError:" or a "finally:" after its block`},
	{"try: another exception caught", nil, "try:\n    pass\nexcept Exception:\n    pass", 12, `"except Exception:": the only exception lockviz's subset of Python catches is asyncio.TimeoutError`},
	{"try: a bare except", nil, "try:\n    pass\nexcept:\n    pass", 12, "the only exception"},
	{"try: two except clauses", nil, "try:\n    pass\nexcept TimeoutError:\n    pass\nexcept asyncio.TimeoutError:\n    pass", 14, "one except clause per try"},
	{"try: an else clause", nil, "try:\n    pass\nexcept TimeoutError:\n    pass\nelse:\n    pass", 14, `"else:" has no if or try before it`},
	{"try: finally before except", nil, "try:\n    pass\nfinally:\n    pass\nexcept TimeoutError:\n    pass", 14, `"except TimeoutError:" has no if or try before it`},
	{"for: an else clause", nil, "for _ in range(2):\n    pass\nelse:\n    pass", 12, "for … else, while … else and try … else are not in"},
	{"if: no comparison", nil, "if True:\n    pass", 10, "a condition in lockviz's subset of Python compares two numbers with < or >"},
	{"if: <= is refused", nil, "if random.random() <= 0.5:\n    pass", 10, "compares with < and > only, not <="},
	{"if: == is refused", nil, "if 1 == 1:\n    pass", 10, "compares with < and > only, not =="},
	{"if: a chained comparison", nil, "if 0 < random.random() < 1:\n    pass", 10, "chained comparisons are not in"},
	{"if: an elif with a bad condition", nil, "if 1 < 2:\n    pass\nelif x:\n    pass", 12, "a condition in lockviz's subset"},
	{"numbers: a negative literal", nil, "await asyncio.sleep(-1)", 10, "negative numbers are not in lockviz's subset of Python"},
	{"numbers: a negative argument", nil, "x = random.uniform(-1, 1)", 10, "negative numbers are not in"},
	{"numbers: parentheses", nil, "await asyncio.sleep((1))", 10, "parentheses around an expression are not in"},
	{"numbers: leading zeros in an integer", nil, "x = 007", 10, `invalid number "007"`},
	{"numbers: underscores", nil, "x = 1_000", 10, `invalid number "1_000"`},
	{"numbers: hexadecimal", nil, "x = 0x10", 10, `invalid number "0x10"`},
	{"numbers: an integer past 2**53", nil, "for _ in range(9007199254740993):\n    pass", 10, `integer "9007199254740993" is too large`},
	{"numbers: a float past the largest", nil, "await asyncio.sleep(1e999)", 10, `number "1e999" is too large`},
	{"numbers: missing", nil, "await asyncio.sleep()", 10, `"await asyncio.sleep()": a number is missing`},
	{"numbers: True is not one", nil, "x = True", 10, `"True" is not a number expression in lockviz's subset of Python (a number, a variable`},
	{"random: randint of floats", nil, "x = random.randint(1.5, 3)", 10, `"random.randint(1.5, 3)": random.randint takes two integer literals A <= B`},
	{"random: uniform the wrong way round", nil, "x = random.uniform(2, 1)", 10, "random.uniform takes two number literals A <= B"},
	{"random: expovariate of 0", nil, "x = random.expovariate(0)", 10, "the rate, above 0"},
	{"random: an argument that is a variable", nil, "y = 1\nx = random.uniform(0, y)", 11, "random.uniform takes two number literals"},
	{"random: a function outside the subset", nil, "x = random.gauss(1, 2)", 10, `"random.gauss(1, 2)": random.gauss is not in lockviz's subset`},
	{"variables: used before assignment", nil, "shared.append(x)\nx = 1", 10, `"x" is used before it is assigned`},
	{"variables: assigned from itself first", nil, "x = x", 10, `"x" is used before it is assigned`},
	{"variables: random cannot be assigned", nil, "random = 1", 10, `"random" cannot be a variable`},
	{"variables: a lock cannot be assigned", nil, "lock = 1", 10, `"lock" cannot be a variable`},
	{"variables: a number, then a snapshot", nil, "x = 1\nx = list(shared)", 11, `"x" holds a number since line 10, and a variable holds numbers or snapshots, not both`},
	{"variables: a snapshot used as a number", nil, "x = list(shared)\nshared.append(x)", 11, `"x" holds a snapshot of the shared list, not a number`},
	{"shared: list(shared) as a number", nil, "shared.append(list(shared))", 10, "list(shared) is not a number"},
	{"shared: written back from a number", nil, "x = 1\nshared[:] = x + [1]", 11, `"x" holds a number, not a snapshot of the shared list`},
	{"shared: written back from nothing", nil, "shared[:] = s + [1]", 10, `"s" is used before it is assigned (a snapshot, as in s = list(shared))`},
	{"shared: written back otherwise", nil, "shared[:] = [1]", 10, "writes the shared list back as shared[:] = snapshot + [value]"},
	{"wait_for: something other than an acquire", nil, "await asyncio.wait_for(asyncio.sleep(1), 2)", 10, "waits for L.acquire() only"},
	{"await: something else", nil, "await asyncio.gather()", 10, "it awaits asyncio.sleep(X), L.acquire() and asyncio.wait_for(L.acquire(), T)"},
	{"await: a release", nil, "await lock.release()", 10, `release is not awaited, write "lock.release()"`},
	{"await: in an assignment", nil, "x = await asyncio.sleep(1)", 10, "await starts a statement of its own"},
	{"acquire: not awaited", nil, "lock.acquire()", 10, `"lock.acquire()" must be awaited: "await lock.acquire()"`},
	{"with: without async", nil, "with lock:\n    pass", 10, "an asyncio lock is entered with async with"},
	{"raise: another exception", nil, "raise ValueError()", 10, "raises RuntimeError only"},
	{"raise: bare", nil, "raise", 10, "raises RuntimeError only"},
	{"raise: an f-string", nil, `raise RuntimeError(f"x")`, 10, "RuntimeError takes one string literal"},
	{"strings: an escape outside the subset", nil, `raise RuntimeError("a\nb")`, 10, `escape \n is not in lockviz's subset`},
	{"strings: a tab in a message", nil, "raise RuntimeError(\"a\tb\")", 10, "a tab in a string"},
	{"strings: not closed", nil, `raise RuntimeError("oops)`, 10, "is not closed on its line"},
	{"characters: a name that is not ASCII", nil, "café = 1", 10, `"café": names are ASCII`},
	{"characters: a zero-width space in a comment", nil, "pass\n# a\u200bb", 11, "control or invisible format character U+200B"},
	{"characters: invalid UTF-8", nil, "pass # \xff", 10, "invalid UTF-8 at byte 8"},
	{"characters: a stray one", nil, "x = 1 $ 2", 10, "unexpected character '$'"},
	{"nesting: 21 loops, past CPython's limit", nil, nestedLoops(21), 30, "too many nested blocks: CPython allows 20"},
	{"nesting: 99 levels, past CPython's indentation", nil, nestedIfs(99), 109, "nested too deep: at most 98 levels"},
	{"nesting: 98 elifs, each an if nested in the else before", nil, elifChain(98), 207, "nested too deep: at most 98 levels (an elif counts as one more)"},
}

// elifChain is an if with n elifs.
func elifChain(n int) string {
	return "if 1 < 2:\n    pass\n" + strings.Repeat("elif 1 < 2:\n    pass\n", n)
}

func TestParseCodeLimits(t *testing.T) {
	for name, code := range map[string]string{
		"blocks: 20 loops inside one another, as CPython allows": nestedLoops(20),
		"depth: 98 levels of indentation, as CPython allows":     nestedIfs(98),
		"depth: 97 elifs, the deepest an elif chain goes":        elifChain(97),
	} {
		if _, err := ParseCode("s.toml", 1, code, []string{"lock"}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// nestedLoops is n for loops inside one another.
func nestedLoops(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sfor _ in range(2):\n", strings.Repeat("    ", i))
	}
	return b.String() + strings.Repeat("    ", n) + "pass\n"
}

// nestedIfs is code n levels deep in ifs.
func nestedIfs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sif 1 < 2:\n", strings.Repeat("    ", i))
	}
	return b.String() + strings.Repeat("    ", n) + "pass\n"
}

func TestParseCodeErrors(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			locks := c.locks
			if locks == nil {
				locks = []string{"lock"}
			}
			_, err := ParseCode("s.toml", 10, c.code, locks)
			if err == nil {
				t.Fatalf("accepted:\n%s", c.code)
			}
			msg := err.Error()
			if prefix := fmt.Sprintf("s.toml:%d: ", c.line); !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, c.want) {
				t.Errorf("error = %s\nwant   %s…%s", msg, prefix, c.want)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error %q is not one line", msg)
			}
		})
	}
}

func TestParseCodeLockNames(t *testing.T) {
	for _, c := range []struct {
		locks []string
		want  string
	}{
		{[]string{"db-pool"}, `s.toml: lock name "db-pool" is not a Python identifier`},
		{[]string{""}, `s.toml: lock name "" is not a Python identifier`},
		{[]string{"if"}, `s.toml: lock name "if" is a Python keyword`},
		{[]string{"random"}, `s.toml: lock name "random" is a name lockviz's subset of Python uses`},
		{[]string{"a", "b", "a"}, `s.toml: lock "a" is declared twice`},
	} {
		_, err := ParseCode("s.toml", 3, "pass", c.locks)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("locks %q: error = %v, want %s", c.locks, err, c.want)
		}
	}
}

// compileAll compiles each source read from stdin (a JSON list) as the
// body of `async def task():`, printing its version and, for each source,
// null or the error.
const compileAll = `
import json, sys
results = []
for src in json.load(sys.stdin):
    body = "".join("    " + l if l.strip() else l for l in src.splitlines(True))
    try:
        compile("async def task():\n" + body + "\n", "<code>", "exec")
        results.append(None)
    except Exception as e:
        results.append("%s: %s" % (type(e).__name__, e))
json.dump({"version": "%d.%d" % sys.version_info[:2], "results": results}, sys.stdout)
`

// nestingCase is a program of blocks inside one another, around the
// limits, and what compiling it did.
type nestingCase struct {
	code string
	err  error
}

// nestingCases are programs whose blocks nest to random depths around
// CPython's limits, each descending through one clause of a compound
// statement, so that every way the subset counts blocks meets CPython.
func nestingCases() []nestingCase {
	kinds := []string{"for", "while", "with", "if", "else", "elif",
		"except-body", "except-handler", "finally-body", "finally-finally",
		"both-body", "both-handler", "both-finally"}
	r := rand.New(rand.NewPCG(7, 11))
	var cases []nestingCase
	for range 400 {
		chain := make([]string, 10+r.IntN(20))
		for i := range chain {
			chain[i] = kinds[r.IntN(len(kinds))]
		}
		var b strings.Builder
		nest(&b, chain, 0)
		_, err := ParseCode("nest", 1, b.String(), []string{"lock"})
		cases = append(cases, nestingCase{b.String(), err})
	}
	for _, code := range []string{nestedLoops(20), nestedLoops(21), nestedIfs(98), nestedIfs(99)} {
		_, err := ParseCode("nest", 1, code, []string{"lock"})
		cases = append(cases, nestingCase{code, err})
	}
	return cases
}

// nest writes the chain of compound statements, each inside the clause
// of the one before that its kind names, with pass in the innermost.
func nest(b *strings.Builder, chain []string, depth int) {
	in := strings.Repeat("    ", depth)
	line := func(s string) { b.WriteString(in + s + "\n") }
	pass := func() { line("    pass") }
	if len(chain) == 0 {
		line("pass")
		return
	}
	inner := func() { nest(b, chain[1:], depth+1) }
	kind, clause, _ := strings.Cut(chain[0], "-")
	switch kind {
	case "for":
		line("for _ in range(2):")
		inner()
	case "while":
		line("while True:")
		inner()
	case "with":
		line("async with lock:")
		inner()
	case "if":
		line("if random.random() < 0.5:")
		inner()
	case "else":
		line("if random.random() < 0.5:")
		pass()
		line("else:")
		inner()
	case "elif":
		line("if random.random() < 0.5:")
		pass()
		line("elif random.random() < 0.5:")
		inner()
	default: // a try with except, finally or both, nesting in clause
		line("try:")
		if clause == "body" {
			inner()
		} else {
			pass()
		}
		if kind != "finally" {
			line("except asyncio.TimeoutError:")
			if clause == "handler" {
				inner()
			} else {
				pass()
			}
		}
		if kind != "except" {
			line("finally:")
			if clause == "finally" {
				inner()
			} else {
				pass()
			}
		}
	}
}

func TestAcceptedCodeIsPython(t *testing.T) {
	python := tooltest.Need(t, "python3", "this test compiles the accepted code with it")
	var sources []string
	for _, c := range goodCases {
		p, err := ParseCode("s.toml", 1, c.code, locksOf(c))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sources = append(sources, p.Source)
	}
	for _, code := range append(fuzzSeeds(), mutants(30000)...) {
		if p, err := ParseCode("s.toml", 1, code, fuzzLocks); err == nil {
			sources = append(sources, p.Source)
		}
	}
	nesting := nestingCases()
	for _, c := range nesting {
		sources = append(sources, c.code)
	}
	in, err := json.Marshal(sources)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", compileAll)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var answer struct {
		Version string
		Results []*string
	}
	if err := json.Unmarshal(out, &answer); err != nil || len(answer.Results) != len(sources) {
		t.Fatalf("python3 answered %d results for %d sources (%v): %.200s", len(answer.Results), len(sources), err, out)
	}
	// The limits are CPython 3.11's; another version only checks that
	// what is accepted compiles.
	sameLimits := answer.Version == "3.11"
	accepted, refused := 0, 0
	for i, res := range answer.Results {
		var ours error
		if j := i - (len(sources) - len(nesting)); j >= 0 {
			ours = nesting[j].err
		}
		switch {
		case ours == nil && res != nil:
			t.Errorf("accepted, but CPython says %s:\n%s", *res, sources[i])
		case ours == nil:
			accepted++
		case strings.Contains(ours.Error(), "too many nested blocks") || strings.Contains(ours.Error(), "nested too deep") && !strings.Contains(sources[i], "elif"):
			// The subset's limits are CPython's, except for elif chains.
			if res == nil && sameLimits {
				t.Errorf("refused (%v), but CPython compiles it:\n%s", ours, sources[i])
			}
			refused++
		case !strings.Contains(ours.Error(), "nested too deep"):
			t.Errorf("a nesting case refused for another reason: %v\n%s", ours, sources[i])
		}
	}
	t.Logf("CPython compiled the %d programs accepted, and refused the %d refused for CPython's limits", accepted, refused)
	if !sameLimits {
		t.Logf("python3 is %s: whether it refuses what the subset refuses for CPython 3.11's limits was not checked", answer.Version)
	}
	if refused == 0 {
		t.Error("no nesting case reached CPython's limits")
	}
}

// mutants are n programs made from the tests' by inserting Python's
// tokens and layout, deleting bytes and repeating lines at random: those
// the subset accepts go to CPython, to catch what a case table misses.
func mutants(n int) []string {
	frags := strings.Fields(`( ) [ ] : , . = < > <= - + 1 0.5 1e3 x _ lock a random shared list await async
		if elif else try except finally for in range while True pass break continue raise with not TimeoutError asyncio # ' " \`)
	frags = append(frags, " ", "\n", "    ", "\t")
	seeds := fuzzSeeds()
	r := rand.New(rand.NewPCG(3, 4))
	out := make([]string, n)
	for i := range out {
		code := seeds[r.IntN(len(seeds))]
		for range 1 + r.IntN(4) {
			at := r.IntN(len(code) + 1)
			switch r.IntN(3) {
			case 0:
				code = code[:at] + frags[r.IntN(len(frags))] + code[at:]
			case 1:
				code = code[:at] + code[min(len(code), at+1+r.IntN(5)):]
			default:
				lines := strings.Split(code, "\n")
				k := r.IntN(len(lines))
				code = strings.Join(slices.Insert(lines, k, lines[k]), "\n")
			}
		}
		out[i] = code
	}
	return out
}

// fuzzLocks are the locks the fuzz target declares.
var fuzzLocks = []string{"lock", "a", "b"}

// fuzzSeeds are the fuzz target's seeds: every case of the tests, and
// fragments near the edges of the lexer.
func fuzzSeeds() []string {
	var seeds []string
	for _, c := range goodCases {
		seeds = append(seeds, c.code)
	}
	for _, c := range badCases {
		seeds = append(seeds, c.code)
	}
	return append(seeds,
		"x = 1.e5\nshared.append(x)", "x = .5e-3", "raise RuntimeError('\\'')", "raise RuntimeError(\"\\\\\")",
		"if a < b:\n  pass\nelif 1 > 2:\n  pass\nelse:\n  pass", "shared[:] = s + [random.randint(1, 2)]",
		"await a.acquire()\ntry:\n  pass\nfinally:\n  a.release()", "  pass\n pass", "pass\r", "\r\n", "#\xff",
	)
}

func FuzzParseCode(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		lines := strings.Count(code, "\n") + 1
		p, err := ParseCode("fuzz.toml", 1, code, fuzzLocks)
		if err != nil {
			checkErrorLine(t, err.Error(), lines)
			return
		}
		checkProgram(t, p, lines)
		again, err := ParseCode("fuzz.toml", 1, p.Source, fuzzLocks)
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("the source compiles differently from the code (%v):\n%q\n%q", err, code, p.Source)
		}
	})
}

// checkErrorLine checks that msg is one line, "fuzz.toml:L: message" with
// L a line of the code, and that it shows no control character raw.
func checkErrorLine(t *testing.T, msg string, lines int) {
	t.Helper()
	rest, ok := strings.CutPrefix(msg, "fuzz.toml:")
	num, text, ok2 := strings.Cut(rest, ": ")
	n, err := strconv.Atoi(num)
	if !ok || !ok2 || err != nil || n < 1 || n > lines || text == "" {
		t.Fatalf("error %q is not fuzz.toml:L: message with L in 1..%d", msg, lines)
	}
	if !utf8.ValidString(msg) || strings.ContainsFunc(msg, format.IsControlOrFormat) {
		t.Fatalf("error %q holds a control character or invalid UTF-8", msg)
	}
}

// checkProgram checks what every program accepted must satisfy: the
// source keeps the code's lines, each statement is on a statement's
// line, and its lock and variable exist.
func checkProgram(t *testing.T, p *sim.Program, lines int) {
	t.Helper()
	src := strings.Split(p.Source, "\n")
	if len(src) != lines {
		t.Fatalf("source has %d lines, the code %d", len(src), lines)
	}
	var walk func(body []sim.Stmt)
	walk = func(body []sim.Stmt) {
		for _, s := range body {
			if s.Line < 1 || int(s.Line) > lines {
				t.Fatalf("statement on line %d of %d", s.Line, lines)
			}
			if l := strings.TrimSpace(src[s.Line-1]); l == "" || l[0] == '#' {
				t.Fatalf("statement on line %d, which is %q", s.Line, l)
			}
			if int(s.Lock) >= len(p.Locks) || int(s.Var) >= max(p.Vars, 1) {
				t.Fatalf("statement %+v beyond %d locks or %d vars", s, len(p.Locks), p.Vars)
			}
			for _, body := range [][]sim.Stmt{s.Body, s.Else, s.Handler, s.Finally} {
				walk(body)
			}
		}
	}
	walk(p.Body)
}

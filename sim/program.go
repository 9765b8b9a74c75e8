package sim

// Program is the body of a task's coroutine, compiled from its code (a
// subset of Python that is Python) or from the shorthand fields: a tree of
// statements the engine interprets, suspending where asyncio suspends.
type Program struct {
	Body   []Stmt
	Source string // the Python it stands for, the body of `async def task():`
	Vars   int    // how many local variables it uses
	Locks  []string
}

// StmtKind says what a statement does.
type StmtKind uint8

// The statements of the subset, one constant each, named S and the
// statement. L is Stmt.Lock, X Stmt.X.
const (
	SPass          StmtKind = iota // pass
	SSleep                         // await asyncio.sleep(X)
	SAcquire                       // await L.acquire()
	SAcquireWithin                 // await asyncio.wait_for(L.acquire(), X): raises TimeoutError
	SRelease                       // L.release()
	SWith                          // async with L: Body
	SFor                           // for _ in range(N): Body
	SWhile                         // while True: Body
	STry                           // try: Body, except asyncio.TimeoutError: Handler, finally: Finally
	SIf                            // if X: Body, else: Else
	SBreak                         // break
	SContinue                      // continue
	SRaise                         // raise RuntimeError(Msg)
	SAppend                        // shared.append(X)
	SAssign                        // Var = X
	SWriteBack                     // shared[:] = Var + [X]
)

// Stmt is one statement. Line is its line within the code, from 1.
type Stmt struct {
	Kind    StmtKind
	Line    int32
	Lock    int32 // index into Program.Locks
	Var     int32 // Assign, WriteBack: the variable
	N       int   // For: range(N)
	X       Expr
	Msg     string // Raise: the message
	Body    []Stmt
	Else    []Stmt // If
	Handler []Stmt // Try: except asyncio.TimeoutError; nil when there is none
	Finally []Stmt // Try: finally; nil when there is none
	// HasHandler tells an empty handler (pass) from none.
	HasHandler bool
}

// ExprKind says what an expression computes.
type ExprKind uint8

// The expressions of the subset, named E and the expression. Durations are
// in seconds, as Python
// writes them, except Draw's, which draws a shorthand distribution in
// nanoseconds exactly as the engine always has.
const (
	EConst       ExprKind = iota // the number A
	EExpovariate                 // random.expovariate(A)
	EUniform                     // random.uniform(A, B)
	ERandInt                     // random.randint(A, B), integers
	ERandom                      // random.random()
	ELess                        // Args[0] < Args[1]
	EVarRef                      // the variable Var
	ESnapshot                    // list(shared)
	EDraw                        // a shorthand duration, in nanoseconds: the task's think (Var 0) or hold (Var 1)
	ENanos                       // exactly Ns nanoseconds, as the shorthand's timeout
)

// Expr is one expression.
type Expr struct {
	Kind ExprKind
	A, B float64
	Ns   int64
	Var  int32
	Args []Expr
}

// The shorthand's two distributions, as EDraw's Var.
const (
	drawThink = 0
	drawHold  = 1
)

// Forever reports whether the program loops forever at its top level: a
// `while True:` that no `break` leaves.
func (p *Program) Forever() bool {
	for i := range p.Body {
		if s := &p.Body[i]; s.Kind == SWhile && !breaks(s.Body) {
			return true
		}
	}
	return false
}

// breaks reports whether a break in body leaves the loop body belongs to.
func breaks(body []Stmt) bool {
	for i := range body {
		s := &body[i]
		switch s.Kind {
		case SBreak:
			return true
		case SFor, SWhile:
			continue // a break in there leaves that loop
		}
		if breaks(s.Body) || breaks(s.Else) || breaks(s.Handler) || breaks(s.Finally) {
			return true
		}
	}
	return false
}

// Rounds returns how many times the program's top-level loop runs: its
// range, or 0 for `while True:`; ok is false when the top level has no
// loop.
func (p *Program) Rounds() (n int, ok bool) {
	for i := range p.Body {
		switch s := &p.Body[i]; s.Kind {
		case SFor:
			return s.N, true
		case SWhile:
			return 0, true
		}
	}
	return 0, false
}

// depth returns how deep the program nests: the frames its interpreter's
// stack can hold at once, the body counted.
func (p *Program) depth() int { return 1 + nesting(p.Body) }

func nesting(body []Stmt) int {
	d := 0
	for i := range body {
		s := &body[i]
		inner := max(nesting(s.Body), nesting(s.Else), nesting(s.Handler), nesting(s.Finally))
		switch s.Kind {
		case SFor, SWhile, SWith, STry, SIf:
			inner++
		}
		d = max(d, inner)
	}
	return d
}

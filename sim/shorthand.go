package sim

import (
	"strconv"
	"strings"
	"time"
)

// shorthand compiles a task's shorthand fields to the program the README
// shows, on the run's first lock:
//
//	for _ in range(iterations):           # while True: when iterations = 0
//	    await asyncio.sleep(think)        # when the drawn think > 0
//	    async with lock:                  # or, with a timeout, wait_for in a try
//	        value, snapshot = random.randint(1, 100), list(shared)   # when append
//	        await asyncio.sleep(hold)     # when the drawn hold > 0
//	        shared[:] = snapshot + [value]
//
// Durations are drawn from the task's current think and hold, so changing
// them mid-run takes effect at the next draw, and a draw of 0 does not
// sleep at all: the program yields to the loop exactly where the engine
// always has. With a timeout the acquire is
//
//	try:
//	    await asyncio.wait_for(lock.acquire(), timeout)
//	except asyncio.TimeoutError:
//	    continue
//	try:
//	    …                                 # the body above
//	finally:
//	    lock.release()
func shorthand(s TaskSpec) *Program {
	var src strings.Builder
	line := int32(0)
	emit := func(indent int, text string) int32 {
		src.WriteString(strings.Repeat("    ", indent) + text + "\n")
		line++
		return line
	}
	p := &Program{Locks: []string{"lock"}}
	top := Stmt{Kind: SFor, N: s.Iterations}
	if s.Iterations == 0 {
		top.Kind = SWhile
		top.Line = emit(0, "while True:")
	} else {
		top.Line = emit(0, "for _ in range("+strconv.Itoa(s.Iterations)+"):")
	}
	body := []Stmt{{Kind: SSleep, X: Expr{Kind: EDraw, Var: drawThink},
		Line: emit(1, "await asyncio.sleep("+pyDist(s.Think)+")")}}
	// The hold: in an async with, or in a try after a wait_for.
	hold := Stmt{Kind: SWith}
	if s.Timeout > 0 {
		try := Stmt{Kind: STry, Line: emit(1, "try:"), HasHandler: true}
		try.Body = []Stmt{{Kind: SAcquireWithin, X: Expr{Kind: ENanos, Ns: int64(s.Timeout)},
			Line: emit(2, "await asyncio.wait_for(lock.acquire(), "+pySeconds(s.Timeout)+")")}}
		emit(1, "except asyncio.TimeoutError:")
		try.Handler = []Stmt{{Kind: SContinue, Line: emit(2, "continue")}}
		body = append(body, try)
		hold = Stmt{Kind: STry, Line: emit(1, "try:")}
	} else {
		hold.Line = emit(1, "async with lock:")
	}
	if s.Append {
		l := emit(2, "value, snapshot = random.randint(1, 100), list(shared)")
		hold.Body = append(hold.Body,
			Stmt{Kind: SAssign, Var: 0, X: Expr{Kind: ERandInt, A: 1, B: 100}, Line: l},
			Stmt{Kind: SAssign, Var: 1, X: Expr{Kind: ESnapshot}, Line: l})
		p.Vars = 2
	}
	hold.Body = append(hold.Body, Stmt{Kind: SSleep, X: Expr{Kind: EDraw, Var: drawHold},
		Line: emit(2, "await asyncio.sleep("+pyDist(s.Hold)+")")})
	if s.Append {
		hold.Body = append(hold.Body, Stmt{Kind: SWriteBack, Var: 1, X: Expr{Kind: EVarRef, Var: 0},
			Line: emit(2, "shared[:] = snapshot + [value]")})
	}
	if s.Timeout > 0 {
		emit(1, "finally:")
		hold.Finally = []Stmt{{Kind: SRelease, Line: emit(2, "lock.release()")}}
	}
	top.Body = append(body, hold)
	p.Body = []Stmt{top}
	p.Source = src.String()
	return p
}

// shorthandKey is what a shorthand program depends on: its shape, and the
// distributions its Source spells.
type shorthandKey struct {
	iterations  int
	timeout     time.Duration
	append      bool
	think, hold Dist
}

// pyDist spells a distribution of durations as Python draws it, in seconds.
func pyDist(d Dist) string {
	switch d.Kind {
	case Exponential:
		return "random.expovariate(1 / " + pySeconds(d.A) + ")"
	case Uniform:
		return "random.uniform(" + pySeconds(d.A) + ", " + pySeconds(d.B) + ")"
	}
	return pySeconds(d.A)
}

// pySeconds spells d in seconds as a Python float literal.
func pySeconds(d time.Duration) string {
	s := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lockviz/lock"
	"lockviz/sim/tooltest"
)

// python renders a program as the Python it stands for, so that the
// reference runs the very code the engine interprets.
func python(p *Program) string {
	var b strings.Builder
	var stmts func(body []Stmt, depth int)
	line := func(depth int, s string) { b.WriteString(strings.Repeat("    ", depth) + s + "\n") }
	vars := func(i int32) string { return "v" + strconv.Itoa(int(i)) }
	var expr func(x *Expr) string
	expr = func(x *Expr) string {
		num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
		switch x.Kind {
		case EConst:
			return num(x.A)
		case EExpovariate:
			return "random.expovariate(" + num(x.A) + ")"
		case EUniform:
			return "random.uniform(" + num(x.A) + ", " + num(x.B) + ")"
		case ERandInt:
			return "random.randint(" + num(x.A) + ", " + num(x.B) + ")"
		case ERandom:
			return "random.random()"
		case ELess:
			return expr(&x.Args[0]) + " < " + expr(&x.Args[1])
		case EVarRef:
			return vars(x.Var)
		case ESnapshot:
			return "list(shared)"
		}
		panic(fmt.Sprintf("no Python for %v", x.Kind))
	}
	stmts = func(body []Stmt, depth int) {
		if len(body) == 0 {
			line(depth, "pass")
		}
		for i := range body {
			s := &body[i]
			l := p.Locks[s.Lock]
			switch s.Kind {
			case SPass:
				line(depth, "pass")
			case SSleep:
				line(depth, "await asyncio.sleep("+expr(&s.X)+")")
			case SAcquire:
				line(depth, "await "+l+".acquire()")
			case SAcquireWithin:
				line(depth, "await asyncio.wait_for("+l+".acquire(), "+expr(&s.X)+")")
			case SRelease:
				line(depth, l+".release()")
			case SWith:
				line(depth, "async with "+l+":")
				stmts(s.Body, depth+1)
			case SFor:
				line(depth, "for _ in range("+strconv.Itoa(s.N)+"):")
				stmts(s.Body, depth+1)
			case SWhile:
				line(depth, "while True:")
				stmts(s.Body, depth+1)
			case STry:
				line(depth, "try:")
				stmts(s.Body, depth+1)
				if s.HasHandler {
					line(depth, "except asyncio.TimeoutError:")
					stmts(s.Handler, depth+1)
				}
				if s.Finally != nil {
					line(depth, "finally:")
					stmts(s.Finally, depth+1)
				}
			case SIf:
				line(depth, "if "+expr(&s.X)+":")
				stmts(s.Body, depth+1)
				if len(s.Else) > 0 {
					line(depth, "else:")
					stmts(s.Else, depth+1)
				}
			case SBreak:
				line(depth, "break")
			case SContinue:
				line(depth, "continue")
			case SRaise:
				line(depth, `raise RuntimeError("`+s.Msg+`")`)
			case SAppend:
				line(depth, "shared.append("+expr(&s.X)+")")
			case SAssign:
				line(depth, vars(s.Var)+" = "+expr(&s.X))
			case SWriteBack:
				line(depth, "shared[:] = "+vars(s.Var)+" + ["+expr(&s.X)+"]")
			}
		}
	}
	stmts(p.Body, 0)
	return b.String()
}

// progGen draws random programs over a run's locks: nested async with,
// manual acquire and release in try/finally, wait_for with its except,
// raises, the shared list's read-modify-write, break and continue.
type progGen struct {
	r     *rand.Rand
	locks int
	vars  int32
}

func (g *progGen) sleep() Stmt {
	x := Expr{Kind: EConst, A: float64(g.r.IntN(4)) / 10}
	switch g.r.IntN(3) {
	case 0:
		x = Expr{Kind: EExpovariate, A: float64(5 + g.r.IntN(20))}
	case 1:
		x = Expr{Kind: EUniform, A: 0, B: float64(1+g.r.IntN(3)) / 10}
	}
	return Stmt{Kind: SSleep, X: x}
}

func (g *progGen) body(depth int, inLoop bool) []Stmt {
	var out []Stmt
	for range 1 + g.r.IntN(3) {
		out = append(out, g.stmt(depth, inLoop))
	}
	return out
}

func (g *progGen) stmt(depth int, inLoop bool) Stmt {
	l := int32(g.r.IntN(g.locks))
	deeper := depth < 3
	switch k := g.r.IntN(12); {
	case k < 3 || !deeper:
		return g.sleep()
	case k < 5:
		return Stmt{Kind: SWith, Lock: l, Body: g.body(depth+1, inLoop)}
	case k == 5:
		// await L.acquire(); try: … finally: L.release()
		return Stmt{Kind: STry, Body: append([]Stmt{{Kind: SAcquire, Lock: l}}, g.body(depth+1, inLoop)...),
			Finally: []Stmt{{Kind: SRelease, Lock: l}}}
	case k == 6:
		// try: wait_for(L.acquire(), T); …; L.release() except TimeoutError: …
		body := append([]Stmt{{Kind: SAcquireWithin, Lock: l, X: Expr{Kind: EConst, A: float64(1+g.r.IntN(4)) / 10}}},
			g.body(depth+1, inLoop)...)
		body = append(body, Stmt{Kind: SRelease, Lock: l})
		handler := []Stmt{{Kind: SPass}}
		if inLoop && g.r.IntN(2) == 0 {
			handler = []Stmt{{Kind: SContinue}}
		}
		return Stmt{Kind: STry, Body: body, Handler: handler, HasHandler: true}
	case k == 7:
		return Stmt{Kind: SIf, X: Expr{Kind: ELess, Args: []Expr{{Kind: ERandom}, {Kind: EConst, A: 0.1}}},
			Body: []Stmt{{Kind: SRaise, Msg: "boom"}}}
	case k == 8:
		v, s := g.vars, g.vars+1
		g.vars += 2
		return Stmt{Kind: SFor, N: 1, Body: []Stmt{
			{Kind: SAssign, Var: v, X: Expr{Kind: ERandInt, A: 1, B: 100}},
			{Kind: SAssign, Var: s, X: Expr{Kind: ESnapshot}},
			g.sleep(),
			{Kind: SWriteBack, Var: s, X: Expr{Kind: EVarRef, Var: v}}}}
	case k == 9:
		return Stmt{Kind: SAppend, X: Expr{Kind: ERandInt, A: 1, B: 100}}
	case k == 10 && inLoop:
		return Stmt{Kind: SIf, X: Expr{Kind: ELess, Args: []Expr{{Kind: ERandom}, {Kind: EConst, A: 0.3}}},
			Body: []Stmt{{Kind: []StmtKind{SBreak, SContinue}[g.r.IntN(2)]}}}
	default:
		return Stmt{Kind: SFor, N: 1 + g.r.IntN(2), Body: g.body(depth+1, true)}
	}
}

func (g *progGen) program(names []string) *Program {
	g.vars = 0
	body := []Stmt{{Kind: SFor, N: 1 + g.r.IntN(4), Body: g.body(1, true)}}
	var line int32
	return &Program{Body: numbered(body, &line), Locks: names, Vars: int(g.vars)}
}

// programCase draws a run of two to five programs on one to three locks.
func programCase(r *rand.Rand, i int) asyncioCase {
	c := asyncioCase{name: fmt.Sprintf("program-%d", i)}
	c.cfg.Seed = r.Uint64()
	var names []string
	for j := range 1 + r.IntN(3) {
		p := lock.Policies[r.IntN(len(lock.Policies))]
		permits := 1
		if p == lock.Semaphore {
			permits = 1 + r.IntN(2)
		}
		names = append(names, string(rune('a'+j)))
		c.cfg.Locks = append(c.cfg.Locks, LockSpec{Name: names[j], Policy: p, Permits: permits})
	}
	g := &progGen{r: r, locks: len(names)}
	for j := range 2 + r.IntN(4) {
		c.cfg.Tasks = append(c.cfg.Tasks, TaskSpec{Name: fmt.Sprintf("p%d", j), Code: g.program(names),
			Start: time.Duration(r.IntN(2)) * 100 * time.Millisecond})
		if r.IntN(8) == 0 {
			c.cancels = append(c.cancels, cancelAt{T: int64(time.Duration(r.IntN(15)) * 100 * time.Millisecond), Task: j})
		}
	}
	return c
}

// namedPrograms are the situations of the built-in scenarios: opposite and
// same order on two locks, five philosophers, a leaked lock, a raise under
// async with.
func namedPrograms() []asyncioCase {
	ab := []string{"a", "b"}
	cross := func(first, second int32) *Program {
		return prog2(ab, Stmt{Kind: SFor, N: 3, Body: []Stmt{
			{Kind: SSleep, X: Expr{Kind: EExpovariate, A: 10}},
			with(first, sleep(0.1), with(second, sleep(0.1)))}})
	}
	two := []LockSpec{{Name: "a", Permits: 1}, {Name: "b", Permits: 1}}
	cases := []asyncioCase{
		{name: "programs: opposite order deadlocks", cfg: Config{Locks: two, Tasks: []TaskSpec{
			{Name: "left", Code: cross(0, 1)}, {Name: "right", Code: cross(1, 0)}}}},
		{name: "programs: same order does not", cfg: Config{Locks: two, Tasks: []TaskSpec{
			{Name: "left", Code: cross(0, 1)}, {Name: "right", Code: cross(0, 1)}}}},
	}
	forks := make([]string, 5)
	var dining Config
	for i := range forks {
		forks[i] = "fork" + strconv.Itoa(i)
		dining.Locks = append(dining.Locks, LockSpec{Name: forks[i], Permits: 1})
	}
	for i := range int32(5) {
		dining.Tasks = append(dining.Tasks, TaskSpec{Name: fmt.Sprint("philosopher-", i+1), Code: prog2(forks,
			Stmt{Kind: SFor, N: 10, Body: []Stmt{{Kind: SSleep, X: Expr{Kind: EExpovariate, A: 10}},
				with(i, sleep(0.2), with((i+1)%5, Stmt{Kind: SSleep, X: Expr{Kind: EUniform, A: 0.1, B: 0.3}}))}})})
	}
	cases = append(cases, asyncioCase{name: "programs: five philosophers", cfg: dining})
	raise := Stmt{Kind: SIf, X: Expr{Kind: ELess, Args: []Expr{{Kind: ERandom}, {Kind: EConst, A: 0.3}}},
		Body: []Stmt{{Kind: SRaise, Msg: "the work failed"}}}
	one := []string{"lock"}
	for seed := range uint64(4) {
		leaked := Config{Seed: seed, Tasks: tasks(3, TaskSpec{Name: "careless", Code: prog2(one, Stmt{Kind: SFor, N: 5, Body: []Stmt{
			{Kind: SSleep, X: Expr{Kind: EExpovariate, A: 5}}, acquire(0), sleep(0.1), raise, release(0)}})})}
		careful := Config{Seed: seed, Tasks: tasks(3, TaskSpec{Name: "careful", Code: prog2(one, Stmt{Kind: SFor, N: 5, Body: []Stmt{
			{Kind: SSleep, X: Expr{Kind: EExpovariate, A: 5}}, with(0, sleep(0.1), raise)}})})}
		cases = append(cases, asyncioCase{name: fmt.Sprint("programs: a leaked lock, seed ", seed), cfg: leaked},
			asyncioCase{name: fmt.Sprint("programs: async with releases, seed ", seed), cfg: careful})
	}
	return cases
}

// prog2 is prog over the given locks.
func prog2(locks []string, body ...Stmt) *Program {
	var line int32
	return &Program{Body: numbered(body, &line), Locks: locks}
}

// programTrace runs a case of programs on the engine, one line per event,
// and returns what each task drew, in order.
func programTrace(c asyncioCase) ([]string, map[int32][]float64) {
	e := New(c.cfg)
	draws := map[int32][]float64{}
	e.drawHook = func(id int32, v float64) { draws[id] = append(draws[id], v) }
	var out []string
	e.OnEvent(func(ev Event) {
		l := ""
		if e.NumLocks() > 1 && ev.Lock >= 0 {
			l = e.LockName(ev.Lock)
		}
		out = append(out, fmt.Sprintf("%d %s %s %d %s", ev.T, e.TaskName(ev.Task), ev.Kind, ev.Value, l))
	})
	idle := int64(-1)
	cancels := slices.Clone(c.cancels)
	slices.SortFunc(cancels, func(a, b cancelAt) int { return int(a.T - b.T) })
	for _, k := range cancels {
		if k.T != idle {
			e.AdvanceTo(time.Duration(k.T))
			idle = k.T
		}
		e.CancelTask(int32(k.Task))
	}
	e.Run()
	return out, draws
}

func TestProgramsMatchCPythonAsyncio(t *testing.T) {
	py := tooltest.Python311(t, "the reference is asyncio as of 3.11")
	cases := namedPrograms()
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 300 {
		cases = append(cases, programCase(r, i))
	}
	type refCode struct {
		refTask
		Code  string    `json:"code"`
		Draws []float64 `json:"draws"`
	}
	type refLock struct {
		Name    string `json:"name"`
		Policy  string `json:"policy"`
		Permits int    `json:"permits"`
	}
	type refProgRun struct {
		Policy  string     `json:"policy"`
		Locks   []refLock  `json:"locks"`
		Tasks   []refCode  `json:"tasks"`
		Cancels []cancelAt `json:"cancels"`
	}
	var want [][]string
	var in []refProgRun
	for _, c := range cases {
		tr, draws := programTrace(c)
		want = append(want, tr)
		run := refProgRun{Policy: "fifo", Cancels: c.cancels}
		for _, l := range c.cfg.LockSpecs() {
			run.Locks = append(run.Locks, refLock{Name: l.Name, Policy: l.Policy.String(), Permits: max(l.Permits, 1)})
		}
		for i, s := range c.cfg.Tasks {
			run.Tasks = append(run.Tasks, refCode{refTask: refTask{Name: s.Name, Start: int64(s.Start)},
				Code: python(s.Code), Draws: draws[int32(i)]})
		}
		in = append(in, run)
	}
	got := runReference(t, py, in)
	events, deadlocks := 0, 0
	for i, c := range cases {
		var ref []string
		for _, ev := range got[i] {
			ref = append(ref, fmt.Sprintf("%d %s %s %d %s", int64(ev[0].(float64)), ev[1], ev[2], int64(ev[3].(float64)), ev[4]))
		}
		events += len(ref)
		if !slices.Equal(want[i], ref) {
			t.Errorf("%s: engine and asyncio differ\n%s\nthe code of %s:\n%s", c.name, tooltest.FirstDifference(want[i], ref),
				c.cfg.Tasks[0].Name, python(c.cfg.Tasks[0].Code))
		}
		if New(c.cfg) != nil {
			e := New(c.cfg)
			e.Run()
			if e.Deadlock() != nil {
				deadlocks++
			}
		}
	}
	t.Logf("%d runs of programs, %d events, %d with a deadlock, identical to CPython asyncio", len(cases), events, deadlocks)
}

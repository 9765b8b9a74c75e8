package sim

import "time"

// CountLines makes the engine count, from now on, the virtual time tasks
// spend on each line of their code: a task is on the line it suspended at
// (a sleep, a lock wait) from one step of its coroutine to the next, since
// its code runs in no virtual time. It costs a little on every step, so it
// is off until asked for.
func (e *Engine) CountLines() {
	if e.lineNs != nil {
		return
	}
	e.lineNs = map[*Program][]int64{}
	for i := range e.tasks {
		e.countLines(&e.tasks[i])
	}
}

func (e *Engine) countLines(t *task) {
	ns, ok := e.lineNs[t.prog]
	if !ok {
		ns = make([]int64, lastLine(t.prog.Body)+1) // line 0 is before the first step
		e.lineNs[t.prog] = ns
	}
	t.lineNs, t.stepAt = ns, e.now
}

// lastLine returns the last line a statement of body is on.
func lastLine(body []Stmt) int32 {
	n := int32(0)
	for i := range body {
		s := &body[i]
		n = max(n, s.Line, lastLine(s.Body), lastLine(s.Else), lastLine(s.Handler), lastLine(s.Finally))
	}
	return n
}

// CodeLines is the time the tasks running one program spent on each of
// its lines.
type CodeLines struct {
	Program *Program
	Tasks   []int32         // the tasks that run it
	Time    []time.Duration // per line, from 1; Time[0] is before the first step
}

// LineTimes returns, per program, in the order of the tasks that first run
// each, the time its tasks spent on each line since CountLines, counting
// the waits still going on; nil when lines are not counted.
func (e *Engine) LineTimes() []CodeLines {
	if e.lineNs == nil {
		return nil
	}
	var out []CodeLines
	index := map[*Program]int{}
	for i := range e.tasks {
		t := &e.tasks[i]
		k, ok := index[t.prog]
		if !ok {
			k = len(out)
			index[t.prog] = k
			ns := e.lineNs[t.prog]
			c := CodeLines{Program: t.prog, Time: make([]time.Duration, len(ns))}
			for l, v := range ns {
				c.Time[l] = time.Duration(v)
			}
			out = append(out, c)
		}
		out[k].Tasks = append(out[k].Tasks, t.id)
		if t.pc != pcEnded {
			out[k].Time[t.line] += time.Duration(e.now - t.stepAt)
		}
	}
	return out
}

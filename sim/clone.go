package sim

import (
	"maps"
	"slices"
	"time"

	"lockviz/lock"
)

// Clone returns an independent copy of e that runs on exactly as e would:
// a checkpoint a view can go back to. Programs are immutable and shared;
// everything a run changes is copied. The copy has no observer. Cloning
// costs about the engine's size (some 600 bytes a task, and the shared
// list's live blocks) and nothing while the original runs.
func (e *Engine) Clone() *Engine {
	c := *e
	c.observer = nil
	c.cfg.Locks = slices.Clone(e.cfg.Locks)
	c.locks = make([]*lock.Lock, len(e.locks))
	for i, l := range e.locks {
		c.locks[i] = l.Clone()
	}
	c.ready.buf = slices.Clone(e.ready.buf)
	c.timers = slices.Clone(e.timers)
	c.lockHeld = slices.Clone(e.lockHeld)
	c.busy = slices.Clone(e.busy)
	c.shared.nodes = slices.Clone(e.shared.nodes)
	c.shared.free = slices.Clone(e.shared.free)
	c.overwrote = slices.Clone(e.overwrote)
	c.holders = make([][]int32, len(e.holders))
	for i, h := range e.holders {
		c.holders[i] = slices.Clone(h)
	}
	c.newWaiters = slices.Clone(e.newWaiters)
	c.leaks = slices.Clone(e.leaks)
	c.shorthands = maps.Clone(e.shorthands)
	if e.lineNs != nil {
		c.lineNs = make(map[*Program][]int64, len(e.lineNs))
		for p, ns := range e.lineNs {
			c.lineNs[p] = slices.Clone(ns)
		}
	}
	// The tasks' stacks and variables are cut from the original's slabs:
	// the copy cuts its own, one slab for all, so that neither run writes
	// into the other's.
	c.frames, c.values = nil, nil
	nf, nv := 0, 0
	for i := range e.tasks {
		nf += cap(e.tasks[i].stack)
		nv += len(e.tasks[i].vars)
	}
	frames, values := make([]frame, 0, nf), make([]value, 0, nv)
	c.tasks = slices.Clone(e.tasks)
	for i := range c.tasks {
		t := &c.tasks[i]
		s := e.tasks[i].stack
		frames = append(frames, s[:cap(s)]...)
		t.stack = frames[len(frames)-cap(s) : len(frames)-cap(s)+len(s) : len(frames)]
		if t.vars != nil {
			values = append(values, t.vars...)
			t.vars = values[len(values)-len(t.vars) : len(values) : len(values)]
		}
		t.held = slices.Clone(t.held)
		if t.lineNs != nil {
			t.lineNs = c.lineNs[t.prog] // shared by the tasks of one program
		}
	}
	return &c
}

// Position is a point of a run's history: the work done (handles run) and
// the virtual clock. Work alone orders the states a run passes through
// between two idle stretches of the clock; the clock orders those.
type Position struct {
	Work int64
	Now  time.Duration
	// The loop has looked for deadlocks among the instant's new waiters,
	// as it does when it finds nothing more to run at the instant: a step
	// stops before that, a frame after.
	searched bool
}

// Before reports whether p comes before q in a run.
func (p Position) Before(q Position) bool {
	return p.Work < q.Work || p.Work == q.Work && p.Now < q.Now
}

// Position returns where the run is.
func (e *Engine) Position() Position {
	return Position{Work: e.work, Now: time.Duration(e.now), searched: len(e.newWaiters) == 0}
}

// RunTo brings a copy of a run, at or before p, to p: the handles the run
// ran until p, then its clock moved on to p.Now as the view's frame moved
// it. A run's states depend only on the handles run, not on how they were
// cut into frames, so the copy is then the run as it was at p.
func (e *Engine) RunTo(p Position) {
	for e.work < p.Work && e.next(int64(p.Now)) {
	}
	if e.now < int64(p.Now) || p.searched && len(e.newWaiters) > 0 {
		// The run found nothing more to run by p.Now: neither does this.
		e.AdvanceTo(p.Now)
	}
}

// Held returns the locks task id holds, in the order it took them.
func (e *Engine) Held(id int32) []int32 {
	if !e.valid(id) {
		return nil
	}
	return e.tasks[id].held
}

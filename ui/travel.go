package ui

import (
	"math"
	"slices"
	"time"

	"lockviz/sim"
	"lockviz/sim/timeline"
)

// Going back in time. The engine is deterministic, so any moment of a run
// is a checkpoint of it (a copy of the engine, taken between frames) run
// on to that moment, with the changes the keys made on the way applied
// again where they were made. The engine records nothing for it while it
// runs: the view copies it now and then, off its hot path.

// checkpointEvery is the least work (handles run) between two checkpoints:
// a step back replays at most about this much twice. A run of many tasks
// waits longer, a few handles a task, so that copying its engine stays a
// small part of the view's work.
const checkpointEvery = 4096

// checkpointBytes bounds the checkpoints' memory; past it, every other one
// of the older half goes, so that the recent past stays quick to reach and
// the distant past costs a longer replay. A live view of twenty thousand
// tasks keeps four checkpoints of them, not the hundreds of megabytes
// eighteen would take.
const checkpointBytes = 64 << 20

// journal is what a run's past can be rebuilt from: its checkpoints and
// the changes the keys made, both in the order they came.
type journal struct {
	cps     []checkpoint
	changes []change
	max     int   // checkpoints kept at most
	every   int64 // work between two checkpoints
}

// checkpoint is a copy of the engine, never run itself, and what the view
// kept beside it that the engine cannot rebuild: the event log and the
// last lost update.
type checkpoint struct {
	at       spot
	eng      *sim.Engine
	log      eventLog
	lastLost []sim.SharedItem
	lostBy   int32
	lostAt   time.Duration
}

// change is one change a key made to the run, where it made it.
type change struct {
	at    sim.Position
	apply func(e *sim.Engine, h *timeline.History)
}

// spot is a moment of a run: where the engine was and how many changes it
// had been given by then, since a change leaves the position as it was.
type spot struct {
	pos     sim.Position
	changes int
}

func (a spot) before(b spot) bool {
	if a.pos.Before(b.pos) || b.pos.Before(a.pos) {
		return a.pos.Before(b.pos)
	}
	return a.changes < b.changes
}

// newJournal returns the journal of a run of tasks tasks.
func newJournal(tasks int) *journal {
	// About 700 bytes a task and the shared list's live blocks, plus the log.
	size := 700*max(tasks, 1) + 96<<10
	return &journal{max: min(max(checkpointBytes/size, 4), 512), every: max(checkpointEvery, 4*int64(tasks))}
}

// note takes a checkpoint of the live run when it has done enough work
// since the last.
func (j *journal) note(e *sim.Engine, sc *scene) {
	at := spot{e.Position(), len(j.changes)}
	if n := len(j.cps); n > 0 && at.pos.Work-j.cps[n-1].at.pos.Work < j.every {
		return
	}
	j.cps = append(j.cps, checkpoint{at: at, eng: e.Clone(), log: sc.log.clone(),
		lastLost: sc.lastLost, lostBy: sc.lostBy, lostAt: sc.lostAt})
	if len(j.cps) > j.max {
		// Thin the older half; the first checkpoint, the run's start, stays.
		half := len(j.cps) / 2
		kept := j.cps[:1]
		for i := 1; i < half; i++ {
			if i%2 == 0 {
				kept = append(kept, j.cps[i])
			}
		}
		j.cps = append(kept, j.cps[half:]...)
	}
}

// record journals a change the keys make to the live run at e's position.
func (j *journal) record(e *sim.Engine, apply func(e *sim.Engine, h *timeline.History)) {
	j.changes = append(j.changes, change{at: e.Position(), apply: apply})
}

// forget drops what came after s: the old future of a run resumed at s.
func (j *journal) forget(s spot) {
	j.cps = slices.DeleteFunc(j.cps, func(c checkpoint) bool { return s.before(c.at) })
	j.changes = j.changes[:s.changes]
}

// latest returns the last checkpoint at or before s for which ok holds
// (the first checkpoint when none does).
func (j *journal) latest(s spot, ok func(c *checkpoint) bool) int {
	for k := len(j.cps) - 1; k > 0; k-- {
		if c := &j.cps[k]; !s.before(c.at) && ok(c) {
			return k
		}
	}
	return 0
}

// replay is a copy of a checkpoint being run on, given the journal's
// changes where they were made.
type replay struct {
	j    *journal
	e    *sim.Engine
	n    int // changes given
	hist *timeline.History
}

func (j *journal) from(k int) *replay {
	c := &j.cps[k]
	return &replay{j: j, e: c.eng.Clone(), n: c.at.changes}
}

func (r *replay) spot() spot { return spot{r.e.Position(), r.n} }

// applyDue gives the changes made where the copy is now, of the first
// limit changes, none made after virtual time by.
func (r *replay) applyDue(limit int, by time.Duration) {
	for r.n < limit && r.n < len(r.j.changes) {
		c := &r.j.changes[r.n]
		if c.at.Work > r.e.Position().Work || c.at.Now > by {
			return
		}
		r.e.RunTo(c.at)
		c.apply(r.e, r.hist)
		r.n++
	}
}

// handle runs one handle, after the changes due before it of those made
// by end, and reports whether there was one.
func (r *replay) handle(end spot) bool {
	r.applyDue(end.changes, end.pos.Now)
	return !r.e.AdvanceWithin(math.MaxInt64, 1)
}

// to runs the copy on to s.
func (r *replay) to(s spot) {
	for {
		r.applyDue(s.changes, s.pos.Now)
		if r.e.Position().Work >= s.pos.Work || r.e.AdvanceWithin(math.MaxInt64, 1) {
			break
		}
	}
	r.e.RunTo(s.pos)
	r.applyDue(s.changes, s.pos.Now)
}

// until runs the copy on as a frame ending at virtual time t would, with
// the changes made by then, and no further than s.
func (r *replay) until(t time.Duration, s spot) {
	for r.spot().before(s) {
		r.applyDue(s.changes, t)
		if r.e.AdvanceWithin(t, 1) {
			return
		}
	}
}

// lastBefore returns the last moment before s right after a handle that
// made an event for which match holds, looking back one checkpoint at a
// time.
func (j *journal) lastBefore(s spot, match func(ev sim.Event) bool) (spot, bool) {
	end := s
	for k := j.latest(s, func(c *checkpoint) bool { return c.at.before(s) }); k >= 0; k-- {
		r := j.from(k)
		hit := false
		r.e.OnEvent(func(ev sim.Event) { hit = hit || match(ev) })
		var found spot
		ok := false
		for r.spot().before(end) {
			hit = false
			if !r.handle(end) {
				break
			}
			if at := r.spot(); hit && at.before(s) {
				found, ok = at, true
			}
		}
		if ok {
			return found, true
		}
		end = j.cps[k].at
	}
	return spot{}, false
}

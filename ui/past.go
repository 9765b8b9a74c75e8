package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"lockviz/sim"
	"lockviz/sim/scenario"
	"lockviz/sim/timeline"
)

// pastRun is the view of a moment before the run's newest: a copy of the
// engine brought to that moment, with a scene of its own, while the run
// itself waits where it was.
type pastRun struct {
	head   *sim.Engine
	headSc *scene
	n      int // changes the copy was given
}

// forkShown is how long the header says that a resumed past dropped the
// old future.
const forkShown = time.Second

// forkDoneMsg ends the header's note of fork number tag.
type forkDoneMsg struct{ tag int }

// at returns the moment the view shows.
func (m *Model) at() spot {
	if m.past != nil {
		return spot{m.eng.Position(), m.past.n}
	}
	return spot{m.eng.Position(), len(m.jr.changes)}
}

// head returns the run's newest moment.
func (m *Model) head() spot {
	if m.past != nil {
		return spot{m.past.head.Position(), len(m.jr.changes)}
	}
	return m.at()
}

// observe records e's trace into sc: the timeline, the event log and the
// lost updates.
func observe(e *sim.Engine, sc *scene) {
	e.OnEvent(func(ev sim.Event) {
		sc.hist.Record(ev)
		name := ""
		if e.NumLocks() > 1 && ev.Lock >= 0 {
			name = e.LockName(ev.Lock)
		}
		sc.log.add(logged{Event: ev, policy: e.Policy(), lock: name})
		if ev.Kind == sim.Append {
			if lost, at := e.Overwrote(); len(lost) > 0 {
				// The lost update on a line of its own, in the writer's name.
				sc.lastLost, sc.lostBy, sc.lostAt = append([]sim.SharedItem(nil), lost...), ev.Task, ev.T
				sc.log.add(logged{Event: ev, policy: e.Policy(), lost: sc.lastLost, readAt: at})
			}
		}
	})
}

// show draws moment s: the run's newest, or one before it rebuilt from
// the checkpoint before the stretch the timeline shows then, so that every
// panel is what the live view drew at s.
func (m *Model) show(s spot) {
	if !s.before(m.head()) {
		m.goLive()
		return
	}
	if m.past == nil {
		m.past = &pastRun{head: m.eng, headSc: m.sc}
	}
	head := m.past.headSc
	j := m.jr
	// Where the timeline starts at s, from the engine at s.
	r := j.from(j.latest(s, func(*checkpoint) bool { return true }))
	r.to(s)
	var snap sim.Snapshot
	r.e.Snapshot(&snap)
	since := min(head.hist.Since(), snap.Now)
	fin := snap.Finished || snap.Stalled || head.until > 0 && snap.Now >= head.until
	_, start := windowOf(snap.Now, since, typicalCycle(&snap), fin, m.speed, head.laneCells)

	k := j.latest(s, func(c *checkpoint) bool { return c.at.pos.Now <= start })
	c := &j.cps[k]
	sc := &scene{scenario: head.scenario, until: head.until, seed: head.seed, laneCells: head.laneCells,
		log: c.log.clone(), lastLost: c.lastLost, lostBy: c.lostBy, lostAt: c.lostAt}
	r = j.from(k)
	r.e.Snapshot(&sc.snap)
	sc.hist = timeline.Resume(timeline.LimitsFor(r.e.NumTasks()), c.at.pos.Now, min(since, c.at.pos.Now), &sc.snap, r.e.Held)
	r.hist = sc.hist
	observe(r.e, sc)
	r.to(s)
	sc.deadlockSeen = true // seen live: going back does not pause again
	sc.inPast, sc.headNow = true, m.past.head.Now()
	m.eng, m.sc, m.past.n = r.e, sc, r.n
	m.paused = true
	m.stopFrames()
	m.sync()
}

// goLive returns from the past to the run's newest moment.
func (m *Model) goLive() {
	if m.past == nil {
		return
	}
	m.eng, m.sc = m.past.head, m.past.headSc
	m.past = nil
	m.sync()
}

// fork makes the moment shown the run's newest: the run goes on from
// there, and the old future is dropped. The header says so for a second.
func (m *Model) fork() tea.Cmd {
	if m.past == nil {
		return nil
	}
	m.jr.forget(m.at())
	m.past = nil
	m.sc.inPast, m.sc.forked = false, true
	m.forkTag++
	tag := m.forkTag
	return tea.Tick(forkShown, func(time.Time) tea.Msg { return forkDoneMsg{tag} })
}

// change applies a change to the run at the moment shown, resuming the
// run there first when it is in the past, and journals it.
func (m *Model) change(apply func(e *sim.Engine, h *timeline.History)) {
	m.jr.record(m.eng, apply)
	apply(m.eng, m.sc.hist)
}

// stepBack shows the moment right after the event before the one shown.
func (m *Model) stepBack() {
	// An event's moment is right after the handle that made it.
	if s, ok := m.jr.lastBefore(m.at(), anyEvent); ok {
		m.show(s)
	}
}

// stepForward shows the moment right after the next event.
func (m *Model) stepForward(match func(ev sim.Event) bool, maxWork int64) {
	if m.past == nil {
		m.runLive(match, maxWork)
		return
	}
	end := m.head()
	r := &replay{j: m.jr, e: m.eng, n: m.past.n, hist: m.sc.hist}
	hit := false
	sc := m.sc
	prev := sc.log.n
	for r.spot().before(end) && !hit {
		if !r.handle(end) {
			break
		}
		for i := max(sc.log.len()-int(sc.log.n-prev), 0); i < sc.log.len(); i++ {
			hit = hit || match(sc.log.at(i).Event)
		}
		prev = sc.log.n
	}
	m.past.n = r.n
	if !r.spot().before(end) {
		m.goLive()
		return
	}
	m.sync()
}

// runLive runs the live run on until an event for which match holds, or
// maxWork handles.
func (m *Model) runLive(match func(ev sim.Event) bool, maxWork int64) {
	sc := m.sc
	stop := m.eng.Position().Work + maxWork
	for m.eng.Position().Work < stop && !m.sc.finished() {
		prev := sc.log.n
		if !m.eng.Step() {
			break
		}
		hit := false
		for i := max(sc.log.len()-int(sc.log.n-prev), 0); i < sc.log.len(); i++ {
			hit = hit || match(sc.log.at(i).Event)
		}
		if hit {
			break
		}
	}
	m.sync()
}

// seekTime shows the moment a frame ending at virtual time t drew; past
// the run's newest moment, the run goes on to t, for at most maxSearch
// handles, so that a time typed far ahead cannot freeze the view: it stops
// short and says so.
func (m *Model) seekTime(t time.Duration) {
	head := m.head()
	if t >= head.pos.Now {
		m.goLive()
		if m.sc.until > 0 {
			t = min(t, m.sc.until)
		}
		for work := 0; !m.eng.AdvanceWithin(t, frameBudget); work += frameBudget {
			if work >= maxSearch {
				m.seekErr = "ran on to " + fmtClock(m.eng.Now()) + " of " + fmtClock(t) + ": go again to run further"
				break
			}
		}
		m.sync()
		return
	}
	k := m.jr.latest(head, func(c *checkpoint) bool { return c.at.pos.Now <= t })
	r := m.jr.from(k)
	r.until(t, head)
	m.show(r.spot())
}

// acquiredBy matches the acquisitions of task id.
func acquiredBy(id int32) func(ev sim.Event) bool {
	return func(ev sim.Event) bool { return ev.Kind == sim.Acquired && ev.Task == id }
}

func anyEvent(sim.Event) bool { return true }

// parseSeek reads the time `g` was given: a duration, or seconds.
func parseSeek(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s != "" && strings.Trim(s, "0123456789.") == "" {
		s += "s"
	}
	d, err := scenario.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("g: %v: type a time such as 12.5s, 1m30s or 12.5", err)
	}
	return d, nil
}

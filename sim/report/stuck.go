package report

import (
	"strings"

	"lockviz/sim"
)

// DeadlockSummary is the first deadlock of a run, by name: Cycle is task,
// lock, task, lock, …, each task waiting on the lock after it, which the
// task after that holds.
type DeadlockSummary struct {
	At    float64  `json:"at"`
	Tasks []string `json:"tasks"`
	Locks []string `json:"locks"`
	Cycle []string `json:"cycle"`
	Words string   `json:"words"` // the cycle in words
}

// LeakSummary is a lock a task still held when it ended.
type LeakSummary struct {
	At   float64 `json:"at"`
	Lock string  `json:"lock"`
	Task string  `json:"task"`
	Line int32   `json:"line"`
}

// CycleWords says a deadlock's cycle in words: "left waits for b, held by
// right; right waits for a, held by left".
func CycleWords(e *sim.Engine, d *sim.Deadlock) string {
	var parts []string
	for i := 0; i+1 < len(d.Cycle); i += 2 {
		holder := d.Cycle[(i+2)%len(d.Cycle)]
		parts = append(parts, e.TaskName(d.Cycle[i])+" waits for "+e.LockName(d.Cycle[i+1])+", held by "+e.TaskName(holder))
	}
	return strings.Join(parts, "; ")
}

// stuck fills in a summary's deadlock, leaks and stranded tasks.
func (s *Summary) stuck(e *sim.Engine) {
	if d := e.Deadlock(); d != nil {
		ds := &DeadlockSummary{At: d.At.Seconds(), Words: CycleWords(e, d)}
		for _, id := range d.Tasks {
			ds.Tasks = append(ds.Tasks, e.TaskName(id))
		}
		for _, l := range d.Locks {
			ds.Locks = append(ds.Locks, e.LockName(l))
		}
		for i, x := range d.Cycle {
			if i%2 == 0 {
				ds.Cycle = append(ds.Cycle, e.TaskName(x))
			} else {
				ds.Cycle = append(ds.Cycle, e.LockName(x))
			}
		}
		s.Deadlock = ds
	}
	for _, k := range e.Leaks() {
		s.Leaked = append(s.Leaked, LeakSummary{At: k.At.Seconds(), Lock: e.LockName(k.Lock), Task: e.TaskName(k.Task), Line: k.Line})
	}
	for _, id := range e.Stranded() {
		s.Stranded = append(s.Stranded, e.TaskName(id))
	}
}

package sim

import (
	"time"

	"lockviz/lock"
)

// MaxTasks is the most tasks a run may have.
const MaxTasks = 100000

// TaskSpec is what one task does: its Code, or, without code, the
// shorthand: after Start, Iterations rounds (0 = forever) of think →
// request → hold → release on the first lock.
type TaskSpec struct {
	Name       string
	Start      time.Duration
	Iterations int
	Think      Dist
	Hold       Dist
	Timeout    time.Duration // acquire timeout; 0 waits forever
	Append     bool          // append a random 1..100 to the shared list while holding
	// Code is the task's program, compiled against the run's locks; nil
	// runs the shorthand above.
	Code *Program
}

// Forever reports whether the task never finishes on its own: a shorthand
// task of no iterations, or code with a `while True:` at its top.
func (s TaskSpec) Forever() bool {
	if s.Code != nil {
		return s.Code.Forever()
	}
	return s.Iterations == 0
}

// LockSpec is one lock of a run.
type LockSpec struct {
	Name    string
	Policy  lock.Policy
	Permits int
}

// Config is everything the engine needs to start a run.
type Config struct {
	// Policy and Permits make the run's one lock, called "lock", when
	// Locks is empty.
	Policy  lock.Policy
	Permits int
	Locks   []LockSpec
	Seed    uint64
	Tasks   []TaskSpec
}

// LockSpecs returns the run's locks: Locks, or the one lock of Policy.
func (c Config) LockSpecs() []LockSpec {
	if len(c.Locks) > 0 {
		return c.Locks
	}
	return []LockSpec{{Name: "lock", Policy: c.Policy, Permits: c.Permits}}
}

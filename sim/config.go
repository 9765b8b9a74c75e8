package sim

import (
	"time"

	"lockviz/lock"
)

// MaxTasks is the most tasks a run may have.
const MaxTasks = 100000

// TaskSpec is what one task does: after Start, Iterations rounds (0 = forever)
// of think → request → hold → release.
type TaskSpec struct {
	Name       string
	Start      time.Duration
	Iterations int
	Think      Dist
	Hold       Dist
	Timeout    time.Duration // acquire timeout; 0 waits forever
	Append     bool          // append a random 1..100 to the shared list while holding
}

// Forever reports whether the task never finishes on its own.
func (s TaskSpec) Forever() bool { return s.Iterations == 0 }

// Config is everything the engine needs to start a run.
type Config struct {
	Policy  lock.Policy
	Permits int
	Seed    uint64
	Tasks   []TaskSpec
}

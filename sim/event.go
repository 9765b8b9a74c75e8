package sim

import "time"

// EventKind names what happened in a trace event.
type EventKind uint8

// The trace events. Cancelled only follows a CancelTask.
const (
	Spawn EventKind = iota
	Request
	Acquired
	Released
	Timeout
	Append
	Done
	Cancelled
	Raised // the task ended by an exception it did not catch
)

var eventNames = [...]string{"spawn", "request", "acquired", "released", "timeout", "append", "done", "cancelled", "raised"}

// String returns the event's name as traces spell it.
func (k EventKind) String() string { return eventNames[k] }

// Event is one line of the trace. Lock is the lock of Request, Acquired,
// Released and Timeout (-1 for the others), Line the line of the task's
// code it happened on, Value the appended number for Append.
type Event struct {
	T     time.Duration
	Task  int32
	Kind  EventKind
	Lock  int32
	Line  int32
	Value int32
}

// Phase is where a task is in its loop, as its trace shows it.
type Phase uint8

// The phases. Starting covers the start delay; Waiting runs from request to
// acquired or timeout; Holding from acquired to released.
const (
	Starting Phase = iota
	Thinking
	Waiting
	Holding
	Finished
	Gone
	NumPhases // how many there are, for arrays indexed by phase
)

var phaseNames = [...]string{"starting", "thinking", "waiting", "holding", "done", "cancelled"}

// String names the phase in words.
func (p Phase) String() string { return phaseNames[p] }

// Active reports whether the task still runs.
func (p Phase) Active() bool { return p < Finished }

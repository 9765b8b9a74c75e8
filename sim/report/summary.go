package report

import (
	"time"

	"lockviz/sim"
)

// Summary is the outcome of a run, as `lockviz run --json` prints it. Times
// are in seconds.
type Summary struct {
	Scenario     string        `json:"scenario"`
	Policy       string        `json:"policy"`
	Permits      int           `json:"permits"`
	Seed         uint64        `json:"seed"`
	VirtualTime  float64       `json:"virtual_time"`
	Acquisitions int64         `json:"acquisitions"`
	Throughput   float64       `json:"throughput"`
	Utilization  float64       `json:"utilization"`
	Wait         WaitSummary   `json:"wait"`
	WaitingNow   WaitingNow    `json:"waiting_now"`
	MaxQueue     int           `json:"max_queue"`
	Fairness     float64       `json:"fairness"`
	Timeouts     int64         `json:"timeouts"`
	SharedList   SharedSummary `json:"shared_list"`
	Tasks        []TaskSummary `json:"tasks"`
	// Locks are the run's locks when it has more than one.
	Locks []LockSummary `json:"locks,omitempty"`
	// A run that got stuck: its first deadlock, the locks tasks ended
	// holding, and the tasks left waiting forever on them.
	Deadlock *DeadlockSummary `json:"deadlock,omitempty"`
	Leaked   []LeakSummary    `json:"leaked,omitempty"`
	Stranded []string         `json:"stranded,omitempty"`
}

// LockSummary is one lock of a run of several.
type LockSummary struct {
	Name    string `json:"name"`
	Policy  string `json:"policy"`
	Permits int    `json:"permits"`
}

// WaitSummary describes the waits of all acquisitions, request to acquired.
type WaitSummary struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

// WaitingNow describes the waits still going on, which no completed-wait
// figure counts: a starved task shows here.
type WaitingNow struct {
	Tasks   int     `json:"tasks"`
	Longest float64 `json:"longest"`
	Task    string  `json:"task"` // who waits longest, "" when nobody waits
}

// SharedSummary describes the shared list; LostUpdates = Appends - Length.
// Values are its last SharedValues values, oldest first.
type SharedSummary struct {
	Appends     int64   `json:"appends"`
	Length      int64   `json:"length"`
	LostUpdates int64   `json:"lost_updates"`
	Values      []int32 `json:"values"`
}

// SharedValues is how many of the shared list's last values a summary gives.
const SharedValues = 1000

// TaskSummary is one task's share of the run.
type TaskSummary struct {
	Name         string  `json:"name"`
	Acquisitions int64   `json:"acquisitions"`
	WaitMean     float64 `json:"wait_mean"`
	WaitMax      float64 `json:"wait_max"`
	Timeouts     int64   `json:"timeouts"`
	// Waiting is how long the task had been waiting when the run ended,
	// 0 if it was not: a starved task's wait counts in no acquisition.
	Waiting float64 `json:"waiting"`
	// Raised says the task ended by an exception it did not catch, at Line
	// of its code.
	Raised bool  `json:"raised,omitempty"`
	Line   int32 `json:"line,omitempty"`
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// Summarize sums up the run of e so far under the given scenario name.
func Summarize(e *sim.Engine, scenario string) Summary {
	var snap sim.Snapshot
	e.Snapshot(&snap)
	st := snap.Stats
	s := Summary{
		Scenario:     scenario,
		Policy:       snap.Policy.String(),
		Permits:      snap.Permits,
		Seed:         e.Seed(),
		VirtualTime:  seconds(snap.Now),
		Acquisitions: st.Acquisitions,
		Throughput:   st.Throughput,
		Utilization:  st.Utilization,
		Wait: WaitSummary{
			Mean: st.WaitMean.Seconds(),
			P50:  st.WaitP50.Seconds(),
			P95:  st.WaitP95.Seconds(),
			P99:  st.WaitP99.Seconds(),
			Max:  st.WaitMax.Seconds(),
		},
		MaxQueue:   st.MaxQueue,
		Fairness:   st.Fairness,
		Timeouts:   st.Timeouts,
		SharedList: SharedSummary{Appends: st.Appends, Length: st.Length, LostUpdates: st.LostUpdates, Values: []int32{}},
		Tasks:      make([]TaskSummary, 0, len(snap.Tasks)),
	}
	for _, it := range e.SharedValues(nil, SharedValues) {
		s.SharedList.Values = append(s.SharedList.Values, it.Value)
	}
	s.WaitingNow.Tasks = st.Queue
	if st.LongestTask >= 0 {
		s.WaitingNow.Longest = st.LongestWait.Seconds()
		s.WaitingNow.Task = snap.Tasks[st.LongestTask].Spec.Name
	}
	for i := range snap.Tasks {
		t := &snap.Tasks[i]
		ts := TaskSummary{
			Name:         t.Spec.Name,
			Acquisitions: t.Acquisitions,
			WaitMax:      seconds(t.WaitMax),
			Timeouts:     t.Timeouts,
		}
		if t.Acquisitions > 0 {
			ts.WaitMean = float64(t.WaitTotal) / float64(t.Acquisitions) / 1e9
		}
		if t.Phase == sim.Waiting {
			ts.Waiting = seconds(snap.Now - t.Since)
		}
		if t.Raised {
			ts.Raised, ts.Line = true, t.Line
		}
		s.Tasks = append(s.Tasks, ts)
	}
	if len(snap.Locks) > 1 {
		for _, l := range snap.Locks {
			s.Locks = append(s.Locks, LockSummary{Name: l.Name, Policy: l.Policy.String(), Permits: l.Permits})
		}
	}
	s.stuck(e)
	return s
}

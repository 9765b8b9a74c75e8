package sim

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
}

// waitingFor returns how long t has been waiting, in seconds, or 0.
func (e *Engine) waitingFor(t *task) float64 {
	if t.phase != Waiting {
		return 0
	}
	return seconds(e.now - t.requestAt)
}

func seconds(ns int64) float64 { return float64(ns) / 1e9 }

func mean(sum, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n) / 1e9
}

// Summary sums up the run so far under the given scenario name.
func (e *Engine) Summary(scenario string) Summary {
	st := e.Stats()
	s := Summary{
		Scenario:     scenario,
		Policy:       e.lock.Policy().String(),
		Permits:      e.lock.Permits(),
		Seed:         e.cfg.Seed,
		VirtualTime:  seconds(e.now),
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
		Tasks:      make([]TaskSummary, 0, len(e.tasks)),
	}
	for _, it := range e.shared.newest(nil, SharedValues) {
		s.SharedList.Values = append(s.SharedList.Values, it.Value)
	}
	s.WaitingNow.Tasks = st.Queue
	if st.LongestTask >= 0 {
		s.WaitingNow.Longest = st.LongestWait.Seconds()
		s.WaitingNow.Task = e.tasks[st.LongestTask].spec.Name
	}
	for i := range e.tasks {
		t := &e.tasks[i]
		s.Tasks = append(s.Tasks, TaskSummary{
			Name:         t.spec.Name,
			Acquisitions: t.acquisitions,
			WaitMean:     mean(t.waitSum, t.acquisitions),
			WaitMax:      seconds(t.waitMax),
			Timeouts:     t.timeouts,
			Waiting:      e.waitingFor(t),
		})
	}
	return s
}

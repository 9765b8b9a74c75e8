package sim

import (
	"fmt"
	"testing"
	"time"

	"lockviz/lock"
)

// FuzzEngineCommands drives the engine the way a live view does, with the
// fuzzer choosing the commands, and checks the bookkeeping after each one.
func FuzzEngineCommands(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add([]byte{3, 0, 3, 1, 6, 9, 2, 0, 6, 40, 4, 3, 6, 200})
	f.Add([]byte{5, 1, 6, 10, 5, 2, 6, 10, 5, 3, 6, 10, 5, 0, 6, 10, 1, 2})
	f.Fuzz(func(t *testing.T, cmds []byte) {
		e := New(Config{Seed: 1, Tasks: tasks(3, TaskSpec{Name: "f",
			Think: Dist{Kind: Exponential, A: 50 * time.Millisecond},
			Hold:  Dist{Kind: Uniform, A: 0, B: 100 * time.Millisecond}, Append: true})})
		switched := false
		var snap Snapshot
		for i := 0; i+1 < len(cmds) && i < 400; i += 2 {
			op, arg := cmds[i]%8, cmds[i+1]
			id := int32(int(arg) % e.NumTasks())
			switch op {
			case 0:
				e.AddTask(TaskSpec{Name: fmt.Sprint("n", i), Iterations: int(arg % 4),
					Think:   FixedDist(time.Duration(arg%3) * 10 * time.Millisecond),
					Hold:    FixedDist(time.Duration(arg%5) * 10 * time.Millisecond),
					Timeout: time.Duration(arg%2) * 25 * time.Millisecond, Append: arg%2 == 0})
			case 1:
				e.CancelTask(id)
			case 2:
				e.SetHold(id, e.Spec(id).Hold.Scale(float64(arg%4)/2))
			case 3:
				e.SetThink(id, e.Spec(id).Think.Scale(float64(arg%4)/2))
			case 4:
				e.SetPolicy(lock.Policies[arg%4], 1+int(arg%3))
				switched = true
			case 5:
				e.Step()
			default:
				e.AdvanceWithin(e.Now()+time.Duration(arg)*time.Millisecond, 20000)
			}
			e.Snapshot(&snap)
			check(t, e, &snap, switched)
		}
	})
}

func check(t *testing.T, e *Engine, s *Snapshot, switched bool) {
	t.Helper()
	seen := map[int32]bool{}
	waiting, holding := 0, 0
	for _, v := range s.Tasks {
		switch v.Phase {
		case Waiting:
			waiting++
		case Holding:
			holding++
		}
	}
	for _, id := range append(append([]int32{}, s.Holders...), s.Queue...) {
		if seen[id] {
			t.Fatalf("task %d listed twice among holders and waiters", id)
		}
		seen[id] = true
	}
	if waiting != len(s.Queue) || holding != len(s.Holders) || waiting != s.Stats.Queue {
		t.Fatalf("queue %d/%d/%d, holders %d/%d disagree", waiting, len(s.Queue), s.Stats.Queue, holding, len(s.Holders))
	}
	if !switched && s.Policy != lock.None && len(s.Holders) > s.Permits {
		t.Fatalf("%d holders of %d permits", len(s.Holders), s.Permits)
	}
	if !switched && s.Stats.LostUpdates != 0 {
		t.Fatalf("%d lost updates under a lock", s.Stats.LostUpdates)
	}
	if s.Stats.LostUpdates < 0 || s.Stats.Utilization < 0 || s.Stats.Utilization > 1+1e-9 || s.Stats.Fairness > 1+1e-9 {
		t.Fatalf("statistics out of range: %+v", s.Stats)
	}
}

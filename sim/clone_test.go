package sim

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"lockviz/lock"
)

// command is one thing a live view does to a run: run it some way, or
// change it. Changes are what a copy of the run must be told again.
type command struct {
	at     Position // where the run was when it was given
	run    func(e *Engine)
	change func(e *Engine)
}

// driveRandomly gives e n random commands, the way a live view does: frames
// cut at random budgets, steps, and cancels, policy switches, new tasks and
// new holds in between.
func driveRandomly(r *rand.Rand, e *Engine, n int) []command {
	var cmds []command
	for range n {
		c := command{at: e.Position()}
		id := int32(r.IntN(e.NumTasks()))
		switch r.IntN(10) {
		case 0:
			c.change = func(e *Engine) { e.CancelTask(id) }
		case 1:
			p := lock.Policies[r.IntN(len(lock.Policies))]
			permits := 1 + r.IntN(3)
			c.change = func(e *Engine) { e.SetPolicy(p, permits) }
		case 2:
			spec := e.Spec(id)
			spec.Name += "+"
			c.change = func(e *Engine) { e.AddTask(spec) }
		case 3:
			d := FixedDist(time.Duration(r.IntN(50)) * time.Millisecond)
			c.change = func(e *Engine) { e.SetHold(id, d) }
		case 4, 5:
			c.run = func(e *Engine) { e.Step() }
		default:
			d, budget := time.Duration(r.IntN(300))*time.Millisecond, 1+r.IntN(200)
			c.run = func(e *Engine) { e.AdvanceWithin(e.Now()+d, budget) }
		}
		if c.change != nil {
			c.change(e)
		} else {
			c.run(e)
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// cloneCases are runs with several locks, timeouts, raises, cancellations,
// the shared list's lost updates, and the closed model.
func cloneCases() []Config {
	r := rand.New(rand.NewPCG(7, 8))
	var out []Config
	for i := range 120 {
		out = append(out, programCase(r, i).cfg)
	}
	for _, c := range namedPrograms() {
		out = append(out, c.cfg)
	}
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	closed := TaskSpec{Name: "w", Append: true, Think: Dist{Kind: Exponential, A: ms(20)}, Hold: Dist{Kind: Exponential, A: ms(10)}}
	timed := closed
	timed.Timeout = ms(30)
	out = append(out, Config{Seed: 3, Tasks: tasks(6, timed)}, Config{Seed: 4, Policy: lock.None, Tasks: tasks(5, closed)})
	return out
}

// TestCloneContinuesExactlyAsTheRun checks that a copy of a run, taken at
// any moment and told the same changes at the same positions, makes the
// same events as the run after that moment and ends in the same state,
// however the run was cut into frames and steps before and after.
func TestCloneContinuesExactlyAsTheRun(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i, cfg := range cloneCases() {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			e := New(cfg)
			var events []string
			e.OnEvent(func(ev Event) { events = append(events, fmt.Sprint(ev)) })
			e.CountLines()
			driveRandomly(r, e, 40)
			c := e.Clone()
			from := len(events)
			cmds := driveRandomly(r, e, 60)

			var got []string
			c.OnEvent(func(ev Event) { got = append(got, fmt.Sprint(ev)) })
			for _, cmd := range cmds {
				if cmd.change != nil {
					c.RunTo(cmd.at)
					cmd.change(c)
				}
			}
			c.RunTo(e.Position())
			if want := events[from:]; !slices.Equal(got, want) {
				t.Fatalf("after the copy: %d events, want %d; first difference %s", len(got), len(want), firstDiff(got, want))
			}
			var a, b Snapshot
			e.Snapshot(&a)
			c.Snapshot(&b)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("the copy ends at\n%+v\nthe run at\n%+v", b, a)
			}
			if !reflect.DeepEqual(e.LineTimes(), c.LineTimes()) {
				t.Fatalf("line times differ")
			}
		})
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("at %d: %q, want %q", i, a[i], b[i])
		}
	}
	return "one is a prefix of the other"
}

// TestCloneIsIndependent checks that running a copy leaves the original
// where it was, and the other way round.
func TestCloneIsIndependent(t *testing.T) {
	cfg := cloneCases()[0]
	e := New(cfg)
	e.AdvanceTo(200 * time.Millisecond)
	var before Snapshot
	e.Snapshot(&before)
	c := e.Clone()
	c.Run()
	c.AddTask(cfg.Tasks[0])
	var after Snapshot
	e.Snapshot(&after)
	if !reflect.DeepEqual(before, after) {
		t.Fatal("running the copy changed the original")
	}
}

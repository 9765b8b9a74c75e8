// Package scenario is lockviz's scenario language: TOML files of a lock (or
// several) and the tasks contending for it, their shorthand fields and their
// code, the built-in scenarios, and where in a file each key is, so that
// every error names a line.
package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"lockviz/assets"
	"lockviz/lock"
	"lockviz/sim"
	"lockviz/sim/format"
)

// maxSleeplessIterations bounds the iterations of all the tasks that never
// sleep, added up: they all run at one instant, so no until can cut them
// short (ten million take about a second).
const maxSleeplessIterations = 10_000_000

// maxNameLen bounds scenario and task names, in bytes.
const maxNameLen = 100

// Scenario is a run as a scenario file describes it: a lock and the groups
// of tasks contending for it.
//
// A file may leave keys out; they then take these defaults: policy "fifo",
// permits 1, seed 1, until "0s" (run until every task finishes), name the
// file's base name without ".toml", description empty; in a [[tasks]] group
// name "task", count 1, start "0s", iterations 1 (0 has to be written out to
// loop forever), think "0s", hold "0s", no timeout, append false.
type Scenario struct {
	Name        string
	Description string
	Policy      lock.Policy
	Permits     int            // holders at once; only the semaphore policy uses it
	Locks       []sim.LockSpec // the [locks] table; empty for one lock, "lock", of Policy
	Seed        uint64
	Until       time.Duration // virtual time to stop at; 0 runs until every task finishes
	Tasks       []TaskGroup
	Captions    []Caption // what the live view says when, in order of At
}

// TaskGroup is Count tasks sharing one spec. Config names them Name when
// Count is 1, and Name-1 … Name-Count otherwise.
type TaskGroup struct {
	sim.TaskSpec
	Count int
	// Source is the group's code as the file gives it; "" for the
	// shorthand. Parse compiles it into TaskSpec.Code.
	Source string
}

// TaskName returns the name of the group's i-th task, counting from 0.
func (g TaskGroup) TaskName(i int) string {
	if g.Count == 1 {
		return g.Name
	}
	return g.Name + "-" + strconv.Itoa(i+1)
}

// NumTasks returns how many tasks the scenario starts.
func (s Scenario) NumTasks() int {
	n := 0
	for _, g := range s.Tasks {
		n += max(g.Count, 0)
	}
	return n
}

// Forever reports whether some task loops forever (iterations 0), so that a
// run needs Until to end.
func (s Scenario) Forever() bool {
	return slices.ContainsFunc(s.Tasks, func(g TaskGroup) bool { return g.Forever() })
}

// Config expands the groups into the engine's configuration, one TaskSpec
// per task, in file order.
func (s Scenario) Config() sim.Config {
	c := sim.Config{Policy: s.Policy, Permits: s.Permits, Locks: s.Locks, Seed: s.Seed, Tasks: make([]sim.TaskSpec, 0, s.NumTasks())}
	for _, g := range s.Tasks {
		for i := range g.Count {
			spec := g.TaskSpec
			spec.Name = g.TaskName(i)
			c.Tasks = append(c.Tasks, spec)
		}
	}
	return c
}

// Clone returns a copy of s that shares no slice with it (programs, which
// nothing changes, are shared).
func (s Scenario) Clone() Scenario {
	s.Tasks = slices.Clone(s.Tasks)
	s.Locks = slices.Clone(s.Locks)
	s.Captions = slices.Clone(s.Captions)
	return s
}

// maxLocks bounds the locks of a scenario: a snapshot marks a task's held
// locks a bit each.
const maxLocks = 64

// Validate reports the first problem that would make the scenario
// unrunnable or its trace ambiguous, nil when there is none.
func (s Scenario) Validate() error {
	_, _, err := s.validate()
	return err
}

// validate is Validate that also tells which group (-1 for none) and which
// key the problem lies in, so a file's error can point at a line.
func (s Scenario) validate() (group int, key string, err error) {
	if err := checkName(s.Name); err != nil {
		return -1, "name", fmt.Errorf("scenario name: %w", err)
	}
	if strings.ContainsFunc(s.Description, format.IsControlOrFormat) || !utf8.ValidString(s.Description) {
		return -1, "description", errors.New("description must be one line of text without control or format characters")
	}
	if int(s.Policy) >= len(lock.Policies) {
		return -1, "policy", fmt.Errorf("unknown policy %v", s.Policy)
	}
	if s.Permits < 1 || s.Permits > sim.MaxTasks {
		return -1, "permits", fmt.Errorf("permits must be between 1 and %d, not %d", sim.MaxTasks, s.Permits)
	}
	if s.Permits != 1 && s.Policy != lock.Semaphore {
		// Other policies admit one holder or everyone: the number would be ignored.
		return -1, "permits", fmt.Errorf("permits %d applies to the semaphore policy, not %s", s.Permits, s.Policy)
	}
	if err := checkDuration(s.Until); err != nil {
		return -1, "until", fmt.Errorf("until: %w", err)
	}
	if len(s.Locks) > maxLocks {
		return -1, "locks", fmt.Errorf("more than %d locks", maxLocks)
	}
	for _, l := range s.Locks {
		if int(l.Policy) >= len(lock.Policies) {
			return -1, "locks", fmt.Errorf("lock %s: unknown policy %v", l.Name, l.Policy)
		}
		if l.Permits < 1 || l.Permits > sim.MaxTasks {
			return -1, "locks", fmt.Errorf("lock %s: permits must be between 1 and %d, not %d", l.Name, sim.MaxTasks, l.Permits)
		}
		if l.Permits != 1 && l.Policy != lock.Semaphore {
			return -1, "locks", fmt.Errorf("lock %s: permits %d applies to the semaphore policy, not %s", l.Name, l.Permits, l.Policy)
		}
	}
	if len(s.Tasks) == 0 {
		return -1, "tasks", errors.New("no tasks: add a [[tasks]] table")
	}
	total, sleepless := 0, 0
	for i, g := range s.Tasks {
		if key, err := g.validate(); err != nil {
			return i, key, fmt.Errorf("task %q: %w", g.Name, err)
		}
		total += g.Count
		if total > sim.MaxTasks {
			return i, "count", fmt.Errorf("more than %d tasks in total", sim.MaxTasks)
		}
		if g.Code == nil && g.sleepless() {
			// Compared by division: Count × Iterations can overflow.
			if g.Iterations > (maxSleeplessIterations-sleepless)/g.Count {
				return i, "iterations", g.tooManySleepless(sleepless)
			}
			sleepless += g.Count * g.Iterations
		}
	}
	seen := make(map[string]struct{}, total)
	for i, g := range s.Tasks {
		for k := range g.Count {
			n := g.TaskName(k)
			if _, dup := seen[n]; dup {
				return i, "name", fmt.Errorf("two tasks are named %q", n)
			}
			seen[n] = struct{}{}
		}
	}
	return -1, "", nil
}

// validate checks one group and names the key at fault.
func (g TaskGroup) validate() (key string, err error) {
	if err := checkName(g.Name); err != nil {
		return "name", fmt.Errorf("task name: %w", err)
	}
	if g.Count < 1 || g.Count > sim.MaxTasks {
		return "count", fmt.Errorf("count must be between 1 and %d, not %d", sim.MaxTasks, g.Count)
	}
	if err := checkDuration(g.Start); err != nil {
		return "start", fmt.Errorf("start: %w", err)
	}
	if g.Code != nil {
		return "", nil // the code's own compiler checked it
	}
	if g.Iterations < 0 {
		return "iterations", fmt.Errorf("iterations must be 0 (forever) or more, not %d", g.Iterations)
	}
	if err := checkDuration(g.Start); err != nil {
		return "start", fmt.Errorf("start: %w", err)
	}
	if err := checkDist(g.Think); err != nil {
		return "think", fmt.Errorf("think: %w", err)
	}
	if err := checkDist(g.Hold); err != nil {
		return "hold", fmt.Errorf("hold: %w", err)
	}
	if err := checkDuration(g.Timeout); err != nil {
		return "timeout", fmt.Errorf("timeout: %w", err)
	}
	if g.sleepless() && g.Forever() {
		return "iterations", errors.New("loops forever with think and hold both 0, so virtual time would never advance")
	}
	return "", nil
}

// sleepless reports whether the group's tasks never sleep between
// iterations, so that they all run at their start instant.
func (g TaskGroup) sleepless() bool { return alwaysZero(g.Think) && alwaysZero(g.Hold) }

// tooManySleepless is the error of a sleepless group whose iterations,
// after the earlier groups' sleepless ones, go over the limit.
func (g TaskGroup) tooManySleepless(earlier int) error {
	n := fmt.Sprintf("%d iterations", g.Iterations)
	if g.Count > 1 {
		n = fmt.Sprintf("%d tasks × %d iterations", g.Count, g.Iterations)
	}
	if earlier > 0 {
		n += fmt.Sprintf(" after %d of earlier groups", earlier)
	}
	return fmt.Errorf("task %q: %s with think and hold both 0 would all run at one instant, which no until can cut short (at most %d in all)",
		g.Name, n, maxSleeplessIterations)
}

func checkName(n string) error {
	switch {
	case n == "":
		return errors.New("empty")
	case len(n) > maxNameLen:
		return fmt.Errorf("longer than %d bytes", maxNameLen)
	case !utf8.ValidString(n) || strings.ContainsFunc(n, format.IsControlOrFormat):
		return fmt.Errorf("%q has control characters, invisible format characters or invalid UTF-8", n)
	}
	return nil
}

func checkDuration(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("negative duration %v", d)
	}
	if d > sim.MaxDuration {
		return fmt.Errorf("%v is longer than the limit of %v", d, sim.MaxDuration)
	}
	return nil
}

func checkDist(d sim.Dist) error {
	if err := checkDuration(d.A); err != nil {
		return err
	}
	switch d.Kind {
	case sim.Fixed:
		if d.B != 0 {
			return errors.New("a fixed duration has no upper bound")
		}
	case sim.Exponential:
		if d.A == 0 || d.B != 0 {
			return fmt.Errorf("exponential mean must be positive in %q", d)
		}
	case sim.Uniform:
		if err := checkDuration(d.B); err != nil {
			return err
		}
		if d.B < d.A {
			return fmt.Errorf("uniform range %q ends before it starts", d)
		}
	default:
		return fmt.Errorf("unknown distribution kind %d", d.Kind)
	}
	return nil
}

// alwaysZero reports whether d can only draw 0.
func alwaysZero(d sim.Dist) bool {
	return (d.Kind == sim.Fixed && d.A == 0) || (d.Kind == sim.Uniform && d.B == 0)
}

// Overrides are changes to a scenario, as the command line's flags give them;
// a nil field leaves the scenario's value alone.
type Overrides struct {
	Policy     *lock.Policy
	Permits    *int
	Tasks      *int // replace the tasks with N copies of the first one, named task-1 … task-N
	Think      *sim.Dist
	Hold       *sim.Dist
	Iterations *int
	Timeout    *time.Duration // 0 waits forever
	Seed       *uint64
	Until      *time.Duration
}

// Override returns s with o applied, validated. Tasks is applied first, so
// the other task fields apply to the copies. A policy other than semaphore
// sets permits back to 1 unless o gives permits too.
func (s Scenario) Override(o Overrides) (Scenario, error) {
	s = s.Clone()
	if o.Tasks != nil {
		n := *o.Tasks
		if n < 1 || n > sim.MaxTasks {
			return s, fmt.Errorf("tasks must be between 1 and %d, not %d", sim.MaxTasks, n)
		}
		if len(s.Tasks) == 0 {
			return s, errors.New("no task to copy: the scenario has no tasks")
		}
		g := s.Tasks[0]
		g.Name, g.Count = "task", n
		if n == 1 {
			g.Name = "task-1"
		}
		s.Tasks = []TaskGroup{g}
	}
	for i := range s.Tasks {
		g := &s.Tasks[i]
		if g.Code != nil && (o.Think != nil || o.Hold != nil || o.Iterations != nil || o.Timeout != nil) {
			return s, fmt.Errorf("task %q has code: --think, --hold, --iterations and --timeout apply to tasks without", g.Name)
		}
		override(&g.Think, o.Think)
		override(&g.Hold, o.Hold)
		override(&g.Iterations, o.Iterations)
		override(&g.Timeout, o.Timeout)
	}
	override(&s.Policy, o.Policy)
	override(&s.Permits, o.Permits)
	if o.Policy != nil && o.Permits == nil && s.Policy != lock.Semaphore {
		s.Permits = 1 // the scenario's permits were for its semaphore
	}
	for i := range s.Locks {
		l := &s.Locks[i]
		override(&l.Policy, o.Policy)
		switch {
		case l.Policy == lock.Semaphore && o.Permits != nil:
			l.Permits = *o.Permits
		case l.Policy != lock.Semaphore:
			l.Permits = 1
		}
	}
	override(&s.Seed, o.Seed)
	override(&s.Until, o.Until)
	return s, s.Validate()
}

// override sets *dst to *v when the flag behind v was given.
func override[T any](dst, v *T) {
	if v != nil {
		*dst = *v
	}
}

// builtinDir is where the built-in scenario files live inside assets.Scenarios.
const builtinDir = "scenarios"

// builtins parses the embedded scenarios once; a broken one is a build
// error in all but name, which TestBuiltins reports.
var builtins = sync.OnceValue(func() []Scenario {
	files, err := fs.Glob(assets.Scenarios, builtinDir+"/*.toml")
	if err != nil {
		panic(err)
	}
	var list []Scenario
	for _, f := range files {
		data, err := fs.ReadFile(assets.Scenarios, f)
		if err != nil {
			panic(err)
		}
		s, err := Parse(f, data)
		if err != nil {
			panic("lockviz: built-in scenario: " + err.Error())
		}
		list = append(list, s)
	}
	slices.SortFunc(list, func(a, b Scenario) int { return strings.Compare(a.Name, b.Name) })
	return list
})

// Builtins returns the scenarios embedded in the binary, sorted by name.
func Builtins() []Scenario {
	list := slices.Clone(builtins())
	for i := range list {
		list[i] = list[i].Clone()
	}
	return list
}

// BuiltinNames returns the names of the built-in scenarios, sorted.
func BuiltinNames() []string {
	var names []string
	for _, s := range builtins() {
		names = append(names, s.Name)
	}
	return names
}

// Load returns the built-in scenario called nameOrFile or, when
// there is none, the scenario in the file of that path.
func Load(nameOrFile string) (Scenario, error) {
	for _, s := range builtins() {
		if s.Name == nameOrFile {
			return s.Clone(), nil
		}
	}
	data, err := readLimited(nameOrFile, maxFileSize, fmt.Sprintf("larger than %d bytes: not a scenario file", maxFileSize))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if !strings.ContainsAny(nameOrFile, `/\`) && path.Ext(nameOrFile) == "" {
				return Scenario{}, fmt.Errorf("unknown scenario %q: no built-in (%s) and no such file",
					nameOrFile, strings.Join(BuiltinNames(), ", "))
			}
			return Scenario{}, fmt.Errorf("%s: no such file", nameOrFile)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Scenario{}, fmt.Errorf("%s: %v", nameOrFile, err)
	}
	return Parse(nameOrFile, data)
}

// ReadFile reads an input file other than a scenario (a key script) with
// the checks a scenario file gets; its error is one line naming the file.
func ReadFile(name string) ([]byte, error) {
	return ReadRegular(name, maxFileSize, fmt.Sprintf("larger than %d bytes: not a scenario file", maxFileSize))
}

// ReadRegular reads name, which must be a regular file of at most limit
// bytes (tooBig says what a larger one is not); its error is one line
// naming the file.
func ReadRegular(name string, limit int, tooBig string) ([]byte, error) {
	data, err := readLimited(name, limit, tooBig)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file", name)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return data, nil
}

// maxFileSize bounds a scenario file, so that a wrong path to a huge file
// cannot exhaust memory.
const maxFileSize = 1 << 20

// readLimited reads a file, which must be a regular file: opening a
// FIFO blocks until a writer comes, and a device such as /dev/zero or a
// terminal is no input either.
func readLimited(name string, limit int, tooBig string) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, errors.New(tooBig)
	}
	return data, nil
}

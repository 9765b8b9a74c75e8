package scenario

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"lockviz/lock"
	"lockviz/sim"
)

// The keys a scenario file may use, at the top and in a [[tasks]] table.
var (
	scenarioKeys  = []string{"name", "description", "policy", "permits", "seed", "until", "locks", "tasks", "captions"}
	taskKeys      = []string{"name", "count", "start", "code", "iterations", "think", "hold", "timeout", "append"}
	lockKeys      = []string{"policy", "permits"}
	shorthandKeys = []string{"iterations", "think", "hold", "timeout", "append"}
)

// Parse reads a scenario file; name is the file's path, used in
// errors and, without a name key, for the scenario's name. Decoding is
// strict: an unknown key, a value of the wrong type or an invalid value is
// an error of one line, "name:line: problem". A file nested too deep for
// the TOML library to read cheaply is refused before it decodes.
func Parse(name string, data []byte) (s Scenario, err error) {
	defer func() {
		// The TOML library re-raises unexpected panics; a file must never
		// crash lockviz, whatever it holds.
		if r := recover(); r != nil {
			s, err = Scenario{}, fmt.Errorf("%s: cannot read this file: %s", name, oneLine(fmt.Sprint(r)))
		}
	}()
	text := string(data)
	if err := checkShape(name, text); err != nil {
		return Scenario{}, err
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Scenario{}, fmt.Errorf("%s:%d: %s", name, pe.Position.Line, oneLine(pe.Message))
		}
		return Scenario{}, fmt.Errorf("%s: %s", name, oneLine(err.Error()))
	}
	p := fileParser{file: name, lines: scanKeys(text)}
	s = Scenario{
		Name:    strings.TrimSuffix(path.Base(strings.ReplaceAll(name, `\`, "/")), ".toml"),
		Permits: 1,
		Seed:    1,
	}
	for _, k := range p.ordered(raw, -1) {
		v := raw[k]
		var err error
		switch k {
		case "name":
			s.Name, err = asString(v)
		case "description":
			s.Description, err = asString(v)
		case "policy":
			var str string
			if str, err = asString(v); err == nil {
				s.Policy, err = lock.ParsePolicy(str)
			}
		case "permits":
			s.Permits, err = asInt(v, 1)
		case "seed":
			var n int
			n, err = asInt(v, 0)
			s.Seed = uint64(n)
		case "until":
			s.Until, err = asDuration(v)
		case "locks":
			if s.Locks, err = p.locks(v); err != nil {
				return Scenario{}, err // already placed
			}
		case "tasks":
			s.Tasks, err = p.tasks(v)
			if err != nil {
				return Scenario{}, err // already placed
			}
		case "captions":
			if s.Captions, err = p.captions(v); err != nil {
				return Scenario{}, err // already placed
			}
		default:
			err = unknownKey(k, "", scenarioKeys)
			return Scenario{}, p.errorf(-1, k, "%v", err)
		}
		if err != nil {
			return Scenario{}, p.errorf(-1, k, "%s: %v", k, err)
		}
	}
	if err := p.compile(&s); err != nil {
		return Scenario{}, err
	}
	if group, key, err := s.validate(); err != nil {
		return Scenario{}, p.errorf(group, key, "%v", err)
	}
	return s, nil
}

// compile turns each task's code into its program, against the locks the
// file declares (or the one lock, "lock").
func (p fileParser) compile(s *Scenario) error {
	names := []string{"lock"}
	if len(s.Locks) > 0 {
		names = names[:0]
		for _, l := range s.Locks {
			names = append(names, l.Name)
		}
	}
	for i := range s.Tasks {
		g := &s.Tasks[i]
		if g.Source == "" {
			continue
		}
		prog, err := ParseCode(p.file, p.lines.code[i], g.Source, names)
		if err != nil {
			return err
		}
		g.Code = prog
	}
	return nil
}

// locks reads the [locks] table: each lock's name, policy and permits, in
// the file's order.
func (p fileParser) locks(v any) ([]sim.LockSpec, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, p.errorf(-1, "locks", "locks: want a table of locks, as a = { policy = \"fifo\" }, got %s", typeName(v))
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(p.lines.locks[a], p.lines.locks[b]), strings.Compare(a, b))
	})
	var out []sim.LockSpec
	for _, n := range names {
		at := func(format string, args ...any) error {
			msg := fmt.Sprintf("lock %s: ", n) + fmt.Sprintf(format, args...)
			if line := p.lines.locks[n]; line > 0 {
				return fmt.Errorf("%s:%d: %s", p.file, line, oneLine(msg))
			}
			return p.errorf(-1, "locks", "%s", msg)
		}
		t, ok := m[n].(map[string]any)
		if !ok {
			return nil, at("want a table such as { policy = \"fifo\" }, got %s", typeName(m[n]))
		}
		l := sim.LockSpec{Name: n, Permits: 1}
		for _, k := range slices.Sorted(maps.Keys(t)) {
			var err error
			switch k {
			case "policy":
				var str string
				if str, err = asString(t[k]); err == nil {
					l.Policy, err = lock.ParsePolicy(str)
				}
			case "permits":
				l.Permits, err = asInt(t[k], 1)
			default:
				err = unknownKey(k, " in a lock", lockKeys)
			}
			if err != nil {
				return nil, at("%v", err)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// fileParser places errors of one file on their lines.
type fileParser struct {
	file  string
	lines keyLines
}

// errorf returns an error at the line of key, in [[tasks]] table group or
// at the top level when group is -1.
func (p fileParser) errorf(group int, key, format string, args ...any) error {
	msg := oneLine(fmt.Sprintf(format, args...))
	if line := p.lines.line(group, key); line > 0 {
		return fmt.Errorf("%s:%d: %s", p.file, line, msg)
	}
	return fmt.Errorf("%s: %s", p.file, msg)
}

// ordered returns the keys of table m in the order the file defines them,
// so the first problem reported is the first in the file.
func (p fileParser) ordered(m map[string]any, group int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		la, lb := p.lines.line(group, a), p.lines.line(group, b)
		if la == 0 {
			la = int(^uint(0) >> 1)
		}
		if lb == 0 {
			lb = int(^uint(0) >> 1)
		}
		if la != lb {
			return la - lb
		}
		return strings.Compare(a, b)
	})
	return keys
}

// tables reads the value of key, which must be [[key]] tables or an
// inline array of tables.
func (p fileParser) tables(key string, v any) ([]map[string]any, error) {
	switch v := v.(type) {
	case []map[string]any:
		return v, nil
	case []any:
		var tables []map[string]any
		for _, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, p.errorf(-1, key, "%s: want [[%s]] tables, got an array holding %s", key, key, typeName(e))
			}
			tables = append(tables, m)
		}
		return tables, nil
	}
	return nil, p.errorf(-1, key, "%s: want [[%s]] tables, got %s", key, key, typeName(v))
}

// tasks reads the [[tasks]] tables, or an inline array of tables.
func (p fileParser) tasks(v any) ([]TaskGroup, error) {
	tables, err := p.tables("tasks", v)
	if err != nil {
		return nil, err
	}
	groups := make([]TaskGroup, 0, len(tables))
	for i, m := range tables {
		g := TaskGroup{TaskSpec: sim.TaskSpec{Name: "task", Iterations: 1}, Count: 1}
		for _, k := range p.ordered(m, i) {
			v := m[k]
			var err error
			switch k {
			case "name":
				g.Name, err = asString(v)
			case "count":
				g.Count, err = asInt(v, 1)
			case "start":
				g.Start, err = asDuration(v)
			case "iterations":
				g.Iterations, err = asInt(v, 0)
			case "think":
				g.Think, err = asDist(v)
			case "hold":
				g.Hold, err = asDist(v)
			case "timeout":
				g.Timeout, err = asTimeout(v)
			case "append":
				var ok bool
				if g.Append, ok = v.(bool); !ok {
					err = fmt.Errorf("want true or false, got %s", typeName(v))
				}
			case "code":
				if g.Source, err = asString(v); err == nil && strings.TrimSpace(g.Source) == "" {
					err = errors.New("empty: write the body of the task's coroutine")
				}
			default:
				return nil, p.errorf(i, k, "%v", unknownKey(k, " in [[tasks]]", taskKeys))
			}
			if err != nil {
				return nil, p.errorf(i, k, "%s: %v", k, err)
			}
		}
		if _, code := m["code"]; code {
			for _, k := range shorthandKeys {
				if _, ok := m[k]; ok {
					return nil, p.errorf(i, k, "%s: a task with code gives its loop, sleeps and locks in the code, not in %s", k, strings.Join(shorthandKeys, ", "))
				}
			}
		}
		groups = append(groups, g)
	}
	return groups, nil
}

func unknownKey(k, where string, valid []string) error {
	return fmt.Errorf("unknown key %q%s (valid: %s)", k, where, strings.Join(valid, ", "))
}

func asString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %s", typeName(v))
	}
	return s, nil
}

// asInt reads an integer no smaller than low that fits an int.
func asInt(v any, low int64) (int, error) {
	n, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("want an integer, got %s", typeName(v))
	}
	if n < low {
		return 0, fmt.Errorf("must be at least %d, not %d", low, n)
	}
	if n > int64(int(^uint(0)>>1)) {
		return 0, fmt.Errorf("%d is too large", n)
	}
	return int(n), nil
}

func asDuration(v any) (time.Duration, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf(`want a duration string such as "1s", got %s`, typeName(v))
	}
	d, err := ParseDuration(s)
	if err != nil {
		return 0, err
	}
	return d, checkDuration(d)
}

func asDist(v any) (sim.Dist, error) {
	s, ok := v.(string)
	if !ok {
		return sim.Dist{}, fmt.Errorf(`want a duration such as "1s", "exp:100ms" or "uniform:50ms-150ms", got %s`, typeName(v))
	}
	d, err := ParseDist(s)
	if err != nil {
		return sim.Dist{}, err
	}
	return d, checkDist(d)
}

// asTimeout reads an acquire timeout: "" for none, else a positive duration.
func asTimeout(v any) (time.Duration, error) {
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
		return 0, nil
	}
	d, err := asDuration(v)
	if err == nil && d == 0 {
		err = errors.New(`must be positive (leave it out or write "" to wait forever)`)
	}
	return d, err
}

func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("string %q", v)
	case int64:
		return "integer " + strconv.FormatInt(v, 10)
	case float64:
		return "float " + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}

// oneLine folds a message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

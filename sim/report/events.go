package report

import (
	"strconv"
	"time"
	"unicode/utf8"

	"lockviz/sim"
)

// AppendEventJSON appends ev as one JSON object, without a newline, to dst:
//
//	{"t": 1.0, "task": "left", "event": "acquired", "lock": "a", "line": 4}
//
// with `"value": N` added to append events. name is the task's name; lock
// the lock's, given when the run has more than one ("" leaves it out);
// line the event's line in the task's code, given for tasks with code (0
// leaves it out). The time is exact decimal seconds (see AppendSeconds).
// It allocates nothing when dst has room.
func AppendEventJSON(dst []byte, ev sim.Event, name, lock string, line int32) []byte {
	dst = append(dst, `{"t": `...)
	dst = AppendSeconds(dst, ev.T)
	dst = append(dst, `, "task": `...)
	dst = appendJSONString(dst, name)
	dst = append(dst, `, "event": "`...)
	dst = append(dst, ev.Kind.String()...)
	dst = append(dst, '"')
	if ev.Kind == sim.Append {
		dst = append(dst, `, "value": `...)
		dst = strconv.AppendInt(dst, int64(ev.Value), 10)
	}
	if lock != "" {
		dst = append(dst, `, "lock": `...)
		dst = appendJSONString(dst, lock)
	}
	if line > 0 {
		dst = append(dst, `, "line": `...)
		dst = strconv.AppendInt(dst, int64(line), 10)
	}
	return append(dst, '}')
}

// Trace writes a run's events as JSON Lines, naming the locks when there
// are several and giving lines for tasks with code.
type Trace struct {
	e    *sim.Engine
	code []bool
	buf  []byte
}

// NewTrace returns the trace writer of e's events.
func NewTrace(e *sim.Engine) *Trace {
	t := &Trace{e: e}
	for id := range e.NumTasks() {
		t.code = append(t.code, e.Spec(int32(id)).Code != nil)
	}
	return t
}

// Line returns ev as one line of JSON, newline included; the slice is
// reused by the next call.
func (t *Trace) Line(ev sim.Event) []byte {
	lock := ""
	if t.e.NumLocks() > 1 && ev.Lock >= 0 {
		lock = t.e.LockName(ev.Lock)
	}
	line := int32(0)
	if int(ev.Task) < len(t.code) && t.code[ev.Task] {
		line = ev.Line
	}
	t.buf = append(AppendEventJSON(t.buf[:0], ev, t.e.TaskName(ev.Task), lock, line), '\n')
	return t.buf
}

// AppendSeconds appends d as exact decimal seconds, with at least one digit
// after the point and no trailing zeros beyond it: 0.0, 0.25, 1.0,
// 1.000000001. Unlike a float64 it never rounds.
func AppendSeconds(dst []byte, d time.Duration) []byte {
	ns := uint64(d)
	if d < 0 {
		dst = append(dst, '-')
		ns = -ns // two's complement: right for MinInt64 too
	}
	dst = strconv.AppendUint(dst, ns/1e9, 10)
	dst = append(dst, '.')
	frac := ns % 1e9
	if frac == 0 {
		return append(dst, '0')
	}
	var buf [9]byte
	for i := 8; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := 9
	for buf[n-1] == '0' {
		n--
	}
	return append(dst, buf[:n]...)
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, `\u202`...)
			dst = append(dst, hex[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

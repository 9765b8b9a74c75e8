package report

import (
	"lockviz/sim"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendEventJSON appends ev as one JSON object, without a newline, to dst:
//
//	{"t": 1.0, "task": "rate_limiter-1", "event": "acquired"}
//
// with `"value": N` added to append events. name is the task's name. The
// time is exact decimal seconds (see AppendSeconds). It allocates nothing
// when dst has room.
func AppendEventJSON(dst []byte, ev sim.Event, name string) []byte {
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
	return append(dst, '}')
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

package report

import (
	"encoding/json"
	"lockviz/sim"
	"math"
	"testing"
	"time"
)

func TestAppendSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.0"},
		{time.Second, "1.0"},
		{250 * time.Millisecond, "0.25"},
		{time.Nanosecond, "0.000000001"},
		{time.Second + time.Nanosecond, "1.000000001"},
		{1500 * time.Microsecond, "0.0015"},
		{100 * time.Millisecond, "0.1"},
		{time.Hour, "3600.0"},
		{100000 * time.Hour, "360000000.0"},
		{math.MaxInt64, "9223372036.854775807"},
		{-1500 * time.Millisecond, "-1.5"},
		{math.MinInt64, "-9223372036.854775808"},
	}
	for _, tt := range tests {
		if got := string(AppendSeconds(nil, tt.d)); got != tt.want {
			t.Errorf("AppendSeconds(%d ns) = %s, want %s", int64(tt.d), got, tt.want)
		}
	}
}

func TestAppendEventJSON(t *testing.T) {
	tests := []struct {
		name string
		ev   sim.Event
		task string
		lock string
		line int32
		want string
	}{
		{"acquired", sim.Event{T: time.Second, Kind: sim.Acquired}, "rate_limiter-1", "", 0,
			`{"t": 1.0, "task": "rate_limiter-1", "event": "acquired"}`},
		{"append carries its value", sim.Event{T: 250 * time.Millisecond, Kind: sim.Append, Value: 42}, "w", "", 0,
			`{"t": 0.25, "task": "w", "event": "append", "value": 42}`},
		{"timeout at one nanosecond past a second", sim.Event{T: time.Second + 1, Kind: sim.Timeout}, "x", "", 0,
			`{"t": 1.000000001, "task": "x", "event": "timeout"}`},
		{"names are escaped", sim.Event{Kind: sim.Spawn}, "a\"b\\c\td\x01é\xff\u2028", "", 0,
			`{"t": 0.0, "task": "a\"b\\c\u0009d\u0001é\ufffd\u2028", "event": "spawn"}`},
		{"the lock and the line, when given", sim.Event{T: time.Second, Kind: sim.Request}, "left", "b", 4,
			`{"t": 1.0, "task": "left", "event": "request", "lock": "b", "line": 4}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendEventJSON(nil, tt.ev, tt.task, tt.lock, tt.line))
			if got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(got), &m); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			if m["event"] != tt.ev.Kind.String() || m["t"] != tt.ev.T.Seconds() {
				t.Fatalf("decoded %v", m)
			}
		})
	}
}

func TestAppendEventJSONAllocatesNothing(t *testing.T) {
	buf := make([]byte, 0, 256)
	ev := sim.Event{T: 1234567891 * time.Nanosecond, Kind: sim.Append, Value: 7}
	if n := testing.AllocsPerRun(100, func() { buf = AppendEventJSON(buf[:0], ev, "worker-12", "fork3", 12) }); n != 0 {
		t.Fatalf("%v allocations per event", n)
	}
}

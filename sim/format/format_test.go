package format

import (
	"math"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {12, "12ns"}, {1500, "1.5µs"}, {999999, "1ms"}, {850 * time.Millisecond, "850ms"},
		{999_600 * time.Microsecond, "1s"}, {1618 * time.Millisecond, "1.62s"}, {1400 * time.Millisecond, "1.4s"},
		{2 * time.Second, "2s"}, {12345 * time.Millisecond, "12.3s"}, {59_960 * time.Millisecond, "1m00s"},
		{125 * time.Second, "2m05s"}, {3599_600 * time.Millisecond, "1h00m"}, {3*time.Hour + 7*time.Minute, "3h07m"},
		{math.MaxInt64, "2562047h47m"}, {-1500 * time.Millisecond, "-1.5s"}, {math.MinInt64, "-2562047h47m"},
	}
	for _, tt := range tests {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%d) = %s, want %s", int64(tt.d), got, tt.want)
		}
	}
	if got := Seconds(1e300); got != "2562047h47m" {
		t.Errorf("Seconds past the clock's range = %s", got)
	}
	if got := Seconds(0.0833333); got != "83.3ms" {
		t.Errorf("Seconds(0.0833333) = %s", got)
	}
}

func TestCount(t *testing.T) {
	if Count(1, "append", "appends") != "1 append" || Count(0, "append", "appends") != "0 appends" {
		t.Fatal("plural wrong")
	}
}

func TestWidthAndPad(t *testing.T) {
	if Width("任务-1") != 6 || Width("🔒lock") != 6 || Width("abc") != 3 {
		t.Fatalf("widths %d %d %d", Width("任务-1"), Width("🔒lock"), Width("abc"))
	}
	if got := Pad("任务", 6); got != "任务  " {
		t.Fatalf("Pad = %q", got)
	}
}

func TestNamesNeverLookAlike(t *testing.T) {
	names := []string{"rate_limiter-1", "rate_limiter-2", "rate_limiter-3"}
	labels, w := Names(names, 12)
	if w > 12 {
		t.Fatalf("width %d", w)
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if seen[l] || Width(l) > 12 {
			t.Fatalf("labels %q", labels)
		}
		seen[l] = true
	}
	// Names that differ only in the middle widen the cut until they differ.
	labels, _ = Names([]string{"worker-alpha-pool-1", "worker-bravo-pool-1"}, 10)
	if labels[0] == labels[1] {
		t.Fatalf("labels %q look alike", labels)
	}
	// Wide characters are cut whole.
	if got := Cut("任务任务任务-1", 7); Width(got) > 7 || got != "任…务-1" {
		t.Fatalf("Cut = %q (width %d)", got, Width(got))
	}
	if labels, _ := Names([]string{"a", "b"}, 10); labels[0] != "a" || labels[1] != "b" {
		t.Fatalf("short names changed: %q", labels)
	}
}

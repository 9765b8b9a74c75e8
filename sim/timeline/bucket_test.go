package timeline

import (
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	tests := []struct{ d, want time.Duration }{
		{0, time.Microsecond},
		{time.Microsecond, time.Microsecond},
		{time.Microsecond + 1, 1250 * time.Nanosecond},
		{3 * time.Millisecond, 4 * time.Millisecond},
		{4*time.Millisecond + 1, 5 * time.Millisecond},
		{600 * time.Millisecond, 800 * time.Millisecond},
		{900 * time.Millisecond, time.Second},
		{90 * time.Minute, 8000 * time.Second},
		{20 * time.Hour, 80000 * time.Second},
		{23 * time.Hour, 23 * time.Hour}, // past the steps: d itself
	}
	for _, tt := range tests {
		if got := Bucket(tt.d); got != tt.want {
			t.Errorf("Bucket(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

// TestFit checks that a run fits its columns, and fills more than half of
// them once it is longer than a microsecond a column.
func TestFit(t *testing.T) {
	for _, end := range []time.Duration{1, 60, 61 * time.Microsecond, 2 * time.Second, 5 * time.Second,
		time.Minute, 61 * time.Second, 10 * time.Hour, 1<<63 - 1} {
		b := Fit(end, 60)
		cols := (end-1)/b + 1
		if cols > 60 {
			t.Errorf("Fit(%v, 60) = %v: %d columns", end, b, cols)
		}
		if end > 60*time.Microsecond && float64(cols) <= 60/1.6 {
			t.Errorf("Fit(%v, 60) = %v: only %d columns", end, b, cols)
		}
	}
}

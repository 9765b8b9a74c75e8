package timeline

import "time"

// Bucket rounds d up to a column width every timeline uses, the live
// view's and the report's: 1, 1.25, 2, 2.5, 4, 5 or 8 times a power of
// ten, from 1µs (d itself beyond 22 hours). Each step is at most 1.6
// times the one before, so that a whole run fills most of the width, and
// each divides the next power of ten, so that whole seconds fall on column
// boundaries.
func Bucket(d time.Duration) time.Duration {
	if d < time.Microsecond {
		return time.Microsecond
	}
	for p := time.Microsecond; ; p *= 10 {
		for _, f := range [...]time.Duration{100, 125, 200, 250, 400, 500, 800} {
			if f*p/100 >= d {
				return f * p / 100
			}
		}
		if p > time.Hour {
			return d
		}
	}
}

// Fit returns the bucket that shows a run of length end in at most cols
// columns.
func Fit(end time.Duration, cols int) time.Duration {
	if end <= 0 || cols <= 0 {
		return Bucket(0)
	}
	return Bucket((end-1)/time.Duration(cols) + 1)
}

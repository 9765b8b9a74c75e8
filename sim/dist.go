package sim

import (
	"math"
	"time"
)

// MaxDuration bounds every duration of a scenario (about eleven years), so
// that no single sleep overflows; the engine stops the clock at the end of
// its range (292 years) rather than wrapping.
const MaxDuration = 100000 * time.Hour

// DistKind says how a Dist draws durations.
type DistKind uint8

// The distribution kinds.
const (
	Fixed       DistKind = iota // always A
	Exponential                 // exponential with mean A
	Uniform                     // uniform over [A, B]
)

// Dist is a distribution of durations: `1s`, `exp:100ms` or `uniform:50ms-150ms`.
type Dist struct {
	Kind DistKind
	A, B time.Duration
}

// FixedDist returns the distribution that always draws d.
func FixedDist(d time.Duration) Dist { return Dist{Kind: Fixed, A: d} }

// String spells the distribution as the scenario language reads it.
func (d Dist) String() string {
	switch d.Kind {
	case Exponential:
		return "exp:" + d.A.String()
	case Uniform:
		return "uniform:" + d.A.String() + "-" + d.B.String()
	}
	return d.A.String()
}

// Mean returns the distribution's mean.
func (d Dist) Mean() time.Duration {
	if d.Kind == Uniform {
		return d.A + (d.B-d.A)/2
	}
	return d.A
}

// Scale multiplies every parameter by f, for the UI's longer/shorter keys,
// staying within the longest duration a scenario may give.
func (d Dist) Scale(f float64) Dist {
	s := func(x time.Duration) time.Duration {
		return time.Duration(math.Round(min(float64(x)*f, float64(MaxDuration))))
	}
	return Dist{Kind: d.Kind, A: s(d.A), B: s(d.B)}
}

// sample draws one duration.
func (d Dist) sample(r *pcg) time.Duration {
	switch d.Kind {
	case Exponential:
		return time.Duration(roundUp(r.expFloat64() * float64(d.A)))
	case Uniform:
		return d.A + time.Duration(r.int64n(int64(d.B-d.A)+1))
	}
	return d.A
}

// roundUp is math.Round for x ≥ 0, by the processor's floor instruction:
// it is on the path from a task's wake-up to its next timer, and Round's
// bit arithmetic is not. Below one half the answer is 0 (x + 0.5 could
// round up to 1), from 2⁵² every float is a whole number (x + 0.5 could
// round to even); in between x + 0.5 is exact or rounds to a float with
// the same floor.
func roundUp(x float64) float64 {
	switch {
	case x < 0.5:
		return 0
	case x >= 1<<52:
		return x
	}
	return math.Floor(x + 0.5)
}

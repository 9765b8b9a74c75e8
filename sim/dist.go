package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

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

// ParseDist reads a distribution as scenarios and flags spell it.
func ParseDist(s string) (Dist, error) {
	kind, arg, found := strings.Cut(strings.TrimSpace(s), ":")
	if !found {
		d, err := parseDuration(kind)
		return Dist{Kind: Fixed, A: d}, err
	}
	switch kind {
	case "exp":
		d, err := parseDuration(arg)
		if err == nil && d == 0 {
			err = fmt.Errorf("exponential mean must be positive in %q", s)
		}
		return Dist{Kind: Exponential, A: d}, err
	case "uniform":
		lo, hi, ok := strings.Cut(arg, "-")
		if !ok {
			return Dist{}, fmt.Errorf("uniform needs LOW-HIGH, as in uniform:50ms-150ms, not %q", s)
		}
		a, err := parseDuration(lo)
		if err != nil {
			return Dist{}, err
		}
		b, err := parseDuration(hi)
		if err != nil {
			return Dist{}, err
		}
		if b < a {
			return Dist{}, fmt.Errorf("uniform range %q ends before it starts", s)
		}
		return Dist{Kind: Uniform, A: a, B: b}, nil
	}
	return Dist{}, fmt.Errorf("unknown distribution %q (use 1s, exp:100ms or uniform:50ms-150ms)", s)
}

// parseDuration is time.ParseDuration refusing negatives.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// String spells the distribution as ParseDist reads it.
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
		return time.Duration(math.Round(min(float64(x)*f, float64(maxDuration))))
	}
	return Dist{Kind: d.Kind, A: s(d.A), B: s(d.B)}
}

// Sample draws one duration.
func (d Dist) Sample(r *rand.Rand) time.Duration {
	switch d.Kind {
	case Exponential:
		return time.Duration(math.Round(r.ExpFloat64() * float64(d.A)))
	case Uniform:
		return d.A + time.Duration(r.Int64N(int64(d.B-d.A)+1))
	}
	return d.A
}

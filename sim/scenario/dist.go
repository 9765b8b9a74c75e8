package scenario

import (
	"fmt"
	"strings"
	"time"

	"lockviz/sim"
)

// ParseDist reads a distribution as scenarios and flags spell it.
func ParseDist(s string) (sim.Dist, error) {
	kind, arg, found := strings.Cut(strings.TrimSpace(s), ":")
	if !found {
		d, err := ParseDuration(kind)
		return sim.FixedDist(d), err
	}
	switch kind {
	case "exp":
		d, err := ParseDuration(arg)
		if err == nil && d == 0 {
			err = fmt.Errorf("exponential mean must be positive in %q", s)
		}
		return sim.Dist{Kind: sim.Exponential, A: d}, err
	case "uniform":
		lo, hi, ok := strings.Cut(arg, "-")
		if !ok {
			return sim.Dist{}, fmt.Errorf("uniform needs LOW-HIGH, as in uniform:50ms-150ms, not %q", s)
		}
		a, err := ParseDuration(lo)
		if err != nil {
			return sim.Dist{}, err
		}
		b, err := ParseDuration(hi)
		if err != nil {
			return sim.Dist{}, err
		}
		if b < a {
			return sim.Dist{}, fmt.Errorf("uniform range %q ends before it starts", s)
		}
		return sim.Dist{Kind: sim.Uniform, A: a, B: b}, nil
	}
	return sim.Dist{}, fmt.Errorf("unknown distribution %q (use 1s, exp:100ms or uniform:50ms-150ms)", s)
}

// ParseDuration is time.ParseDuration refusing negatives: the one parser of
// durations, for files and flags alike.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

package ui

import "time"

// pace measures the speed the virtual clock really reaches: virtual time
// over real time across the last second or so of frames.
type pace struct {
	wall [64]time.Time
	virt [64]time.Duration
	n    int // frames recorded, the newest at (n-1) % 64
}

// add records a frame drawn at real time at with the clock at now.
func (p *pace) add(at time.Time, now time.Duration) {
	i := p.n % len(p.wall)
	p.wall[i], p.virt[i] = at, now
	p.n++
}

// reached returns the speed over the newest frames spanning at least a
// second, and false until there are such frames.
func (p *pace) reached() (float64, bool) {
	if p.n < 2 {
		return 0, false
	}
	newest := (p.n - 1) % len(p.wall)
	for back := 1; back < min(p.n, len(p.wall)); back++ {
		i := (p.n - 1 - back) % len(p.wall)
		if dt := p.wall[newest].Sub(p.wall[i]); dt >= time.Second {
			return float64(p.virt[newest]-p.virt[i]) / float64(dt), true
		}
	}
	return 0, false
}

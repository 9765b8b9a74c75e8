package sim

import (
	"math"
	"math/bits"
)

// pcg is math/rand/v2's PCG with the draws lockviz makes, held by value in
// each task: a rand.Rand reaches its generator through an interface and a
// pointer, a cache line away from the task, and the closed model with a
// hundred tasks spends its time on such misses. Every draw is the standard
// library's algorithm, number for number (rng_test.go checks it), so
// seeds keep their runs.
//
// It runs one output ahead: uint64 returns the output it computed last
// time and computes the next, so that the 128-bit multiply is done while
// the task waits, not between its wake-up and its next timer. The numbers
// and their order are the same.
type pcg struct {
	hi, lo uint64
	next   uint64
}

// newPCG is rand.NewPCG.
func newPCG(seed1, seed2 uint64) pcg {
	p := pcg{hi: seed1, lo: seed2}
	p.next = p.step()
	return p
}

func (p *pcg) uint64() uint64 {
	v := p.next
	p.next = p.step()
	return v
}

// step advances the state and returns its output.
func (p *pcg) step() uint64 {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	// state = state * mul + inc, on 128 bits
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	p.lo, p.hi = lo, hi
	// DXSM output
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	hi *= lo | 1
	return hi
}

// float64 is Rand.Float64.
func (p *pcg) float64() float64 { return float64(p.uint64()<<11>>11) / (1 << 53) }

// int64n is Rand.Int64N for n > 0, as 64-bit platforms compute it.
func (p *pcg) int64n(n int64) int64 {
	u := uint64(n)
	if u&(u-1) == 0 {
		return int64(p.uint64() & (u - 1))
	}
	hi, lo := bits.Mul64(p.uint64(), u)
	if lo < u {
		thresh := -u % u
		for lo < thresh {
			hi, lo = bits.Mul64(p.uint64(), u)
		}
	}
	return int64(hi)
}

// expFloat64 is Rand.ExpFloat64: Marsaglia and Tsang's ziggurat.
func (p *pcg) expFloat64() float64 {
	const re = 7.69711747013104972
	for {
		u := p.uint64()
		j := uint32(u)
		i := uint8(u >> 32)
		x := float64(j) * float64(we[i])
		if j < ke[i] {
			return x
		}
		if i == 0 {
			return re - math.Log(p.float64())
		}
		if fe[i]+float32(p.float64())*(fe[i-1]-fe[i]) < float32(math.Exp(-x)) {
			return x
		}
	}
}

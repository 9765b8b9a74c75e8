package sim

import (
	"math/rand/v2"
	"testing"
)

// TestPCGDrawsAsMathRand holds pcg to math/rand/v2 draw for draw, the slow
// paths of the ziggurat and the rejections of Int64N included: a seed must
// give the run it always gave.
func TestPCGDrawsAsMathRand(t *testing.T) {
	for seed := uint64(0); seed < 8; seed++ {
		want := rand.New(rand.NewPCG(seed, ^seed))
		got := newPCG(seed, ^seed)
		for i := range 200_000 {
			var a, b float64
			switch n := int64(i%7) + 1; i % 4 {
			case 0:
				a, b = want.ExpFloat64(), got.expFloat64()
			case 1:
				a, b = want.Float64(), got.float64()
			case 2:
				a, b = float64(want.Int64N(n*100)), float64(got.int64n(n*100))
			case 3:
				// 2⁶³ - 1 - i: rejections are frequent close to 2⁶³.
				m := int64(1<<63 - 1 - i)
				a, b = float64(want.Int64N(m)), float64(got.int64n(m))
			}
			if a != b {
				t.Fatalf("seed %d, draw %d: pcg drew %v, math/rand/v2 %v", seed, i, b, a)
			}
		}
	}
}

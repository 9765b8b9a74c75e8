package sim

import (
	"math"
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

// TestRoundUpIsRound holds roundUp to math.Round on the values where a
// shortcut would differ (just under a half, whole and half numbers near
// 2⁵², the largest floats) and on many random ones.
func TestRoundUpIsRound(t *testing.T) {
	vals := []float64{0, 0.49999999999999994, 0.5, 0.5000000000000001, 1.5, 2.5, 1<<52 - 0.5, 1<<52 - 1.5,
		1 << 52, 1<<52 + 1, 1<<53 + 2, math.MaxFloat64, math.Nextafter(1<<52, 0), math.SmallestNonzeroFloat64}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		vals = append(vals, r.ExpFloat64()*math.Pow(10, float64(r.IntN(20)-4)), float64(r.Uint64()>>r.IntN(64))+0.5)
	}
	for _, v := range vals {
		if got, want := roundUp(v), math.Round(v); got != want {
			t.Fatalf("roundUp(%v) = %v, math.Round gives %v", v, got, want)
		}
	}
}

package ui

import (
	"math/rand/v2"
	"testing"
	"time"
)

// hourModel is the playground's hundred tasks run for an hour of virtual
// time a second a frame, paused at 200×60.
func hourModel(b *testing.B) Model {
	m := New(testConfig(100), Options{Scenario: "bench", Paused: true})
	m = update(b, m, windowSize(200, 60))
	for at := time.Second; at <= time.Hour; at += time.Second {
		m.eng.AdvanceTo(at)
		m.sync()
	}
	return m
}

// BenchmarkSeek is `g` to a random moment of a one-hour run of a hundred
// tasks: the view rebuilt there, snapshot and layout included.
func BenchmarkSeek(b *testing.B) {
	m := hourModel(b)
	r := rand.New(rand.NewPCG(1, 1))
	b.ResetTimer()
	for b.Loop() {
		m.seekTime(time.Duration(r.Int64N(int64(time.Hour))))
	}
}

// BenchmarkStepBack is ← from a random moment of the same run.
func BenchmarkStepBack(b *testing.B) {
	m := hourModel(b)
	r := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		b.StopTimer()
		m.seekTime(time.Duration(r.Int64N(int64(time.Hour))))
		b.StartTimer()
		m.stepBack()
	}
}

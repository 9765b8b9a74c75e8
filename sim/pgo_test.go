package sim

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"reflect"
	"runtime"
	"testing"
)

// TestProfileNamesHotFunctions: `go build` optimizes lockviz with the CPU
// profile default.pgo (the closed models of BenchmarkEngine), which knows
// functions by name. A renamed hot function drops out of it and loses its
// optimization without a word, so the engine's hottest functions must be
// named in it; when this fails, make the profile anew (README, "Speed and
// memory").
func TestProfileNamesHotFunctions(t *testing.T) {
	f, err := os.Open("../default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("default.pgo: %v", err)
	}
	profile, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("default.pgo: %v", err)
	}
	for _, fn := range []any{(*Engine).next, (*Engine).iterate, (*Engine).run, (*Engine).step, (*Engine).exec,
		(*Engine).acquired, (*Engine).release, (*Engine).schedule, timerHeap.siftUp, (*timerHeap).pop, (*pcg).expFloat64} {
		name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
		if !bytes.Contains(profile, []byte(name)) {
			t.Errorf("default.pgo does not name %s", name)
		}
	}
}

//go:build !unix

package ui

import "os"

// No job control here: signal.Notify skips nil signals, and no signal
// received equals one.
var stopSignal, continueSignal os.Signal

// stopProcess is never called without job control.
func stopProcess() {}

// askToStop does nothing without job control.
func askToStop() {}

//go:build unix

package ui

import (
	"os"
	"syscall"
)

// The signals of job control: stopSignal asks the live view to stop (kill
// -TSTP; ctrl+z is a key in the raw terminal), continueSignal resumes it.
var (
	stopSignal     os.Signal = syscall.SIGTSTP
	continueSignal os.Signal = syscall.SIGCONT
)

// stopProcess stops the process as SIGTSTP's default action would: once
// signal.Notify has asked for SIGTSTP, Go's handler ignores it whether or
// not anyone still listens, so only SIGSTOP, which cannot be caught, stops.
func stopProcess() { _ = syscall.Kill(os.Getpid(), syscall.SIGSTOP) }

// askToStop stops the live view as kill -TSTP would, for ctrl+z: the
// signal takes the same path through Run's handler, which gives the
// terminal back first.
func askToStop() { _ = syscall.Kill(os.Getpid(), syscall.SIGTSTP) }

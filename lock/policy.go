// Package lock holds lockviz's lock primitives as plain data structures.
//
// Each primitive mirrors the bookkeeping of its CPython counterpart
// (asyncio.Lock, asyncio.Semaphore) with the waiters' futures reduced to their
// states, so that a driver reproducing asyncio's event loop reproduces asyncio's
// behaviour. The package has no clock and does no I/O: the simulation engine
// decides when each call happens.
package lock

import (
	"fmt"
	"strings"
)

// Policy names a lock primitive.
type Policy uint8

// The policies, in the order the UI cycles through them.
const (
	FIFO Policy = iota
	Semaphore
	Barging
	None
)

// Policies lists every policy in cycling order.
var Policies = []Policy{FIFO, Semaphore, Barging, None}

var policyNames = [...]string{"fifo", "semaphore", "barging", "none"}

var counterparts = [...]string{"asyncio.Lock", "asyncio.Semaphore", "threading.Lock", "no lock"}

// String returns the policy's name as scenarios spell it.
func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("policy(%d)", p)
}

// Counterpart names the real-world primitive the policy behaves like.
func (p Policy) Counterpart() string {
	if int(p) < len(counterparts) {
		return counterparts[p]
	}
	return "?"
}

// Next returns the policy after p in cycling order.
func (p Policy) Next() Policy { return Policies[(int(p)+1)%len(Policies)] }

// ParsePolicy reads a policy name; the error lists the valid names.
func ParsePolicy(s string) (Policy, error) {
	for i, n := range policyNames {
		if s == n {
			return Policy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown policy %q (valid: %s)", s, strings.Join(policyNames[:], ", "))
}

package sim

// Program returns the program the task runs: its code, or the program its
// shorthand fields compile to, whose Source is the Python they stand for.
func (s TaskSpec) Program() *Program {
	if s.Code != nil {
		return s.Code
	}
	return shorthand(s)
}

// ExpTables returns the ziggurat tables every exponential draw reads, for
// a program outside Go that must draw the same numbers (math/rand/v2 keeps
// them unexported, and recomputing them need not give the same bits).
func ExpTables() (k [256]uint32, w, f [256]float32) { return ke, we, fe }

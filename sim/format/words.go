package format

import (
	"unicode"

	"lockviz/lock"
)

// Words are what the screen and the report say tasks do under one policy:
// a lock is acquired, a permit taken, a critical section without a lock
// entered.
type Words struct {
	Request     string    // the request event: "requested the lock"
	Acquire     string    // the acquired event: "acquired the lock"
	Release     string    // the released event: "released the lock"
	Short       [3]string // request, acquire, release in a word or two: "requested"
	Holding     string    // the state of a task past its acquire: "holding"
	Taken       string    // the count of acquires: "acquisitions"
	Took        string    // a table column of acquires per task: "acquired"
	Utilization string    // the label of the time-average use: "utilization"
	UseNote     string    // what that figure measures: "of the time the lock was held"
}

// PolicyWords returns the words of policy p.
func PolicyWords(p lock.Policy) Words {
	switch p {
	case lock.Semaphore:
		return Words{Request: "asked for a permit", Acquire: "took a permit", Release: "returned a permit",
			Short:   [3]string{"asked", "took permit", "returned it"},
			Holding: "holding", Taken: "acquisitions", Took: "acquired", Utilization: "utilization", UseNote: "of the permits in use, on average"}
	case lock.None:
		return Words{Request: "reached the critical section", Acquire: "entered the critical section",
			Short:   [3]string{"arrived", "entered", "left"},
			Release: "left the critical section", Holding: "inside", Taken: "entries", Took: "entered", Utilization: "occupied",
			UseNote: "of the time with a task inside"}
	}
	return Words{Request: "requested the lock", Acquire: "acquired the lock", Release: "released the lock",
		Short:   [3]string{"requested", "acquired", "released"},
		Holding: "holding", Taken: "acquisitions", Took: "acquired", Utilization: "utilization", UseNote: "of the time the lock was held"}
}

// LockLetters gives each lock of a run of several a letter for timelines:
// their names' first letters when those differ, else a, b, c … in order.
// A hold is drawn as the letter in capitals, a wait in small letters.
func LockLetters(names []string) []rune {
	letters := make([]rune, len(names))
	seen := map[rune]bool{}
	for i, n := range names {
		r := unicode.ToLower([]rune(n + "?")[0])
		if !unicode.IsLetter(r) || r > unicode.MaxASCII || seen[r] {
			for j := range letters {
				letters[j] = rune('a' + j%26)
			}
			return letters
		}
		seen[r], letters[i] = true, r
	}
	return letters
}

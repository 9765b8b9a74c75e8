// Package lessons reads the lessons lockviz ships: key scripts that tell a
// story about a built-in scenario in under a minute. A lesson's header
// comments name its title and its scenario:
//
//	# title: A race made safe
//	# scenario: race
package lessons

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"lockviz/assets"
)

// Lesson is a shipped key script and what it plays on.
type Lesson struct {
	Name     string // the file's name without .keys
	Title    string
	Scenario string // a built-in scenario's name
	Script   []byte // the key script, header included: to the parser, comments
}

// All returns the shipped lessons, sorted by name.
func All() []Lesson {
	files, _ := fs.Glob(assets.Lessons, "lessons/*.keys") // the pattern is valid
	var all []Lesson
	for _, f := range files {
		data, _ := fs.ReadFile(assets.Lessons, f) // embedded: it reads
		all = append(all, parse(strings.TrimSuffix(path.Base(f), ".keys"), data))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}

// Load returns the lesson called name.
func Load(name string) (Lesson, error) {
	var names []string
	for _, l := range All() {
		if l.Name == name {
			return l, nil
		}
		names = append(names, l.Name)
	}
	return Lesson{}, fmt.Errorf("unknown lesson %q (lessons: %s)", name, strings.Join(names, ", "))
}

// parse reads a lesson's header: the comment lines at the top of the
// file that say "# key: value".
func parse(name string, data []byte) Lesson {
	l := Lesson{Name: name, Script: data}
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "#")
		if !ok {
			break
		}
		k, v, _ := strings.Cut(rest, ":")
		switch strings.TrimSpace(k) {
		case "title":
			l.Title = strings.TrimSpace(v)
		case "scenario":
			l.Scenario = strings.TrimSpace(v)
		}
	}
	return l
}

package report

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"lockviz/sim/format"
)

// codeWidth is the most columns a line of code takes in the hot lines.
const codeWidth = 52

// writeLines writes, for each program the tasks run, the time they spent
// on each of its lines, with its share of their time and a bar: the hot
// lines of a contended program are the lock waits.
func (r Report) writeLines(w *bufio.Writer) {
	for _, c := range r.Lines {
		var total time.Duration
		for _, d := range c.Time[1:] {
			total += d
		}
		fmt.Fprintf(w, "\nTime on each line of the code of %s\n", r.taskList(c.Tasks))
		for i, src := range strings.Split(c.Program.Source, "\n") {
			l := i + 1
			if l >= len(c.Time) {
				break
			}
			code := strings.ReplaceAll(src, "\t", "    ")
			if len([]rune(code)) > codeWidth {
				code = string([]rune(code)[:codeWidth-1]) + "…"
			}
			if d := c.Time[l]; d > 0 && total > 0 {
				share := float64(d) / float64(total)
				fmt.Fprintf(w, "%4d  %-*s  %7s  %3.0f%%  %s\n", l, codeWidth, code,
					format.Duration(d), 100*share, strings.Repeat("█", int(share*10+0.5)))
			} else {
				fmt.Fprintf(w, "%4d  %s\n", l, strings.TrimRight(code, " "))
			}
		}
	}
}

// taskList names the tasks, the first three and how many more.
func (r Report) taskList(ids []int32) string {
	var names []string
	for _, id := range ids[:min(len(ids), 3)] {
		if int(id) < len(r.Summary.Tasks) {
			names = append(names, r.Summary.Tasks[id].Name)
		}
	}
	s := strings.Join(names, ", ")
	if len(ids) > 3 {
		s += fmt.Sprintf(" and %d more", len(ids)-3)
	}
	return s
}

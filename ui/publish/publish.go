// Package publish turns an asciicast v2 recording into one web page that
// plays it with no server and no network: the recording, asciinema's web
// player (embedded from assets/player) and its licence, the captions as
// chapters and, for a lockviz recording, how to run the lesson yourself.
package publish

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"lockviz/sim/scenario"
	"lockviz/ui/recording"
)

// Recording is an asciicast v2 recording read for its page.
type Recording struct {
	Title    string
	W, H     int
	Duration float64 // seconds, the last event's time
	Chapters []Chapter
	Origin   *recording.Origin // how lockviz made it; nil for another program's
	cast     []byte
}

// Chapter is a marker event: where a caption starts.
type Chapter struct {
	At    float64 // seconds into the recording
	Label string
}

// maxCastSize bounds a recording, so that a wrong path to a huge file
// cannot exhaust memory: lockviz records a minute of a busy scenario in
// about 6 MB, so this is over half an hour of it.
const maxCastSize = 256 << 20

// ReadFile reads the recording file name, which must be a regular file (a
// FIFO would block, a device is no recording); its error is one line
// naming the file.
func ReadFile(name string) ([]byte, error) {
	return scenario.ReadRegular(name, maxCastSize,
		fmt.Sprintf("larger than %d MiB: too long a recording to publish", maxCastSize>>20))
}

// header is the part of an asciicast v2 header a page uses.
type header struct {
	Version *int              `json:"version"`
	Width   int               `json:"width"`
	Height  int               `json:"height"`
	Title   string            `json:"title"`
	Origin  *recording.Origin `json:"lockviz"`
}

// Read reads the asciicast v2 recording cast, from the file name (for
// errors): a header object with version 2 and the terminal's size, then
// one [seconds, kind, data] event a line, in order of time. An error is
// one line, "name:line: what is wrong".
func Read(name string, cast []byte) (Recording, error) {
	r := Recording{cast: cast}
	sc := bufio.NewScanner(bytes.NewReader(cast))
	// A frame of a large window in 24-bit colour runs to hundreds of KiB.
	sc.Buffer(nil, 64<<20)
	line := 0
	fail := func(format string, args ...any) (Recording, error) {
		return Recording{}, fmt.Errorf("%s:%d: not an asciicast v2 recording: %s", name, line, fmt.Sprintf(format, args...))
	}
	last := 0.0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if line == 1 {
			var h header
			if err := json.Unmarshal(text, &h); err != nil {
				return fail("the first line is no JSON object of a header (%v)", err)
			}
			switch {
			case h.Version == nil || *h.Version != 2:
				return fail("want version 2 in the header")
			case h.Width <= 0 || h.Height <= 0:
				return fail("want a positive width and height in the header")
			}
			r.Title, r.W, r.H, r.Origin = h.Title, h.Width, h.Height, h.Origin
			continue
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		var ev []json.RawMessage
		if err := json.Unmarshal(text, &ev); err != nil || len(ev) != 3 {
			return fail("want an event, [seconds, kind, data]")
		}
		var at float64
		var kind, data string
		if json.Unmarshal(ev[0], &at) != nil || json.Unmarshal(ev[1], &kind) != nil || json.Unmarshal(ev[2], &data) != nil {
			return fail("want an event, [seconds, kind, data], a number and two strings")
		}
		if at < last {
			return fail("the event at %gs comes after one at %gs", at, last)
		}
		last = at
		if kind == "m" {
			r.Chapters = append(r.Chapters, Chapter{At: at, Label: data})
		}
	}
	if err := sc.Err(); err != nil {
		line++
		if errors.Is(err, bufio.ErrTooLong) {
			return fail("a line longer than 64 MiB")
		}
		return Recording{}, fmt.Errorf("%s: %v", name, err)
	}
	if line == 0 {
		line = 1
		return fail("the file is empty")
	}
	r.Duration = last
	return r, nil
}

// castScript returns the recording as the text of a script element the
// browser does not run: every < becomes \u003c, the same character to
// JSON, so that no "</script" can end the element early. In valid JSON a <
// can only be inside a string, where the escape means the same.
func (r Recording) castScript() string {
	return strings.ReplaceAll(string(r.cast), "<", `\u003c`)
}

// ShellWords joins args into one line a POSIX shell splits back into
// them: a word with anything but letters, digits and _ . / : = @ % + , -
// goes in single quotes.
func ShellWords(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=@%+,-") == "" {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}

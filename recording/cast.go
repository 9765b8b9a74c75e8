// Package recording turns the frames of a scripted lockviz session into
// files: an asciicast v2 recording, which asciinema plays, and an animated
// GIF. Both are functions of the frames alone, so the same frames give the
// same bytes.
package recording

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// Cast encodes frames as an asciicast v2 recording: a header, then one
// output event per frame that changed, drawing only the lines that changed,
// and a resize event before a frame of a new size.
type Cast struct {
	title  string
	w, h   int      // the first frame's size, for the header
	lastW  int      // the last frame's width
	prev   []string // the last frame's lines
	events bytes.Buffer
	out    strings.Builder // one frame's output, reused
}

// NewCast returns an empty recording titled title.
func NewCast(title string) *Cast { return &Cast{title: title} }

// Frame adds the screen view, w×h, drawn at time at of the recording.
func (c *Cast) Frame(at time.Duration, w, h int, view string) {
	lines := strings.Split(view, "\n")
	out := &c.out
	out.Reset()
	switch {
	case c.prev == nil:
		c.w, c.h = w, h
		// Hide the cursor: lockviz draws none.
		out.WriteString("\x1b[?25l\x1b[H\x1b[2J")
	case w != c.lastW || h != len(c.prev):
		c.event(at, "r", strconv.Itoa(w)+"x"+strconv.Itoa(h))
		out.WriteString("\x1b[H\x1b[2J")
		c.prev = c.prev[:0]
	}
	for i, line := range lines {
		if i < len(c.prev) && c.prev[i] == line {
			continue
		}
		// Each line starts at its row's first column in the default style, so
		// that a line drawn alone reads as in the whole frame.
		out.WriteString("\x1b[")
		out.WriteString(strconv.Itoa(i + 1))
		out.WriteString(";1H\x1b[0m")
		out.WriteString(line)
	}
	c.prev = append(c.prev[:0], lines...)
	c.lastW = w
	if out.Len() > 0 {
		c.event(at, "o", out.String())
	}
}

// event adds one event line: [seconds, kind, data].
func (c *Cast) event(at time.Duration, kind, data string) {
	b := &c.events
	b.WriteByte('[')
	b.WriteString(strconv.FormatFloat(at.Seconds(), 'f', 6, 64))
	b.WriteString(", \"")
	b.WriteString(kind)
	b.WriteString("\", ")
	writeJSONString(b, data)
	b.WriteString("]\n")
}

// header is the first line of an asciicast v2 file. Its timestamp is fixed
// at 0, so that the same frames give the same file.
type header struct {
	Version   int    `json:"version"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Timestamp int64  `json:"timestamp"`
	Title     string `json:"title"`
}

// WriteTo writes the recording: the header, then the events.
func (c *Cast) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	hd, err := json.Marshal(header{Version: 2, Width: c.w, Height: c.h, Title: c.title})
	if err != nil {
		return 0, err
	}
	b.Write(hd)
	b.WriteByte('\n')
	n, err := w.Write(b.Bytes())
	if err != nil {
		return int64(n), err
	}
	m, err := w.Write(c.events.Bytes())
	return int64(n + m), err
}

// writeJSONString writes s as a JSON string, without the HTML escaping
// encoding/json adds, which only makes a recording larger.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)           // a string always encodes
	b.Truncate(b.Len() - 1) // Encode ends with a newline
}

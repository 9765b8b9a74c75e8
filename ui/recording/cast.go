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
	"time"
)

// Cast encodes frames as an asciicast v2 recording: a header, then one
// output event per frame that changed, drawing only the lines that changed,
// and a resize event before a frame of a new size.
type Cast struct {
	title  string
	w, h   int // the first frame's size, for the header
	screen differ
	events bytes.Buffer
}

// NewCast returns an empty recording titled title.
func NewCast(title string) *Cast { return &Cast{title: title} }

// Frame adds the screen view, w×h, drawn at time at of the recording.
func (c *Cast) Frame(at time.Duration, w, h int, view string) {
	if c.screen.prev == nil {
		c.w, c.h = w, h
	}
	out, resized := c.screen.next(w, h, view)
	if resized {
		c.event(at, "r", strconv.Itoa(w)+"x"+strconv.Itoa(h))
	}
	if out != "" {
		c.event(at, "o", out)
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

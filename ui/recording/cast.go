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
// a resize event before a frame of a new size, and a marker event where a
// caption starts.
type Cast struct {
	title  string
	origin *Origin
	w, h   int // the first frame's size, for the header
	screen differ
	events bytes.Buffer
	last   time.Duration // the last event's time
	end    time.Duration // the last frame's time
}

// Origin is what a recording says about how it was made, in its header's
// "lockviz" field, which players ignore: enough for lockviz publish to
// tell a student what they are watching and how to run it themselves.
type Origin struct {
	Scenario    string `json:"scenario"`
	Description string `json:"description,omitempty"`
	Seed        uint64 `json:"seed"`
	// Command plays the recording in a terminal's live view, with the
	// names below for the files it reads.
	Command string `json:"command"`
	// KeysFile and Keys are the key script's name in Command and its text;
	// a shipped lesson's script is in lockviz, so Command names no file.
	KeysFile string `json:"keys_file,omitempty"`
	Keys     string `json:"keys,omitempty"`
	// ScenarioFile and ScenarioText are the scenario file's name in
	// Command and its text, when it is no built-in.
	ScenarioFile string `json:"scenario_file,omitempty"`
	ScenarioText string `json:"scenario_text,omitempty"`
}

// NewCast returns an empty recording titled title; origin, when not nil,
// goes into its header.
func NewCast(title string, origin *Origin) *Cast { return &Cast{title: title, origin: origin} }

// Mark adds a marker event, which asciinema-player shows as a chapter,
// labelled with the caption that starts at time at; asciinema cat skips it.
func (c *Cast) Mark(at time.Duration, caption string) { c.event(at, "m", caption) }

// Frame adds the screen view, w×h, drawn at time at of the recording.
func (c *Cast) Frame(at time.Duration, w, h int, view string) {
	if c.screen.prev == nil {
		c.w, c.h = w, h
	}
	c.end = at
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
	c.last = at
	writeEvent(&c.events, at, kind, data)
}

// writeEvent writes one event line to b.
func writeEvent(b *bytes.Buffer, at time.Duration, kind, data string) {
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
	Version   int     `json:"version"`
	Width     int     `json:"width"`
	Height    int     `json:"height"`
	Timestamp int64   `json:"timestamp"`
	Title     string  `json:"title"`
	Origin    *Origin `json:"lockviz,omitempty"`
}

// WriteTo writes the recording: the header, then the events.
func (c *Cast) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	hd, err := json.Marshal(header{Version: 2, Width: c.w, Height: c.h, Title: c.title, Origin: c.origin})
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
	if err != nil || c.end <= c.last {
		return int64(n + m), err
	}
	// A recording lasts as long as its events: an empty output at the
	// last frame keeps a screen that stopped changing, and the caption
	// the script left time to read, on show until the script's end.
	var end bytes.Buffer
	writeEvent(&end, c.end, "o", "")
	k, err := w.Write(end.Bytes())
	return int64(n + m + k), err
}

// writeJSONString writes s as a JSON string, without the HTML escaping
// encoding/json adds, which only makes a recording larger.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)           // a string always encodes
	b.Truncate(b.Len() - 1) // Encode ends with a newline
}

package ui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"lockviz/sim/scenario"
)

// Script is a key script: what to press, type and say, at which instant
// of recording time, so that a lesson plays the same every time.
type Script struct {
	Steps    []Step
	End      time.Duration // recording time of the script's end: the last wait's end
	Captions bool          // some step sets a caption, so the band keeps its line
}

// Step is one action of a script at recording time At.
type Step struct {
	At   time.Duration
	Kind StepKind
	Key  tea.KeyMsg // StepKey
	Text string     // StepCaption
	W, H int        // StepResize
}

// StepKind is what a step does.
type StepKind int

// The kinds of step; a wait is no step but the time between them.
const (
	StepKey        StepKind = iota // press Key
	StepCaption                    // show Text in the caption band
	StepCaptionOff                 // give the band back to the scenario's captions
	StepResize                     // resize the window to W×H
	StepQuit                       // end the session
)

// Limits of a script: an hour of recording is 108,000 frames, and a window
// larger than this is no lesson's.
const (
	maxScriptTime = time.Hour
	maxScriptW    = 500
	maxScriptH    = 200
)

// keyNames are the keys a script names by word; any other key is one
// printable character, written as itself.
var keyNames = map[string]tea.KeyMsg{
	"space":  {Type: tea.KeySpace, Runes: []rune{' '}},
	"enter":  {Type: tea.KeyEnter},
	"tab":    {Type: tea.KeyTab},
	"esc":    {Type: tea.KeyEsc},
	"up":     {Type: tea.KeyUp},
	"down":   {Type: tea.KeyDown},
	"left":   {Type: tea.KeyLeft},
	"right":  {Type: tea.KeyRight},
	"pgup":   {Type: tea.KeyPgUp},
	"pgdown": {Type: tea.KeyPgDown},
	"home":   {Type: tea.KeyHome},
	"end":    {Type: tea.KeyEnd},
	"ctrl+c": {Type: tea.KeyCtrlC},
}

// ParseScript reads a key script, one step a line:
//
//	wait 1.5s                       # recording time passes
//	key a                           # one key: a character, or space, enter, up, pgdown, ctrl+c …
//	type ar                         # each character a key
//	caption "Three tasks, one lock" # a Go-quoted caption
//	caption off                     # back to the scenario's captions
//	resize 100x30
//	quit
//
// Blank lines and lines starting with # are skipped. An error is one line,
// "name:line: what is wrong".
func ParseScript(name string, data []byte) (Script, error) {
	var s Script
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<10)
	line := 0
	fail := func(format string, args ...any) (Script, error) {
		return Script{}, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	at := time.Duration(0)
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if !utf8.ValidString(text) {
			return fail("not UTF-8 text")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		verb, arg, _ := strings.Cut(text, " ")
		arg = strings.TrimSpace(arg)
		step := Step{At: at}
		switch verb {
		case "wait":
			d, err := time.ParseDuration(arg)
			if err != nil || d <= 0 {
				return fail("wait %q: want a positive duration such as 1.5s or 200ms", arg)
			}
			if at += d; at > maxScriptTime {
				return fail("the script runs past %v of recording, the limit", maxScriptTime)
			}
			continue
		case "key":
			k, err := parseKey(arg)
			if err != nil {
				return fail("%v", err)
			}
			step.Kind, step.Key = StepKey, k
		case "type":
			if arg == "" {
				return fail("type: nothing to type")
			}
			for _, r := range arg {
				k, err := parseKey(string(r))
				if err != nil {
					return fail("type: %v", err)
				}
				s.Steps = append(s.Steps, Step{At: at, Kind: StepKey, Key: k})
			}
			continue
		case "caption":
			if arg == "off" {
				step.Kind = StepCaptionOff
				break
			}
			t, err := strconv.Unquote(arg)
			if err != nil || !strings.HasPrefix(arg, `"`) {
				return fail(`caption: want "text" in double quotes, or off`)
			}
			if err := scenario.CheckCaption(t); err != nil {
				return fail("caption: %v", err)
			}
			step.Kind, step.Text = StepCaption, t
			s.Captions = true
		case "resize":
			w, h, err := ParseSize(arg)
			if err != nil {
				return fail("resize: %v", err)
			}
			step.Kind, step.W, step.H = StepResize, w, h
		case "quit":
			if arg != "" {
				return fail("quit takes nothing, got %q", arg)
			}
			step.Kind = StepQuit
		default:
			return fail("unknown step %q (valid: wait, key, type, caption, resize, quit)", verb)
		}
		s.Steps = append(s.Steps, step)
	}
	if err := sc.Err(); err != nil {
		line++
		if errors.Is(err, bufio.ErrTooLong) {
			return fail("a line longer than 64 KiB")
		}
		return Script{}, fmt.Errorf("%s: %v", name, err)
	}
	s.End = at
	return s, nil
}

// parseKey reads a key's name: one printable character, or a word of
// keyNames.
func parseKey(name string) (tea.KeyMsg, error) {
	if k, ok := keyNames[name]; ok {
		return k, nil
	}
	if r, n := utf8.DecodeRuneInString(name); n == len(name) && n > 0 && unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}, nil
	}
	if name == "" {
		return tea.KeyMsg{}, errors.New("key: which key? (a character, or space, enter, tab, esc, up, down, left, right, pgup, pgdown, home, end, ctrl+c)")
	}
	return tea.KeyMsg{}, fmt.Errorf("unknown key %q (a character, or space, enter, tab, esc, up, down, left, right, pgup, pgdown, home, end, ctrl+c)", name)
}

// ParseSize reads a window size, WxH, within what a recording may use.
func ParseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(s, "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return 0, 0, fmt.Errorf("%q: want WIDTHxHEIGHT, such as 100x30", s)
	case w < MinWidth || h < MinHeight:
		return 0, 0, fmt.Errorf("%s is below the minimum, %dx%d", s, MinWidth, MinHeight)
	case w > maxScriptW || h > maxScriptH:
		return 0, 0, fmt.Errorf("%s is above the maximum, %dx%d", s, maxScriptW, maxScriptH)
	}
	return w, h, nil
}

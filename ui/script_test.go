package ui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

func TestParseScript(t *testing.T) {
	src := `# a lesson
wait 1.5s
key a
key space
  type ar
caption "Three tasks, \"one\" lock"
wait 200ms
caption off
resize 100x30
key ctrl+c
quit
`
	s, err := ParseScript("l.keys", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	const t1, t2 = 1500 * time.Millisecond, 1700 * time.Millisecond
	want := Script{End: t2, Captions: true, Steps: []Step{
		{At: t1, Kind: StepKey, Key: tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a'}}},
		{At: t1, Kind: StepKey, Key: tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}},
		{At: t1, Kind: StepKey, Key: tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'a'}}},
		{At: t1, Kind: StepKey, Key: tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'r'}}},
		{At: t1, Kind: StepCaption, Text: `Three tasks, "one" lock`},
		{At: t2, Kind: StepCaptionOff},
		{At: t2, Kind: StepResize, W: 100, H: 30},
		{At: t2, Kind: StepKey, Key: tea.KeyMsg{Type: tea.KeyCtrlC}},
		{At: t2, Kind: StepQuit},
	}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
}

func TestParseScriptBad(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unknown step", "wait 1s\njump 3\n", `l.keys:2: unknown step "jump"`},
		{"bad duration", "wait soon\n", `l.keys:1: wait "soon": want a positive duration`},
		{"a duration without a unit", "wait 1.5\n", `l.keys:1: wait "1.5"`},
		{"negative wait", "wait -1s\n", `l.keys:1: wait "-1s"`},
		{"too long", "wait 59m\nwait 2m\n", "l.keys:2: the script runs past 1h0m0s"},
		{"unknown key name", "\n# c\nkey escape\n", `l.keys:3: unknown key "escape"`},
		{"no key", "key\n", "l.keys:1: key: which key?"},
		{"a key that is two characters", "key ab\n", `l.keys:1: unknown key "ab"`},
		{"ctrl+z suspends", "key ctrl+z\n", `l.keys:1: unknown key "ctrl+z"`},
		{"type nothing", "type\n", "l.keys:1: type: nothing to type"},
		{"caption unquoted", "caption hello\n", `l.keys:1: caption: want "text" in double quotes, or off`},
		{"caption empty", "caption \"\"\n", "l.keys:1: caption: empty"},
		{"caption with an escape sequence", "caption \"a\\x1b[2Jb\"\n", `l.keys:1: caption: "a\x1b[2Jb" has control characters`},
		{"resize below the minimum", "resize 50x10\n", "l.keys:1: resize: 50x10 is below the minimum, 72x20"},
		{"resize unparsable", "resize big\n", `l.keys:1: resize: "big": want WIDTHxHEIGHT`},
		{"quit with an argument", "quit now\n", `l.keys:1: quit takes nothing, got "now"`},
		{"not UTF-8", "key \xff\n", "l.keys:1: not UTF-8 text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScript("l.keys", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line with %q", err, tc.want)
			}
		})
	}
}

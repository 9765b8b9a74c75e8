package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lockviz/sim/tooltest"
	"lockviz/ui"
)

// The end-to-end tests drive the real binary in a tmux terminal, the way a
// user sees it: keys go in with send-keys, the screen comes back with
// capture-pane. Every wait polls the screen for a condition, never a fixed
// sleep, so that a loaded machine only makes them slower.

// waitTimeout is generous: the conditions usually hold within a few frames.
const waitTimeout = 10 * time.Second

// tmuxTerm is lockviz running alone in a private tmux server.
type tmuxTerm struct {
	t          *testing.T
	sock, conf string
}

// shellAfter is the shell script that runs lockviz in a pane: it prints
// lockviz's exit status where the UI was and whether the terminal is still
// raw, then keeps the pane alive, so that the terminal modes lockviz left
// can be read: a dead pane's modes are tmux's, not lockviz's.
const shellAfter = `echo "lockviz exited $?"; case $(stty -a) in *-icanon*) echo "tty raw";; *) echo "tty cooked";; esac; exec cat`

// startTmux starts lockviz args in a detached w×h tmux window.
func startTmux(t *testing.T, w, h int, args ...string) *tmuxTerm {
	t.Helper()
	return startPane(t, w, h, append([]string{"sh", "-c", `"$@"; ` + shellAfter, "sh", binary}, args...)...)
}

// startPane starts the command argv in a detached w×h tmux window.
func startPane(t *testing.T, w, h int, argv ...string) *tmuxTerm {
	t.Helper()
	tooltest.Need(t, "tmux", "the end-to-end tests drive lockviz in a tmux terminal")
	// A short directory of our own: a socket's path is limited to ~100 bytes,
	// and its own socket keeps the tests away from the user's tmux server.
	dir, err := os.MkdirTemp("", "lockviz-e2e")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	tt := &tmuxTerm{t: t, sock: filepath.Join(dir, "sock"), conf: filepath.Join(dir, "tmux.conf")}
	// Without a status line the pane is the whole window.
	conf := "set -g status off\nset -g default-terminal xterm-256color\n"
	if err := os.WriteFile(tt.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { exec.Command("tmux", "-S", tt.sock, "kill-server").Run() }) // runs before RemoveAll
	tt.tmux(append([]string{"new-session", "-d", "-s", "lockviz", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "--"}, argv...)...)
	return tt
}

// tmux runs a tmux command on the private server and returns its output.
func (tt *tmuxTerm) tmux(args ...string) string {
	tt.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", tt.sock, "-f", tt.conf}, args...)...)
	// The tests may run inside a user's tmux; this is another server.
	cmd.Env = append(os.Environ(), "TMUX=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys types s, literally, as one burst.
func (tt *tmuxTerm) keys(s string) { tt.t.Helper(); tt.tmux("send-keys", "-t", "lockviz", "-l", s) }

func (tt *tmuxTerm) screen() string {
	tt.t.Helper()
	return tt.tmux("capture-pane", "-p", "-t", "lockviz")
}

// pane returns a tmux format, such as #{pane_dead}, of the pane.
func (tt *tmuxTerm) pane(format string) string {
	tt.t.Helper()
	return strings.TrimSpace(tt.tmux("display-message", "-p", "-t", "lockviz", format))
}

// waitFor polls the screen until cond holds and returns that screen; after
// timeout it fails with the last screen.
func (tt *tmuxTerm) waitFor(what string, cond func(screen string) bool, timeout time.Duration) string {
	tt.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tt.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("no %s after %v; the screen:\n%s", what, timeout, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// holdsFor polls the screen for d and fails at the first screen on which
// cond does not hold.
func (tt *tmuxTerm) holdsFor(what string, cond func(screen string) bool, d time.Duration) {
	tt.t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if s := tt.screen(); !cond(s) {
			tt.t.Fatalf("no longer %s; the screen:\n%s", what, s)
		}
	}
}

// quit presses q and checks that lockviz exits 0 and gives the terminal
// back.
func (tt *tmuxTerm) quit() {
	tt.t.Helper()
	tt.keys("q")
	tt.exited("q", 0)
}

// exited waits for the shell to report lockviz's exit, after what, and
// checks the status and that the terminal is given back: main screen,
// cursor shown, mouse reporting off, cooked, and no error line.
func (tt *tmuxTerm) exited(what string, status int) {
	tt.t.Helper()
	s := tt.waitFor("exit", func(s string) bool {
		return strings.Contains(s, "\ntty cooked\n") || strings.Contains(s, "\ntty raw\n")
	}, waitTimeout)
	if !strings.Contains(s, fmt.Sprintf("lockviz exited %d\n", status)) || strings.Contains(s, "lockviz ·") || strings.Contains(s, "lockviz:") {
		tt.t.Errorf("after %s, want exit status %d alone on the shell's screen, got:\n%s", what, status, s)
	}
	if !strings.Contains(s, "tty cooked\n") {
		tt.t.Errorf("after %s, the terminal is still raw:\n%s", what, s)
	}
	if got, want := tt.pane(modes), restored; got != want {
		tt.t.Errorf("after %s: %s, want %s", what, got, want)
	}
}

// modes is the tmux format of the pane's modes that lockviz changes, and
// restored their values when lockviz has given the terminal back.
const (
	modes    = "alternate screen #{alternate_on}, cursor #{cursor_flag}, mouse #{mouse_any_flag}#{mouse_button_flag}#{mouse_all_flag}"
	restored = "alternate screen 0, cursor 1, mouse 000"
)

// child returns the pid of the pane's process's only child: lockviz, run
// by the pane's shell.
func (tt *tmuxTerm) child() string {
	tt.t.Helper()
	tooltest.Need(tt.t, "pgrep", "the signal tests find lockviz's pid with it")
	shell := tt.pane("#{pane_pid}")
	var out []byte
	deadline := time.Now().Add(waitTimeout)
	for {
		var err error
		if out, err = exec.Command("pgrep", "-P", shell).Output(); err == nil && len(strings.Fields(string(out))) == 1 {
			return strings.TrimSpace(string(out))
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("no single child of the pane's shell %s: %q", shell, out)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// kill sends signal sig (a name such as TERM) to pid.
func (tt *tmuxTerm) kill(sig, pid string) {
	tt.t.Helper()
	if out, err := exec.Command("kill", "-s", sig, pid).CombinedOutput(); err != nil {
		tt.t.Fatalf("kill -s %s %s: %v %s", sig, pid, err, out)
	}
}

var (
	clockRE = regexp.MustCompile(`  t (\d+\.\d{3}s)  speed `)
	// A row of the task table, which sits right of a rule, unlike the
	// timeline's rows; the last two columns are hold and think.
	taskRowRE = regexp.MustCompile(`(?m)^.*│ ([▸ ]) (task-\d+) .* (\S+) +(\S+) *$`)
	eventRE   = regexp.MustCompile(`^\s*(\d+\.\d{3}s)  `)
)

// header tells whether the screen's top line is the header of the
// playground in the given run state.
func header(state string) func(screen string) bool {
	return func(s string) bool {
		h, _, _ := strings.Cut(s, "\n")
		return strings.HasPrefix(h, "lockviz · playground · ") && strings.HasSuffix(strings.TrimSpace(h), state)
	}
}

// clock returns the virtual clock of the header, "" if it is not shown.
func clock(screen string) string {
	h, _, _ := strings.Cut(screen, "\n")
	if m := clockRE.FindStringSubmatch(h); m != nil {
		return m[1]
	}
	return ""
}

// taskRows returns the task table's rows: selected mark, name, hold.
func taskRows(screen string) [][]string {
	var rows [][]string
	for _, m := range taskRowRE.FindAllStringSubmatch(screen, -1) {
		rows = append(rows, m[1:4])
	}
	return rows
}

// selected returns the selected task's name and hold.
func selected(screen string) (name, hold string) {
	for _, r := range taskRows(screen) {
		if r[0] == "▸" {
			return r[1], r[2]
		}
	}
	return "", ""
}

// newestEvent returns the last line of the event log, right of its rule.
func newestEvent(screen string) string {
	_, log, ok := strings.Cut(screen, "Events newest last")
	last := ""
	for _, line := range strings.Split(log, "\n")[1:] {
		if i := strings.LastIndex(line, "│ "); ok && i >= 0 && strings.TrimSpace(line[i+len("│ "):]) != "" {
			last = strings.TrimSpace(line[i+len("│ "):])
		}
	}
	return last
}

func TestE2ELiveView(t *testing.T) {
	tt := startTmux(t, 120, 40, "--seed", "7")
	s := tt.waitFor("header and five tasks", func(s string) bool {
		return header("running")(s) && strings.Contains(s, "Tasks (5)") && len(taskRows(s)) == 5
	}, waitTimeout)

	first := clock(s)
	s = tt.waitFor("clock running", func(s string) bool { return clock(s) != first && header("running")(s) }, waitTimeout)

	tt.keys("a")
	s = tt.waitFor("sixth task", func(s string) bool {
		rows := taskRows(s)
		return strings.Contains(s, "Tasks (6)") && len(rows) == 6 && rows[5][1] == "task-6"
	}, waitTimeout)

	name, hold := selected(s)
	if name == "" {
		t.Fatalf("no task selected:\n%s", s)
	}
	tt.keys("+")
	s = tt.waitFor("longer hold of "+name, func(s string) bool {
		n, h := selected(s)
		return n == name && h != hold
	}, waitTimeout)
	_, hold2 := selected(s) // the playground's holds are exponential, "exp:400ms"
	before, err1 := time.ParseDuration(strings.TrimPrefix(hold, "exp:"))
	after, err2 := time.ParseDuration(strings.TrimPrefix(hold2, "exp:"))
	if err1 != nil || err2 != nil || after <= before {
		t.Errorf("+ on %s: hold %s → %s, want longer", name, hold, hold2)
	}

	tt.keys(" ")
	s = tt.waitFor("pause", header("paused"), waitTimeout)
	// Paused, the clock must stand still on every screen for a while: ten
	// frames' worth would move it by about 300ms if it ran.
	stopped := clock(s)
	tt.holdsFor("clock at "+stopped, func(s string) bool { return clock(s) == stopped }, 10*time.Second/30)

	// One step runs the simulation to its next trace event: the log gains
	// it, and the clock stands at its time.
	newest := newestEvent(s)
	tt.keys("n")
	s = tt.waitFor("step", func(s string) bool { return newestEvent(s) != newest }, waitTimeout)
	m := eventRE.FindStringSubmatch(newestEvent(s))
	if m == nil || m[1] != clock(s) || !header("paused")(s) {
		t.Errorf("after n from %s (%q): newest event %q, clock %q, want the event at the clock, still paused:\n%s",
			stopped, newest, newestEvent(s), clock(s), s)
	}

	tt.quit()
}

func TestE2EUntilStopsTheView(t *testing.T) {
	tt := startTmux(t, 120, 34, "--scenario", "rate-limit", "--until", "2s", "--speed", "10", "--theme", "light")
	s := tt.waitFor("finished at 2s", func(s string) bool {
		h, _, _ := strings.Cut(s, "\n")
		return strings.Contains(h, "t 2.000s") && strings.HasSuffix(strings.TrimSpace(h), "finished")
	}, waitTimeout)
	if !strings.Contains(s, "Summary finished at 2.000s") {
		t.Errorf("the statistics are not the summary at 2s:\n%s", s)
	}
	tt.keys(" ")
	tt.holdsFor("still at 2s", func(s string) bool { return clock(s) == "2.000s" }, 10*time.Second/30)
	tt.quit()
}

// TestE2EStuckRuns opens the stuck built-ins by their names, as the one
// argument: the deadlock pauses the view with its cycle, and the leaked
// lock's run ends saying so, not "finished".
func TestE2EStuckRuns(t *testing.T) {
	tt := startTmux(t, 80, 24, "deadlock")
	s := tt.waitFor("the deadlock", func(s string) bool { return strings.Contains(s, "✖ deadlock") }, waitTimeout)
	for _, want := range []string{"deadlock at 0.208s", "left waits for b, held by right", "2 locks: a taller window shows them"} {
		if !strings.Contains(s, want) {
			t.Errorf("deadlock at 80×24 lacks %q:\n%s", want, s)
		}
	}
	tt.quit()
	tt = startTmux(t, 120, 34, "leaked", "--speed", "10")
	s = tt.waitFor("the leak", func(s string) bool { return strings.Contains(s, "✖ leaked") }, waitTimeout)
	if !strings.Contains(s, "leaked careless-3 raised at line 6") {
		t.Errorf("the leaked lock is not named:\n%s", s)
	}
	tt.quit()
}

func TestE2ETooSmallThenResized(t *testing.T) {
	tt := startTmux(t, 30, 8, "--seed", "7")
	need := fmt.Sprintf("need %d×%d, have 30×8", ui.MinWidth, ui.MinHeight)
	tt.waitFor("too-small message", func(s string) bool {
		return strings.Contains(s, "terminal too small") && strings.Contains(s, need)
	}, waitTimeout)

	tt.tmux("resize-window", "-t", "lockviz", "-x", "120", "-y", "40")
	tt.waitFor("full UI", func(s string) bool {
		return header("running")(s) && len(taskRows(s)) == 5 && !strings.Contains(s, "too small")
	}, waitTimeout)
	tt.quit()
}

// TestE2ESignalsEnd sends each signal that ends lockviz from outside: the
// terminal must come back as after q, and the exit status must be 128 + the
// signal's number, as a shell reports a process the signal killed.
func TestE2ESignalsEnd(t *testing.T) {
	for _, tc := range []struct {
		sig    string
		status int
	}{{"INT", 130}, {"TERM", 143}, {"HUP", 129}, {"QUIT", 131}} {
		t.Run(tc.sig, func(t *testing.T) {
			tt := startTmux(t, 120, 40, "--seed", "7")
			tt.waitFor("header", header("running"), waitTimeout)
			tt.kill(tc.sig, tt.child())
			tt.exited("SIG"+tc.sig, tc.status)
		})
	}
}

// TestE2ECtrlCQuits presses ctrl+c: in the raw terminal it is a key, and
// the key quits as q does.
func TestE2ECtrlCQuits(t *testing.T) {
	tt := startTmux(t, 120, 40, "--seed", "7")
	tt.waitFor("header", header("running"), waitTimeout)
	tt.tmux("send-keys", "-t", "lockviz", "C-c")
	tt.exited("ctrl+c", 0)
}

// TestE2ESuspendResume stops lockviz from outside under a shell with job
// control, as kill -TSTP does, and resumes it with fg: stopped, lockviz
// must have given the terminal back; resumed, it must redraw, take keys at
// once and bring mouse reporting back.
func TestE2ESuspendResume(t *testing.T) {
	for _, how := range []string{"kill -TSTP", "ctrl+z"} {
		t.Run(how, func(t *testing.T) { suspendResume(t, how) })
	}
}

// suspendResume stops the live view under an interactive bash, by signal
// or by key, brings it back with fg and checks it works as before.
func suspendResume(t *testing.T, how string) {
	tooltest.Need(t, "bash", "the job control test runs lockviz under an interactive bash")
	tt := startPane(t, 120, 40, "env", "HISTFILE=/dev/null", "PS1=$ ", "bash", "--norc", "--noprofile", "-i")
	tt.waitFor("prompt", prompt, waitTimeout)
	tt.keys(binary + " --seed 7")
	tt.tmux("send-keys", "-t", "lockviz", "Enter")
	tt.waitFor("header", header("running"), waitTimeout)
	running := tt.pane(modes)

	if how == "ctrl+z" {
		tt.tmux("send-keys", "-t", "lockviz", "C-z")
	} else {
		tt.kill("TSTP", tt.child())
	}
	s := tt.waitFor("job stopped", func(s string) bool { return strings.Contains(s, "Stopped") }, waitTimeout)
	if strings.Contains(s, "lockviz ·") {
		t.Errorf("stopped, the view is still on the screen:\n%s", s)
	}
	if got, want := tt.pane(modes), restored; got != want {
		t.Errorf("stopped: %s, want %s", got, want)
	}

	tt.keys("fg")
	tt.tmux("send-keys", "-t", "lockviz", "Enter")
	tt.waitFor("view redrawn", func(s string) bool { return header("running")(s) && len(taskRows(s)) == 5 }, waitTimeout)
	tt.keys(" ") // a key, no Enter: the terminal must be raw again
	tt.waitFor("pause", header("paused"), waitTimeout)
	if got := tt.pane(modes); got != running {
		t.Errorf("resumed: %s, want %s as before the stop", got, running)
	}

	tt.keys("q")
	tt.waitFor("prompt", prompt, waitTimeout)
	tt.keys(`echo "lockviz exited $?"`)
	tt.tmux("send-keys", "-t", "lockviz", "Enter")
	s = tt.waitFor("exit status", func(s string) bool { return strings.Contains(s, "lockviz exited ") }, waitTimeout)
	if !strings.Contains(s, "lockviz exited 0\n") {
		t.Errorf("after fg and q, want exit status 0:\n%s", s)
	}
	if got, want := tt.pane(modes), restored; got != want {
		t.Errorf("after q: %s, want %s", got, want)
	}
}

// prompt tells whether the screen ends in bash's prompt, "$ ".
func prompt(screen string) bool {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1] == "$" // capture-pane drops trailing spaces
}

// TestE2ENoTerminalForInput runs the live view with its output on a
// terminal but no terminal to read keys from (setsid, stdin /dev/null): the
// UI cannot start, which is a failure (1), not bad input (2).
func TestE2ENoTerminalForInput(t *testing.T) {
	tooltest.Need(t, "setsid", "it runs lockviz without a controlling terminal")
	tt := startPane(t, 120, 40, "sh", "-c", `setsid -w "$@" </dev/null; `+shellAfter, "sh", binary, "--seed", "7")
	s := tt.waitFor("exit", func(s string) bool { return strings.Contains(s, "lockviz exited ") }, waitTimeout)
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "lockviz: live view: ") || !strings.Contains(lines[0], "/dev/tty") ||
		lines[1] != "lockviz exited 1" {
		t.Errorf("want one error line about the terminal and exit status 1, got:\n%s", s)
	}
}

// TestE2EStartsPaused opens the view with --paused: the clock stands at 0
// until space runs it.
func TestE2EStartsPaused(t *testing.T) {
	tt := startTmux(t, 120, 34, "--paused", "--seed", "7")
	s := tt.waitFor("paused header", header("paused"), waitTimeout)
	if clock(s) != "0.000s" {
		t.Fatalf("--paused starts at %s, want 0.000s:\n%s", clock(s), s)
	}
	tt.holdsFor("clock at 0", func(s string) bool { return clock(s) == "0.000s" }, 10*time.Second/30)
	tt.keys(" ")
	tt.waitFor("clock running", func(s string) bool { return header("running")(s) && clock(s) != "0.000s" }, waitTimeout)
	tt.quit()
}

// TestE2ECaptions opens a tutorial scenario with captions: the band under
// the header follows the clock, and C hides it.
func TestE2ECaptions(t *testing.T) {
	tt := startTmux(t, 100, 30, "rate-limit", "--speed", "5")
	s := tt.waitFor("the last caption", func(s string) bool {
		return strings.Contains(s, "\n▌ Five calls took five seconds")
	}, waitTimeout)
	if !strings.Contains(s, "■ finished") {
		t.Errorf("the last caption shows before the run ends:\n%s", s)
	}
	tt.keys("C")
	tt.waitFor("no band", func(s string) bool {
		lines := strings.Split(s, "\n")
		return len(lines) > 1 && strings.HasPrefix(lines[1], "Lock ") && !strings.Contains(s, "▌")
	}, waitTimeout)
	tt.quit()
}

// writeFile writes text to a file named name in a directory of the test's
// own and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestE2EKeyScript plays a key script into the live view: the keys act as
// if typed, the script's caption shows, and lockviz quits at its end.
func TestE2EKeyScript(t *testing.T) {
	keys := writeFile(t, "l.keys", "wait 0.5s\nkey space\ncaption \"paused by the script\"\nwait 1s\n")
	tt := startTmux(t, 100, 30, "rate-limit", "--keys", keys)
	s := tt.waitFor("the script's caption", func(s string) bool { return strings.Contains(s, "\n▌ paused by the script") }, waitTimeout)
	if h, _, _ := strings.Cut(s, "\n"); !strings.Contains(h, "t 0.500s") || !strings.Contains(h, "paused") {
		t.Errorf("space at 0.5s did not pause the clock at 0.500s: %q", h)
	}
	tt.exited("the script's end", 0)
}

// recordScript exercises what a recording must carry: keys, a pause, a
// script caption, a resize and running on after it.
const recordScript = `wait 0.4s
key a
key space
caption "paused: a fourth task was added"
wait 0.3s
resize 90x26
key space
wait 0.5s
`

// TestE2ERecordMatchesLive plays one key script twice: in the live view in
// tmux with --record, paced by the wall clock, and with lockviz record,
// headless and as fast as it goes. The two recordings must be the same
// bytes.
func TestE2ERecordMatchesLive(t *testing.T) {
	dir := t.TempDir()
	keys := writeFile(t, "l.keys", recordScript)
	live, headless := filepath.Join(dir, "live.cast"), filepath.Join(dir, "headless.cast")
	tt := startTmux(t, 100, 30, "rate-limit", "--keys", keys, "--record", live)
	tt.exited("the script's end", 0)
	ok(t, "record", "rate-limit", "--keys", keys, "--size", "100x30", "-o", headless)
	a, err1 := os.ReadFile(live)
	b, err2 := os.ReadFile(headless)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if string(a) != string(b) {
		t.Fatalf("the live recording (%d bytes) and lockviz record's (%d bytes) differ", len(a), len(b))
	}
	for _, want := range []string{`"version":2,"width":100,"height":30,"timestamp":0`, `[0.700000, "r", "90x26"]`, "paused: a fourth task was added"} {
		if !strings.Contains(string(a), want) {
			t.Errorf("the recording lacks %s", want)
		}
	}
}

// TestE2EAsciinemaPlays has asciinema print a recording: it must read it,
// and write exactly the recording's output. asciinema cat reads /dev/tty,
// so it runs in tmux.
func TestE2EAsciinemaPlays(t *testing.T) {
	tooltest.Need(t, "asciinema", "it checks that asciinema plays lockviz's recordings")
	dir := t.TempDir()
	cast, printed := filepath.Join(dir, "l.cast"), filepath.Join(dir, "printed")
	ok(t, "record", "rate-limit", "--keys", writeFile(t, "l.keys", recordScript), "-o", cast)
	tt := startPane(t, 100, 30, "sh", "-c", `asciinema cat "$1" >"$2"; echo "asciinema exited $?"; exec cat`, "sh", cast, printed)
	s := tt.waitFor("asciinema's exit", func(s string) bool { return strings.Contains(s, "asciinema exited") }, waitTimeout)
	if !strings.Contains(s, "asciinema exited 0") {
		t.Fatalf("asciinema cat failed:\n%s", s)
	}
	got, err := os.ReadFile(printed)
	if err != nil {
		t.Fatal(err)
	}
	if want := castOutput(t, cast); string(got) != want {
		t.Errorf("asciinema printed %d bytes, the recording holds %d", len(got), len(want))
	}
}

// castOutput returns the output events of an asciicast v2 file, joined.
func castOutput(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		var ev []any
		if err := json.Unmarshal([]byte(line), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("event %d: %q: %v", i+1, line, err)
		}
		if ev[1] == "o" {
			out.WriteString(ev[2].(string))
		}
	}
	return out.String()
}

// TestE2ECompare drives lockviz compare at the three sizes a comparison
// is drawn at: bands at 80×24, columns from 120×34, the keys reaching
// every column.
func TestE2ECompare(t *testing.T) {
	tt := startTmux(t, 80, 24, "compare", "starvation", "--policies", "barging,fifo", "--paused", "--speed", "2")
	top := func(state string) func(string) bool {
		return func(s string) bool {
			h, _, _ := strings.Cut(s, "\n")
			return strings.HasPrefix(h, "lockviz · starvation · barging vs fifo") && strings.HasSuffix(strings.TrimSpace(h), state)
		}
	}
	s := tt.waitFor("paused comparison", top("paused"), waitTimeout)
	// Bands: each lock beside its statistics, one under the other.
	if i, j := strings.Index(s, "Lock barging"), strings.Index(s, "Lock fifo"); i < 0 || j < i || strings.Count(s, "Statistics seed 1") != 2 {
		t.Fatalf("80×24 does not stack the policies:\n%s", s)
	}
	tt.keys(" ")
	// Long enough for barging's starved waiters to fall behind fifo's.
	tt.waitFor("a second run", func(s string) bool {
		sec, err := strconv.ParseFloat(strings.TrimSuffix(clock(s), "s"), 64)
		return top("running")(s) && err == nil && sec >= 1
	}, waitTimeout)
	tt.keys(" ")
	tt.waitFor("paused again", top("paused"), waitTimeout)

	for _, size := range [][2]int{{120, 34}, {200, 60}} {
		tt.tmux("resize-window", "-t", "lockviz", "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]))
		s = tt.waitFor(fmt.Sprintf("columns at %dx%d", size[0], size[1]), func(s string) bool {
			for _, line := range strings.Split(s, "\n") {
				if strings.HasPrefix(line, "Lock barging") && strings.Contains(line, "│ Lock fifo") {
					return true
				}
			}
			return false
		}, waitTimeout)
		// The starved tasks' wait is marked better under fifo.
		for _, line := range strings.Split(s, "\n") {
			if strings.HasPrefix(line, "waiting now") && !strings.HasSuffix(strings.TrimSpace(line), "*") {
				t.Fatalf("%dx%d: fifo's shorter wait is not marked:\n%s", size[0], size[1], s)
			}
		}
	}
	// a adds a task to both columns, at once.
	tt.keys("a")
	tt.waitFor("a task added to both", func(s string) bool { return strings.Count(s, "▸ greedy-4 ") == 2 }, waitTimeout)
	tt.keys("?")
	tt.waitFor("help", func(s string) bool { return strings.Contains(s, "close help") }, waitTimeout)
	tt.keys("?")
	tt.quit()
}

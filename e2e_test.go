package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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

// startTmux starts lockviz args in a detached w×h tmux window.
func startTmux(t *testing.T, w, h int, args ...string) *tmuxTerm {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not on PATH, but CI installs it for the end-to-end tests")
		}
		t.Skip("tmux is not on PATH: the end-to-end tests drive lockviz in a tmux terminal")
	}
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
	// A shell prints lockviz's exit status where the UI was and then keeps
	// the pane alive, so that the terminal modes lockviz left can be read:
	// a dead pane's modes are tmux's, not lockviz's.
	run := `"$@"; echo "lockviz exited $?"; exec cat`
	tt.tmux(append([]string{"new-session", "-d", "-s", "lockviz", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"--", "sh", "-c", run, "sh", binary}, args...)...)
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
// back: main screen, cursor shown, mouse reporting off.
func (tt *tmuxTerm) quit() {
	tt.t.Helper()
	tt.keys("q")
	s := tt.waitFor("exit", func(s string) bool { return strings.Contains(s, "lockviz exited ") }, waitTimeout)
	if !strings.Contains(s, "lockviz exited 0\n") || strings.Contains(s, "lockviz ·") {
		tt.t.Errorf("after q, want exit status 0 on the shell's screen, got:\n%s", s)
	}
	const f = "alternate screen #{alternate_on}, cursor #{cursor_flag}, mouse #{mouse_any_flag}#{mouse_button_flag}#{mouse_all_flag}"
	if got, want := tt.pane(f), "alternate screen 0, cursor 1, mouse 000"; got != want {
		tt.t.Errorf("after q: %s, want %s", got, want)
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

// Package tooltest finds the system tools lockviz's tests drive (tmux,
// python3, asciinema, chromium …): a test skips, saying why, when one is
// missing, except under CI=true, where .ci/run installs them all and a
// missing one is a failure. It also shows where a trace Python printed
// parts from lockviz's.
package tooltest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Need returns the path of tool, or skips t (fails it under CI=true); why
// says what the test uses it for.
func Need(t testing.TB, tool, why string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not on PATH, but CI installs it: %s", tool, why)
		}
		t.Skipf("%s is not on PATH: %s", tool, why)
	}
	return p
}

// Python311 returns CPython 3.11's interpreter, the asyncio lockviz is held
// to (wait_for was rewritten in 3.12, with other hops): the interpreter
// itself, not a version manager's shim, which costs a shell script each
// start.
func Python311(t testing.TB, why string) string {
	t.Helper()
	if p, err := exec.LookPath("python3.11"); err == nil {
		return p
	}
	p := Need(t, "python3", why)
	out, err := exec.Command(p, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").Output()
	if v := strings.TrimSpace(string(out)); err != nil || v != "3.11" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CPython 3.11 is required under CI=true; python3 is %q (%v)", v, err)
		}
		t.Skipf("CPython 3.11 not found (python3 is %q): %s", v, why)
	}
	out, err = exec.Command(p, "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// FirstDifference shows the first line where lockviz's trace and the one
// Python printed differ, with the lines around it.
func FirstDifference(lockviz, python []string) string {
	i := 0
	for i < len(lockviz) && i < len(python) && lockviz[i] == python[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (lockviz %d lines, python %d)\n", i+1, len(lockviz), len(python))
	for j := max(0, i-3); j < i+3; j++ {
		var l, p string
		if j < len(lockviz) {
			l = lockviz[j]
		}
		if j < len(python) {
			p = python[j]
		}
		mark := "  "
		if l != p {
			mark = "≠ "
		}
		fmt.Fprintf(&b, "%slockviz %s\n  python  %s\n", mark, l, p)
	}
	return b.String()
}

// Package tooltest finds the system tools lockviz's tests drive (tmux,
// python3, asciinema, chromium …): a test skips, saying why, when one is
// missing, except under CI=true, where .ci/run installs them all and a
// missing one is a failure.
package tooltest

import (
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

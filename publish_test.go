package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lockviz/sim/tooltest"
)

// TestPublishBadInput gives publish what it cannot publish: one line, exit
// 2, and no page left behind.
func TestPublishBadInput(t *testing.T) {
	dir := t.TempDir()
	cast := filepath.Join(dir, "l.cast")
	ok(t, "record", "rate-limit", "--keys", writeFile(t, "l.keys", "wait 0.2s\n"), "-o", cast)
	page := filepath.Join(dir, "l.html")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"publish", filepath.Join(dir, "none.cast"), "-o", page}, "none.cast: no such file"},
		{"a directory", []string{"publish", dir, "-o", page}, "not a regular file"},
		{"not JSON", []string{"publish", writeFile(t, "x.cast", "hello\n"), "-o", page}, "x.cast:1: not an asciicast v2 recording: the first line is no JSON object"},
		{"empty", []string{"publish", writeFile(t, "e.cast", ""), "-o", page}, "e.cast:1: not an asciicast v2 recording: the file is empty"},
		{"asciicast v1", []string{"publish", writeFile(t, "v1.cast", `{"version": 1, "width": 80, "height": 24, "stdout": []}`), "-o", page},
			"v1.cast:1: not an asciicast v2 recording: want version 2"},
		{"no size", []string{"publish", writeFile(t, "s.cast", `{"version": 2}`), "-o", page}, "want a positive width and height"},
		{"bad event", []string{"publish", writeFile(t, "b.cast", "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"o\"]\n"), "-o", page},
			"b.cast:2: not an asciicast v2 recording: want an event"},
		{"time goes back", []string{"publish", writeFile(t, "t.cast", "{\"version\": 2, \"width\": 80, \"height\": 24}\n[1, \"o\", \"a\"]\n[0.5, \"o\", \"b\"]\n"), "-o", page},
			"t.cast:3: not an asciicast v2 recording: the event at 0.5s comes after one at 1s"},
		{"no -o", []string{"publish", cast}, "give -o"},
		{"not .html", []string{"publish", cast, "-o", filepath.Join(dir, "l.htm")}, `unknown extension ".htm"`},
		{"unwritable", []string{"publish", cast, "-o", filepath.Join(dir, "no", "l.html")}, "no such file or directory"},
		{"two recordings", []string{"publish", cast, cast, "-o", page}, "accepts 1 arg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lockviz(t, tc.args...)
			if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, "lockviz: ") || !strings.Contains(r.stderr, tc.want) ||
				strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 2 and one line with %q", r.code, r.stderr, tc.want)
			}
			if _, err := os.Stat(page); err == nil {
				t.Error("a page was left behind")
			}
		})
	}
	// A page that cannot be written whole: 2 as well, as the issue asks.
	full := filepath.Join(dir, "full.html")
	if err := os.Symlink("/dev/full", full); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		if r := lockviz(t, "publish", cast, "-o", full); r.code != 2 || !strings.Contains(r.stderr, "no space left on device") ||
			strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("-o /dev/full: exit %d, stderr %q", r.code, r.stderr)
		}
	}
}

// TestPublishPage records a lesson as a page both ways and reads what the
// page holds.
func TestPublishPage(t *testing.T) {
	dir := t.TempDir()
	cast, direct, published := filepath.Join(dir, "race.cast"), filepath.Join(dir, "direct.html"), filepath.Join(dir, "race.html")
	ok(t, "record", "--lesson", "race", "-o", cast)
	ok(t, "record", "--lesson", "race", "-o", direct)
	ok(t, "publish", cast, "-o", published)
	a, err1 := os.ReadFile(direct)
	b, err2 := os.ReadFile(published)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if string(a) != string(b) {
		t.Fatal("record -o x.html and publish of record's .cast wrote different pages")
	}
	page := string(a)
	for _, want := range []string{
		"<title>A race made safe: lost updates without a lock, none with one</title>",
		"<code>lockviz --lesson race --seed 1</code>",
		`<time>0:07</time><span>Ten appends, two values left: eight updates lost (see the shared list)</span>`,
		"asciinema-player 3.18.0, under the Apache License 2.0",
		"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Offline: nothing is fetched from anywhere.
	for _, ref := range []string{`src="http`, `href="http`, `url(http`, `src="//`} {
		if strings.Contains(page, ref) {
			t.Errorf("the page refers out: %s", ref)
		}
	}

	// A scenario file and a key script of one's own: both go into the
	// page, and the command names them as the student will save them.
	scen := writeFile(t, "mine.toml", "name = \"mine\"\nseed = 3\n[[tasks]]\nname = \"w\"\ncount = 2\niterations = 2\nhold = \"100ms\"\n")
	keys := writeFile(t, "it's.keys", "caption \"two & <one>\"\nwait 0.5s\n")
	mine := filepath.Join(dir, "mine.html")
	ok(t, "record", scen, "--keys", keys, "--speed", "0.5", "--policy", "barging", "--paused", "-o", mine)
	data, err := os.ReadFile(mine)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<code>lockviz mine.toml --paused --policy barging --speed 0.5 --seed 3 --keys &#39;it&#39;\\&#39;&#39;s.keys&#39;</code>",
		`download="it&#39;s.keys" href="data:text/plain;charset=utf-8,caption%20%22two%20&amp;%20%3Cone%3E%22%0Await%200.5s%0A"`,
		`<time>0:00</time><span>two &amp; &lt;one&gt;</span>`,
		`download="mine.toml"`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// TestPublishPlaysInChromium opens a lesson's page in headless Chromium,
// driven through the DevTools protocol: the player shows lockviz's screen,
// plays and pauses by keyboard, jumps to every chapter, and fits a phone's
// width. Its screenshots stay in $LOCKVIZ_ARTIFACTS (default: the temporary
// directory's lockviz-artifacts) for a person to look at.
func TestPublishPlaysInChromium(t *testing.T) {
	tooltest.Need(t, "chromium", "it checks that a published page plays in a browser")
	dir := t.TempDir()
	page := filepath.Join(dir, "race.html")
	ok(t, "record", "--lesson", "race", "-o", page)
	b := startChromium(t)
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 1000, "height": 1200, "deviceScaleFactor": 1, "mobile": false})
	b.call("Page.enable", nil)
	b.call("Page.navigate", map[string]any{"url": "file://" + page})

	const terminal = `[...document.querySelectorAll("#player .ap-line")].map(l => l.textContent).join("\n")`
	// The caption band, under the header; the player draws its bar as a
	// picture, not as text.
	const band = `document.querySelectorAll("#player .ap-line")[1]?.textContent.trim() ?? ""`
	const elapsed = `document.querySelector("#player .ap-time-elapsed")?.textContent ?? ""`
	b.waitFor("lockviz's header in the player", terminal, func(s string) bool { return strings.Contains(s, "lockviz · race · none · no lock") })
	b.screenshot("publish-race-1000.png")

	// The player has the focus: space plays, space pauses.
	first := b.eval(terminal)
	b.key(" ", "Space", 32)
	b.waitFor("the recording playing", terminal, func(s string) bool { return s != first })
	b.key(" ", "Space", 32)
	paused := b.waitFor("the recording paused", elapsed, func(string) bool { return true })
	time.Sleep(300 * time.Millisecond)
	if now := b.eval(elapsed); now != paused {
		t.Errorf("space did not pause: the time went from %s to %s", paused, now)
	}
	b.key("ArrowRight", "ArrowRight", 39)
	b.waitFor("→ 5 seconds on", elapsed, func(s string) bool { return s != paused })

	// Each chapter's button shows its caption in the terminal's band.
	chapters := b.eval(`[...document.querySelectorAll("ol.chapters button span")].map(s => s.textContent).join("\n")`)
	labels := strings.Split(chapters, "\n")
	if len(labels) != 6 {
		t.Fatalf("%d chapters, want the lesson's 6 captions: %q", len(labels), labels)
	}
	for i, label := range labels {
		b.eval(fmt.Sprintf(`document.querySelectorAll("ol.chapters button")[%d].click(), ""`, i))
		b.waitFor("chapter "+strconv.Itoa(i+1)+"'s caption", band, func(s string) bool { return s == label })
	}
	// The button gave the focus back: the keyboard still drives the
	// player. From the last chapter (0:22), two ← are 0:12 and ] is the
	// next chapter, 0:16.
	b.key(" ", "Space", 32)
	b.key("ArrowLeft", "ArrowLeft", 37)
	b.key("ArrowLeft", "ArrowLeft", 37)
	b.key("]", "BracketRight", 221)
	b.waitFor("] at the next chapter", band, func(s string) bool { return s == labels[4] })

	// A phone: the whole terminal fits the width, scaled.
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true})
	const fits = `(() => { const r = document.querySelector("#player .ap-player").getBoundingClientRect();
		return r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5 ? "fits" : "cut at " + r.right; })()`
	b.waitFor("the terminal within 390 px", fits, func(s string) bool { return s == "fits" })
	b.screenshot("publish-race-390.png")
}

// browser is a headless Chromium driven through the DevTools protocol over
// a pipe (--remote-debugging-pipe): no port, and no WebSocket library.
type browser struct {
	t       *testing.T
	in      io.Writer     // Chromium's fd 3: commands, each ending in a NUL
	out     *bufio.Reader // Chromium's fd 4: replies and events, the same
	id      int
	session string // the page's, once attached
	shots   string // where screenshots go
}

// startChromium starts headless Chromium with a fresh profile and the
// flags that keep it off the network, with one blank page attached.
// Chromium now and then crashes as it starts, before it answers anything
// (seen once in CI: a SIGSEGV in getenv on its D-Bus thread, racing a
// setenv on another): the page has not been opened yet, so a start that
// dies unanswered says nothing of lockviz and is tried again, three times
// in all.
func startChromium(t *testing.T) *browser {
	t.Helper()
	for try := 1; ; try++ {
		b, err := launchChromium(t)
		if err == nil {
			return b
		}
		if try == 3 {
			t.Fatalf("Chromium did not start, %d times: %v", try, err)
		}
		t.Logf("Chromium did not start (try %d), starting it again: %v", try, err)
	}
}

// launchChromium is one try of startChromium: an error if Chromium ended
// before it listed its targets.
func launchChromium(t *testing.T) (*browser, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	cmdIn, in, err1 := os.Pipe()
	out, cmdOut, err2 := os.Pipe()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	cmd.ExtraFiles = []*os.File{cmdIn, cmdOut}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmdIn.Close()
	cmdOut.Close()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		in.Close() // Chromium quits when its pipe closes
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		cancel()
		out.Close()
		if t.Failed() {
			t.Logf("chromium's stderr:\n%s", stderr.String())
		}
	})
	shots := os.Getenv("LOCKVIZ_ARTIFACTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "lockviz-artifacts")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, in: in, out: bufio.NewReader(out), shots: shots}
	reply, err := b.send("Target.getTargets", nil)
	if err != nil {
		<-done
		return nil, fmt.Errorf("%v (%v)", err, cmd.ProcessState)
	}
	var targets struct {
		TargetInfos []struct{ TargetID, Type string }
	}
	json.Unmarshal(reply, &targets)
	for _, ti := range targets.TargetInfos {
		if ti.Type == "page" {
			var att struct{ SessionID string }
			json.Unmarshal(b.call("Target.attachToTarget", map[string]any{"targetId": ti.TargetID, "flatten": true}), &att)
			b.session = att.SessionID
			return b, nil
		}
	}
	t.Fatalf("no page among Chromium's targets: %+v", targets)
	return nil, nil
}

// call sends a command to the page (to the browser before it is attached)
// and returns its result, skipping the events that come between.
func (b *browser) call(method string, params any) json.RawMessage {
	b.t.Helper()
	result, err := b.send(method, params)
	if err != nil {
		b.t.Fatal(err)
	}
	return result
}

// send is call with the closed pipe as an error.
func (b *browser) send(method string, params any) (json.RawMessage, error) {
	b.t.Helper()
	b.id++
	msg := map[string]any{"id": b.id, "method": method, "params": params}
	if params == nil {
		msg["params"] = struct{}{}
	}
	if b.session != "" {
		msg["sessionId"] = b.session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.in.Write(append(data, 0)); err != nil {
		return nil, fmt.Errorf("%s: %v", method, err)
	}
	for {
		line, err := b.out.ReadBytes(0)
		if err != nil {
			return nil, fmt.Errorf("%s: Chromium closed its pipe: %v", method, err)
		}
		var reply struct {
			ID     int
			Result json.RawMessage
			Error  *struct{ Message string }
		}
		if err := json.Unmarshal(line[:len(line)-1], &reply); err != nil {
			b.t.Fatalf("%s: %v", method, err)
		}
		if reply.ID != b.id {
			continue
		}
		if reply.Error != nil {
			b.t.Fatalf("%s: %s", method, reply.Error.Message)
		}
		return reply.Result, nil
	}
}

// eval returns the value of the JavaScript expression expr, as a string.
func (b *browser) eval(expr string) string {
	b.t.Helper()
	var r struct {
		Result           struct{ Value any }
		ExceptionDetails *struct{ Text string }
	}
	json.Unmarshal(b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}), &r)
	if r.ExceptionDetails != nil {
		b.t.Fatalf("%s: %s", expr, r.ExceptionDetails.Text)
	}
	if r.Result.Value == nil {
		return ""
	}
	return fmt.Sprint(r.Result.Value)
}

// waitFor polls expr until cond holds of its value, and returns that value.
func (b *browser) waitFor(what, expr string, cond func(string) bool) string {
	b.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		v := b.eval(expr)
		if cond(v) {
			return v
		}
		if time.Now().After(deadline) {
			b.screenshot("publish-failed.png")
			b.t.Fatalf("no %s after %v; %s is:\n%s", what, waitTimeout, expr, v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// key presses and releases a key, as typed where the focus is.
func (b *browser) key(key, code string, keyCode int) {
	b.t.Helper()
	down := map[string]any{"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": keyCode}
	if len([]rune(key)) == 1 {
		down["text"] = key
	}
	b.call("Input.dispatchKeyEvent", down)
	b.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keyCode})
}

// screenshot saves the page's viewport as name in the artifacts directory.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	var r struct{ Data string }
	json.Unmarshal(b.call("Page.captureScreenshot", map[string]any{"format": "png"}), &r)
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(b.shots, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

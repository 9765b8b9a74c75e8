package publish

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPlayerCannotEndItsElement: the player's script and style sheet go
// into the page as they are, inside <script> and <style>.
func TestPlayerCannotEndItsElement(t *testing.T) {
	p := loadPlayer()
	if s := strings.ToLower(string(p.Script)); strings.Count(s, "</script") != 1 || strings.Count(s, "<!--") > 0 {
		t.Error("the player's script holds </script or <!--")
	}
	if s := strings.ToLower(string(p.Style)); strings.Count(s, "</style") != 1 {
		t.Error("the player's style sheet holds </style")
	}
	if p.Version == "" || !strings.Contains(p.Licence, "Apache License") {
		t.Errorf("version %q, licence %.40q", p.Version, p.Licence)
	}
}

// TestCastInAScript: a recording whose output spells </script> stays in
// its element, and reads back as the same recording.
func TestCastInAScript(t *testing.T) {
	cast := "{\"version\":2,\"width\":80,\"height\":24}\n[0.5, \"o\", \"</script><script>alert(1)</script> \\\\<\"]\n"
	r, err := Read("x.cast", []byte(cast))
	if err != nil {
		t.Fatal(err)
	}
	s := r.castScript()
	if strings.Contains(s, "<") {
		t.Fatalf("a < is left: %s", s)
	}
	lines := strings.Split(s, "\n")
	var ev []any
	if err := json.Unmarshal([]byte(lines[1]), &ev); err != nil || ev[2] != `</script><script>alert(1)</script> \<` {
		t.Errorf("the event reads back as %v (%v)", ev, err)
	}
}

func TestShellWords(t *testing.T) {
	got := ShellWords([]string{"lockviz", "my lesson.toml", "--until", "2s", "--keys", "it's.keys", ""})
	if want := `lockviz 'my lesson.toml' --until 2s --keys 'it'\''s.keys' ''`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestChapters(t *testing.T) {
	r, err := Read("x.cast", []byte("{\"version\":2,\"width\":80,\"height\":24,\"title\":\"T\"}\n[0, \"m\", \"one\"]\n[0, \"o\", \"a\"]\n\n[2.5, \"m\", \"two\"]\n[3, \"o\", \"\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Chapters) != 2 || r.Chapters[1] != (Chapter{2.5, "two"}) || r.Duration != 3 || r.Title != "T" || r.Origin != nil {
		t.Errorf("read as %+v", r)
	}
}

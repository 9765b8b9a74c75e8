package scenario

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"lockviz/sim/format"
)

// MaxCaptionLen bounds a caption's text, in bytes: a caption is one line
// under the header, and a paragraph would be cut anyway.
const MaxCaptionLen = 200

// captionKeys are the keys a [[captions]] table may use.
var captionKeys = []string{"at", "text", "until"}

// Caption is a line the live view shows under its header from virtual time
// At: until Until when that is set, else until the next caption's At.
type Caption struct {
	At    time.Duration
	Until time.Duration // 0: until the next caption
	Text  string
}

// CheckCaption reports what makes text unfit for the caption band, nil
// when nothing does: the band is one line, which a control character could
// break or hide.
func CheckCaption(text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return errors.New("empty: write the caption's words")
	case len(text) > MaxCaptionLen:
		return fmt.Errorf("longer than %d bytes: a caption is one line", MaxCaptionLen)
	case !utf8.ValidString(text) || strings.ContainsFunc(text, format.IsControlOrFormat):
		return fmt.Errorf("%q has control characters, invisible format characters or invalid UTF-8", text)
	}
	return nil
}

// CaptionAt returns the text of the caption showing at virtual time t, ""
// when none is: the last to start at or before t, unless its Until has
// passed. caps must be in order of At, as Parse leaves them.
func CaptionAt(caps []Caption, t time.Duration) string {
	i := sort.Search(len(caps), func(i int) bool { return caps[i].At > t })
	if i == 0 {
		return ""
	}
	c := caps[i-1]
	if c.Until > 0 && t >= c.Until {
		return ""
	}
	return c.Text
}

// captions reads the [[captions]] tables and sorts them by their start,
// keeping the file's order among captions that start together.
func (p fileParser) captions(v any) ([]Caption, error) {
	tables, err := p.tables("captions", v)
	if err != nil {
		return nil, err
	}
	caps := make([]Caption, 0, len(tables))
	for i, m := range tables {
		at := func(key, format string, args ...any) error {
			msg := oneLine(fmt.Sprintf(format, args...))
			if line := p.lines.captionLine(i, key); line > 0 {
				return fmt.Errorf("%s:%d: %s", p.file, line, msg)
			}
			return fmt.Errorf("%s: %s", p.file, msg)
		}
		var c Caption
		for _, k := range p.orderedCaption(m, i) {
			var err error
			switch k {
			case "at":
				if c.At, err = asDuration(m[k]); err == nil {
					err = checkDuration(c.At)
				}
			case "until":
				if c.Until, err = asDuration(m[k]); err == nil {
					err = checkDuration(c.Until)
				}
			case "text":
				if c.Text, err = asString(m[k]); err == nil {
					err = CheckCaption(c.Text)
				}
			default:
				return nil, at(k, "%v", unknownKey(k, " in [[captions]]", captionKeys))
			}
			if err != nil {
				return nil, at(k, "%s: %v", k, err)
			}
		}
		for _, k := range []string{"at", "text"} {
			if _, ok := m[k]; !ok {
				return nil, at("", "a caption needs %s", k)
			}
		}
		if _, ok := m["until"]; ok && c.Until <= c.At {
			return nil, at("until", "until: %v is not after the caption's at, %v", c.Until, c.At)
		}
		caps = append(caps, c)
	}
	slices.SortStableFunc(caps, func(a, b Caption) int { return int(min(max(a.At-b.At, -1), 1)) })
	return caps, nil
}

// orderedCaption returns the keys of caption table i in file order, so the
// first problem reported is the first in the file.
func (p fileParser) orderedCaption(m map[string]any, i int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if la, lb := p.lines.captionLine(i, a), p.lines.captionLine(i, b); la != lb {
			return la - lb
		}
		return strings.Compare(a, b)
	})
	return keys
}

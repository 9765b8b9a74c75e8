package scenario

import (
	"fmt"
	"strings"
)

// TOML returns the scenario as a scenario file that Parse reads
// back to an equal scenario (seeds above 2⁶³-1 excepted, which TOML cannot
// write). Only a validated scenario is written faithfully.
func (s Scenario) TOML() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "name = %s\n", tomlString(s.Name))
	if s.Description != "" {
		fmt.Fprintf(&b, "description = %s\n", tomlString(s.Description))
	}
	fmt.Fprintf(&b, "policy = %s\npermits = %d\nseed = %d\nuntil = %q\n", tomlString(s.Policy.String()), s.Permits, s.Seed, s.Until.String())
	if len(s.Locks) > 0 {
		b.WriteString("\n[locks]\n")
		for _, l := range s.Locks {
			fmt.Fprintf(&b, "%s = { policy = %s, permits = %d }\n", l.Name, tomlString(l.Policy.String()), l.Permits)
		}
	}
	for _, g := range s.Tasks {
		if g.Source != "" {
			// The compiler refuses triple-quoted strings, so ''' cannot
			// end the code early.
			fmt.Fprintf(&b, "\n[[tasks]]\nname = %s\ncount = %d\nstart = %q\ncode = '''\n%s'''\n",
				tomlString(g.Name), g.Count, g.Start.String(), strings.TrimSuffix(g.Source, "\n")+"\n")
			continue
		}
		fmt.Fprintf(&b, "\n[[tasks]]\nname = %s\ncount = %d\nstart = %q\niterations = %d\nthink = %q\nhold = %q\n",
			tomlString(g.Name), g.Count, g.Start.String(), g.Iterations, g.Think.String(), g.Hold.String())
		if g.Timeout > 0 {
			fmt.Fprintf(&b, "timeout = %q\n", g.Timeout.String())
		}
		fmt.Fprintf(&b, "append = %t\n", g.Append)
	}
	for _, c := range s.Captions {
		fmt.Fprintf(&b, "\n[[captions]]\nat = %q\ntext = %s\n", c.At.String(), tomlString(c.Text))
		if c.Until > 0 {
			fmt.Fprintf(&b, "until = %q\n", c.Until.String())
		}
	}
	return []byte(b.String())
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

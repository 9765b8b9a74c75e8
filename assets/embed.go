// Package assets embeds the files lockviz ships inside its binary: the
// built-in scenarios under scenarios/ and the lessons under lessons/.
package assets

import "embed"

// Scenarios holds the built-in scenario files, scenarios/NAME.toml.
//
//go:embed scenarios/*.toml
var Scenarios embed.FS

// Lessons holds the lessons, lessons/NAME.keys: key scripts whose header
// comments name their title and scenario.
//
//go:embed lessons/*.keys
var Lessons embed.FS

// Package assets embeds the files lockviz ships inside its binary: the
// built-in scenarios under scenarios/.
package assets

import "embed"

// Scenarios holds the built-in scenario files, scenarios/NAME.toml.
//
//go:embed scenarios/*.toml
var Scenarios embed.FS

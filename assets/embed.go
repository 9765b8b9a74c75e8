// Package assets embeds the files lockviz ships inside its binary: the
// built-in scenarios under scenarios/, the lessons under lessons/ and the
// web player lockviz publish puts in its pages under player/.
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

// Chroma holds chroma's Python lexer (chroma/python.xml, with chroma's
// licence beside it): the code panel builds its lexer from this one file,
// since importing chroma's lexers package parses all of its 279 lexers when
// lockviz starts, 15 ms and 3 MB before anything is drawn.
//
//go:generate sh -c "cp $(go list -m -f '{{.Dir}}' github.com/alecthomas/chroma/v2)/lexers/embedded/python.xml chroma/python.xml && chmod 644 chroma/python.xml"
//go:embed chroma/python.xml
var Chroma embed.FS

// Player holds asciinema-player from npm, which lockviz publish embeds in
// every page: player/asciinema-player.min.js and .css, its LICENSE
// (Apache 2.0, which asks that the licence go with the copy) and its
// VERSION. go generate fetches the newest the registry serves, or the
// version in $ASCIINEMA_PLAYER_VERSION, so that an update is one command
// and no file of it is edited by hand.
//
//go:generate sh update-player.sh $ASCIINEMA_PLAYER_VERSION
//go:embed player
var Player embed.FS

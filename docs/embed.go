// Package docs embeds the researcher-facing documents that the binary serves
// as HTML (the methodology page).
package docs

import _ "embed"

// Methodology is docs/methodology.md.
//
//go:embed methodology.md
var Methodology []byte

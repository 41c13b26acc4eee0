// Package data embeds the shipped dataset: world boundaries, country codes,
// the capability taxonomy and the evidence files. See data/README.md for
// licences and provenance.
package data

import "embed"

// FS holds the bundled data files.
//
//go:embed VERSION countries.csv taxonomy.yaml boundaries/*.json dataset/*.yaml
var FS embed.FS

// Package frontend holds the researcher's web app (a Vite + TypeScript project)
// and exposes its production build to the Go binary.
//
// Run `npm ci && npm run build` in this folder before `go build`: the build
// writes dist/, which is embedded here. dist/.keep is committed so the embed
// compiles on a fresh clone even before the first build.
package frontend

import "embed"

// Dist is the built web app: dist/index.html and hashed assets under
// dist/assets/. Serve it with fs.Sub(Dist, "dist").
//
//go:embed all:dist
var Dist embed.FS

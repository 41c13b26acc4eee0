// Package geo holds the project's pure geometry code, built on orb: TopoJSON
// decoding for the bundled boundaries, GeoJSON encoding with trimmed
// precision, and parsing and validation of bounding boxes. It never touches
// the database or HTTP.
package geo

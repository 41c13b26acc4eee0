package ingest

import (
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"

	"github.com/paulmach/orb"

	"github.com/scs-diffusion/tracker/geo"
	"github.com/scs-diffusion/tracker/store"
)

// Files the boundaries loader reads from the data file system.
const (
	countriesCSV = "countries.csv"
	topo50m      = "boundaries/countries-50m.json"
	topo110m     = "boundaries/countries-110m.json"
)

// ReadBoundaries joins the Natural Earth shapes (world-atlas TopoJSON, keyed
// by ISO numeric code, or by Natural Earth name for entities without one) to
// the country table in countries.csv. Features sharing a code (Australia and
// the Ashmore and Cartier Islands) are merged into one MultiPolygon.
func ReadBoundaries(fsys fs.FS) ([]store.BoundaryRow, error) {
	codes, err := readCountryCodes(fsys)
	if err != nil {
		return nil, err
	}
	shapes50, err := readShapes(fsys, topo50m, codes)
	if err != nil {
		return nil, err
	}
	shapes110, err := readShapes(fsys, topo110m, codes)
	if err != nil {
		return nil, err
	}
	rows := make([]store.BoundaryRow, 0, len(codes.rows))
	for _, r := range codes.rows {
		g, ok := shapes50[r.ISO3]
		if !ok {
			return nil, fmt.Errorf("boundaries: %s (%s) has no 1:50m shape", r.ISO3, r.NEName)
		}
		r.Geom50m = g
		r.Geom110m = shapes110[r.ISO3]
		rows = append(rows, r)
	}
	return rows, nil
}

type codeTable struct {
	rows      []store.BoundaryRow
	byNumeric map[string]string
	byNEName  map[string]string
}

func readCountryCodes(fsys fs.FS) (codeTable, error) {
	f, err := fsys.Open(countriesCSV)
	if err != nil {
		return codeTable{}, fmt.Errorf("boundaries: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return codeTable{}, fmt.Errorf("boundaries: %s: %w", countriesCSV, err)
	}
	want := []string{"iso3", "iso2", "iso_numeric", "ne_name", "name", "region", "subregion", "iso_official"}
	if fmt.Sprint(header) != fmt.Sprint(want) {
		return codeTable{}, fmt.Errorf("boundaries: %s header %v, want %v", countriesCSV, header, want)
	}
	t := codeTable{byNumeric: map[string]string{}, byNEName: map[string]string{}}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return codeTable{}, fmt.Errorf("boundaries: %s line %d: %w", countriesCSV, line, err)
		}
		row := store.BoundaryRow{ISO3: rec[0], ISO2: rec[1], ISONumeric: rec[2], NEName: rec[3], Name: rec[4],
			Region: rec[5], Subregion: rec[6], ISOOfficial: rec[7] == "true"}
		t.rows = append(t.rows, row)
		if row.ISONumeric != "" {
			t.byNumeric[row.ISONumeric] = row.ISO3
		}
		t.byNEName[row.NEName] = row.ISO3
	}
	return t, nil
}

func readShapes(fsys fs.FS, name string, codes codeTable) (map[string]orb.MultiPolygon, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("boundaries: %w", err)
	}
	feats, err := geo.DecodeTopoJSON(b, "countries")
	if err != nil {
		return nil, fmt.Errorf("boundaries: %s: %w", name, err)
	}
	out := make(map[string]orb.MultiPolygon, len(feats))
	for _, f := range feats {
		neName, _ := f.Properties["name"].(string)
		iso3, ok := codes.byNumeric[f.ID]
		if f.ID == "" {
			iso3, ok = codes.byNEName[neName]
		}
		if !ok {
			return nil, fmt.Errorf("boundaries: %s: feature id %q name %q is not in %s", name, f.ID, neName, countriesCSV)
		}
		out[iso3] = append(out[iso3], geo.SplitAntimeridian(f.Geometry)...)
	}
	return out, nil
}

package geo

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
)

// TopoFeature is one geometry object of a TopoJSON collection, decoded to orb.
type TopoFeature struct {
	ID         string
	Properties map[string]any
	Geometry   orb.MultiPolygon
}

type topology struct {
	Type      string                                 `json:"type"`
	Transform *struct{ Scale, Translate [2]float64 } `json:"transform"`
	Arcs      [][][2]float64                         `json:"arcs"`
	Objects   map[string]json.RawMessage             `json:"objects"`
}

type topoObject struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties map[string]any  `json:"properties"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []topoObject    `json:"geometries"`
}

// DecodeTopoJSON decodes the named GeometryCollection of a TopoJSON topology
// (as published by world-atlas) into features with MultiPolygon geometry.
// Polygon objects become one-polygon MultiPolygons; null geometries are skipped.
func DecodeTopoJSON(data []byte, object string) ([]TopoFeature, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type %q, want Topology", t.Type)
	}
	raw, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", object)
	}
	var coll topoObject
	if err := json.Unmarshal(raw, &coll); err != nil {
		return nil, fmt.Errorf("topojson: object %q: %w", object, err)
	}
	arcs := decodeArcs(t)
	out := make([]TopoFeature, 0, len(coll.Geometries))
	for i, g := range coll.Geometries {
		mp, err := g.multiPolygon(arcs)
		if err != nil {
			return nil, fmt.Errorf("topojson: geometry %d: %w", i, err)
		}
		if mp == nil {
			continue
		}
		var id string
		if len(g.ID) > 0 && string(g.ID) != "null" {
			if err := json.Unmarshal(g.ID, &id); err != nil {
				id = string(g.ID)
			}
		}
		out = append(out, TopoFeature{ID: id, Properties: g.Properties, Geometry: mp})
	}
	return out, nil
}

// decodeArcs turns quantized, delta-encoded arcs into absolute positions.
func decodeArcs(t topology) [][]orb.Point {
	arcs := make([][]orb.Point, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([]orb.Point, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform == nil {
				pts[j] = orb.Point{p[0], p[1]}
				continue
			}
			x += p[0]
			y += p[1]
			pts[j] = orb.Point{
				x*t.Transform.Scale[0] + t.Transform.Translate[0],
				y*t.Transform.Scale[1] + t.Transform.Translate[1],
			}
		}
		arcs[i] = pts
	}
	return arcs
}

func (g topoObject) multiPolygon(arcs [][]orb.Point) (orb.MultiPolygon, error) {
	switch g.Type {
	case "Polygon":
		var rings [][]int
		if err := json.Unmarshal(g.Arcs, &rings); err != nil {
			return nil, err
		}
		p, err := polygon(rings, arcs)
		if err != nil {
			return nil, err
		}
		return orb.MultiPolygon{p}, nil
	case "MultiPolygon":
		var polys [][][]int
		if err := json.Unmarshal(g.Arcs, &polys); err != nil {
			return nil, err
		}
		mp := make(orb.MultiPolygon, 0, len(polys))
		for _, rings := range polys {
			p, err := polygon(rings, arcs)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	case "", "null":
		return nil, nil
	default:
		return nil, fmt.Errorf("unsupported geometry type %q", g.Type)
	}
}

func polygon(rings [][]int, arcs [][]orb.Point) (orb.Polygon, error) {
	p := make(orb.Polygon, 0, len(rings))
	for _, refs := range rings {
		var ring orb.Ring
		for k, ref := range refs {
			idx, reverse := ref, false
			if ref < 0 {
				idx, reverse = ^ref, true
			}
			if idx >= len(arcs) {
				return nil, fmt.Errorf("arc %d out of range", idx)
			}
			pts := arcs[idx]
			seg := make([]orb.Point, len(pts))
			copy(seg, pts)
			if reverse {
				for a, b := 0, len(seg)-1; a < b; a, b = a+1, b-1 {
					seg[a], seg[b] = seg[b], seg[a]
				}
			}
			if k > 0 && len(seg) > 0 {
				seg = seg[1:] // arcs share their end point with the next arc's start
			}
			ring = append(ring, seg...)
		}
		p = append(p, ring)
	}
	return p, nil
}

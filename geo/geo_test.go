package geo_test

import (
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/scs-diffusion/tracker/geo"
)

func TestParseBBox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    geo.BBox
		wantErr string
	}{
		{"-10,35,30,60", geo.BBox{-10, 35, 30, 60}, ""},
		{" -180 , -90 , 180 , 90 ", geo.BBox{-180, -90, 180, 90}, ""},
		{"170,-20,-170,0", geo.BBox{170, -20, -170, 0}, ""}, // crosses the antimeridian
		{"1,2,3", geo.BBox{}, "bbox: want 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got 3"},
		{"1,2,3,4,5", geo.BBox{}, "bbox: want 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got 5"},
		{"a,2,3,4", geo.BBox{}, `bbox: minLon "a" is not a number`},
		{"1,NaN,3,4", geo.BBox{}, `bbox: minLat "NaN" is not a number`},
		{"1,2,Inf,4", geo.BBox{}, `bbox: maxLon "Inf" is not a number`},
		{"-181,0,10,10", geo.BBox{}, "bbox: minLon -181 outside [-180, 180]"},
		{"0,0,10,91", geo.BBox{}, "bbox: maxLat 91 outside [-90, 90]"},
		{"0,50,10,40", geo.BBox{}, "bbox: minLat 50 is greater than maxLat 40"},
		{"", geo.BBox{}, "bbox: want 4 comma-separated numbers minLon,minLat,maxLon,maxLat, got 1"},
	}
	for _, tt := range tests {
		got, err := geo.ParseBBox(tt.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if gotErr != tt.wantErr {
			t.Errorf("ParseBBox(%q) error = %q, want %q", tt.in, gotErr, tt.wantErr)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseBBox(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestBBoxBounds(t *testing.T) {
	t.Parallel()
	plain := geo.BBox{-10, 35, 30, 60}
	if got := plain.Bounds(); len(got) != 1 || got[0] != (orb.Bound{Min: orb.Point{-10, 35}, Max: orb.Point{30, 60}}) {
		t.Errorf("plain Bounds() = %v", got)
	}
	wrap := geo.BBox{170, -20, -170, 0}
	want := []orb.Bound{
		{Min: orb.Point{170, -20}, Max: orb.Point{180, 0}},
		{Min: orb.Point{-180, -20}, Max: orb.Point{-170, 0}},
	}
	if diff := cmp.Diff(want, wrap.Bounds()); diff != "" || !wrap.CrossesAntimeridian() {
		t.Errorf("antimeridian Bounds() mismatch (-want +got):\n%s", diff)
	}
}

// A hand-made topology: two squares sharing one arc, the second reversing it.
const topo = `{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},
"arcs":[[[0,0],[0,1]],[[0,1],[1,0],[0,-1],[-1,0]],[[1,1],[1,0],[0,-1],[-1,0]]],
"objects":{"countries":{"type":"GeometryCollection","geometries":[
 {"type":"Polygon","id":"001","properties":{"name":"A"},"arcs":[[0,1]]},
 {"type":"MultiPolygon","properties":{"name":"B"},"arcs":[[[2,-2]]]},
 {"type":null,"id":"003"}]}}}`

func TestDecodeTopoJSON(t *testing.T) {
	t.Parallel()
	feats, err := geo.DecodeTopoJSON([]byte(topo), "countries")
	if err != nil {
		t.Fatal(err)
	}
	if len(feats) != 2 {
		t.Fatalf("got %d features, want 2 (null geometry skipped)", len(feats))
	}
	wantA := orb.MultiPolygon{{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}}
	if diff := cmp.Diff(wantA, feats[0].Geometry); diff != "" || feats[0].ID != "001" {
		t.Errorf("feature A (id %q) mismatch (-want +got):\n%s", feats[0].ID, diff)
	}
	if feats[1].ID != "" || feats[1].Properties["name"] != "B" {
		t.Errorf("feature B = %+v", feats[1])
	}
	if _, err := geo.DecodeTopoJSON([]byte(topo), "land"); err == nil {
		t.Error("missing object: want error")
	}
	if _, err := geo.DecodeTopoJSON([]byte(`{"type":"Feature"}`), "countries"); err == nil {
		t.Error("not a topology: want error")
	}
}

func TestSplitAntimeridian(t *testing.T) {
	t.Parallel()
	// An island straddling 180°, stored with a jump from 179 to -179.
	island := orb.Polygon{{{179, -1}, {-179, -1}, {-179, 1}, {179, 1}, {179, -1}}}
	got := geo.SplitAntimeridian(orb.MultiPolygon{island})
	if len(got) != 2 {
		t.Fatalf("got %d parts, want 2: %v", len(got), got)
	}
	var area float64
	for _, p := range got {
		b := p.Bound()
		if b.Min[0] < -180 || b.Max[0] > 180 {
			t.Errorf("part %v leaves [-180, 180]", b)
		}
		area += math.Abs(planar.Area(p))
	}
	if math.Abs(area-4) > 1e-9 {
		t.Errorf("total area %v, want 4", area)
	}
	// A polygon that does not cross is untouched, and an edge along the pole is no crossing.
	france := orb.Polygon{{{-5, 42}, {8, 42}, {8, 51}, {-5, 51}, {-5, 42}}}
	pole := orb.Polygon{{{-180, -90}, {-180, -80}, {0, -80}, {180, -80}, {180, -90}, {-180, -90}}}
	in := orb.MultiPolygon{france, pole}
	if diff := cmp.Diff(in, geo.SplitAntimeridian(in)); diff != "" {
		t.Errorf("non-crossing polygons changed (-want +got):\n%s", diff)
	}
}

func TestSplitAntimeridianWorldAtlas(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../data/boundaries/countries-50m.json")
	if err != nil {
		t.Fatal(err)
	}
	feats, err := geo.DecodeTopoJSON(b, "countries")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feats {
		for _, p := range geo.SplitAntimeridian(f.Geometry) {
			for _, r := range p {
				for i := 1; i < len(r); i++ {
					if math.Abs(r[i][0]-r[i-1][0]) > 180 && math.Abs(r[i][1]) < 89 {
						t.Fatalf("%v: ring still jumps the antimeridian at %v → %v", f.Properties["name"], r[i-1], r[i])
					}
				}
			}
		}
	}
}

package geo

import (
	"errors"
	"testing"

	"github.com/paulmach/orb/maptile"
)

func TestParseTile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, z, x, y string
		want          maptile.Tile
		wantField     string
	}{
		{"world", "0", "0", "0", maptile.New(0, 0, 0), ""},
		{"z2", "2", "3", "1", maptile.New(3, 1, 2), ""},
		{"highest zoom, last tile", "8", "255", "255", maptile.New(255, 255, 8), ""},
		{"zoom too high", "9", "0", "0", maptile.Tile{}, "z"},
		{"x out of range", "2", "4", "0", maptile.Tile{}, "x"},
		{"y out of range", "0", "0", "1", maptile.Tile{}, "y"},
		{"negative", "1", "-1", "0", maptile.Tile{}, "x"},
		{"not a number", "a", "0", "0", maptile.Tile{}, "z"},
		{"fraction", "1", "0", "0.5", maptile.Tile{}, "y"},
		{"empty", "", "0", "0", maptile.Tile{}, "z"},
		{"leading zero", "01", "0", "0", maptile.Tile{}, "z"},
		{"plus sign", "1", "+1", "0", maptile.Tile{}, "x"},
		{"space", "1", "0", " 1", maptile.Tile{}, "y"},
		{"huge", "99999999999999999999", "0", "0", maptile.Tile{}, "z"},
		{"non-ASCII digit", "١", "0", "0", maptile.Tile{}, "z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTile(tt.z, tt.x, tt.y, 8)
			if tt.wantField == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseTile(%q, %q, %q) = %v, %v; want %v", tt.z, tt.x, tt.y, got, err, tt.want)
				}
				return
			}
			var te *TileError
			if !errors.As(err, &te) || te.Field != tt.wantField || te.Reason == "" {
				t.Fatalf("ParseTile(%q, %q, %q) error %v, want a *TileError on %s", tt.z, tt.x, tt.y, err, tt.wantField)
			}
		})
	}
}

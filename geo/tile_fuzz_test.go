package geo

import (
	"errors"
	"strconv"
	"testing"
)

// FuzzParseTile: never panics; refuses with a *TileError naming z, x or y;
// an accepted tile is in range and is the one its canonical address names.
func FuzzParseTile(f *testing.F) {
	for _, s := range [][3]string{{"0", "0", "0"}, {"8", "255", "255"}, {"9", "0", "0"}, {"2", "4", "1"}, {"01", "0", "0"}, {"a", "-1", "1.5"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		tile, err := ParseTile(z, x, y, 8)
		if err != nil {
			var te *TileError
			if !errors.As(err, &te) || te.Reason == "" || (te.Field != "z" && te.Field != "x" && te.Field != "y") {
				t.Fatalf("ParseTile(%q, %q, %q) error %T %v, want a *TileError on z, x or y", z, x, y, err, err)
			}
			return
		}
		n := uint32(1) << tile.Z
		if tile.Z > 8 || tile.X >= n || tile.Y >= n {
			t.Fatalf("ParseTile(%q, %q, %q) = %v, out of range", z, x, y, tile)
		}
		if z != strconv.Itoa(int(tile.Z)) || x != strconv.Itoa(int(tile.X)) || y != strconv.Itoa(int(tile.Y)) {
			t.Fatalf("ParseTile(%q, %q, %q) = %v, which is not what the address says", z, x, y, tile)
		}
	})
}

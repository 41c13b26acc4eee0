package geo

import (
	"fmt"
	"strconv"

	"github.com/paulmach/orb/maptile"
)

// TileError names the tile coordinate that is wrong (z, x or y) and why.
type TileError struct{ Field, Reason string }

func (e *TileError) Error() string { return "tile " + e.Field + ": " + e.Reason }

// ParseTile parses the z, x and y of a tile address (/{z}/{x}/{y}) in the
// XYZ scheme: z in [0, maxZoom], x and y in [0, 2^z). Each is a decimal
// integer without sign, spaces or leading zeros (so one tile has one
// address, and one cache key).
func ParseTile(z, x, y string, maxZoom int) (maptile.Tile, error) {
	zv, err := parseTileInt("z", z)
	if err != nil {
		return maptile.Tile{}, err
	}
	if zv > uint64(maxZoom) {
		return maptile.Tile{}, &TileError{"z", fmt.Sprintf("%d is above the highest zoom %d", zv, maxZoom)}
	}
	n := uint64(1) << zv
	xv, err := parseTileInt("x", x)
	if err != nil {
		return maptile.Tile{}, err
	}
	if xv >= n {
		return maptile.Tile{}, &TileError{"x", fmt.Sprintf("%d is outside [0, %d] at zoom %d", xv, n-1, zv)}
	}
	yv, err := parseTileInt("y", y)
	if err != nil {
		return maptile.Tile{}, err
	}
	if yv >= n {
		return maptile.Tile{}, &TileError{"y", fmt.Sprintf("%d is outside [0, %d] at zoom %d", yv, n-1, zv)}
	}
	return maptile.New(uint32(xv), uint32(yv), maptile.Zoom(zv)), nil
}

func parseTileInt(field, s string) (uint64, error) {
	if s == "" {
		return 0, &TileError{field, "is empty"}
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, &TileError{field, fmt.Sprintf("%.20q is not a whole number", s)}
		}
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, &TileError{field, fmt.Sprintf("%.20q has a leading zero", s)}
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, &TileError{field, fmt.Sprintf("%.20q is too large", s)}
	}
	return v, nil
}

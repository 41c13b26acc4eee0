package readmodel

import (
	"context"
	"fmt"

	"github.com/paulmach/orb/maptile"

	"github.com/scs-diffusion/tracker/store"
)

// TileLayer names a vector-tile layer.
type TileLayer string

// The vector-tile layers (store.CountryTile, store.SiteTile).
const (
	CountryTiles TileLayer = "countries"
	SiteTiles    TileLayer = "sites"
)

// Tile builds one MVT tile of a layer from the database (PostGIS encodes
// it). Tiles hold geometry only, which changes with the data revision; the
// API caches their bytes per revision, so this runs once per tile and
// revision. While the database is unreachable it answers ErrUnavailable.
func (sn *Snapshot) Tile(ctx context.Context, layer TileLayer, t maptile.Tile) ([]byte, error) {
	sc := sn.shapes
	if sc.live != nil && !sc.live() {
		return nil, fmt.Errorf("%w: tile %s/%d/%d/%d is not cached", ErrUnavailable, layer, t.Z, t.X, t.Y)
	}
	var b []byte
	var err error
	switch layer {
	case CountryTiles:
		b, err = sc.read.CountryTile(ctx, t)
	case SiteTiles:
		b, err = sc.read.SiteTile(ctx, t)
	default:
		return nil, fmt.Errorf("readmodel: no tile layer %q", layer)
	}
	if err != nil && store.IsUnavailable(err) {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return b, err
}

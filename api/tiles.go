package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb/maptile"

	"github.com/scs-diffusion/tracker/geo"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// Vector tiles (docs/api.md, "Vector tiles"). Tiles hold geometry only; the
// map colours them with scores from /api/v1/index through feature state.
// Their bytes are cached per data revision in the response cache, so each
// tile is built by PostGIS once per revision, and they go on being served
// from memory while the database is down.

const (
	tileType = "application/vnd.mapbox-vector-tile"
	// A URL naming the revision it was made for (?v=, from the TileJSON) never changes.
	tileImmutable = "public, max-age=31536000, immutable"
	tileMutable   = "public, max-age=300"
	// A URL naming another revision gets the current tile, briefly cached.
	tileOtherRevision = "public, max-age=60"
)

func (h *handler) countryTile(c *gin.Context) error { return h.tile(c, readmodel.CountryTiles) }
func (h *handler) siteTile(c *gin.Context) error    { return h.tile(c, readmodel.SiteTiles) }

// tile serves GET /tiles/{layer}/{z}/{x}/{y}.mvt.
func (h *handler) tile(c *gin.Context, layer readmodel.TileLayer) error {
	y, ok := strings.CutSuffix(c.Param("y.mvt"), ".mvt")
	if !ok {
		return notFound("no route " + c.Request.URL.Path)
	}
	t, err := geo.ParseTile(c.Param("z"), c.Param("x"), y, store.TileMaxZoom)
	if err != nil { // (errors.As only here: its target escapes, which would cost every tile an allocation)
		if te := (*geo.TileError)(nil); errors.As(err, &te) {
			return badParam(te.Field, te.Reason)
		}
	}
	v, err := revisionParam(c)
	if err != nil {
		return err
	}
	cacheControl := tileMutable
	if v > 0 {
		cacheControl = tileOtherRevision
		if rev, known, _ := h.model.Revision(); known && rev.Revision == v {
			cacheControl = tileImmutable
		}
	}
	var key [48]byte
	return h.readKeyed(c, appendTileKey(key[:0], string(layer), t), cacheControl, func(r *readRequest) (build, error) {
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (*encoded, error) {
			b, err := sn.Tile(ctx, layer, t)
			if err != nil {
				return nil, err
			}
			e := newEncoded(tileType, b, sn.Revision.Revision, gzip.DefaultCompression)
			e.noContent = len(b) == 0
			return e, nil
		}, nil
	})
}

// revisionParam reads the optional v (the data revision a tile URL was made
// for; 0 when absent) and refuses any other parameter.
func revisionParam(c *gin.Context) (int64, error) {
	raw := c.Request.URL.RawQuery
	if raw == "" {
		return 0, nil
	}
	if s, ok := strings.CutPrefix(raw, "v="); ok && len(s) <= 18 && strings.Trim(s, "0123456789") == "" {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v >= 1 { // the URLs of the TileJSON, without parsing the query
			return v, nil
		}
	}
	if err := onlyParams(c, "v"); err != nil {
		return 0, err
	}
	s, ok := c.GetQuery("v")
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 1 {
		return 0, badParam("v", "must be a data revision, a whole number from 1")
	}
	return v, nil
}

// appendTileKey appends the response-cache key of a tile (without the
// revision) to b: every spelling of its URL shares it.
func appendTileKey(b []byte, layer string, t maptile.Tile) []byte {
	b = append(b, "tile|"...)
	b = append(b, layer...)
	for _, n := range [3]uint32{uint32(t.Z), t.X, t.Y} {
		b = append(b, '/')
		b = strconv.AppendUint(b, uint64(n), 10)
	}
	return b
}

// tileJSON is a TileJSON 3.0.0 document.
type tileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []vectorLayer `json:"vector_layers"`
}

type vectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

var tileSets = map[readmodel.TileLayer]tileJSON{
	readmodel.CountryTiles: {
		Name:        "countries",
		Description: "Country boundaries (Natural Earth 1:50m, simplified per zoom), geometry only: colour them with /api/v1/index, joined on id.",
		Attribution: "Boundaries: Natural Earth",
		VectorLayers: []vectorLayer{{ID: "countries", Description: "One polygon per country",
			Fields: map[string]string{"id": "ISO 3166-1 alpha-3 code", "name": "Country name"}}},
	},
	readmodel.SiteTiles: {
		Name: "sites",
		Description: "Deployment sites. Below zoom " + strconv.Itoa(store.SiteClusterBelow) +
			" a point stands for the sites of one grid cell sharing capability, status and vendor country (count).",
		Attribution: "SCS Diffusion Tracker",
		VectorLayers: []vectorLayer{{ID: "sites", Description: "Deployment sites, clustered at low zoom",
			Fields: map[string]string{"capability": "Capability code", "status": "Site status",
				"vendor_country": "ISO 3166-1 alpha-3 code of the vendor's home country (absent when unknown)",
				"count":          "Number of sites the point stands for"}}},
	},
}

func (h *handler) countryTileJSON(c *gin.Context) error { return h.tileJSON(c, readmodel.CountryTiles) }
func (h *handler) siteTileJSON(c *gin.Context) error    { return h.tileJSON(c, readmodel.SiteTiles) }

// tileJSON serves GET /tiles/{layer}.json: tile URLs are absolute (TileJSON
// clients such as GDAL need them) and carry the current revision.
func (h *handler) tileJSON(c *gin.Context, layer readmodel.TileLayer) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	base := "http://" + c.Request.Host
	if c.Request.TLS != nil || c.Request.Header.Get("X-Forwarded-Proto") == "https" { // behind a TLS-terminating proxy
		base = "https://" + c.Request.Host
	}
	key := []byte("tilejson|" + string(layer) + "|" + base)
	return h.readKeyed(c, key, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		return r.bytesBuild(sn, jsonType, func() ([]byte, error) {
			doc := tileSets[layer]
			doc.TileJSON, doc.Scheme, doc.MinZoom, doc.MaxZoom = "3.0.0", "xyz", 0, store.TileMaxZoom
			doc.Tiles = []string{base + "/tiles/" + string(layer) + "/{z}/{x}/{y}.mvt?v=" + strconv.FormatInt(sn.Revision.Revision, 10)}
			doc.Bounds = [4]float64{-180, -85.0511, 180, 85.0511}
			doc.Center = [3]float64{0, 20, 1}
			doc.VectorLayers = append([]vectorLayer(nil), doc.VectorLayers...)
			for i := range doc.VectorLayers {
				doc.VectorLayers[i].MaxZoom = store.TileMaxZoom
			}
			return json.Marshal(doc)
		}), nil
	})
}

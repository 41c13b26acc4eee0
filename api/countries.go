package api

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

// countrySorts are the accepted values of `sort` on the country list.
var countrySorts = map[string]func(a, b store.CountrySummary) bool{
	"name":    func(a, b store.CountrySummary) bool { return a.Name < b.Name },
	"-name":   func(a, b store.CountrySummary) bool { return a.Name > b.Name },
	"iso3":    func(a, b store.CountrySummary) bool { return a.ISO3 < b.ISO3 },
	"-iso3":   func(a, b store.CountrySummary) bool { return a.ISO3 > b.ISO3 },
	"region":  func(a, b store.CountrySummary) bool { return a.Region+a.Subregion < b.Region+b.Subregion },
	"-region": func(a, b store.CountrySummary) bool { return a.Region+a.Subregion > b.Region+b.Subregion },
}

type countryList struct {
	Countries []store.CountrySummary `json:"countries"`
	Total     int                    `json:"total"`
	Next      *string                `json:"next"`
}

// listCountries serves GET /api/v1/countries.
func (h *handler) listCountries(c *gin.Context) error {
	if err := onlyParams(c, "region", "subregion", "q", "sort", "limit", "cursor"); err != nil {
		return err
	}
	f := store.CountryFilter{Region: c.Query("region"), Subregion: c.Query("subregion"), Q: strings.TrimSpace(c.Query("q"))}
	sortKey := c.DefaultQuery("sort", "name")
	less, ok := countrySorts[sortKey]
	if !ok {
		return badParam("sort", "must be one of name, iso3, region, optionally prefixed with - for descending")
	}
	limit, err := parseLimit(c, 50, 500)
	if err != nil {
		return err
	}
	fp := fingerprint(f.Region, f.Subregion, f.Q, sortKey)
	offset, err := parseCursor(c, fp)
	if err != nil {
		return err
	}
	rows, err := h.store.Countries(c.Request.Context(), f)
	if err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool { return less(rows[i], rows[j]) })
	out := countryList{Countries: page(rows, offset, limit), Total: len(rows)}
	if offset+limit < len(rows) {
		next := nextLink(c, encodeCursor(offset+limit, fp))
		out.Next = &next
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.JSON(http.StatusOK, out)
	return nil
}

// page returns rows[offset:offset+limit], clamped.
func page[T any](rows []T, offset, limit int) []T {
	if offset >= len(rows) {
		return []T{}
	}
	end := min(offset+limit, len(rows))
	return rows[offset:end]
}

// nextLink is the request URL with its cursor replaced.
func nextLink(c *gin.Context, cur string) string {
	q := c.Request.URL.Query()
	q.Set("cursor", cur)
	u := url.URL{Path: c.Request.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

func fingerprint(parts ...string) string { return strings.Join(parts, "\x1f") }

// getCountry serves GET /api/v1/countries/{iso3}.
func (h *handler) getCountry(c *gin.Context) error {
	if err := onlyParams(c); err != nil {
		return err
	}
	iso3, err := parseISO3("iso3", c.Param("iso3"))
	if err != nil {
		return err
	}
	country, err := h.store.Country(c.Request.Context(), iso3)
	if err != nil {
		if err == store.ErrNotFound {
			return notFound("no country with code " + iso3)
		}
		return err
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.JSON(http.StatusOK, country)
	return nil
}

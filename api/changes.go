package api

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store"
)

// The change feed: what each accepted report and each ingest of the shipped
// dataset changed, newest first. It is published data, so it is read from
// the read model through the response cache; its ETag is the data revision,
// so a poller pays a 304 until something changes.

type changeOut struct {
	ID           int64            `json:"id"`
	Kind         string           `json:"kind"`
	At           time.Time        `json:"at"`
	Revision     int64            `json:"revision"`
	ReportID     *int64           `json:"report_id,omitempty"`
	Organisation *string          `json:"organisation,omitempty"`
	Changes      []levelChangeOut `json:"changes"`
}

type levelChangeOut struct {
	Country    string `json:"country"`
	Capability string `json:"capability"`
	OldLevel   *int   `json:"old_level"`
	NewLevel   *int   `json:"new_level"`
}

func changeOf(c *store.Change) changeOut {
	out := changeOut{ID: c.ID, Kind: c.Kind, At: c.At.UTC(), Revision: c.Revision, ReportID: c.ReportID, Changes: []levelChangeOut{}}
	if c.Kind == "report" {
		out.Organisation = c.Organisation
	}
	for _, x := range c.Changes {
		out.Changes = append(out.Changes, levelChangeOut{x.Country, x.Capability, x.Old, x.New})
	}
	return out
}

// changesPage pages the feed: limit entries after the cursor's offset.
func changesPage(c *gin.Context, sn *readmodel.Snapshot, defLimit int) ([]store.Change, *string, error) {
	if err := onlyParams(c, "limit", "cursor"); err != nil {
		return nil, nil, err
	}
	limit, err := parseLimit(c, defLimit, 500)
	if err != nil {
		return nil, nil, err
	}
	all := sn.Changes()
	// The cursor holds the id of the last entry seen, so pages stay put as new entries arrive.
	after, err := parseCursor(c, "changes")
	if err != nil {
		return nil, nil, err
	}
	start := 0
	if after > 0 {
		for start < len(all) && all[start].ID >= int64(after) {
			start++
		}
	}
	end := min(start+limit, len(all))
	page := all[start:end]
	var next *string
	if end < len(all) {
		s := c.Request.URL.Path + "?" + nextQuery(c, encodeCursor(int(page[len(page)-1].ID), "changes"))
		next = &s
	}
	return page, next, nil
}

func (h *handler) getChanges(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		page, next, err := changesPage(c, sn, 50)
		if err != nil {
			return nil, err
		}
		return r.jsonBuild(sn, jsonType, func() (any, error) {
			items := make([]changeOut, len(page))
			for i := range page {
				items[i] = changeOf(&page[i])
			}
			return gin.H{"dataset_version": sn.Revision.Version, "revision": sn.Revision.Revision, "items": items, "next": next}, nil
		}), nil
	})
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link,omitempty"`
	Content atomText   `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func levelText(l *int) string {
	if l == nil {
		return "none"
	}
	return strconv.Itoa(*l)
}

func (h *handler) getChangesAtom(c *gin.Context) error {
	return h.read(c, "public, max-age=60", func(r *readRequest) (build, error) {
		sn, err := r.snapshot(nil)
		if err != nil {
			return nil, err
		}
		page, next, err := changesPage(c, sn, 50)
		if err != nil {
			return nil, err
		}
		return r.bytesBuild(sn, "application/atom+xml; charset=utf-8", func() ([]byte, error) {
			feed := atomFeed{ID: "tag:scs-diffusion-tracker,2026:changes", Title: "SCS Diffusion Tracker: changes",
				Updated: sn.Revision.ChangedAt.UTC().Format(time.RFC3339), Author: atomAuthor{"SCS Diffusion Tracker"},
				Links: []atomLink{{Rel: "self", Href: "/api/v1/changes.atom", Type: "application/atom+xml"},
					{Rel: "alternate", Href: "/api/v1/changes", Type: "application/json"}}}
			if next != nil {
				feed.Links = append(feed.Links, atomLink{Rel: "next", Href: *next, Type: "application/atom+xml"})
			}
			for _, ch := range page {
				e := atomEntry{ID: fmt.Sprintf("tag:scs-diffusion-tracker,2026:change:%d", ch.ID), Updated: ch.At.UTC().Format(time.RFC3339)}
				if ch.Kind == "report" && ch.ReportID != nil {
					by := "an unnamed organisation"
					if ch.Organisation != nil {
						by = *ch.Organisation
					}
					e.Title = fmt.Sprintf("Report %d accepted (%s): %d change(s)", *ch.ReportID, by, len(ch.Changes))
				} else {
					e.Title = fmt.Sprintf("Dataset revision %d: %d change(s)", ch.Revision, len(ch.Changes))
				}
				body := ""
				for _, x := range ch.Changes {
					body += fmt.Sprintf("%s %s: %s → %s\n", x.Country, x.Capability, levelText(x.Old), levelText(x.New))
				}
				e.Content = atomText{Type: "text", Body: body}
				feed.Entries = append(feed.Entries, e)
			}
			b, err := xml.MarshalIndent(feed, "", " ")
			if err != nil {
				return nil, err
			}
			return append([]byte(xml.Header), b...), nil
		}), nil
	})
}

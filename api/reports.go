package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/reports"
	"github.com/scs-diffusion/tracker/store"
)

// The partner workflow (docs/api.md, "Partner reports"): handlers parse, check the
// caller's role, and hand the decision to package reports (which transition,
// who may take it) and the store (one transaction per change, with the
// Idempotency-Key kept in it).

type reportOut struct {
	ID          int64                 `json:"id"`
	Status      reports.Status        `json:"status"`
	Version     int                   `json:"version"`
	Org         reportOrg             `json:"organisation"`
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"updated_at"`
	SubmittedAt *time.Time            `json:"submitted_at"`
	DecidedAt   *time.Time            `json:"decided_at"`
	Comments    []reportCommentOut    `json:"comments"`
	Transitions []reportTransitionOut `json:"transitions"`
	reports.Input
}

type reportOrg struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type reportCommentOut struct {
	ID        int64     `json:"id"`
	Pointer   string    `json:"pointer"`
	Body      string    `json:"body"`
	Author    authorOut `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

type authorOut struct {
	Role         string  `json:"role"`
	Organisation *string `json:"organisation"`
}

type reportTransitionOut struct {
	From reports.Status `json:"from"`
	To   reports.Status `json:"to"`
	At   time.Time      `json:"at"`
	Role string         `json:"role"`
}

func reportOf(r *store.Report) reportOut {
	out := reportOut{ID: r.ID, Status: r.Status, Version: r.Version, Org: reportOrg{r.OrgID, r.OrgName}, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, SubmittedAt: r.SubmittedAt, DecidedAt: r.DecidedAt, Input: r.Content,
		Comments: []reportCommentOut{}, Transitions: []reportTransitionOut{}}
	for _, c := range r.Comments {
		a := authorOut{Role: c.AuthorRole}
		if c.AuthorOrg != "" {
			a.Organisation = &c.AuthorOrg
		}
		out.Comments = append(out.Comments, reportCommentOut{c.ID, c.Pointer, c.Body, a, c.CreatedAt})
	}
	for _, t := range r.Transitions {
		out.Transitions = append(out.Transitions, reportTransitionOut{t.From, t.To, t.At, t.Role})
	}
	return out
}

type reportSummaryOut struct {
	ID          int64          `json:"id"`
	Country     string         `json:"country"`
	Period      reports.Period `json:"period"`
	Status      reports.Status `json:"status"`
	Org         reportOrg      `json:"organisation"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Counts      reportCounts   `json:"counts"`
	LastComment *string        `json:"last_comment,omitempty"`
}

type reportCounts struct {
	Assessments int `json:"assessments"`
	Sites       int `json:"sites"`
	Constraints int `json:"constraints"`
	Sources     int `json:"sources"`
}

// reportActor requires a signed-in caller of one of roles and says who acts.
func reportActor(c *gin.Context, roles ...Role) (store.ReportActor, error) {
	a, err := needRole(c, roles...)
	if err != nil {
		return store.ReportActor{}, err
	}
	return store.ReportActor{UserID: a.UserID, KeyID: a.KeyID, OrgID: a.OrgID, Role: reports.Role(a.Role)}, nil
}

var anyRole = []Role{RoleAdmin, RoleReviewer, RolePartner}

// reportProblem maps the workflow's errors to problems.
func reportProblem(err error) error {
	var fe reports.Errors
	switch {
	case errors.As(err, &fe):
		return invalidReport(fe)
	case errors.Is(err, reports.ErrForbidden):
		return &Problem{Type: "/problems/forbidden", Title: "Forbidden", Status: http.StatusForbidden,
			Detail: "your role or organisation may not do this to this report"}
	case errors.Is(err, reports.ErrIllegal):
		return &Problem{Type: "/problems/illegal-transition", Title: "Illegal transition", Status: http.StatusConflict,
			Detail: "the report's status does not allow this"}
	case errors.Is(err, store.ErrPrecondition):
		return &Problem{Type: "/problems/precondition-failed", Title: "Precondition failed", Status: http.StatusPreconditionFailed,
			Detail: "the report changed since you read it (If-Match does not match its ETag); read it again"}
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return &Problem{Type: "/problems/idempotency-key-reused", Title: "Idempotency key reused", Status: http.StatusUnprocessableEntity,
			Detail: "this Idempotency-Key was used for another request", Errors: []FieldError{{Field: "Idempotency-Key", Reason: "used before with another method, path or body"}}}
	case errors.Is(err, store.ErrNotFound):
		return notFound("no such report")
	case errors.Is(err, store.ErrConflict):
		return &Problem{Type: "/problems/conflict", Title: "Conflict", Status: http.StatusConflict,
			Detail: "another change to the same published rows happened at the same time; retry"}
	}
	return err
}

func invalidReport(fe reports.Errors) *Problem {
	p := &Problem{Type: "/problems/invalid-report", Title: "Invalid report", Status: http.StatusUnprocessableEntity,
		Detail: fe.Error()}
	for _, e := range fe {
		p.Errors = append(p.Errors, FieldError{Field: e.Pointer, Reason: e.Reason})
	}
	return p
}

// reportBody reads and validates a ReportInput.
func (h *handler) reportBody(c *gin.Context) (reports.Input, []byte, error) {
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return reports.Input{}, nil, tooLarge(err)
	}
	in, err := reports.Decode(bytes.NewReader(raw))
	if err != nil {
		return in, raw, reportProblem(err)
	}
	if err := h.validateReport(c, &in); err != nil {
		return in, raw, err
	}
	return in, raw, nil
}

// validateReport checks a whole report against the published data.
func (h *handler) validateReport(c *gin.Context, in *reports.Input) error {
	sn, err := h.model.Snapshot(c.Request.Context(), nil)
	if err != nil {
		return err
	}
	err = reports.Validate(in, reports.Lookups{
		Capability: func(code string) bool { _, ok := sn.Capability(code); return ok },
		Country:    func(iso3 string) bool { _, ok := sn.Country(iso3); return ok },
		Source:     sn.HasSource,
		Today:      today(),
	})
	if err != nil {
		return reportProblem(err)
	}
	outside, err := h.store.SitesOutside(c.Request.Context(), in)
	if err != nil {
		return err
	}
	if len(outside) > 0 {
		return invalidReport(outside)
	}
	return nil
}

func tooLarge(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &Problem{Type: "/problems/too-large", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body may be at most %d bytes", mb.Limit),
			Errors: []FieldError{{Field: "body", Reason: fmt.Sprintf("larger than %d bytes", mb.Limit)}}}
	}
	return err
}

// ifMatch reads the version If-Match names: 428 without it.
func ifMatch(c *gin.Context) (int, error) {
	v := c.GetHeader("If-Match")
	if v == "" {
		return 0, &Problem{Type: "/problems/precondition-required", Title: "Precondition required", Status: http.StatusPreconditionRequired,
			Detail: "send If-Match with the report's ETag", Errors: []FieldError{{Field: "If-Match", Reason: "required"}}}
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(strings.TrimSpace(v), "W/"), `"`))
	if err != nil || n < 1 {
		return -1, nil // matches no version: 412
	}
	return n, nil
}

func reportETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// idemScope is whose keys an Idempotency-Key lives among: the calling person
// or API key, within its organisation (so one caller can never be answered
// with another's response).
func idemScope(a store.ReportActor) string {
	return fmt.Sprintf("org:%d|user:%d|key:%d", a.OrgID, a.UserID, a.KeyID)
}

// writeReport runs fn once per Idempotency-Key and answers the report it
// returns (status 200 or 201), or replays the first answer to the key.
func (h *handler) writeReport(c *gin.Context, a store.ReportActor, body []byte, status int, fn func(tx *store.Store) (*store.Report, error)) error {
	var key *store.IdemKey
	if k := c.GetHeader("Idempotency-Key"); k != "" {
		if len(k) > 255 {
			return badParam("Idempotency-Key", "at most 255 characters")
		}
		sum := sha256.New()
		fmt.Fprintf(sum, "%s %s\n", c.Request.Method, c.Request.URL.Path)
		sum.Write(body)
		key = &store.IdemKey{Scope: idemScope(a), Key: k, RequestHash: hex.EncodeToString(sum.Sum(nil))}
	}
	resp, replayed, err := h.store.Idempotent(c.Request.Context(), key, func(tx *store.Store) (store.StoredResponse, error) {
		r, err := fn(tx)
		if err != nil {
			return store.StoredResponse{}, err
		}
		b, err := json.Marshal(reportOf(r))
		if err != nil {
			return store.StoredResponse{}, err
		}
		hdr := map[string]string{"ETag": reportETag(r.Version)}
		if status == http.StatusCreated {
			hdr["Location"] = fmt.Sprintf("/api/v1/reports/%d", r.ID)
		}
		return store.StoredResponse{Status: status, Headers: hdr, Body: b}, nil
	})
	if err != nil {
		return reportProblem(err)
	}
	for k, v := range resp.Headers {
		c.Header(k, v)
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Header("Cache-Control", "no-store")
	c.Data(resp.Status, jsonType, resp.Body)
	return nil
}

func (h *handler) createReport(c *gin.Context) error {
	a, err := reportActor(c, RolePartner)
	if err != nil {
		return err
	}
	in, raw, err := h.reportBody(c)
	if err != nil {
		return err
	}
	return h.writeReport(c, a, raw, http.StatusCreated, func(tx *store.Store) (*store.Report, error) {
		return tx.CreateReport(c.Request.Context(), a, in)
	})
}

func reportID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, badParam("id", "must be a positive integer")
	}
	return id, nil
}

// reportTarget is who is calling and which report a route on one report is
// about, checked in that order (a stranger learns nothing of the id).
func reportTarget(c *gin.Context) (store.ReportActor, int64, error) {
	a, err := reportActor(c, anyRole...)
	if err != nil {
		return a, 0, err
	}
	id, err := reportID(c)
	return a, id, err
}

// reportChange is reportTarget plus the If-Match version a change needs.
func reportChange(c *gin.Context) (store.ReportActor, int64, int, error) {
	a, id, err := reportTarget(c)
	if err != nil {
		return a, id, 0, err
	}
	version, err := ifMatch(c)
	return a, id, version, err
}

// readableReport loads the report of the route for a caller who may read it;
// any other caller is told there is no such report.
func (h *handler) readableReport(c *gin.Context) (store.ReportActor, *store.Report, error) {
	a, id, err := reportTarget(c)
	if err != nil {
		return a, nil, err
	}
	r, err := h.store.Report(c.Request.Context(), id)
	if err != nil {
		return a, r, reportProblem(err)
	}
	if !reports.MayRead(r.Status, a.Role, r.OrgID == a.OrgID) {
		return a, r, notFound("no such report")
	}
	return a, r, nil
}

func (h *handler) getReport(c *gin.Context) error {
	_, r, err := h.readableReport(c)
	if err != nil {
		return err
	}
	etag := reportETag(r.Version)
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	if inm := c.GetHeader("If-None-Match"); inm != "" && etagMatches(inm, etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	c.JSON(http.StatusOK, reportOf(r))
	return nil
}

func (h *handler) updateReport(c *gin.Context) error {
	a, id, version, err := reportChange(c)
	if err != nil {
		return err
	}
	in, raw, err := h.reportBody(c)
	if err != nil {
		return err
	}
	return h.writeReport(c, a, raw, http.StatusOK, func(tx *store.Store) (*store.Report, error) {
		return tx.UpdateReport(c.Request.Context(), id, version, a, in)
	})
}

type transitionIn struct {
	Comment      string `json:"comment"`
	ItemComments []struct {
		Pointer string `json:"pointer"`
		Comment string `json:"comment"`
	} `json:"item_comments"`
}

var itemPointer = regexp.MustCompile(`^/(assessments|sites|constraints)/(0|[1-9][0-9]{0,3})$`)

func (h *handler) transition(c *gin.Context) error {
	action := reports.Action(c.Param("action"))
	if !action.Known() {
		return notFound("no route " + c.Request.URL.Path)
	}
	a, id, version, err := reportChange(c)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return tooLarge(err)
	}
	var in transitionIn
	if len(bytes.TrimSpace(raw)) > 0 {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		if err := d.Decode(&in); err != nil {
			return invalidReport(reports.Errors{{Pointer: "", Reason: "not a transition body: " + err.Error()}})
		}
	}
	var items []store.ItemComment
	var fe reports.Errors
	for i, ic := range in.ItemComments {
		if !itemPointer.MatchString(ic.Pointer) {
			fe = append(fe, reports.FieldError{Pointer: reports.Pointer("item_comments", i, "pointer"),
				Reason: "must point at an item, like /assessments/0"})
		}
		if strings.TrimSpace(ic.Comment) == "" {
			fe = append(fe, reports.FieldError{Pointer: reports.Pointer("item_comments", i, "comment"), Reason: "required"})
		}
		items = append(items, store.ItemComment{Pointer: ic.Pointer, Body: ic.Comment})
	}
	if len(fe) > 0 {
		return invalidReport(fe)
	}
	err = h.writeReport(c, a, raw, http.StatusOK, func(tx *store.Store) (*store.Report, error) {
		return tx.Transition(c.Request.Context(), id, version, a, action, strings.TrimSpace(in.Comment), items)
	})
	if err == nil && action == reports.Accept {
		// Read your writes: this server's next reads answer from the revision
		// the accept made, without waiting for the notification.
		if rev, rerr := h.store.CurrentRevision(c.Request.Context()); rerr == nil {
			h.model.Advance(rev)
		}
	}
	return err
}

// listReports lists the reports the caller may see, newest first; the cursor
// holds the id of the last report of the previous page.
func (h *handler) listReports(c *gin.Context) error {
	a, err := reportActor(c, anyRole...)
	if err != nil {
		return err
	}
	if err := onlyParams(c, "status", "limit", "cursor"); err != nil {
		return err
	}
	status := reports.Status(c.Query("status"))
	if status != "" && !status.Valid() {
		return badParam("status", "must be draft, submitted, changes_requested, accepted or rejected")
	}
	limit, err := parseLimit(c, 50, 200)
	if err != nil {
		return err
	}
	fp := "reports|" + string(status)
	before, err := parseCursor(c, fp)
	if err != nil {
		return err
	}
	list, err := h.store.Reports(c.Request.Context(), store.ReportFilter{Status: status, Limit: limit + 1, Before: int64(before),
		Role: a.Role, OrgID: a.OrgID})
	if err != nil {
		return err
	}
	var next *string
	if len(list) > limit {
		list = list[:limit]
		s := "/api/v1/reports?" + nextQuery(c, encodeCursor(int(list[len(list)-1].ID), fp))
		next = &s
	}
	items := make([]reportSummaryOut, len(list))
	for i, r := range list {
		items[i] = reportSummaryOut{ID: r.ID, Country: r.Country, Period: reports.Period{From: r.From, To: r.To}, Status: r.Status,
			Org: reportOrg{r.OrgID, r.OrgName}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
			Counts: reportCounts{r.Assessments, r.Sites, r.Constraints, r.Sources}, LastComment: r.LastComment}
	}
	c.Header("Cache-Control", "private, no-cache")
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
	return nil
}

// nextQuery is the request's query with cursor replaced.
func nextQuery(c *gin.Context, cursor string) string {
	q := c.Request.URL.Query()
	q.Set("cursor", cursor)
	return q.Encode()
}

func (h *handler) reportTemplate(c *gin.Context) error {
	c.Header("Content-Disposition", `attachment; filename="report-template.csv"`)
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", reports.CSVTemplate())
	return nil
}

// uploadCSV adds the rows of a filled-in template to a draft: all of them,
// or none when any cell is wrong.
func (h *handler) uploadCSV(c *gin.Context) error {
	a, id, version, err := reportChange(c)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return tooLarge(err)
	}
	r, err := h.store.Report(c.Request.Context(), id)
	if err != nil {
		return reportProblem(err)
	}
	own := r.OrgID == a.OrgID
	switch {
	case !reports.MayRead(r.Status, a.Role, own):
		return notFound("no such report")
	case !reports.MayEdit(a.Role, own):
		return reportProblem(reports.ErrForbidden)
	case r.Version != version:
		return reportProblem(store.ErrPrecondition)
	case r.Status != reports.Draft:
		return reportProblem(reports.ErrIllegal)
	}
	imp, err := reports.ParseCSV(bytes.NewReader(raw))
	if err != nil {
		return csvProblem(err)
	}
	in := r.Content
	offsets := imp.Merge(&in)
	if err := h.validateReport(c, &in); err != nil {
		var p *Problem
		if errors.As(err, &p) && p.Type == "/problems/invalid-report" {
			fe := make(reports.Errors, len(p.Errors))
			for i, e := range p.Errors {
				fe[i] = reports.FieldError{Pointer: e.Field, Reason: e.Reason}
			}
			return csvProblem(imp.MapErrors(fe, offsets))
		}
		return err
	}
	return h.writeReport(c, a, raw, http.StatusOK, func(tx *store.Store) (*store.Report, error) {
		return tx.UpdateReport(c.Request.Context(), id, version, a, in)
	})
}

func csvProblem(err error) error {
	var ce reports.CSVErrors
	if !errors.As(err, &ce) {
		return err
	}
	p := &Problem{Type: "/problems/invalid-csv", Title: "Invalid CSV file", Status: http.StatusUnprocessableEntity,
		Detail: "nothing was imported: " + ce.Error()}
	for _, e := range ce {
		field := fmt.Sprintf("row %d, column %s", e.Row, e.Column)
		if e.Row == 0 {
			field = e.Column // an error of the report itself, by pointer
		}
		p.Cells = append(p.Cells, CellError{Field: field, Reason: e.Reason, Row: e.Row, Column: e.Column})
	}
	return p
}

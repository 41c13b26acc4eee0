package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/store"
)

// Admin routes (admin role only): organisations, people and the audit log.
// The work is package accounts'; these handlers parse and encode.

func byOf(a *Actor) accounts.By { return accounts.By{UserID: a.UserID, KeyID: a.KeyID} }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// accountFields maps package accounts' input names to the JSON pointers of
// the request bodies.
var accountFields = map[string]string{"organisation": "/organisation_id"}

// accountProblem maps the errors of package accounts to problems.
func accountProblem(err error) error {
	var inv *accounts.InvalidError
	var con *accounts.ConflictError
	field := func(f string) string {
		if p, ok := accountFields[f]; ok {
			return p
		}
		return "/" + f
	}
	switch {
	case errors.As(err, &inv):
		return invalidInput(FieldError{field(inv.Field), inv.Reason})
	case errors.As(err, &con):
		return conflict(field(con.Field), con.Reason)
	}
	return err
}

type organisationJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Named     bool      `json:"named"`
	CreatedAt time.Time `json:"created_at"`
}

// adminCall checks an admin-only call that takes no parameters and returns
// its admin.
func adminCall(c *gin.Context) (*Actor, error) {
	if err := noParams(c); err != nil {
		return nil, err
	}
	return needRole(c, RoleAdmin)
}

// adminBody is adminCall for a call with a JSON body, read into req.
func adminBody(c *gin.Context, req any) (*Actor, error) {
	a, err := adminCall(c)
	if err != nil {
		return nil, err
	}
	return a, readJSON(c, req)
}

// adminOn is adminCall for a call on the row of the path's id.
func adminOn(c *gin.Context) (*Actor, int64, error) {
	a, err := adminCall(c)
	if err != nil {
		return nil, 0, err
	}
	id, err := parseID(c.Param("id"))
	return a, id, err
}

// adminList answers an admin-only list that takes no parameters: every row
// of fetch, each as out makes it, never cached.
func adminList[T, J any](c *gin.Context, fetch func(context.Context) ([]T, error), out func(T) J) error {
	if _, err := adminCall(c); err != nil {
		return err
	}
	rows, err := fetch(c.Request.Context())
	if err != nil {
		return err
	}
	items := make([]J, len(rows))
	for i, r := range rows {
		items[i] = out(r)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func orgOut(o store.Organisation) organisationJSON {
	return organisationJSON{ID: o.ID, Name: o.Name, Named: o.Named, CreatedAt: o.CreatedAt.UTC()}
}

func (h *handler) listOrganisations(c *gin.Context) error {
	return adminList(c, h.store.Organisations, orgOut)
}

type organisationRequest struct {
	Name  *string `json:"name"`
	Named *bool   `json:"named"`
}

func (h *handler) createOrganisation(c *gin.Context) error {
	var req organisationRequest
	a, err := adminBody(c, &req)
	if err != nil {
		return err
	}
	if req.Name == nil {
		return invalidInput(FieldError{"/name", "is required"})
	}
	named := req.Named == nil || *req.Named
	o, err := h.accounts.CreateOrganisation(c.Request.Context(), byOf(a), *req.Name, named)
	if err != nil {
		return accountProblem(err)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, orgOut(o))
	return nil
}

type userJSON struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	Organisation *orgRef   `json:"organisation"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

func userOut(u store.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: Role(u.Role), Organisation: orgRefOf(u.OrgID, u.OrgName, u.OrgNamed),
		Disabled: u.Disabled, CreatedAt: u.CreatedAt.UTC()}
}

func (h *handler) listUsers(c *gin.Context) error { return adminList(c, h.store.Users, userOut) }

type userRequest struct {
	Email          *string `json:"email"`
	Name           *string `json:"name"`
	Role           *string `json:"role"`
	OrganisationID *int64  `json:"organisation_id"`
	Password       *string `json:"password"`
}

func (h *handler) createUser(c *gin.Context) error {
	var req userRequest
	a, err := adminBody(c, &req)
	if err != nil {
		return err
	}
	var errs []FieldError
	for _, f := range []struct {
		name    string
		missing bool
	}{{"/email", req.Email == nil}, {"/role", req.Role == nil}, {"/password", req.Password == nil}} {
		if f.missing {
			errs = append(errs, FieldError{f.name, "is required"})
		}
	}
	if len(errs) > 0 {
		return invalidInput(errs...)
	}
	u, err := h.accounts.CreateUser(c.Request.Context(), byOf(a), accounts.NewUser{Email: *req.Email, Name: deref(req.Name),
		Role: *req.Role, OrgID: deref(req.OrganisationID), Password: *req.Password})
	if err != nil {
		return accountProblem(err)
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/api/v1/admin/users/"+strconv.FormatInt(u.ID, 10))
	c.JSON(http.StatusCreated, userOut(u))
	return nil
}

type userPatch struct {
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
}

func (h *handler) updateUser(c *gin.Context) error {
	a, id, err := adminOn(c)
	if err != nil {
		return err
	}
	var req userPatch
	if err := readJSON(c, &req); err != nil {
		return err
	}
	if req.Role == nil && req.Disabled == nil {
		return invalidInput(FieldError{"body", "give role, disabled or both"})
	}
	u, err := h.accounts.UpdateUser(c.Request.Context(), byOf(a), id, store.UserChange{Role: req.Role, Disabled: req.Disabled})
	if isNotFound(err) {
		return notFound("no person has this id")
	}
	if err != nil {
		return accountProblem(err)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, userOut(u))
	return nil
}

type auditActor struct {
	UserID *int64  `json:"user_id"`
	KeyID  *int64  `json:"key_id"`
	Email  *string `json:"email"`
}

type auditJSON struct {
	ID             int64          `json:"id"`
	At             time.Time      `json:"at"`
	Actor          auditActor     `json:"actor"`
	OrganisationID *int64         `json:"organisation_id"`
	Action         string         `json:"action"`
	Subject        string         `json:"subject"`
	Detail         map[string]any `json:"detail"`
}

func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// listAudit pages through the audit log, newest first, filtered.
func (h *handler) listAudit(c *gin.Context) error {
	if err := onlyParams(c, "limit", "cursor", "action", "organisation_id", "actor", "since", "until"); err != nil {
		return err
	}
	if _, err := needRole(c, RoleAdmin); err != nil {
		return err
	}
	f, err := parseAuditFilter(c)
	if err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++ // one more row tells whether there is a next page
	rows, err := h.store.AuditLog(c.Request.Context(), f)
	if err != nil {
		return err
	}
	var next *string
	if len(rows) > limit {
		rows = rows[:limit]
		q := c.Request.URL.Query()
		link := nextLink(c.Request.URL.Path, q, encodeIDCursor(rows[limit-1].ID, auditFingerprint(q)))
		next = &link
	}
	items := make([]auditJSON, len(rows))
	for i, r := range rows {
		items[i] = auditJSON{ID: r.ID, At: r.At.UTC(), OrganisationID: nonZero(r.OrgID), Action: r.Action, Subject: r.Subject, Detail: r.Detail,
			Actor: auditActor{UserID: nonZero(r.ActorUserID), KeyID: nonZero(r.ActorKeyID), Email: nonZero(r.ActorEmail)}}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
	return nil
}

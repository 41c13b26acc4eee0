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

// API keys (admin only): GET /keys, POST /keys, DELETE /keys/{id}. The
// token is shown once, in the answer to POST; the database keeps its
// SHA-256 and its first characters (prefix) only.

type keyOrg struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type keyJSON struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Prefix       string     `json:"prefix"`
	Organisation keyOrg     `json:"organisation"`
	Role         Role       `json:"role"`
	CreatedAt    time.Time  `json:"created_at"`
	ExpiresAt    *time.Time `json:"expires_at"`
	RevokedAt    *time.Time `json:"revoked_at"`
	LastUsedAt   *time.Time `json:"last_used_at"`
	Token        string     `json:"token,omitempty"`
}

func keyOut(k store.APIKey) keyJSON {
	return keyJSON{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Organisation: keyOrg{k.OrgID, k.OrgName}, Role: Role(k.Role),
		CreatedAt: k.CreatedAt.UTC(), ExpiresAt: utcPtr(k.ExpiresAt), RevokedAt: utcPtr(k.RevokedAt), LastUsedAt: utcPtr(k.LastUsedAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// listKeys lists every key; the uses this server has not written yet are
// written first, so last_used_at is current here.
func (h *handler) listKeys(c *gin.Context) error {
	return adminList(c, func(ctx context.Context) ([]store.APIKey, error) {
		if err := h.keyUses.Flush(ctx); err != nil {
			return nil, err
		}
		return h.store.APIKeys(ctx)
	}, keyOut)
}

type keyRequest struct {
	Name           *string `json:"name"`
	OrganisationID *int64  `json:"organisation_id"`
	Role           *string `json:"role"`
	ExpiresAt      *string `json:"expires_at"`
}

// parseExpiry reads a date (the key expires at the start of that day, UTC)
// or an RFC 3339 time.
func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func (h *handler) createKey(c *gin.Context) error {
	var req keyRequest
	a, err := adminBody(c, &req)
	if err != nil {
		return err
	}
	var errs []FieldError
	if req.Name == nil {
		errs = append(errs, FieldError{"/name", "is required"})
	}
	if req.OrganisationID == nil {
		errs = append(errs, FieldError{"/organisation_id", "is required: the id of an organisation"})
	}
	if req.Role == nil {
		errs = append(errs, FieldError{"/role", "is required: partner or reviewer"})
	}
	n := accounts.NewKey{Name: deref(req.Name), OrgID: deref(req.OrganisationID), Role: deref(req.Role)}
	if req.ExpiresAt != nil {
		t, err := parseExpiry(*req.ExpiresAt)
		if err != nil {
			errs = append(errs, FieldError{"/expires_at", "must be a date (YYYY-MM-DD) or an RFC 3339 time"})
		}
		n.ExpiresAt = &t
	}
	if len(errs) > 0 {
		return invalidInput(errs...)
	}
	k, token, err := h.accounts.CreateKey(c.Request.Context(), byOf(a), n, time.Now())
	if err != nil {
		return accountProblem(err)
	}
	out := keyOut(k)
	out.Token = token
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/api/v1/keys/"+strconv.FormatInt(k.ID, 10))
	c.JSON(http.StatusCreated, out)
	return nil
}

func (h *handler) revokeKey(c *gin.Context) error {
	a, id, err := adminOn(c)
	if err != nil {
		return err
	}
	if _, err := h.accounts.RevokeKey(c.Request.Context(), byOf(a), id); err != nil {
		if isNotFound(err) {
			return notFound("no API key has this id")
		}
		return err
	}
	h.forgetKey(id) // refused from the next request on; other servers hear of it from the database
	c.Status(http.StatusNoContent)
	return nil
}

// parseID reads a positive integer id from the path.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, badParam("id", "must be a positive integer")
	}
	return id, nil
}

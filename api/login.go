package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
)

// The login routes: POST /auth/login, POST /auth/logout, GET /me,
// POST /me/password. Sessions live in the database (store.LiveSession); the
// browser holds only a random token in an HttpOnly, SameSite=Lax cookie.

type loginRequest struct {
	Email    *string `json:"email"`
	Password *string `json:"password"`
}

type meUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  Role   `json:"role"`
}

type meKey struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
}

type orgRef struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Named bool   `json:"named"`
}

type meSession struct {
	ExpiresAt     time.Time `json:"expires_at"`
	IdleExpiresAt time.Time `json:"idle_expires_at"`
}

// meJSON is the Me document: who is calling, for the web app and apps.
type meJSON struct {
	User         *meUser    `json:"user"`
	Key          *meKey     `json:"key"`
	Organisation *orgRef    `json:"organisation"`
	Session      *meSession `json:"session"`
}

func orgRefOf(id int64, name string, named bool) *orgRef {
	if id == 0 {
		return nil
	}
	return &orgRef{ID: id, Name: name, Named: named}
}

// dummyHash is verified against when a login names no account, so that an
// unknown email costs the same argon2id work as a wrong password.
func (h *handler) dummyHash() string {
	h.dummyOnce.Do(func() {
		h.dummy, _ = credential.Hash("no account has this password", h.auth.Password)
	})
	return h.dummy
}

// login checks an email and password and starts a session. A wrong email
// and a wrong password get the same answer after the same work.
func (h *handler) login(c *gin.Context) error {
	if err := noParams(c); err != nil {
		return err
	}
	var req loginRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	if req.Email == nil || strings.TrimSpace(*req.Email) == "" {
		errs = append(errs, FieldError{"/email", "is required"})
	} else if len(*req.Email) > 320 {
		errs = append(errs, FieldError{"/email", "is longer than 320 characters"})
	}
	if req.Password == nil || *req.Password == "" {
		errs = append(errs, FieldError{"/password", "is required"})
	} else if len(*req.Password) > credential.MaxPasswordLength {
		errs = append(errs, FieldError{"/password", "is longer than 1024 bytes"})
	}
	if len(errs) > 0 {
		return invalidInput(errs...)
	}
	ctx := c.Request.Context()
	email, ip, now := strings.ToLower(strings.TrimSpace(*req.Email)), c.ClientIP(), time.Now()
	if p := h.logins.blocked(email, ip, now); p != nil {
		return p
	}
	u, err := h.store.UserByEmail(ctx, email)
	if err != nil && !isNotFound(err) {
		return err
	}
	hash, reason := u.PasswordHash, ""
	if u.ID == 0 {
		hash, reason = h.dummyHash(), "unknown email"
	}
	ok, verr, err := h.verify(ctx, *req.Password, hash)
	if err != nil {
		return err
	}
	switch {
	case verr != nil:
		h.log.Error("stored password hash unreadable", "user_id", u.ID, "err", verr)
		reason = "unreadable password hash"
	case reason == "" && !ok:
		reason = "wrong password"
	case reason == "" && u.Disabled:
		reason = "account disabled"
	}
	if reason != "" {
		h.logins.failed(email, ip, now)
		detail := map[string]any{"email": email, "ip": ip, "reason": reason}
		if err := h.store.Audit(ctx, nil, store.AuditEntry{ActorUserID: u.ID, OrgID: u.OrgID, Action: "login.failed", Subject: email, Detail: detail}); err != nil {
			return err
		}
		return &Problem{Type: "/problems/login-failed", Title: "Login failed", Status: http.StatusUnauthorized,
			Detail: "the email or the password is wrong"}
	}
	return h.startSession(c, u)
}

// verify checks a password against a hash, at most passwordSlots at once:
// each check takes about 19 MiB and a core for a tenth of a second, so a
// burst of logins queues here instead of exhausting memory. err is set
// when the request ends while waiting.
func (h *handler) verify(ctx context.Context, password, hash string) (ok bool, malformed, err error) {
	select {
	case h.passwordSlots <- struct{}{}:
	case <-ctx.Done():
		return false, nil, ctx.Err()
	}
	defer func() { <-h.passwordSlots }()
	ok, malformed = credential.Verify(password, hash)
	return ok, malformed, nil
}

// startSession records a new session for u, sets its cookie and answers Me.
func (h *handler) startSession(c *gin.Context, u store.User) error {
	ctx := c.Request.Context()
	token, err := credential.NewSessionToken()
	if err != nil {
		return err
	}
	hash, expires := credential.TokenHash(token), time.Now().Add(h.auth.SessionMax)
	err = h.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.CreateSession(ctx, hash, u.ID, expires); err != nil {
			return err
		}
		return tx.Audit(ctx, nil, store.AuditEntry{ActorUserID: u.ID, OrgID: u.OrgID, Action: "login", Subject: u.Email,
			Detail: map[string]any{"ip": c.ClientIP()}})
	})
	if err != nil {
		return err
	}
	h.setSessionCookie(c, token, h.auth.SessionMax)
	now := time.Now()
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, meJSON{
		User:         &meUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: Role(u.Role)},
		Organisation: orgRefOf(u.OrgID, u.OrgName, u.OrgNamed),
		Session:      &meSession{ExpiresAt: expires.UTC().Truncate(time.Second), IdleExpiresAt: now.Add(h.auth.SessionIdle).UTC().Truncate(time.Second)},
	})
	return nil
}

// setSessionCookie sets (maxAge > 0) or clears (maxAge < 0) the session cookie.
func (h *handler) setSessionCookie(c *gin.Context, token string, maxAge time.Duration) {
	ck := &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: h.auth.CookieSecure || c.Request.TLS != nil, MaxAge: int(maxAge.Seconds())}
	if maxAge < 0 {
		ck.MaxAge = -1
	}
	http.SetCookie(c.Writer, ck)
}

// logout ends the caller's session and clears the cookie; without a live
// session it only clears the cookie. An API key has no session to end.
func (h *handler) logout(c *gin.Context) error {
	if err := noParams(c); err != nil {
		return err
	}
	st := authStateOf(c)
	if st != nil && st.bearer {
		return forbidden("an API key has no session; revoke the key instead")
	}
	if a := actorOf(c); a != nil && st.sessionHash != nil {
		ctx := c.Request.Context()
		err := h.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.EndSession(ctx, st.sessionHash); err != nil {
				return err
			}
			return tx.Audit(ctx, nil, store.AuditEntry{ActorUserID: a.UserID, OrgID: a.OrgID, Action: "logout", Subject: a.Email})
		})
		if err != nil {
			return err
		}
	}
	h.setSessionCookie(c, "", -1)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusNoContent)
	return nil
}

// me answers who is calling.
func (h *handler) me(c *gin.Context) error {
	if err := noParams(c); err != nil {
		return err
	}
	a, err := needRole(c)
	if err != nil {
		return err
	}
	out := meJSON{Organisation: orgRefOf(a.OrgID, a.OrgName, a.OrgNamed)}
	if a.KeyID != 0 {
		out.Key = &meKey{ID: a.KeyID, Name: a.KeyName, Role: a.Role}
	} else {
		st := authStateOf(c)
		u := st.user
		out.User = &meUser{ID: u.ID, Email: u.Email, Name: u.Name, Role: Role(u.Role)}
		out.Session = &meSession{ExpiresAt: st.expiresAt.UTC().Truncate(time.Second), IdleExpiresAt: st.idleUntil.UTC().Truncate(time.Second)}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
	return nil
}

type passwordRequest struct {
	Current *string `json:"current"`
	New     *string `json:"new"`
}

// changePassword sets a new password for the logged-in person, who must
// give the current one; every other session of theirs ends.
func (h *handler) changePassword(c *gin.Context) error {
	if err := noParams(c); err != nil {
		return err
	}
	a, err := needRole(c)
	if err != nil {
		return err
	}
	if a.UserID == 0 {
		return forbidden("an API key has no password")
	}
	var req passwordRequest
	if err := readJSON(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	if req.Current == nil || *req.Current == "" {
		errs = append(errs, FieldError{"/current", "is required"})
	}
	if req.New == nil {
		errs = append(errs, FieldError{"/new", "is required"})
	} else if reason := credential.CheckPassword(*req.New); reason != "" {
		errs = append(errs, FieldError{"/new", reason})
	} else if req.Current != nil && *req.New == *req.Current {
		errs = append(errs, FieldError{"/new", "must differ from the current password"})
	}
	if len(errs) > 0 {
		return invalidInput(errs...)
	}
	ctx, ip, now := c.Request.Context(), c.ClientIP(), time.Now()
	if p := h.logins.blocked(a.Email, ip, now); p != nil {
		return p
	}
	u, err := h.store.User(ctx, a.UserID)
	if err != nil {
		return err
	}
	ok, verr, err := h.verify(ctx, *req.Current, u.PasswordHash)
	if err != nil {
		return err
	}
	if verr != nil || !ok {
		h.logins.failed(a.Email, ip, now)
		return invalidInput(FieldError{"/current", "is not your current password"})
	}
	hash, err := credential.Hash(*req.New, h.auth.Password)
	if err != nil {
		return err
	}
	st := authStateOf(c)
	err = h.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, st.sessionHash); err != nil {
			return err
		}
		return tx.Audit(ctx, nil, store.AuditEntry{ActorUserID: u.ID, OrgID: u.OrgID, Action: "password.change", Subject: u.Email})
	})
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusNoContent)
	return nil
}

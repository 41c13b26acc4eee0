package api

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/scs-diffusion/tracker/store"
)

// Role is what an actor may do: admin (organisations, users, keys),
// reviewer (reviews reports of other organisations), partner (writes its
// organisation's reports).
type Role string

// The three roles.
const (
	RoleAdmin    Role = "admin"
	RoleReviewer Role = "reviewer"
	RolePartner  Role = "partner"
)

// Actor is who is calling: a logged-in person (session) or an app (API key).
type Actor struct {
	UserID   int64 // 0 for an API key
	KeyID    int64 // 0 for a session
	OrgID    int64 // 0: an admin of no organisation
	OrgName  string
	OrgNamed bool // the organisation's name may be published
	Role     Role
	Email    string // "" for a key
	KeyName  string // "" for a session
}

// authKey is where the auth middleware leaves the request's authState.
const authKey = "tracker.auth"

// authState is what the auth middleware learnt about a request. A bearer
// token is checked before any handler runs (a bad one is refused on every
// route); a session
// cookie only when a handler asks who is calling, so public reads with a
// cookie cost no database work.
type authState struct {
	bearer  bool // an Authorization header was sent: the cookie is ignored
	lookup  bool // the key is not in memory: resolving it costs a database round trip
	once    sync.Once
	resolve func() (*Actor, error) // nil: anonymous
	actor   *Actor
	err     error // why the credentials sent do not identify anyone, or a store error

	user        store.User // the session's person, when by cookie
	sessionHash []byte     // the session's token hash, when by cookie
	expiresAt   time.Time  // the session's absolute expiry
	idleUntil   time.Time  // when the session expires if unused
}

func (st *authState) get() (*Actor, error) {
	st.once.Do(func() {
		if st.resolve != nil {
			st.actor, st.err = st.resolve()
		}
	})
	return st.actor, st.err
}

func authStateOf(c *gin.Context) *authState {
	if v, ok := c.Get(authKey); ok {
		return v.(*authState)
	}
	return nil
}

// actorOf is who is calling, nil when anonymous (or when the credentials
// sent are not valid: only needRole tells why).
func actorOf(c *gin.Context) *Actor {
	st := authStateOf(c)
	if st == nil {
		return nil
	}
	a, err := st.get()
	if err != nil {
		return nil
	}
	return a
}

// needRole answers the 401 problem (/problems/unauthenticated) when
// anonymous, the 403 problem (/problems/forbidden) when the role is not among
// roles (no roles: any authenticated actor).
func needRole(c *gin.Context, roles ...Role) (*Actor, error) {
	var a *Actor
	if st := authStateOf(c); st != nil {
		var err error
		if a, err = st.get(); err != nil {
			return nil, err
		}
	}
	if a == nil {
		return nil, unauthenticated("log in, or send an API key as Authorization: Bearer <token>")
	}
	if len(roles) > 0 && !slices.Contains(roles, a.Role) {
		names := make([]string, len(roles))
		for i, r := range roles {
			names[i] = string(r)
		}
		return nil, forbidden("this needs the role " + strings.Join(names, " or ") + "; you are " + string(a.Role))
	}
	return a, nil
}

// unauthenticated is the 401 for a request that needs credentials.
func unauthenticated(detail string) *Problem {
	return &Problem{Type: "/problems/unauthenticated", Title: "Authentication required", Status: http.StatusUnauthorized, Detail: detail}
}

// forbidden is the 403 for an actor whose role does not allow the request.
func forbidden(detail string) *Problem {
	return &Problem{Type: "/problems/forbidden", Title: "Forbidden", Status: http.StatusForbidden, Detail: detail}
}

// actorFromUser is the actor of a person's session.
func actorFromUser(u store.User) *Actor {
	return &Actor{UserID: u.ID, OrgID: u.OrgID, OrgName: u.OrgName, OrgNamed: u.OrgNamed, Role: Role(u.Role), Email: u.Email}
}

// actorFromKey is the actor of an API key.
func actorFromKey(k store.APIKey) *Actor {
	return &Actor{KeyID: k.ID, OrgID: k.OrgID, OrgName: k.OrgName, OrgNamed: k.OrgNamed, Role: Role(k.Role), KeyName: k.Name}
}

package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/accounts"
	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// BenchmarkAuth measures what authentication costs a request through the
// real router and database (figures in docs/performance.md): a public read
// anonymously, with an API key and with a session cookie (which a public
// read never looks up), GET /me by key and by session, and a login with the
// production argon2id parameters.
func BenchmarkAuth(b *testing.B) {
	db := storetest.New(b)
	router := newRouter(b, db, func(d *api.Deps) { d.Auth.Password = credential.DefaultParams })
	svc := &accounts.Service{Store: db.Store}
	ctx := context.Background()
	org, _ := svc.CreateOrganisation(ctx, accounts.By{}, "Bench", true)
	if _, err := svc.CreateUser(ctx, accounts.By{}, accounts.NewUser{Email: "b@example.org", Role: "partner", OrgID: org.ID, Password: testPassword}); err != nil {
		b.Fatal(err)
	}
	_, key, _ := svc.CreateKey(ctx, accounts.By{}, accounts.NewKey{Name: "k", OrgID: org.ID, Role: "partner"}, time.Now())
	serve := func(method, path, body string, headers ...string) *httptest.ResponseRecorder {
		var req *http.Request
		if body != "" {
			req = httptest.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequest(method, path, nil)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		router.ServeHTTP(w, req)
		return w
	}
	login := `{"email":"b@example.org","password":"` + testPassword + `"}`
	w := serve("POST", "/api/v1/auth/login", login)
	var cookie string
	for _, c := range w.Result().Cookies() {
		cookie = c.Name + "=" + c.Value
	}
	serve("GET", "/api/v1/pillars", "") // warm the response cache
	for _, bc := range []struct {
		name, method, path, body string
		headers                  []string
		want                     int
	}{
		{"public read, anonymous", "GET", "/api/v1/pillars", "", nil, 200},
		{"public read, key", "GET", "/api/v1/pillars", "", []string{"Authorization", "Bearer " + key}, 200},
		{"public read, session cookie", "GET", "/api/v1/pillars", "", []string{"Cookie", cookie}, 200},
		{"me, key", "GET", "/api/v1/me", "", []string{"Authorization", "Bearer " + key}, 200},
		{"me, session", "GET", "/api/v1/me", "", []string{"Cookie", cookie}, 200},
		{"login", "POST", "/api/v1/auth/login", login, nil, 200},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if w := serve(bc.method, bc.path, bc.body, bc.headers...); w.Code != bc.want {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// reportKeys makes organisations A and B and API keys for a partner of A
// and a reviewer of B; it returns their Authorization header values.
func reportKeys(t *testing.T, db *storetest.DB) (partnerA, reviewerB string) {
	t.Helper()
	ctx := context.Background()
	key := func(org, role string) string {
		var id int64
		if err := db.Store.Pool().QueryRow(ctx, `INSERT INTO organisation (name) VALUES ($1)
			ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, org).Scan(&id); err != nil {
			t.Fatal(err)
		}
		tok, err := credential.NewKeyToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Store.CreateAPIKey(ctx, store.NewAPIKey{Name: role, Hash: credential.TokenHash(tok), Prefix: tok[:10],
			OrgID: id, Role: role}); err != nil {
			t.Fatal(err)
		}
		return "Bearer " + tok
	}
	return key("Org A", "partner"), key("Org B", "reviewer")
}

// call sends one request and returns status, ETag and body (status 0 on a transport error).
func call(client *http.Client, method, url, auth, body string, headers ...string) (int, string, []byte) {
	req, err := http.NewRequest(method, url, bytes.NewBufferString(body))
	if err != nil {
		return 0, "", nil
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, "", []byte(err.Error())
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("ETag"), b
}

// TestReportCreationsSurviveSIGKILL: 100 clients create reports with
// idempotency keys; the server is killed with SIGKILL mid-way and started
// again; the clients retry until they get an answer. Every key ends with
// exactly one report, and each client got that report's id.
func TestReportCreationsSurviveSIGKILL(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	partner, _ := reportKeys(t, db)
	srv := startServer(t, "DATABASE_URL="+db.URL)
	var base atomic.Value
	base.Store(srv.base)
	const n = 100
	client := &http.Client{Timeout: 10 * time.Second}
	ids := make([]int64, n)
	var done atomic.Int32
	var wg sync.WaitGroup
	deadline := time.Now().Add(2 * time.Minute)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 15 * time.Millisecond) // spread the creations over the kill
			body := fmt.Sprintf(`{"country":"VEN","period":{"from":"2020-01-01","to":"2021-01-01"},"narrative":"client %d"}`, i)
			for time.Now().Before(deadline) {
				status, _, b := call(client, http.MethodPost, base.Load().(string)+"/api/v1/reports", partner, body,
					"Idempotency-Key", fmt.Sprintf("crash-%d", i))
				switch {
				case status == http.StatusCreated:
					var r struct{ ID int64 }
					if err := json.Unmarshal(b, &r); err != nil || r.ID == 0 {
						t.Errorf("client %d: %s", i, b)
						return
					}
					ids[i] = r.ID
					done.Add(1)
					return
				case status == 0 || status >= 500: // the server is down or restarting: retry
					time.Sleep(50 * time.Millisecond)
				default:
					t.Errorf("client %d: %d %s", i, status, b)
					return
				}
			}
			t.Errorf("client %d: no answer before the deadline", i)
		}()
	}
	for done.Load() < 30 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.cmd.Wait()
	killedAt := done.Load()
	restarted := startServer(t, "DATABASE_URL="+db.URL)
	base.Store(restarted.base)
	wg.Wait()
	t.Logf("killed after %d of %d creations had been answered", killedAt, n)
	if killedAt >= n {
		t.Errorf("every creation was answered before the kill: the test proved nothing")
	}
	seen := map[int64]int{}
	for i, id := range ids {
		if id == 0 {
			t.Errorf("client %d got no report", i)
		} else if j, dup := seen[id]; dup {
			t.Errorf("clients %d and %d got the same report %d", j, i, id)
		}
		seen[id] = i
	}
	ctx := context.Background()
	var reports, keys int
	if err := db.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM report`).Scan(&reports); err != nil {
		t.Fatal(err)
	}
	if err := db.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM idempotency_key`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if reports != n || keys != n {
		t.Errorf("%d reports and %d idempotency keys for %d clients", reports, keys, n)
	}
	// Each key's kept answer names the report its client got.
	for i, id := range ids {
		var kept int64
		err := db.Store.Pool().QueryRow(ctx, `SELECT (convert_from(body, 'UTF8')::jsonb->>'id')::bigint FROM idempotency_key WHERE key = $1`,
			fmt.Sprintf("crash-%d", i)).Scan(&kept)
		if err != nil || kept != id {
			t.Errorf("key crash-%d keeps report %d (%v), its client got %d", i, kept, err, id)
		}
	}
}

// TestAcceptedReportReachesTheOtherServer: two servers on one database; a
// report accepted through one shows in the other's /api/v1/index within a
// second (LISTEN/NOTIFY; polled, with a generous deadline for a loaded machine).
func TestAcceptedReportReachesTheOtherServer(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	partner, reviewer := reportKeys(t, db)
	ctx := context.Background()
	// A country with no assessment at all, and a capability China has.
	var country, capability string
	if err := db.Store.Pool().QueryRow(ctx, `SELECT iso3 FROM country WHERE iso3 NOT IN (SELECT country FROM assessment)
		ORDER BY iso3 LIMIT 1`).Scan(&country); err != nil {
		t.Fatal(err)
	}
	if err := db.Store.Pool().QueryRow(ctx, `SELECT capability FROM assessment WHERE country = 'CHN' AND level > 0
		ORDER BY id LIMIT 1`).Scan(&capability); err != nil {
		t.Fatal(err)
	}
	a := startServer(t, "DATABASE_URL="+db.URL)
	b := startServer(t, "DATABASE_URL="+db.URL)
	levelOn := func(s *server) (int, bool) {
		res, err := http.Get(s.base + "/api/v1/index")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var idx struct {
			Countries []struct {
				ISO3   string
				Levels map[string]int
			}
		}
		if err := json.NewDecoder(res.Body).Decode(&idx); err != nil {
			t.Fatal(err)
		}
		for _, c := range idx.Countries {
			if c.ISO3 == country {
				l, ok := c.Levels[capability]
				return l, ok
			}
		}
		return 0, false
	}
	if l, ok := levelOn(b); ok {
		t.Fatalf("%s already has %s at %d", country, capability, l)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	body := fmt.Sprintf(`{"country":%q,"period":{"from":"2020-01-01","to":"2024-01-01"},"assessments":[{"capability":%q,"level":2,
		"valid_from":"2021-01-01","confidence":"M","summary":"pilot","sources":[{"url":"https://example.org/two-servers","title":"T","publisher":"P","published":"2021-02-01"}]}]}`,
		country, capability)
	status, etag, out := call(client, http.MethodPost, a.base+"/api/v1/reports", partner, body)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, out)
	}
	var r struct{ ID int64 }
	_ = json.Unmarshal(out, &r)
	url := fmt.Sprintf("%s/api/v1/reports/%d", a.base, r.ID)
	if status, etag, out = call(client, http.MethodPost, url+"/submit", partner, "", "If-Match", etag); status != 200 {
		t.Fatalf("submit: %d %s", status, out)
	}
	if status, _, out = call(client, http.MethodPost, url+"/accept", reviewer, "", "If-Match", etag); status != 200 {
		t.Fatalf("accept: %d %s", status, out)
	}
	accepted := time.Now()
	if l, ok := levelOn(a); !ok || l != 2 {
		t.Errorf("the accepting server's next /index: level %d, %v", l, ok)
	}
	for {
		if l, ok := levelOn(b); ok && l == 2 {
			break
		}
		if time.Since(accepted) > 5*time.Second {
			t.Fatalf("the other server's /index does not show the report 5 s after the accept")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("the other server's /index showed the accepted report %v after the accept returned", time.Since(accepted).Round(time.Millisecond))
}

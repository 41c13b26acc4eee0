// Command loadreports measures the partner workflow under load, for
// docs/performance.md ("Partner reports under load"): report submissions
// (create + submit) and acceptances per second with concurrent clients, and
// the time from an accept to the new /api/v1/index being served by the
// accepting server and by a second server on the same database.
//
// It needs a database it may fill (it runs `tracker ingest` on it) and the
// tracker binary; it starts two servers itself. See scripts/load-reports.sh.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scs-diffusion/tracker/credential"
	"github.com/scs-diffusion/tracker/store"
)

func main() {
	dbURL := flag.String("db", os.Getenv("DATABASE_URL"), "database to load and write (its data is changed)")
	bin := flag.String("bin", "bin/tracker", "tracker binary")
	workers := flag.Int("workers", 16, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "length of the submission phase")
	samples := flag.Int("samples", 20, "accepts timed until the new index is served")
	flag.Parse()
	if *dbURL == "" {
		log.Fatal("loadreports: -db or DATABASE_URL is required")
	}
	ctx := context.Background()
	run(exec.Command(*bin, "ingest"), *dbURL)
	s, err := store.Open(ctx, *dbURL, store.Options{MaxConns: 4})
	if err != nil {
		log.Fatal(err)
	}
	partner, reviewer := keys(ctx, s)
	pairs := pairs(ctx, s)
	a, stopA := serve(*bin, *dbURL)
	defer stopA()
	b, stopB := serve(*bin, *dbURL)
	defer stopB()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *workers * 2}}

	// 1. Submissions: create + submit, as fast as the clients can.
	var seq atomic.Int64
	type submitted struct {
		id   int64
		pair [2]string
	}
	var mu sync.Mutex
	var ready []submitted
	var lat []time.Duration
	var failed atomic.Int64
	end := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				i := seq.Add(1)
				p := pairs[int(i)%len(pairs)]
				start := time.Now()
				st, etag, body := call(client, "POST", a+"/api/v1/reports", partner, reportBody(p, i))
				if st != 201 {
					failed.Add(1)
					log.Printf("create: %d %.200s", st, body)
					continue
				}
				var r struct{ ID int64 }
				_ = json.Unmarshal(body, &r)
				if st, _, body = call(client, "POST", fmt.Sprintf("%s/api/v1/reports/%d/submit", a, r.ID), partner, "", "If-Match", etag); st != 200 {
					failed.Add(1)
					log.Printf("submit: %d %.200s", st, body)
					continue
				}
				mu.Lock()
				ready = append(ready, submitted{r.ID, p})
				lat = append(lat, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Printf("| submissions (create + submit), %d clients, %s | %.0f per second | p50 %s, p99 %s | %d failed |\n",
		*workers, *duration, float64(len(ready))/duration.Seconds(), pct(lat, 50), pct(lat, 99), failed.Load())

	// 2. Acceptances: the submitted reports, all but the timed samples, accepted concurrently.
	if len(ready) <= *samples {
		log.Fatalf("only %d reports submitted", len(ready))
	}
	timed, bulk := ready[:*samples], ready[*samples:]
	var next atomic.Int64
	var conflicts, acceptFailed atomic.Int64
	lat = nil
	start := time.Now()
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(bulk) {
					return
				}
				t0 := time.Now()
				st, _, body := call(client, "POST", fmt.Sprintf("%s/api/v1/reports/%d/accept", a, bulk[k].id), reviewer, "", "If-Match", `"2"`)
				switch st {
				case 200:
					mu.Lock()
					lat = append(lat, time.Since(t0))
					mu.Unlock()
				case 409:
					conflicts.Add(1)
				default:
					acceptFailed.Add(1)
					log.Printf("accept: %d %.200s", st, body)
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	fmt.Printf("| acceptances, %d clients, %d reports | %.0f per second | p50 %s, p99 %s | %d conflicts (409), %d failed |\n",
		*workers, len(bulk), float64(len(lat))/took.Seconds(), pct(lat, 50), pct(lat, 99), conflicts.Load(), acceptFailed.Load())

	// 3. Accept → new index served, on the accepting server and on the other one.
	var onA, onB []time.Duration
	for _, r := range timed {
		st, _, body := call(client, "POST", fmt.Sprintf("%s/api/v1/reports/%d/accept", a, r.id), reviewer, "", "If-Match", `"2"`)
		accepted := time.Now()
		if st != 200 {
			log.Printf("timed accept: %d %.200s", st, body)
			continue
		}
		var da, db time.Duration
		var w2 sync.WaitGroup
		for _, x := range []struct {
			base string
			out  *time.Duration
		}{{a, &da}, {b, &db}} {
			w2.Add(1)
			go func() {
				defer w2.Done()
				for time.Since(accepted) < 10*time.Second {
					if levelIs(client, x.base, r.pair, 4) {
						*x.out = time.Since(accepted)
						return
					}
					time.Sleep(2 * time.Millisecond)
				}
				*x.out = -1
			}()
		}
		w2.Wait()
		onA, onB = append(onA, da), append(onB, db)
	}
	fmt.Printf("| accept → new /index, accepting server, %d samples | | p50 %s, max %s | |\n", len(onA), pct(onA, 50), pct(onA, 100))
	fmt.Printf("| accept → new /index, other server (LISTEN/NOTIFY), %d samples | | p50 %s, max %s | |\n", len(onB), pct(onB, 50), pct(onB, 100))
}

// reportBody proposes level 4 for one (country, capability) with one new source.
func reportBody(p [2]string, i int64) string {
	return fmt.Sprintf(`{"country":%q,"period":{"from":"2020-01-01","to":"2025-01-01"},"narrative":"load %d",
		"assessments":[{"capability":%q,"level":4,"valid_from":"2022-01-01","confidence":"H","summary":"load test",
		"sources":[{"url":"https://example.org/load/%d","title":"Load %d","publisher":"Load","published":"2022-01-01"}]}]}`, p[0], i, p[1], i, i)
}

func levelIs(client *http.Client, base string, p [2]string, want int) bool {
	res, err := client.Get(base + "/api/v1/index")
	if err != nil {
		return false
	}
	defer res.Body.Close()
	var idx struct {
		Countries []struct {
			ISO3   string
			Levels map[string]int
		}
	}
	if json.NewDecoder(res.Body).Decode(&idx) != nil {
		return false
	}
	for _, c := range idx.Countries {
		if c.ISO3 == p[0] {
			return c.Levels[p[1]] == want
		}
	}
	return false
}

// pairs lists (country, capability) pairs with no level-4 row, so each report changes the index.
func pairs(ctx context.Context, s *store.Store) [][2]string {
	rows, err := s.Pool().Query(ctx, `SELECT c.iso3, k.code FROM country c CROSS JOIN capability k
		WHERE NOT EXISTS (SELECT 1 FROM assessment a WHERE a.country = c.iso3 AND a.capability = k.code AND a.level = 4)
		ORDER BY md5(c.iso3 || k.code)`)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var p [2]string
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			log.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func keys(ctx context.Context, s *store.Store) (partner, reviewer string) {
	key := func(org, role string) string {
		var id int64
		if err := s.Pool().QueryRow(ctx, `INSERT INTO organisation (name) VALUES ($1)
			ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, org).Scan(&id); err != nil {
			log.Fatal(err)
		}
		tok, err := credential.NewKeyToken()
		if err != nil {
			log.Fatal(err)
		}
		if _, err := s.CreateAPIKey(ctx, store.NewAPIKey{Name: "load " + role, Hash: credential.TokenHash(tok), Prefix: tok[:10], OrgID: id, Role: role}); err != nil {
			log.Fatal(err)
		}
		return "Bearer " + tok
	}
	return key("Load partners", "partner"), key("Load reviewers", "reviewer")
}

func serve(bin, dbURL string) (string, func()) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "serve", "--skip-migrate")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, fmt.Sprintf("PORT=%d", port), "METRICS_ADDR=", "RATE_LIMIT=0", "LOG_LEVEL=warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			log.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
}

func run(cmd *exec.Cmd, dbURL string) {
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s: %v\n%s", cmd, err, out)
	}
}

func call(client *http.Client, method, url, auth, body string, headers ...string) (int, string, []byte) {
	req, _ := http.NewRequest(method, url, bytes.NewBufferString(body))
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

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := min(len(s)-1, len(s)*p/100)
	return s[i].Round(100 * time.Microsecond)
}

// Command openloop sends the public read mix of scripts/load-mix.lua at a
// fixed arrival rate (open loop), through at most -conns connections, and
// prints the latency percentiles, each measured from the moment the request
// was due, not from when a free connection sent it: a request that waits for
// a connection counts its wait (no coordinated omission).
//
// wrk is closed loop: 256 connections each send the next request as soon as
// the last one is answered, so on a saturated machine latency is only
// 256 ÷ throughput plus the scheduler's tail, whatever the server does. At a
// fixed rate below saturation the percentiles say what a client sees under
// that load. scripts/load.sh runs it at fractions of the closed-loop rate.
//
//	go run ./scripts/openloop -url http://127.0.0.1:8080 -rate 5000 -duration 20s
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

// The mix, as in scripts/load-mix.lua: about 30 % of requests for as_of or
// weights combinations nobody asked before.
var cached = []string{
	"/api/v1/index", "/api/v1/index", "/api/v1/index", "/api/v1/index?as_of=2018-12-31",
	"/api/v1/geo/countries.geojson", "/api/v1/countries", "/api/v1/capabilities", "/api/v1/pillars",
	"/api/v1/countries/CHN", "/api/v1/countries/VEN", "/api/v1/countries/RUS", "/api/v1/countries/IRN",
	"/api/v1/countries/USA", "/api/v1/countries/ECU", "/api/v1/sites", "/api/v1/compare?iso3=RUS,IRN",
	"/api/v1/assessments?limit=100", "/api/v1/countries/CHN/history",
}

var countries = []string{"CHN", "VEN", "RUS", "IRN", "USA", "ECU", "KEN", "UGA", "SRB", "TUR", "EGY", "IND"}

func path(r *rand.Rand, uncached float64) string {
	if r.Float64() >= uncached {
		return cached[r.IntN(len(cached))]
	}
	if r.Float64() < 0.5 {
		return fmt.Sprintf("/api/v1/index?weights=identity:%.2f,sanctions:%d", float64(r.IntN(99999)+1)/100, r.IntN(9)+1)
	}
	return fmt.Sprintf("/api/v1/countries/%s?as_of=%d-%02d-%02d", countries[r.IntN(len(countries))],
		2013+r.IntN(13), 1+r.IntN(12), 1+r.IntN(28))
}

type job struct {
	due  time.Time
	path string
}

type result struct {
	latency time.Duration
	status  int
	err     bool
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server")
	rate := flag.Float64("rate", 1000, "requests per second")
	duration := flag.Duration("duration", 20*time.Second, "how long to send")
	conns := flag.Int("conns", 256, "connections at most (one request in flight on each)")
	uncached := flag.Float64("uncached", 0.3, "share of requests for combinations nobody asked before")
	flag.Parse()
	if *rate <= 0 || *conns <= 0 || *duration <= 0 {
		fmt.Fprintln(os.Stderr, "openloop: -rate, -conns and -duration must be positive")
		os.Exit(2)
	}

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}}
	total := int(*rate * duration.Seconds())
	jobs := make(chan job, total)
	results := make(chan result, total)
	var wg sync.WaitGroup
	for range *conns {
		wg.Go(func() {
			for j := range jobs {
				req, _ := http.NewRequest(http.MethodGet, *base+j.path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				res, err := client.Do(req)
				if err != nil {
					results <- result{latency: time.Since(j.due), err: true}
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				_ = res.Body.Close()
				results <- result{latency: time.Since(j.due), status: res.StatusCode}
			}
		})
	}

	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	start := time.Now()
	interval := time.Duration(float64(time.Second) / *rate)
	late := 0
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		} else if d < -10*time.Millisecond {
			late++ // the sender itself fell behind (the machine is busy): still measured from due
		}
		jobs <- job{due: due, path: path(r, *uncached)}
	}
	close(jobs)
	sent := time.Since(start)
	wg.Wait()
	close(results)

	lat := make([]time.Duration, 0, total)
	errs, non2xx := 0, 0
	for res := range results {
		lat = append(lat, res.latency)
		switch {
		case res.err:
			errs++
		case res.status < 200 || res.status > 299:
			non2xx++
		}
	}
	slices.Sort(lat)
	pct := func(p float64) string {
		if len(lat) == 0 {
			return "-"
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(100 * time.Microsecond).String()
	}
	fmt.Printf("| %.0f | %d | %.0f | %s | %s | %s | %s | %s | %d | %d | %d |\n", *rate, *conns, float64(total)/sent.Seconds(),
		pct(0.50), pct(0.90), pct(0.99), pct(0.999), pct(1), non2xx, errs, late)
}

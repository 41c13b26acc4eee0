// Command ceiling is the yardstick of scripts/load.sh: a plain net/http
// handler that serves, from memory, exactly the bytes and headers the tracker
// answered for a list of paths (fetched once, gzip accepted). What the
// tracker reaches against it, side by side on the same machine, is the share
// of the machine's ceiling its own work leaves.
//
//	go run ./scripts/ceiling -from http://127.0.0.1:18090 -addr 127.0.0.1:18092 PATH...
//
// With -all-headers it sends every header the tracker sent (request id,
// security and CORS headers too), to measure what those headers cost a plain
// handler (docs/performance.md).
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
)

type response struct {
	header http.Header
	body   []byte
}

func main() {
	from := flag.String("from", "http://127.0.0.1:18090", "the tracker to copy the responses from")
	addr := flag.String("addr", "127.0.0.1:18092", "listen address")
	allHeaders := flag.Bool("all-headers", false, "send every header the tracker sent, not only the content headers")
	flag.Parse()
	copied := map[string]response{}
	for _, path := range flag.Args() {
		req, _ := http.NewRequest(http.MethodGet, *from+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			log.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			log.Fatalf("%s: %d %v", path, res.StatusCode, err)
		}
		h := http.Header{}
		for _, k := range []string{"Content-Type", "Content-Encoding", "Etag", "Cache-Control", "Vary"} {
			if v := res.Header.Get(k); v != "" {
				h.Set(k, v)
			}
		}
		if *allHeaders {
			for k, v := range res.Header {
				if k != "Date" && k != "Content-Length" { // net/http writes its own
					h[k] = v
				}
			}
		}
		copied[path] = response{h, body}
		fmt.Fprintf(os.Stderr, "ceiling: %s %d bytes\n", path, len(body))
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		resp, ok := copied[key]
		if !ok || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.NotFound(w, r)
			return
		}
		for k, v := range resp.header {
			w.Header()[k] = v
		}
		_, _ = w.Write(resp.body)
	})
	log.Fatal(http.ListenAndServe(*addr, handler))
}

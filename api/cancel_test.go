package api_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scs-diffusion/tracker/api"
	"github.com/scs-diffusion/tracker/readmodel"
	"github.com/scs-diffusion/tracker/store/storetest"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCancelledClientFailsNobodyElse: several clients ask for the same
// uncached answer while the snapshot it needs is still loading (held back by
// a lock on the assessment table); the first client goes away. The others
// get 200, and the server logs the one that left as 499, never a 500.
func TestCancelledClientFailsNobodyElse(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, fixture)
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	watchCtx, stopWatch := context.WithCancel(context.Background())
	t.Cleanup(stopWatch)
	model := readmodel.New(readmodel.Config{Read: db.Store, Revisions: db.Store.WatchRevision(watchCtx, log), Log: log})
	srv := httptest.NewServer(api.NewRouter(api.Deps{Model: model, Store: db.Store, Log: log, MaxBodyBytes: 1 << 20,
		RequestTimeout: 20 * time.Second}))
	defer srv.Close()

	ctx := context.Background()
	lock, err := db.Store.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(ctx, "LOCK TABLE assessment IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	const path = "/api/v1/index?as_of=2020-06-30&weights=sanctions:2"
	first, cancel := context.WithCancel(ctx)
	firstErr := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(first, http.MethodGet, srv.URL+path, nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		firstErr <- err
	}()
	time.Sleep(100 * time.Millisecond) // the first request now leads the snapshot load, which waits on the lock
	type result struct {
		status int
		body   string
	}
	results := make(chan result, 4)
	for range 4 {
		go func() {
			res, err := http.Get(srv.URL + path)
			if err != nil {
				results <- result{0, err.Error()}
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			results <- result{res.StatusCode, string(body)}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the first client: %v, want its own cancellation", err)
	}
	time.Sleep(50 * time.Millisecond)
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if r := <-results; r.status != 200 || !strings.Contains(r.body, `"as_of":"2020-06-30"`) {
			t.Errorf("a client waiting on the same answer got %d %.200s", r.status, r.body)
		}
	}
	waitFor(t, 2*time.Second, "the access log of the cancelled request", func() bool { return strings.Contains(logs.String(), `"status":499`) })
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"status":500`) || strings.Contains(line, `"level":"ERROR"`) {
			t.Errorf("the server logged an error: %s", line)
		}
		if strings.Contains(line, `"status":499`) && !strings.Contains(line, `"level":"INFO"`) {
			t.Errorf("499 logged above info: %s", line)
		}
	}
}

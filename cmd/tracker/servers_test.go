package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scs-diffusion/tracker/store/storetest"
)

// The real binary, run as operators run it: several servers on one
// database, a read replica, the metrics listener.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// trackerBinary builds cmd/tracker once per test run.
func trackerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tracker-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tracker")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server is one `tracker serve` process.
type server struct {
	base    string
	metrics string
	cmd     *exec.Cmd
}

func startServer(t *testing.T, env ...string) *server {
	t.Helper()
	port, mport := freePort(t), freePort(t)
	cmd := exec.Command(trackerBinary(t), "serve", "--skip-migrate")
	cmd.Env = append(os.Environ(), append(env, fmt.Sprintf("PORT=%d", port), fmt.Sprintf("METRICS_ADDR=127.0.0.1:%d", mport),
		"RATE_LIMIT=0", "LOG_LEVEL=warn")...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // keep the pipe drained; show the server's warnings in the test log
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			t.Log("server:", sc.Text())
		}
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), metrics: fmt.Sprintf("http://127.0.0.1:%d", mport), cmd: cmd}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if res, err := http.Get(s.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not become ready in 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// version asks a server which dataset version /api/v1/index answers for.
func (s *server) version(t *testing.T) string {
	t.Helper()
	res, err := http.Get(s.base + "/api/v1/index")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var idx struct {
		DatasetVersion string `json:"dataset_version"`
	}
	if err := json.NewDecoder(res.Body).Decode(&idx); err != nil || res.StatusCode != 200 {
		t.Fatalf("/api/v1/index: %d %v", res.StatusCode, err)
	}
	return idx.DatasetVersion
}

// ingestVersion loads the frozen fixture, with VERSION set to version, into
// the database at url through the real binary.
func ingestVersion(t *testing.T, url, version string) {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(storetest.Frozen, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(storetest.Frozen, p)
		if err != nil {
			return err
		}
		if p == "VERSION" {
			b = []byte(version + "\n")
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(trackerBinary(t), "ingest")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "DATA_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tracker ingest: %v\n%s", err, out)
	}
}

// TestTwoServersFollowOneDatabase: a change written through ingest reaches
// every server on the database at once (LISTEN/NOTIFY), with no restart.
func TestTwoServersFollowOneDatabase(t *testing.T) {
	t.Parallel()
	db := storetest.NewLoadedFrom(t, storetest.Frozen)
	a := startServer(t, "DATABASE_URL="+db.URL)
	b := startServer(t, "DATABASE_URL="+db.URL)
	for _, s := range []*server{a, b} {
		if v := s.version(t); v != "2026.11.0" {
			t.Fatalf("before the change %s serves %q", s.base, v)
		}
	}
	ingestVersion(t, db.URL, "2026.12.two-servers")
	changed := time.Now()
	for _, s := range []*server{a, b} {
		for s.version(t) != "2026.12.two-servers" {
			if time.Since(changed) > 3*time.Second {
				t.Fatalf("%s still serves the old revision 3 s after the change", s.base)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	t.Logf("both servers served the new revision %v after ingest returned", time.Since(changed).Round(time.Millisecond))
	// The metrics listener is separate from the public port.
	res, err := http.Get(a.metrics + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "tracker_http_requests_total") {
		t.Errorf("METRICS_ADDR /metrics: %d %.200s", res.StatusCode, body)
	}
	if res, err := http.Get(a.base + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("the public port answers /metrics: %v %v", res.StatusCode, err)
	}
}

// TestReplicaBehindIsWaitedFor: reads come from DATABASE_READ_URL, the
// revision from DATABASE_URL. A revision announced by the primary that the
// replica has not replayed yet is waited for, never served stale as new.
// (The "replica" is a copy of the primary that the test brings up to date
// by hand, which makes the lag as long as the test wants.)
func TestReplicaBehindIsWaitedFor(t *testing.T) {
	t.Parallel()
	primary := storetest.NewLoadedFrom(t, storetest.Frozen)
	ctx := context.Background()
	replicaName := primary.Name + "_replica"
	primary.Store.Close() // CREATE DATABASE … TEMPLATE needs the template free of connections
	admin, err := pgx.Connect(ctx, storetest.AdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", replicaName, primary.Name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+replicaName+" WITH (FORCE)")
	})
	replicaURL := strings.Replace(primary.URL, "/"+primary.Name+"?", "/"+replicaName+"?", 1)
	s := startServer(t, "DATABASE_URL="+primary.URL, "DATABASE_READ_URL="+replicaURL)
	if v := s.version(t); v != "2026.11.0" {
		t.Fatalf("before the change: %q", v)
	}
	ingestVersion(t, primary.URL, "2026.12.replica")
	// A client keeps asking: while the replica lags, the server may make it wait
	// (up to its bound, then 503 with Retry-After), but never answers the old
	// revision once the primary has announced the new one.
	type answer struct {
		status  int
		version string
	}
	answers := make(chan answer, 100)
	go func() {
		defer close(answers)
		time.Sleep(200 * time.Millisecond) // the server has heard of the new revision by now
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
			res, err := http.Get(s.base + "/api/v1/index")
			if err != nil {
				answers <- answer{0, err.Error()}
				return
			}
			var idx struct {
				DatasetVersion string `json:"dataset_version"`
			}
			_ = json.NewDecoder(res.Body).Decode(&idx)
			res.Body.Close()
			answers <- answer{res.StatusCode, idx.DatasetVersion}
			if res.StatusCode == 200 {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	select {
	case a := <-answers:
		if a.status == 200 {
			t.Fatalf("while the replica lags, the server answered %q at once instead of waiting", a.version)
		}
	case <-time.After(1500 * time.Millisecond):
	}
	ingestVersion(t, replicaURL, "2026.12.replica") // the replica catches up
	var last answer
	for a := range answers {
		last = a
		switch {
		case a.status == 200 && a.version != "2026.12.replica":
			t.Fatalf("the server answered the old revision %q after the primary announced the new one", a.version)
		case a.status != 200 && a.status != http.StatusServiceUnavailable:
			t.Fatalf("while waiting for the replica: status %d %s", a.status, a.version)
		}
	}
	if last.status != 200 {
		t.Fatalf("no answer of the new revision after the replica caught up: %+v", last)
	}
}

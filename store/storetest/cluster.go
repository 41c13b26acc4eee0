package storetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Cluster is a PostgreSQL cluster of a test's own (scripts/localpg.sh), for
// tests that stop and start the database under a running server.
type Cluster struct {
	t    testing.TB
	dir  string
	Port int
}

// NewCluster starts a dedicated cluster on a free port; it is deleted when
// the test ends. Like every database test it fails without PostgreSQL (the
// packages come with `make test`), and is skipped under -short.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	AdminURL(t) // the same rule as every database test: fail (or skip under -short) outside `make test`
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir, err := os.MkdirTemp("/var/tmp", "tracker-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{t: t, dir: dir, Port: port}
	t.Cleanup(func() { c.run("reset") })
	c.Start()
	return c
}

// URL is the connection URL of a database of the cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, database)
}

// Start starts the cluster (and makes the database "tracker" on first start).
func (c *Cluster) Start() { c.run("start") }

// Stop stops the cluster, as `make db-stop` does (fast shutdown).
func (c *Cluster) Stop() { c.run("stop") }

func (c *Cluster) run(cmd string) {
	c.t.Helper()
	out, err := exec.Command(localpg(), cmd, c.dir, fmt.Sprint(c.Port)).CombinedOutput()
	if err != nil {
		c.t.Fatalf("localpg.sh %s: %v\n%s", cmd, err, out)
	}
}

// localpg is scripts/localpg.sh of this checkout.
func localpg() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "scripts", "localpg.sh")
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		check   func(c config) bool
		wantErr string
	}{
		{"defaults", nil, func(c config) bool {
			return c.Addr == ":8080" && c.StatementTimeout == 5*time.Second && c.MaxConns == 16 && c.MaxBodyBytes == 1<<20
		}, ""},
		{"port", map[string]string{"PORT": "9090"}, func(c config) bool { return c.Addr == ":9090" }, ""},
		{"addr wins", map[string]string{"PORT": "9090", "ADDR": "127.0.0.1:7000"}, func(c config) bool { return c.Addr == "127.0.0.1:7000" }, ""},
		{"bad port", map[string]string{"PORT": "http"}, nil, "PORT"},
		{"port out of range", map[string]string{"PORT": "70000"}, nil, "PORT"},
		{"bad timeout", map[string]string{"STATEMENT_TIMEOUT": "5"}, nil, "STATEMENT_TIMEOUT"},
		{"negative timeout", map[string]string{"REQUEST_TIMEOUT": "-1s"}, nil, "REQUEST_TIMEOUT"},
		{"bad body limit", map[string]string{"MAX_BODY_BYTES": "0"}, nil, "MAX_BODY_BYTES"},
		{"bad pool", map[string]string{"DB_MAX_CONNS": "many"}, nil, "DB_MAX_CONNS"},
		{"rate limit off", map[string]string{"RATE_LIMIT": "0"}, func(c config) bool { return c.RateLimit == 0 }, ""},
		{"bad rate limit", map[string]string{"RATE_LIMIT": "-5"}, nil, "RATE_LIMIT"},
		{"session defaults", nil, func(c config) bool {
			return c.SessionIdle == 2*time.Hour && c.SessionMax == 7*24*time.Hour && !c.CookieSecure && c.KeyRateLimit == 200
		}, ""},
		{"sessions", map[string]string{"SESSION_IDLE": "30m", "SESSION_MAX": "12h", "COOKIE_SECURE": "true", "KEY_RATE_LIMIT": "500"}, func(c config) bool {
			return c.SessionIdle == 30*time.Minute && c.SessionMax == 12*time.Hour && c.CookieSecure && c.KeyRateLimit == 500
		}, ""},
		{"bad session idle", map[string]string{"SESSION_IDLE": "forever"}, nil, "SESSION_IDLE"},
		{"idle longer than max", map[string]string{"SESSION_IDLE": "9h", "SESSION_MAX": "8h"}, nil, "SESSION_IDLE"},
		{"bad cookie secure", map[string]string{"COOKIE_SECURE": "maybe"}, nil, "COOKIE_SECURE"},
		{"bad key rate", map[string]string{"KEY_RATE_LIMIT": "0"}, nil, "KEY_RATE_LIMIT"},
	}
	for _, tt := range tests {
		c, err := loadConfig(envOf(tt.env))
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: error %v, want one naming %s", tt.name, err, tt.wantErr)
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.check != nil && !tt.check(c):
			t.Errorf("%s: config %+v", tt.name, c)
		}
	}
}

func TestMaskedHidesPassword(t *testing.T) {
	t.Parallel()
	for _, url := range []string{
		"postgres://app:s3cret@db:5432/tracker",
		"postgres://app@db:5432/tracker?password=s3cret",
		"host=db port=5432 dbname=tracker user=app password=s3cret",
	} {
		c, err := loadConfig(envOf(map[string]string{"DATABASE_URL": url}))
		if err != nil {
			t.Fatal(err)
		}
		dsn := c.masked()["database_url"].(string)
		if strings.Contains(dsn, "s3cret") || !strings.Contains(dsn, "user=app") || !strings.Contains(dsn, "dbname=tracker") {
			t.Errorf("masked %q = %q", url, dsn)
		}
	}
	_, err := loadConfig(envOf(map[string]string{"DATABASE_URL": "postgres://app:s3cret@db:notaport/x"}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("invalid DATABASE_URL: error %v must exist and not quote the password", err)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"--help"}, envOf(nil), &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"serve", "migrate", "ingest", "export DIR", "DATABASE_URL", "PORT"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
	for _, cmd := range []string{"serve", "migrate", "ingest", "export"} {
		out.Reset()
		errOut.Reset()
		if err := run(context.Background(), []string{cmd, "--help"}, envOf(nil), &out, &errOut); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%s --help: %v", cmd, err)
		}
		if !strings.Contains(errOut.String(), "tracker "+cmd) {
			t.Errorf("%s --help printed %q", cmd, errOut.String())
		}
	}
	if err := run(context.Background(), []string{"explode"}, envOf(nil), &out, &errOut); err == nil {
		t.Error("unknown command: want error")
	}
	for _, args := range [][]string{{"export"}, {"export", "a", "b"}, {"ingest", "extra"}} {
		if err := run(context.Background(), args, envOf(nil), &out, &errOut); err == nil || !strings.Contains(err.Error(), "wrong number of arguments") {
			t.Errorf("%q: %v, want a wrong-number-of-arguments error", args, err)
		}
	}
}

func TestLogWriterFlushesByTimeAndOnClose(t *testing.T) {
	var mu sync.Mutex
	var out bytes.Buffer
	w := newLogWriter(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) }), 20*time.Millisecond)
	fmt.Fprintln(w, "first line")
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		got := out.String()
		mu.Unlock()
		if got == "first line\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 2 s the buffered line is still not written: %q", got)
		}
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Fprintln(w, "last line")
	w.Close()
	if got := out.String(); got != "first line\nlast line\n" {
		t.Errorf("after Close: %q", got)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

package main

import (
	"errors"
	"fmt"

	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// config is the effective configuration, read from environment variables.
type config struct {
	Addr             string
	DatabaseURL      string
	DatabaseReadURL  string
	MetricsAddr      string
	CacheBytes       int64
	ConnectTimeout   time.Duration
	StatementTimeout time.Duration
	RequestTimeout   time.Duration
	MaxBodyBytes     int64
	MaxConns         int32
	RateLimit        float64
	ShutdownTimeout  time.Duration
	LogLevel         string
	DataDir          string
	SessionIdle      time.Duration
	SessionMax       time.Duration
	CookieSecure     bool
	KeyRateLimit     float64
}

// envVar documents one setting: its name, default and meaning (shown by --help).
type envVar struct{ Name, Default, Help string }

var envVars = []envVar{
	{"ADDR", ":8080", "listen address (host:port); overrides PORT"},
	{"PORT", "8080", "listen port, used when ADDR is not set"},
	{"DATABASE_URL", "postgres://postgres@127.0.0.1:54329/tracker?sslmode=disable", "PostgreSQL+PostGIS connection URL (writes, migrations, LISTEN)"},
	{"DATABASE_READ_URL", "", "optional streaming replica for reads; DATABASE_URL when empty"},
	{"DB_CONNECT_TIMEOUT", "2s", "bound on opening one database connection"},
	{"STATEMENT_TIMEOUT", "5s", "PostgreSQL statement_timeout for every query"},
	{"REQUEST_TIMEOUT", "15s", "HTTP read/write timeout per request"},
	{"MAX_BODY_BYTES", "1048576", "largest accepted request body"},
	{"DB_MAX_CONNS", "16", "connection pool size"},
	{"SHUTDOWN_TIMEOUT", "10s", "grace period for in-flight requests on SIGINT/SIGTERM"},
	{"LOG_LEVEL", "info", "debug, info, warn or error"},
	{"RATE_LIMIT", "50", "requests per second per client IP (0: off); bursts of 4x"},
	{"CACHE_BYTES", "33554432", "bound of the in-memory response cache (32 MiB)"},
	{"METRICS_ADDR", "", "listen address of the Prometheus /metrics endpoint (e.g. 127.0.0.1:9090); off when empty"},
	{"DATA_DIR", "", "load data from this folder instead of the copy embedded in the binary"},
	{"SESSION_IDLE", "2h", "a login session unused for this long ends"},
	{"SESSION_MAX", "168h", "a login session ends this long after login, used or not (7 days)"},
	{"COOKIE_SECURE", "false", "mark the session cookie Secure even on plain HTTP (set true behind a TLS proxy); always Secure over TLS"},
	{"KEY_RATE_LIMIT", "200", "requests per second per API key (bursts of 4x); keys are not counted against their IP's RATE_LIMIT"},
}

func getenv(env func(string) string, name string) string {
	if v := env(name); v != "" {
		return v
	}
	for _, e := range envVars {
		if e.Name == name {
			return e.Default
		}
	}
	return ""
}

// loadConfig reads and validates the configuration.
func loadConfig(env func(string) string) (config, error) {
	c := config{
		Addr:        env("ADDR"),
		DatabaseURL: getenv(env, "DATABASE_URL"),
		LogLevel:    getenv(env, "LOG_LEVEL"),
		DataDir:     env("DATA_DIR"),
		MetricsAddr: env("METRICS_ADDR"),
	}
	c.DatabaseReadURL = env("DATABASE_READ_URL")
	if c.Addr == "" {
		port := getenv(env, "PORT")
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("PORT %q: want a number 1-65535", port)
		}
		c.Addr = ":" + port
	}
	var err error
	durations := []struct {
		name string
		dst  *time.Duration
	}{{"STATEMENT_TIMEOUT", &c.StatementTimeout}, {"REQUEST_TIMEOUT", &c.RequestTimeout}, {"SHUTDOWN_TIMEOUT", &c.ShutdownTimeout},
		{"DB_CONNECT_TIMEOUT", &c.ConnectTimeout}, {"SESSION_IDLE", &c.SessionIdle}, {"SESSION_MAX", &c.SessionMax}}
	for _, d := range durations {
		if *d.dst, err = time.ParseDuration(getenv(env, d.name)); err != nil || *d.dst <= 0 {
			return c, fmt.Errorf("%s %q: want a positive duration such as 5s", d.name, getenv(env, d.name))
		}
	}
	if c.MaxBodyBytes, err = strconv.ParseInt(getenv(env, "MAX_BODY_BYTES"), 10, 64); err != nil || c.MaxBodyBytes <= 0 {
		return c, fmt.Errorf("MAX_BODY_BYTES %q: want a positive integer", getenv(env, "MAX_BODY_BYTES"))
	}
	if c.CacheBytes, err = strconv.ParseInt(getenv(env, "CACHE_BYTES"), 10, 64); err != nil || c.CacheBytes < 1<<20 {
		return c, fmt.Errorf("CACHE_BYTES %q: want a number of bytes, at least 1048576", getenv(env, "CACHE_BYTES"))
	}
	n, err := strconv.ParseInt(getenv(env, "DB_MAX_CONNS"), 10, 32)
	if err != nil || n <= 0 {
		return c, fmt.Errorf("DB_MAX_CONNS %q: want a positive integer", getenv(env, "DB_MAX_CONNS"))
	}
	c.MaxConns = int32(n)
	if c.RateLimit, err = strconv.ParseFloat(getenv(env, "RATE_LIMIT"), 64); err != nil || c.RateLimit < 0 || c.RateLimit != c.RateLimit {
		return c, fmt.Errorf("RATE_LIMIT %q: want a number of requests per second, 0 to turn limiting off", getenv(env, "RATE_LIMIT"))
	}
	if c.SessionIdle > c.SessionMax {
		return c, fmt.Errorf("SESSION_IDLE %s is longer than SESSION_MAX %s", c.SessionIdle, c.SessionMax)
	}
	if c.KeyRateLimit, err = strconv.ParseFloat(getenv(env, "KEY_RATE_LIMIT"), 64); err != nil || c.KeyRateLimit <= 0 || c.KeyRateLimit != c.KeyRateLimit {
		return c, fmt.Errorf("KEY_RATE_LIMIT %q: want a positive number of requests per second", getenv(env, "KEY_RATE_LIMIT"))
	}
	if c.CookieSecure, err = strconv.ParseBool(getenv(env, "COOKIE_SECURE")); err != nil {
		return c, fmt.Errorf("COOKIE_SECURE %q: want true or false", getenv(env, "COOKIE_SECURE"))
	}
	if _, err := pgconn.ParseConfig(c.DatabaseURL); err != nil {
		return c, errors.New("DATABASE_URL: not a valid PostgreSQL connection string (URL or key=value form)")
	}
	if c.DatabaseReadURL != "" {
		if _, err := pgconn.ParseConfig(c.DatabaseReadURL); err != nil {
			return c, errors.New("DATABASE_READ_URL: not a valid PostgreSQL connection string (URL or key=value form)")
		}
	}
	return c, nil
}

// maskDSN names the database a connection string points at, with no password.
func maskDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	pc, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return "(invalid)"
	}
	// Only what identifies the database; a password can hide in the URL's user part,
	// its query string or a key=value string, so none of the original text is logged.
	return fmt.Sprintf("host=%s port=%d dbname=%s user=%s", pc.Host, pc.Port, pc.Database, pc.User)
}

// masked returns the configuration for logging, with the database password hidden.
func (c config) masked() map[string]any {
	return map[string]any{
		"addr": c.Addr, "database_url": maskDSN(c.DatabaseURL), "database_read_url": maskDSN(c.DatabaseReadURL),
		"metrics_addr": c.MetricsAddr, "cache_bytes": c.CacheBytes, "db_connect_timeout": c.ConnectTimeout.String(), "statement_timeout": c.StatementTimeout.String(),
		"request_timeout": c.RequestTimeout.String(), "max_body_bytes": c.MaxBodyBytes, "db_max_conns": c.MaxConns,
		"shutdown_timeout": c.ShutdownTimeout.String(), "log_level": c.LogLevel, "data_dir": c.DataDir, "rate_limit": c.RateLimit,
		"session_idle": c.SessionIdle.String(), "session_max": c.SessionMax.String(), "cookie_secure": c.CookieSecure, "key_rate_limit": c.KeyRateLimit,
	}
}

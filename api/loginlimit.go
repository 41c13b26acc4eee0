package api

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// loginLimiter slows down password guessing: failed logins draw on a bucket
// per account (the email as typed, lower-cased, whether or not it exists, so
// the limit tells nothing about which emails exist) and one per client IP.
// While either bucket is empty, logins from it answer 429 with Retry-After
// before any password work. Successful logins cost nothing. In memory, per
// server: with N servers an attacker gets N times the budget, which the
// figures below leave small.
type loginLimiter struct {
	accounts *ipLimiter // 5 failures, then one per minute
	ips      *ipLimiter // 20 failures, then one every 6 seconds
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{accounts: newIPLimiter(1.0/60, 5, 100_000), ips: newIPLimiter(1.0/6, 20, 100_000)}
}

// blocked returns the 429 problem when the account or the address has no
// failures left, nil otherwise.
func (l *loginLimiter) blocked(email, ip string, now time.Time) *Problem {
	wait := max(l.accounts.waitFor(email, now), l.ips.waitFor(ip, now))
	if wait <= 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	return &Problem{Type: "/problems/rate-limited", Title: "Too many requests", Status: http.StatusTooManyRequests,
		Detail: "too many failed logins for this account or from this address; retry in " + strconv.Itoa(secs) + " s", retryAfter: secs}
}

// failed records a failed login.
func (l *loginLimiter) failed(email, ip string, now time.Time) {
	l.accounts.allow(email, now)
	l.ips.allow(ip, now)
}

package fakegithub

import (
	"net/http"
	"strconv"
	"time"
)

// Primary rate limits: per installation (and for the App's JWT), and for
// unauthenticated callers.
const (
	rateLimitAuthenticated   = 5000
	rateLimitUnauthenticated = 60
	rateLimitPeriod          = time.Hour
)

// rateWindow counts one identity's requests in the current hour.
type rateWindow struct {
	used  int
	reset time.Time
}

// setRateHeaders adds x-ratelimit-* headers as GitHub does on every
// response, counting the request against its caller's hourly budget.
func (s *Server) setRateHeaders(c *call) {
	key, limit := "anonymous", rateLimitUnauthenticated
	if c.cred.kind != AuthNone {
		key, limit = string(c.cred.kind)+":"+c.cred.value, rateLimitAuthenticated
	}
	now := time.Now()
	used, reset := s.count(s.state.rate, key, now)
	h := c.w.Header()
	h.Set("X-Ratelimit-Limit", strconv.Itoa(limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(limit-used, 0)))
	h.Set("X-Ratelimit-Used", strconv.Itoa(used))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-Ratelimit-Resource", "core")
	h.Set("X-Github-Api-Version-Selected", "2022-11-28")
	h.Set("X-Github-Request-Id", strconv.FormatInt(now.UnixNano(), 16))
}

// count adds a request to key's window in windows, starting a new hour
// when the last one is over, and returns the requests used and the reset.
func (s *Server) count(windows map[string]*rateWindow, key string, now time.Time) (int, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	win := windows[key]
	if win == nil || now.After(win.reset) {
		win = &rateWindow{reset: now.Add(rateLimitPeriod).Truncate(time.Second)}
		windows[key] = win
	}
	win.used++
	return win.used, win.reset
}

// getRateLimit serves rate-limit/get from the caller's current window.
func (s *Server) getRateLimit(c *call) {
	h := c.w.Header()
	limit, _ := strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	remaining, _ := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	used, _ := strconv.Atoi(h.Get("X-Ratelimit-Used"))
	reset, _ := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	core := obj{"limit": limit, "remaining": remaining, "used": used, "reset": reset}
	writeJSON(c.w, http.StatusOK, obj{"resources": obj{"core": core}, "rate": core})
}

package fakegithub

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// revokeLimit is the revocation API's own budget: 60 requests an hour per
// caller (per IP on github.com).
const revokeLimit = 60

// revokePrefixes are the prefixes the server's revocation API accepts.
func (s *Server) revokePrefixes() []string {
	switch {
	case s.opts.RevokePrefixes != nil:
		return s.opts.RevokePrefixes
	case s.opts.Enterprise:
		return []string{"ghp_", "github_pat_"}
	}
	return []string{"ghp_", "github_pat_", "gho_", "ghu_", "ghr_"}
}

// revokeCredentials serves credentials/revoke as GitHub does: on github.com
// an authenticated call is refused with 403; each caller IP may make 60
// calls an hour (then 403 with x-ratelimit-remaining 0); a credential of a
// prefix the server does not accept is refused with 422 (GitHub's exact
// answer to one is not documented; the fake is strict so that a client
// sending one is caught). Accepted credentials are recorded and 202 returned.
func (s *Server) revokeCredentials(c *call) {
	if c.cred.kind != AuthNone && !s.opts.Enterprise {
		writeError(c.w, http.StatusForbidden, "This endpoint must be called without authentication.")
		return
	}
	if !s.takeRevokeBudget(c) {
		return
	}
	var req struct {
		Credentials []string `json:"credentials"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		writeError(c.w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	for i, cred := range req.Credentials {
		if !slices.ContainsFunc(s.revokePrefixes(), func(p string) bool { return strings.HasPrefix(cred, p) }) {
			writeValidationFailed(c.w, "Credential", "credentials", "invalid", fmt.Sprintf("credentials[%d] is not a credential type this server revokes", i))
			return
		}
	}
	s.mu.Lock()
	s.state.revoked = append(s.state.revoked, req.Credentials...)
	s.state.revokeCalls++
	s.mu.Unlock()
	writeJSON(c.w, http.StatusAccepted, obj{})
}

// takeRevokeBudget counts the call against its IP's hourly window, sets
// the x-ratelimit headers for it, and answers 403 when the window is spent.
func (s *Server) takeRevokeBudget(c *call) bool {
	ip, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		ip = c.r.RemoteAddr
	}
	used, reset := s.count(s.state.revokeRate, ip, time.Now())
	h := c.w.Header()
	h.Set("X-Ratelimit-Limit", strconv.Itoa(revokeLimit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(revokeLimit-used, 0)))
	h.Set("X-Ratelimit-Used", strconv.Itoa(min(used, revokeLimit)))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if used > revokeLimit {
		writeError(c.w, http.StatusForbidden, "API rate limit exceeded for "+ip+".")
		return false
	}
	return true
}

// RevokedCredentials returns every credential GitHub accepted through POST
// /credentials/revoke, in order.
func (s *Server) RevokedCredentials() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.state.revoked...)
}

// RevokeCalls counts the accepted calls to POST /credentials/revoke.
func (s *Server) RevokeCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.revokeCalls
}

package fakegithub

import (
	"crypto/rand"
	"encoding/json"
	"hash/crc32"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// installationTokenTTL is how long GitHub's installation tokens live.
const installationTokenTTL = time.Hour

// base62 is the alphabet of GitHub token bodies and checksums.
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// appPermissions are the permissions the fake App is granted.
func appPermissions() map[string]string {
	return map[string]string{"checks": "write", "contents": "read", "issues": "write",
		"metadata": "read", "pull_requests": "write"}
}

// installationToken is an issued installation access token.
type installationToken struct {
	value          string
	installationID int64
	expires        time.Time
	revoked        bool
	repoIDs        map[int64]bool // nil: every repository of the installation
}

// newTokenValue makes a ghs_ token in GitHub's classic format: 30 random
// base62 characters and a 6-character base62 CRC-32 checksum.
func newTokenValue() string {
	body := make([]byte, 30)
	for i := range body {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(base62))))
		if err != nil {
			panic(err)
		}
		body[i] = base62[n.Int64()]
	}
	sum := crc32.ChecksumIEEE(body)
	check := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		check[i] = base62[sum%62]
		sum /= 62
	}
	return "ghs_" + string(body) + string(check)
}

// tokenRequest is the body of POST /app/installations/{id}/access_tokens.
type tokenRequest struct {
	Repositories  []string          `json:"repositories"`
	RepositoryIDs []int64           `json:"repository_ids"`
	Permissions   map[string]string `json:"permissions"`
}

// createInstallationToken serves apps/create-installation-access-token.
func (s *Server) createInstallationToken(c *call) {
	id, _ := strconv.ParseInt(c.params["installation_id"], 10, 64)
	var req tokenRequest
	if len(c.body) > 0 {
		_ = json.Unmarshal(c.body, &req)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.installations[id] == nil {
		notFound(c.w)
		return
	}
	tok := &installationToken{value: newTokenValue(), installationID: id, expires: time.Now().Add(installationTokenTTL).UTC()}
	var repos []any
	if len(req.Repositories) > 0 || len(req.RepositoryIDs) > 0 {
		tok.repoIDs = map[int64]bool{}
		for _, r := range s.state.repos {
			if r.installationID == id && (slices.Contains(req.Repositories, r.name) || slices.Contains(req.RepositoryIDs, r.id)) {
				tok.repoIDs[r.id] = true
				repos = append(repos, s.repoJSON(r))
			}
		}
		if len(tok.repoIDs) != len(req.Repositories)+len(req.RepositoryIDs) {
			writeError(c.w, http.StatusUnprocessableEntity, "There is at least one repository that does not exist or is not accessible to the parent installation.")
			return
		}
	}
	s.state.tokens[tok.value] = tok
	s.state.tokenIssues++
	perms := appPermissions()
	if len(req.Permissions) > 0 {
		perms = req.Permissions
	}
	resp := obj{"token": tok.value, "expires_at": tok.expires.Format(time.RFC3339),
		"permissions": perms, "repository_selection": "all"}
	if tok.repoIDs != nil {
		resp["repository_selection"] = "selected"
		resp["repositories"] = repos
	}
	writeJSON(c.w, http.StatusCreated, resp)
}

// revokeInstallationToken serves apps/revoke-installation-access-token.
func (s *Server) revokeInstallationToken(c *call) {
	tok, ok := s.requireToken(c)
	if !ok {
		return
	}
	s.mu.Lock()
	tok.revoked = true
	s.mu.Unlock()
	c.w.WriteHeader(http.StatusNoContent)
}

// TokenIssues is how many installation tokens have been issued. An App that
// caches its tokens asks for one per installation per hour.
func (s *Server) TokenIssues() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.tokenIssues
}

// ExpireTokens makes every issued installation token expire now, so the
// next request with one gets 401 Bad credentials.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.state.tokens {
		t.expires = time.Now().Add(-time.Second)
	}
}

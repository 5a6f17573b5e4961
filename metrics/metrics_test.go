package metrics

import "testing"

func TestEndpointOf(t *testing.T) {
	tests := map[string]string{
		"/repos/octo/app/commits/0123456789abcdef0123456789abcdef01234567":             "/repos/{owner}/{repo}/commits/{sha}",
		"/api/v3/repos/octo/app/check-runs/42":                                         "/repos/{owner}/{repo}/check-runs/{id}",
		"/repos/octo/app/contents/deep/dir/file.env":                                   "/repos/{owner}/{repo}/contents/{path}",
		"/repos/octo/app/compare/main...0123456789abcdef0123456789abcdef01234567":      "/repos/{owner}/{repo}/compare/{basehead}",
		"/repos/octo/app/compare/feature/x...0123456789abcdef0123456789abcdef01234567": "/repos/{owner}/{repo}/compare/{basehead}",
		"/orgs/octo/teams/security/memberships/someone":                                "/orgs/{name}/teams/{name}/memberships/{user}",
		"/app/installations/99/access_tokens":                                          "/app/installations/{id}/access_tokens",
		"/repos/octo/app/commits/0123456789abcdef0123456789abcdef01234567/check-runs":  "/repos/{owner}/{repo}/commits/{sha}/check-runs",
	}
	for in, want := range tests {
		if got := endpointOf(in); got != want {
			t.Errorf("endpointOf(%q) = %q, want %q", in, got, want)
		}
	}
}

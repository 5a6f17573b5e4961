package revoke

import (
	"fmt"
	"slices"
	"strings"
)

// DotComPrefixes are the token prefixes github.com's revocation API accepts
// (its REST description: classic and fine-grained personal access tokens,
// OAuth app tokens, GitHub App user-to-server and refresh tokens).
func DotComPrefixes() []string {
	return []string{"ghp_", "github_pat_", "gho_", "ghu_", "ghr_"}
}

// EnterprisePrefixes are the prefixes GitHub Enterprise Server's revocation
// API is documented to accept (3.19: classic and fine-grained personal
// access tokens). An operator whose server accepts more sets the list.
func EnterprisePrefixes() []string {
	return []string{"ghp_", "github_pat_"}
}

// KnownPrefixes are every GitHub token prefix pushguard can find, revocable
// or not (ghs_, an installation token, is not accepted by the API).
func KnownPrefixes() []string {
	return []string{"ghp_", "github_pat_", "gho_", "ghu_", "ghr_", "ghs_"}
}

// ParsePrefixes reads a comma-separated list of token prefixes, such as
// "ghp_,github_pat_". Each must be one of KnownPrefixes.
func ParsePrefixes(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !slices.Contains(KnownPrefixes(), p) {
			return nil, fmt.Errorf("unknown GitHub token prefix %q: use %s", p, strings.Join(KnownPrefixes(), ", "))
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no token prefixes given")
	}
	return out, nil
}

// prefixOf returns the GitHub token prefix secret starts with, or "".
func prefixOf(secret string) string {
	for _, p := range KnownPrefixes() {
		if strings.HasPrefix(secret, p) {
			return p
		}
	}
	return ""
}

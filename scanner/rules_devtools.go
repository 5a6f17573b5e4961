package scanner

import (
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// validGitLabRoutable checks the offline checksum of a GitLab routable token
// (GitLab 17.7 and later): PREFIX + base64url payload + "." [+ 2-char version
// + "."] + 2-char base36 payload length + 7-char base36 CRC-32 (IEEE) of
// everything before the CRC. It also checks that the length holder matches
// the payload, whose start is found after the token type prefix (glpat-,
// glrt- or glrt-tN_).
func validGitLabRoutable(token string) bool {
	if len(token) < 10 {
		return false
	}
	head, sum := token[:len(token)-7], token[len(token)-7:]
	want := strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(head))), 36)
	if strings.Repeat("0", 7-len(want))+want != sum {
		return false
	}
	n, err := strconv.ParseUint(token[len(token)-9:len(token)-7], 36, 16)
	if err != nil {
		return false
	}
	dot := strings.IndexByte(token, '.')
	if dot < 0 {
		return false
	}
	seg := token[:dot]
	for _, p := range []string{"glpat-", "glrt-t1_", "glrt-t2_", "glrt-t3_", "glrt-"} {
		if strings.HasPrefix(seg, p) && uint64(len(seg)-len(p)) == n {
			return true
		}
	}
	return false
}

// validAgeSecretKey checks the bech32 checksum (BIP 173) of an age X25519
// identity, AGE-SECRET-KEY-1 followed by 58 data and checksum characters.
func validAgeSecretKey(key string) bool {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	s := strings.ToLower(key)
	sep := strings.LastIndexByte(s, '1')
	if sep < 1 || len(s)-sep-1 < 6 {
		return false
	}
	hrp := s[:sep]
	values := make([]uint32, 0, 2*len(hrp)+1+len(s)-sep-1)
	for i := 0; i < len(hrp); i++ {
		values = append(values, uint32(hrp[i])>>5)
	}
	values = append(values, 0)
	for i := 0; i < len(hrp); i++ {
		values = append(values, uint32(hrp[i])&31)
	}
	for i := sep + 1; i < len(s); i++ {
		v := strings.IndexByte(charset, s[i])
		if v < 0 {
			return false
		}
		values = append(values, uint32(v))
	}
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ v
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk == 1
}

// validGitHubInstallationJWT accepts the stateless GitHub App installation
// token, ghs_ + app ID + "_" + a JWT whose header and payload are base64url
// JSON objects.
func validGitHubInstallationJWT(token string) bool {
	rest := strings.TrimPrefix(token, "ghs_")
	i := strings.IndexByte(rest, '_')
	if i < 1 {
		return false
	}
	if _, err := strconv.ParseUint(rest[:i], 10, 64); err != nil {
		return false
	}
	parts := strings.Split(rest[i+1:], ".")
	if len(parts) != 3 {
		return false
	}
	var obj map[string]any
	return decodeJSONSegment(parts[0], &obj) && decodeJSONSegment(parts[1], &obj)
}

// validAuth0ManagementToken accepts a JWT issued by an Auth0 tenant
// (iss https://<tenant>.auth0.com/) for its Management API (an audience
// ending in /api/v2/).
func validAuth0ManagementToken(token string) bool {
	if !ValidJWT(token) {
		return false
	}
	u, err := url.Parse(JWTClaim(token, "iss"))
	if err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Hostname(), ".auth0.com") {
		return false
	}
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return false
	}
	var payload struct {
		Aud any `json:"aud"`
	}
	if json.Unmarshal(raw, &payload) != nil {
		return false
	}
	var auds []string
	switch a := payload.Aud.(type) {
	case string:
		auds = []string{a}
	case []any:
		for _, x := range a {
			if s, ok := x.(string); ok {
				auds = append(auds, s)
			}
		}
	}
	for _, a := range auds {
		if strings.HasSuffix(a, "/api/v2/") {
			return true
		}
	}
	return false
}

// validOnePasswordServiceToken accepts ops_ followed by base64 of a JSON
// object, as 1Password service account tokens are.
func validOnePasswordServiceToken(token string) bool {
	body := strings.TrimRight(strings.TrimPrefix(token, "ops_"), "=")
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.RawStdEncoding} {
		// A token cut short by the pattern's bound still decodes in part.
		b := body[:len(body)/4*4]
		raw, err := enc.DecodeString(b)
		if err == nil && len(raw) > 2 && raw[0] == '{' && raw[1] == '"' {
			return true
		}
	}
	return false
}

// devToolRules returns the rules for developer platforms, package registries and identity providers.
func devToolRules() []Rule {
	return slices.Concat(
		gitHubRules(),
		gitLabRules(),
		npmRules(),
		pypiRules(),
		rubygemsRules(),
		nuGetRules(),
		dockerHubRules(),
		jFrogRules(),
		clojarsRules(),
		cratesRules(),
		vaultRules(),
		terraformCloudRules(),
		dopplerRules(),
		pulumiRules(),
		onePasswordRules(),
		infracostRules(),
		ageRules(),
		harnessRules(),
		octopusDeployRules(),
		prefectRules(),
		atlassianRules(),
		bitbucketRules(),
		linearRules(),
		notionRules(),
		asanaRules(),
		figmaRules(),
		postmanRules(),
		oktaRules(),
		auth0Rules(),
		dropboxRules(),
		circleCIRules(),
		buildkiteRules(),
		sonarQubeRules(),
		snykRules(),
		codecovRules(),
		launchDarklyRules(),
		travisCIRules(),
		droneCIRules(),
		sourcegraphRules(),
		readMeRules(),
	)
}

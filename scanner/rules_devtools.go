package scanner

import (
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"net/url"
	"strconv"
	"strings"
)

// Boundaries shared by the rules of this file. A token's characters are
// [A-Za-z0-9_-] for most providers, so \b (which treats '-' as a boundary)
// would cut a token short; these classes do not.
const (
	dtStart = `(?:^|[^A-Za-z0-9_\-])`
	dtEnd   = `(?:[^A-Za-z0-9_\-]|$)`
	// dtQ is an optional opening or closing quote.
	dtQ = "[\"'`]?"
	// dtOp is an assignment: an optional type name (Go's var x string =),
	// then =, :=, ::=, .=, ?=, =>, : or the comma of a call such as
	// setProperty("NAME", "value").
	dtOp = `(?:\s+[A-Za-z]{1,10})?\s*(?:\.=|:{1,3}=|=>|\?=|=|:|,)\s*`
)

// dtAssign builds a pattern for a value assigned to a name that contains
// one of names (case-insensitive): name, up to 30 more name characters, an
// optional quote, an assignment (dtOp), an optional quote, then the value,
// which is capture group 1.
func dtAssign(names, value string) string {
	return `(?i:` + names + `)[\w.\-]{0,30}` + dtQ + dtOp + dtQ + `(` + value + `)(?:[^A-Za-z0-9_\-]|$)`
}

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
	gitHub := Remediation{
		What:          "A GitHub token that acts as its user or app on the REST and GraphQL APIs and over Git, within its scopes.",
		RevokeURL:     "https://github.com/settings/tokens",
		Revoke:        "Delete the token in Settings > Developer settings > Personal access tokens (classic tokens) or revoke the app's authorization in Settings > Applications. Anyone holding a leaked token can also revoke it through GitHub's credential revocation API, which needs no authentication.",
		RevokeCommand: `curl -X POST https://api.github.com/credentials/revoke -H "Accept: application/vnd.github+json" -d '{"credentials":["<TOKEN>"]}'`,
		Rotate:        "Create a replacement (prefer a fine-grained token or a GitHub App with the least permissions and an expiry), store it in your secret manager or Actions secrets, and redeploy what used the old one.",
		Misuse:        "Check the organization audit log (https://github.com/organizations/<ORG>/settings/audit-log, filter by hashed_token or actor) and your account's security log (https://github.com/settings/security-log) for use of the token.",
		DocsURL:       "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
	}
	gitHubOAuth := gitHub
	gitHubOAuth.What = "A GitHub OAuth or GitHub App user access token that acts as the user who authorized the app, within the app's scopes or permissions."
	gitHubOAuth.RevokeURL = "https://github.com/settings/applications"
	gitHubOAuth.Revoke = "Revoke the app's access under Settings > Applications (Authorized OAuth Apps or Authorized GitHub Apps); the app owner can delete the token with DELETE /applications/<CLIENT_ID>/token. The credential revocation API also revokes it."
	gitHubOAuth.Rotate = "Have the user re-authorize the app to get a new token; keep user tokens server-side, never in source or client bundles."
	gitHubOAuth.DocsURL = "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps"
	gitHubRefresh := gitHubOAuth
	gitHubRefresh.What = "A GitHub App refresh token that mints new user access tokens for the user who authorized the app, for up to six months."
	gitHubRefresh.DocsURL = "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens"
	gitHubFine := gitHub
	gitHubFine.What = "A GitHub fine-grained personal access token that acts as its owner on the repositories and permissions it was granted."
	gitHubFine.RevokeURL = "https://github.com/settings/personal-access-tokens"
	gitHubFine.Revoke = "Delete the token in Settings > Developer settings > Personal access tokens > Fine-grained tokens; organization owners can also revoke it under the organization's Personal access tokens > Active tokens. The credential revocation API also revokes it."
	gitHubInstall := gitHub
	gitHubInstall.What = "A GitHub App installation access token (ghs_) that acts as the app on the installation's repositories with the app's permissions; it expires within an hour of issue."
	gitHubInstall.RevokeURL = "https://github.com/settings/apps"
	gitHubInstall.Revoke = "Installation tokens expire within an hour; while it is still valid revoke it with DELETE /installation/token authenticated by the token itself (the credential revocation API does not accept ghs_ tokens). If whatever minted it (the app's private key or a CI secret) leaked too, rotate that under the app's settings."
	gitHubInstall.RevokeCommand = `curl -X DELETE https://api.github.com/installation/token -H "Accept: application/vnd.github+json" -H "Authorization: Bearer <TOKEN>"`
	gitHubInstall.Rotate = "Nothing to re-issue by hand: the app mints a fresh token per use. Make sure the log, artifact or file that exposed it no longer does, and generate a new private key for the app if the key was exposed."
	gitHubInstall.Misuse = "Filter the organization audit log (https://github.com/organizations/<ORG>/settings/audit-log) by the app's bot actor (<APP_SLUG>[bot]) for the hour after the token was issued."
	gitHubInstall.DocsURL = "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app"
	const ghFormat = "Format: https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/"

	rules := []Rule{
		{
			ID:          "github-pat",
			Provider:    "GitHub",
			Description: "GitHub personal access token (classic), ghp_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. " + ghFormat,
			Keywords:    []string{"ghp_"},
			Pattern:     `\b(ghp_[A-Za-z0-9]{36})\b`,
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: gitHub,
			TruePositives: []string{
				`export GITHUB_TOKEN=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`,
				`git clone https://x-access-token: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@github.com/acme/infra.git`,
				`{"auths": {"ghcr.io": {"password": "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"}}}`,
			},
			FalsePositives: []string{
				`export GITHUB_TOKEN=ghp_zpPYvXqu138jcupkANXwfunWrLlDqb0hLHaA`,
				`github_token = "ghp_zpPYvXqu138jcupkANXwfunWrLlDqb0hLHaA"`,
				`GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`token: ghp_q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`token = "${{ secrets.GH_PAT }}"`,
			},
		},
		{
			ID:          "github-oauth-token",
			Provider:    "GitHub",
			Description: "GitHub OAuth app access token, gho_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. " + ghFormat,
			Keywords:    []string{"gho_"},
			Pattern:     `\b(gho_[A-Za-z0-9]{36})\b`,
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: gitHubOAuth,
			TruePositives: []string{
				`oauth_token: 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`,
				`client = Github(auth=Auth.Token("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"))`,
				`    "access_token": "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",`,
			},
			FalsePositives: []string{
				`oauth_token: gho_CyEkKb2PiNGCkPgl5fPaKuQwyFFygO4EAhoA`,
				`"password": "gho_CyEkKb2PiNGCkPgl5fPaKuQwyFFygO4EAhoA"`,
				`oauth_token: gho_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`oauth_token: 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Z9`,
			},
		},
		{
			ID:          "github-user-token",
			Provider:    "GitHub",
			Description: "GitHub App user access token (user-to-server), ghu_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. " + ghFormat,
			Keywords:    []string{"ghu_"},
			Pattern:     `\b(ghu_[A-Za-z0-9]{36})\b`,
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: gitHubOAuth,
			TruePositives: []string{
				`GH_USER_TOKEN="ghu_zX7gQdpYjTBAAC9PE3M7SOL0nWSOLt2hoLSe"`,
				`req.Header.Set("Authorization", "Bearer ghu_9kSjaQajCbbNcr7qf7TUUr2fEzU0FG3NIJl1")`,
				`user_token: 'ghu_tGVH8jWWhI7iPBJE9rlqxsFt6GWIvr3x24OU'`,
			},
			FalsePositives: []string{
				`GH_USER_TOKEN="ghu_vSoi0mAZBhXBcNE7DK42wBleNiDYoR09HizA"`,
				`GH_USER_TOKEN="ghu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`GH_USER_TOKEN="${GH_USER_TOKEN}"`,
			},
		},
		{
			ID:          "github-installation-token",
			Provider:    "GitHub",
			Description: "GitHub App installation access token (server-to-server) in the classic form, ghs_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. " + ghFormat,
			Keywords:    []string{"ghs_"},
			Pattern:     `\b(ghs_[A-Za-z0-9]{36})\b`,
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: gitHubInstall,
			TruePositives: []string{
				`INSTALLATION_TOKEN=ghs_MZBJhT63ZpVpz6NMWKybnUzbBAQQa023dfH4`,
				`git remote set-url origin https://x-access-token:ghs_lWyddnmHx8upUou5yo4xGqYRmQo2YT3iHgt0@github.com/acme/site.git`,
				`token = "ghs_DUJeXnw7jGvQ7jwTL8nT8MAIG55MbY1wvjjC"`,
			},
			FalsePositives: []string{
				`INSTALLATION_TOKEN=ghs_pyeAAtyg6klCO81tj5xai88tyPlfGS31w3mA`,
				`INSTALLATION_TOKEN=ghs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`echo "::add-mask::$INSTALLATION_TOKEN" # ghs_ tokens are masked`,
			},
		},
		{
			ID:          "github-installation-token-jwt",
			Provider:    "GitHub",
			Description: "GitHub App installation access token in the stateless form rolled out from April 2026, ghs_ + app ID + _ + a JWT (about 520 characters). Format: https://github.blog/changelog/2026-05-15-github-app-installation-tokens-per-request-override-header/",
			Keywords:    []string{"ghs_"},
			Pattern:     `\b(ghs_[0-9]{1,12}_eyJ[A-Za-z0-9_\-]{10,1000}\.eyJ[A-Za-z0-9_\-]{10,1000}\.[A-Za-z0-9_\-]{20,1000})`,
			Group:       1,
			Validators:  []Validator{validGitHubInstallationJWT},
			Confidence:  High,
			Remediation: gitHubInstall,
			TruePositives: []string{
				`GITHUB_TOKEN=ghs_528019_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjRoYXRNdUJxbTczTiJ9.eyJpc3MiOiJnaXRodWIiLCJzdWIiOiJpbnN0YWxsYXRpb246NzAxMjQzNDIiLCJhcHAiOjUyODAxOSwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDAsIm5iZiI6MTc2NzIyNTU0MCwicGVybXMiOiJEZE5WSzNJUUdBSTUwRmtjeGdZVEN5bXp5Y3Y5VTcyU1dTUVpMbGJRIiwidGlkIjoiMHptQzlpNXBtaU5hNGsxb1M0RFc3T1I3In0.22ddojHp7E54t3LbjEWA56ZoxPRRKiUqLfee_cd_ehzHpUWslqRRpasuls8pDgIQ8IdFm6P4FSWZ_xpnBZx5R4oaj5NJzPl9gPGyWyXBGJxfyKWhgMTYaI9z3LmaNoZlJP0_T5Vm6b8_6MeI1N5N8OAYP-c2XBZtIG_MUDUItn_uAAj5nb9RZCAWHNqJVT0z6bZX3mo3hEyUNpL1vBy03AMzmabdry9PSDac_g8LmeXVZQbtvqOENvKe3yihXt2FHaMfYra9VozUAu8j0GgT8kGHUshN_oCsnDXfiqtor8nzHHu5LXWW_57N6gT0P4WSWpEXfhCDdrRZ5M6wvLY9jn`,
				`  token: "ghs_3485558_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjlGeG9kMUlvTDd6cyJ9.eyJpc3MiOiJnaXRodWIiLCJzdWIiOiJpbnN0YWxsYXRpb246MjMzNTIxNDIiLCJhcHAiOjM0ODU1NTgsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI5MjAwLCJuYmYiOjE3NjcyMjU1NDAsInBlcm1zIjoienZuU0Zwamc2TTFpbmJidFF3NnFxQTRRM200Y0hlWTFudmZad1JhdiIsInRpZCI6Ill2NXBOejRkOVBpeU9JSjJta1VlQ1NjMSJ9.dXc9ES8sB_ebjZZ7yBwRe69nvGkkgVIOdqUAxyKvqQIo-djTZib1nGFdr75jifZ2GlfjEp1rPGM2q5StYSIxh9_G_I6NWkaEW2vatTXjCQIVaC5JLBXGukdNYTtyvzPhiJcMaAF5UlhOkCpZQ0rdzvqlpYwbLdr3wSe5btlqZMtMOl4CmecvFSJBJ6tMS_Edza0jcMp1PmJNGt3soe03DcZy4ApHNKlLXhlh1eprT1EiVPgZOwJE5azwyQFYhWqqZ-4Ktr9ZrUE8x2xVK7muHuTTfR4pNUI_eASFpSy6RJEciiWK7DRSg4G-m7gTl8yQKoworWx4kDPfMaXcNz7K2-"`,
				`curl -H "Authorization: token ghs_1019023_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImU0SEVmTTVxS0wycSJ9.eyJpc3MiOiJnaXRodWIiLCJzdWIiOiJpbnN0YWxsYXRpb246NDAzMDczMzgiLCJhcHAiOjEwMTkwMjMsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjI5MjAwLCJuYmYiOjE3NjcyMjU1NDAsInBlcm1zIjoiNlNEN3NxbllIVGgzcmFEWmRHVUlzcFZRNVlkZTdKcXp2a2hTWExmSCIsInRpZCI6IkFXWDdmTGU5ME5xODZjMlhuTlU3a3NjcSJ9.D3oybNy35c1Zh-D7wRhWNEJkLUSoA627uXiR0ZM6VPsbqLzfEM-L_u2PEcJYnUF2oapfXJi0ub4CliCIIepgPAYACdo2bM5sYjtBm4sXsRLJX_e74AZm06B9Lu4npr_rhAm8d7ZJW8HNAfGeVBlClJMNeN_GFpL1V1pO8T4a_0dQSLVHwS3gOT7dYPKaj28Zs4y_GH4DRF-ojR6fSAT59II9XXoriQGtPvXWzWSk3k5ibODQleLnZn5NF8QPlEQa82jZ4ldtvMYz7C35OZP9rzw_2pkFwBGjkQJrLflt707V12zkKvdbIY_p_kbekuKOAMxm5fK2CGKsm6qkGtAtvf" https://api.github.com/repos/acme/site`,
			},
			FalsePositives: []string{
				`GITHUB_TOKEN=ghs_123456_eyJxxxxxxxxxxxxxxxxx.eyJxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`GITHUB_TOKEN=ghs_acme_eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjRoYXRNdUJxbTczTiJ9.eyJpc3MiOiJnaXRodWIiLCJzdWIiOiJpbnN0YWxsYXRpb246NzAxMjQzNDIiLCJhcHAiOjUyODAxOSwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3NjcyMjkyMDAsIm5iZiI6MTc2NzIyNTU0MCwicGVybXMiOiJEZE5WSzNJUUdBSTUwRmtjeGdZVEN5bXp5Y3Y5VTcyU1dTUVpMbGJRIiwidGlkIjoiMHptQzlpNXBtaU5hNGsxb1M0RFc3T1I3In0.22ddojHp7E54t3LbjEWA56ZoxPRRKiUqLfee_cd_ehzHpUWslqRRpasuls8pDgIQ8IdFm6P4FSWZ_xpnBZx5R4oaj5NJzPl9gPGyWyXBGJxfyKWhgMTYaI9z3LmaNoZlJP0_T5Vm6b8_6MeI1N5N8OAYP-c2XBZtIG_MUDUItn_uAAj5nb9RZCAWHNqJVT0z6bZX3mo3hEyUNpL1vBy03AMzmabdry9PSDac_g8LmeXVZQbtvqOENvKe3yihXt2FHaMfYra9VozUAu8j0GgT8kGHUshN_oCsnDXfiqtor8nzHHu5LXWW_57N6gT0P4WSWpEXfhCDdrRZ5M6wvLY9jn`,
				`GITHUB_TOKEN=ghs_1234567_eyJpaijWikAXZoZKNY9EyE1OlwzcLfLpMmptGW6DlFM.eyJv5a4CmHpCvnKvxtXoRKTGMoHOPTjjlBkadjauup9wSvypJlPo78n5iBY9DdX.dXl1c38blWa0u2tRm3rLcbyqoEZyK6yhlTq0usoF`,
			},
		},
		{
			ID:          "github-refresh-token",
			Provider:    "GitHub",
			Description: "GitHub App refresh token, ghr_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. " + ghFormat,
			Keywords:    []string{"ghr_"},
			Pattern:     `\b(ghr_[A-Za-z0-9]{36})\b`,
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: gitHubRefresh,
			TruePositives: []string{
				`refresh_token=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`,
				`{"refresh_token": "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", "expires_in": 28800}`,
				`REFRESH = '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'`,
			},
			FalsePositives: []string{
				`refresh_token=ghr_Kljl0ji0Cam7hxogDFoWA8NLFspzX33MFSoA`,
				`refresh_token=ghr_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`refresh_token=ghr_q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
			},
		},
		{
			ID:          "github-fine-grained-pat",
			Provider:    "GitHub",
			Description: "GitHub fine-grained personal access token, github_pat_ + 22 base62 characters + _ + 59 base62 characters. Format: https://github.blog/security/application-security/introducing-fine-grained-personal-access-tokens-for-github/",
			Keywords:    []string{"github_pat_"},
			Pattern:     `\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: gitHubFine,
			TruePositives: []string{
				`export GH_TOKEN=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`,
				`password: "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"`,
				`const token = "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";`,
			},
			FalsePositives: []string{
				`export GH_TOKEN=github_pat_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`export GH_TOKEN=github_pat_11ABCDEFG0123456789abc_short`,
				`export GH_TOKEN=<your-github_pat_token>`,
			},
		},
	}

	gitLab := Remediation{
		What:          "A GitLab personal, project or group access token that acts as its user or bot on the API, Git over HTTPS and the registries, within its scopes.",
		RevokeURL:     "https://gitlab.com/-/user_settings/personal_access_tokens",
		Revoke:        "Revoke the token in User settings > Access tokens (project and group tokens: the project's or group's Settings > Access tokens). A token can revoke itself through the API.",
		RevokeCommand: `curl -X DELETE -H "PRIVATE-TOKEN: <TOKEN>" https://gitlab.com/api/v4/personal_access_tokens/self`,
		Rotate:        "Create a replacement with the fewest scopes and an expiry date (or rotate it with POST /personal_access_tokens/<ID>/rotate), update CI/CD variables and clients, and redeploy.",
		Misuse:        "Review the audit events (Secure > Audit events for the group or project, Admin > Monitoring > Audit events on self-managed) and the token's Last used column.",
		DocsURL:       "https://docs.gitlab.com/user/profile/personal_access_tokens/",
	}
	gitLabDeploy := gitLab
	gitLabDeploy.What = "A GitLab deploy token that reads (or writes) a project's or group's repository, container registry and package registry."
	gitLabDeploy.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/settings/repository"
	gitLabDeploy.Revoke = "Revoke it in the project's (or group's) Settings > Repository > Deploy tokens."
	gitLabDeploy.RevokeCommand = `curl -X DELETE -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/deploy_tokens/<DEPLOY_TOKEN_ID>`
	gitLabDeploy.Rotate = "Create a new deploy token with only the scopes needed and update the deploy system or registry credentials that used it."
	gitLabDeploy.DocsURL = "https://docs.gitlab.com/user/project/deploy_tokens/"
	gitLabRunner := gitLab
	gitLabRunner.What = "A GitLab runner authentication token: whoever holds it can register as the runner and receive its CI/CD jobs, including their variables and secrets."
	gitLabRunner.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/settings/ci_cd#js-runners-settings"
	gitLabRunner.Revoke = "Reset the runner's authentication token (or delete the runner) in Settings > CI/CD > Runners; the token can also reset itself through the API."
	gitLabRunner.RevokeCommand = `curl -X POST https://gitlab.com/api/v4/runners/reset_authentication_token --form "token=<TOKEN>"`
	gitLabRunner.Rotate = "Put the new token in the runner's config.toml (or re-register the runner) and restart gitlab-runner."
	gitLabRunner.Misuse = "Check the runner's Last contact and the jobs it picked up (Settings > CI/CD > Runners), and audit events for runner changes."
	gitLabRunner.DocsURL = "https://docs.gitlab.com/security/tokens/#runner-authentication-tokens"
	gitLabRunnerReg := gitLabRunner
	gitLabRunnerReg.What = "A GitLab runner registration token (deprecated): whoever holds it can register runners that receive the project's or group's CI/CD jobs."
	gitLabRunnerReg.Revoke = "Reset the registration token in Settings > CI/CD > Runners (or through the API) and remove runners you do not recognise."
	gitLabRunnerReg.RevokeCommand = `curl -X POST -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/runners/reset_registration_token`
	gitLabRunnerReg.Rotate = "Move to the runner creation workflow (glrt- authentication tokens) instead of registration tokens."
	gitLabRunnerReg.DocsURL = "https://docs.gitlab.com/security/tokens/#runner-registration-tokens-deprecated"
	gitLabTrigger := gitLab
	gitLabTrigger.What = "A GitLab pipeline trigger token that starts pipelines for a project's branches and tags, with the owner's permissions."
	gitLabTrigger.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/settings/ci_cd#js-pipeline-triggers"
	gitLabTrigger.Revoke = "Revoke it in the project's Settings > CI/CD > Pipeline trigger tokens."
	gitLabTrigger.RevokeCommand = `curl -X DELETE -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/triggers/<TRIGGER_ID>`
	gitLabTrigger.Rotate = "Create a new trigger token and update the systems that call the trigger API."
	gitLabTrigger.Misuse = "Look for pipelines with source \"trigger\" that you did not start (Build > Pipelines) and audit events."
	gitLabTrigger.DocsURL = "https://docs.gitlab.com/ci/triggers/"
	gitLabJob := gitLab
	gitLabJob.What = "A GitLab CI/CD job token (CI_JOB_TOKEN) that acts with the permissions of the user who started the job, valid only while the job runs."
	gitLabJob.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/jobs"
	gitLabJob.Revoke = "The token expires when its job finishes; if the job is still running, cancel it. Then remove the token from the log, artifact or file that exposed it."
	gitLabJob.RevokeCommand = `curl -X POST -H "PRIVATE-TOKEN: <TOKEN_WITH_API_SCOPE>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/jobs/<JOB_ID>/cancel`
	gitLabJob.Rotate = "Nothing to re-issue: every job gets a fresh token. Restrict which projects may use job tokens (Settings > CI/CD > Job token permissions)."
	gitLabJob.DocsURL = "https://docs.gitlab.com/ci/jobs/ci_job_token/"
	gitLabFeed := gitLab
	gitLabFeed.What = "A GitLab feed token that reads the user's RSS/Atom feeds and calendar, which include private issue and activity titles."
	gitLabFeed.Revoke = "Reset the feed token in User settings > Access tokens > Feed token."
	gitLabFeed.RevokeCommand = ""
	gitLabFeed.Rotate = "Resetting issues a new token; update feed readers and calendar subscriptions."
	gitLabFeed.DocsURL = "https://docs.gitlab.com/security/tokens/#feed-token"
	gitLabMail := gitLab
	gitLabMail.What = "A GitLab incoming email token that lets anyone who knows it create issues and merge requests by email as the user."
	gitLabMail.Revoke = "Reset it from a project's issue list: Email a new issue to this project > reset this token (or User settings > Access tokens > Incoming email token)."
	gitLabMail.RevokeCommand = ""
	gitLabMail.Rotate = "Resetting issues a new address; update any mail rules that used the old one."
	gitLabMail.DocsURL = "https://docs.gitlab.com/security/tokens/#incoming-email-token"
	gitLabAgent := gitLab
	gitLabAgent.What = "A GitLab agent for Kubernetes token: whoever holds it can connect as the agent and reach the cluster access and CI/CD tunnel it provides."
	gitLabAgent.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/clusters"
	gitLabAgent.Revoke = "Revoke the token in Operate > Kubernetes clusters > <agent> > Access tokens."
	gitLabAgent.RevokeCommand = `curl -X DELETE -H "PRIVATE-TOKEN: <MAINTAINER_TOKEN>" https://gitlab.com/api/v4/projects/<PROJECT_ID>/cluster_agents/<AGENT_ID>/tokens/<TOKEN_ID>`
	gitLabAgent.Rotate = "Create a new agent token and update the agentk Secret in the cluster (helm upgrade --set config.token=...)."
	gitLabAgent.DocsURL = "https://docs.gitlab.com/user/clusters/agent/work_with_agent/#reset-the-agent-token"
	gitLabOAuth := gitLab
	gitLabOAuth.What = "A GitLab OAuth application secret that lets its holder obtain tokens as the application from users who authorized it."
	gitLabOAuth.RevokeURL = "https://gitlab.com/-/user_settings/applications"
	gitLabOAuth.Revoke = "Renew the secret in the application's settings (User settings, Group settings or Admin > Applications > Renew secret)."
	gitLabOAuth.RevokeCommand = `curl -X POST -H "PRIVATE-TOKEN: <ADMIN_TOKEN>" https://gitlab.example.com/api/v4/applications/<APPLICATION_ID>/renew-secret`
	gitLabOAuth.Rotate = "Put the renewed secret in the application's configuration and redeploy it."
	gitLabOAuth.DocsURL = "https://docs.gitlab.com/integration/oauth_provider/"
	gitLabSCIM := gitLab
	gitLabSCIM.What = "A GitLab SCIM token that provisions and deprovisions the group's SAML SSO users."
	gitLabSCIM.RevokeURL = "https://gitlab.com/groups/<GROUP>/-/saml"
	gitLabSCIM.Revoke = "Reset the SCIM token in the group's Settings > SAML SSO > SCIM token."
	gitLabSCIM.RevokeCommand = ""
	gitLabSCIM.Rotate = "Enter the new token in your identity provider's SCIM provisioning settings."
	gitLabSCIM.DocsURL = "https://docs.gitlab.com/user/group/saml_sso/scim_setup/"
	gitLabFlags := gitLab
	gitLabFlags.What = "A GitLab feature flags client token (instance ID) that reads a project's feature flag configuration."
	gitLabFlags.RevokeURL = "https://gitlab.com/<NAMESPACE>/<PROJECT>/-/feature_flags"
	gitLabFlags.Revoke = "Reset the instance ID in Deploy > Feature flags > Configure."
	gitLabFlags.RevokeCommand = ""
	gitLabFlags.Rotate = "Update the Unleash clients with the new instance ID."
	gitLabFlags.DocsURL = "https://docs.gitlab.com/operations/feature_flags/"
	const glFormat = "Format: https://docs.gitlab.com/security/tokens/#token-prefixes"
	const glChars = `[A-Za-z0-9_\-]`

	rules = append(rules,
		Rule{
			ID:          "gitlab-pat",
			Provider:    "GitLab",
			Description: "GitLab personal, project or group access token in the legacy form, glpat- + 20 characters. " + glFormat,
			Keywords:    []string{"glpat-"},
			Pattern:     dtStart + `(glpat-` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLab,
			TruePositives: []string{
				`export GITLAB_TOKEN=glpat-HLUk9m9A4neAXLidRP8N`,
				`private_token: "glpat-VzB3TcXLRIAY0lBEINWU"`,
				`git clone https://oauth2:glpat-vLyMflTWm2igdgjZF5QV@gitlab.com/acme/api.git`,
			},
			FalsePositives: []string{
				`export GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx`,
				`export GITLAB_TOKEN=glpat-XXXXXXXXXXX-XXXXXXXX`,
				`export GITLAB_TOKEN=glpat-q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "gitlab-pat-routable",
			Provider:    "GitLab",
			Description: "GitLab personal, project or group access token in the routable form (GitLab 17.7+), glpat- + base64url payload + . + [version .] + base36 length + 7-character base36 CRC-32, checked. Format: https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/cells/routable_tokens/",
			Keywords:    []string{"glpat-"},
			Pattern:     dtStart + `(glpat-` + glChars + `{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9})` + `(?:[^A-Za-z0-9_.\-]|$)`,
			Group:       1,
			Validators:  []Validator{validGitLabRoutable},
			Confidence:  High,
			Remediation: gitLab,
			TruePositives: []string{
				`export GITLAB_TOKEN=glpat-YzoxCm86YXNzawp1OjFndnlzYXbW0RO_zteF5i1rSnrnQNgQ.01.1c0qci35e`,
				`  token: "glpat-YzoxCm86YTdwbAp1OjE2ZWZxeB9zizcunHNPB6dVZNZfwP0Q.01.1c0if91pz"`,
				`headers = {"PRIVATE-TOKEN": "glpat-YzoxCm86NGxxagp1OjE4bGwyd3eIAL4WlL4OYreZn09z9_oQ.01.1c0fhq3xt"}`,
			},
			FalsePositives: []string{
				`export GITLAB_TOKEN=glpat-YzoxCm86YXNzawp1OjFndnlzYXbW0RO_zteF5i1rSnrnQNgQ.01.1c0qci35a`,
				`export GITLAB_TOKEN=glpat-xxxxxxxx-xxxxxxxxxxxxxxxxxx.xxxxxxxxx`,
				`export GITLAB_TOKEN=glpat-EXAMPLEabcd1234567890qrstuv.01.0example12`,
			},
		},
		Rule{
			ID:          "gitlab-deploy-token",
			Provider:    "GitLab",
			Description: "GitLab deploy token, gldt- + 20 characters. " + glFormat,
			Keywords:    []string{"gldt-"},
			Pattern:     dtStart + `(gldt-` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabDeploy,
			TruePositives: []string{
				`docker login registry.gitlab.com -u gitlab+deploy-token-42 -p gldt-I5SyWcwSEfw3Ck3td7wH`,
				`CI_DEPLOY_PASSWORD: "gldt-ReYwaVV-d1JQmO4IULQz"`,
				`password = 'gldt-iv3wLVcMe9_ktBd0vPUY'`,
			},
			FalsePositives: []string{
				`CI_DEPLOY_PASSWORD: "gldt-xxxxxxxxxxxxxxxxxxxx"`,
				`CI_DEPLOY_PASSWORD: "gldt-q7Rt2LmX9pKv"`,
				`CI_DEPLOY_PASSWORD: "$CI_DEPLOY_PASSWORD" # gldt- tokens`,
			},
		},
		Rule{
			ID:          "gitlab-runner-token",
			Provider:    "GitLab",
			Description: "GitLab runner authentication token, glrt- [+ tN_] + 20 characters. " + glFormat,
			Keywords:    []string{"glrt-"},
			Pattern:     dtStart + `(glrt-(?:t[0-9]_)?` + glChars + `{20})` + `(?:[^A-Za-z0-9_.\-]|$)`,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabRunner,
			TruePositives: []string{
				`  token = "glrt-Ett10NwUDM3Q0eNXG_Zb"`,
				`gitlab-runner register --url https://gitlab.com --token glrt-t3_UdCjY-penUKtFZa9Qp9Y`,
				`RUNNER_TOKEN=glrt-t2_AkCYqO4SAlG_LxxUkC9i`,
			},
			FalsePositives: []string{
				`  token = "glrt-t1_xxxxxxxxxxxxxxxxxxxx"`,
				`  token = "glrt-q7Rt2LmX9pKv"`,
				`  token = "glrt-tx_xxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxx"`,
			},
		},
		Rule{
			ID:          "gitlab-runner-token-routable",
			Provider:    "GitLab",
			Description: "GitLab runner authentication token in the routable form, glrt-[tN_] + base64url payload + . + [version .] + base36 length + 7-character base36 CRC-32, checked. Format: https://handbook.gitlab.com/handbook/engineering/architecture/design-documents/cells/routable_tokens/",
			Keywords:    []string{"glrt-"},
			Pattern:     dtStart + `(glrt-(?:t[0-9]_)?` + glChars + `{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9})` + `(?:[^A-Za-z0-9_.\-]|$)`,
			Group:       1,
			Validators:  []Validator{validGitLabRoutable},
			Confidence:  High,
			Remediation: gitLabRunner,
			TruePositives: []string{
				`  token = "glrt-t3_YzoxCm86OWlhZgp1OmJoc2F9ffwPREb9ze7jvNte3DnIEA.01.1a1suzcnp"`,
				`gitlab-runner register --non-interactive --url https://gitlab.com --token glrt-t2_YzoxCm86OThzNwp1OjhjbDY9MseGl_xtIzAY8U7KsU4iEA.01.1a1fgcnd9 --executor docker`,
				`RUNNER_TOKEN=glrt-t2_YzoxCm86OXJxOAp1OjQ3dDbITEhEnenNpj5j7-OVbHyJEA.01.1a0gl2p07`,
			},
			FalsePositives: []string{
				`  token = "glrt-t3_YzoxCm86OWlhZgp1OmJoc2F9ffwPREb9ze7jvNte3DnIEA.01.1a1suzcna"`,
				`  token = "glrt-tx_xxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxx"`,
				`  token = "glrt-t3_UdCjY-penUKtFZa9Qp9Y"`,
			},
		},
		Rule{
			ID:          "gitlab-pipeline-trigger-token",
			Provider:    "GitLab",
			Description: "GitLab pipeline trigger token, glptt- + 40 hex characters. " + glFormat,
			Keywords:    []string{"glptt-"},
			Pattern:     dtStart + `(glptt-[0-9a-f]{40})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabTrigger,
			TruePositives: []string{
				`curl -X POST --fail -F token=glptt-0acb66c905db56d07042942c60916b74385082a9 -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline`,
				`TRIGGER_TOKEN: "glptt-126ceb707d326fa2cfaa63ae804e5823bb7ef925"`,
				`trigger_token = 'glptt-e09acd0dc39944bed3c75ef404ed83de506beaa6'`,
			},
			FalsePositives: []string{
				`TRIGGER_TOKEN: "glptt-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`TRIGGER_TOKEN: "glptt-3f9a0c7e51b28d46e0a9"`,
				`TRIGGER_TOKEN: "$TRIGGER_TOKEN"  # glptt- value in CI/CD variables`,
			},
		},
		Rule{
			ID:          "gitlab-runner-registration-token",
			Provider:    "GitLab",
			Description: "GitLab runner registration token (deprecated), GR1348941 + 20 characters. " + glFormat,
			Keywords:    []string{"gr1348941"},
			Pattern:     dtStart + `(GR1348941` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabRunnerReg,
			TruePositives: []string{
				`gitlab-runner register --url https://gitlab.com/ --registration-token GR1348941v-VMN4ZuRppvWLDbNDpV`,
				`REGISTRATION_TOKEN=GR1348941w4EzAjX8OpznQStcSSVD`,
				`  runnerRegistrationToken: "GR13489413AHQCe0aSTSGzJRbcfI6"`,
			},
			FalsePositives: []string{
				`REGISTRATION_TOKEN=GR134894112312312312312312312`,
				`REGISTRATION_TOKEN=GR1348941XXXXXXXXXXXXXXXXXXXX`,
				`REGISTRATION_TOKEN=GR1348941q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "gitlab-ci-job-token",
			Provider:    "GitLab",
			Description: "GitLab CI/CD job token, glcbt- + optional partition ID and _ + 20 characters. " + glFormat,
			Keywords:    []string{"glcbt-"},
			Pattern:     dtStart + `(glcbt-(?:[0-9a-zA-Z]{1,5}_)?` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabJob,
			TruePositives: []string{
				`CI_JOB_TOKEN=glcbt-ca_CFnCYmnxgq24_dVOGMKV`,
				`curl --header "JOB-TOKEN: glcbt-00_MbvySFk6bKAkJy3frurq" https://gitlab.com/api/v4/projects/42/packages`,
				`job_token: 'glcbt-4_h8ULW5KMLbmvd_RVNvTP'`,
			},
			FalsePositives: []string{
				`curl --header "JOB-TOKEN: $CI_JOB_TOKEN" # a glcbt- token`,
				`CI_JOB_TOKEN=glcbt-64_xxxxxxxxxxxxxxxxxxxx`,
				`CI_JOB_TOKEN=glcbt-q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "gitlab-feed-token",
			Provider:    "GitLab",
			Description: "GitLab feed token, glft- + 20 characters. " + glFormat,
			Keywords:    []string{"glft-"},
			Pattern:     dtStart + `(glft-` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabFeed,
			TruePositives: []string{
				`https://gitlab.com/acme/api/-/issues.atom?feed_token=glft-8ghECdAFgtiTPPpxOxLN&state=opened`,
				`FEED_TOKEN=glft-xV6iUKZQ2yb0hED5I743`,
				`"feed_token": "glft-ro2O5KnWBdvIXSIt3Bpv"`,
			},
			FalsePositives: []string{
				`FEED_TOKEN=glft-xxxxxxxxxxxxxxxxxxxx`,
				`FEED_TOKEN=glft-q7Rt2LmX9pKv`,
				`FEED_TOKEN=glft-<your-feed-token>`,
			},
		},
		Rule{
			ID:          "gitlab-incoming-mail-token",
			Provider:    "GitLab",
			Description: "GitLab incoming email token, glimt- + 25 characters. " + glFormat,
			Keywords:    []string{"glimt-"},
			Pattern:     dtStart + `(glimt-[0-9a-z]{25})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabMail,
			TruePositives: []string{
				`INCOMING_EMAIL_TOKEN=glimt-9dgq9qyyc56a0b2fz83y205cm`,
				`incoming_email_token: glimt-g0u2w701dutsy98xlz2y510zf`,
				`token = "glimt-gy6gw80pnzljknigxxb4jrrfn"`,
			},
			FalsePositives: []string{
				`token = "glimt-xxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`token = "glimt-q7rt2lmx9pkv"`,
				`token = "glimt-aaaaaaaaaaaabbbbbbbbbbbbb"`,
			},
		},
		Rule{
			ID:          "gitlab-agent-token",
			Provider:    "GitLab",
			Description: "GitLab agent for Kubernetes token, glagent- + 50 characters. " + glFormat,
			Keywords:    []string{"glagent-"},
			Pattern:     dtStart + `(glagent-` + glChars + `{50})` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: gitLabAgent,
			TruePositives: []string{
				`helm upgrade --install acme gitlab/gitlab-agent --set config.token=glagent-jTTjLUjFRaWQZ0lbUwrm0c4-mcypZDEb9LHzQ6LYyB8FacM9BZ`,
				`  token: "glagent-QtEhGosSxL3CW2rdF-eoJY0C3oqec5DbKJnZe8tAcakQ0N8xNO"`,
				`AGENT_TOKEN=glagent-hzlrFUgTMWe-6F5G6VsvYdg1kA_fGpEYdR-UKuaWJBCq0ZSLQz`,
			},
			FalsePositives: []string{
				`AGENT_TOKEN=glagent-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`AGENT_TOKEN=glagent-q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`AGENT_TOKEN=glagent-{{ .Values.agentToken }}`,
			},
		},
		Rule{
			ID:          "gitlab-oauth-app-secret",
			Provider:    "GitLab",
			Description: "GitLab OAuth application secret, gloas- + 64 characters. " + glFormat,
			Keywords:    []string{"gloas-"},
			Pattern:     dtStart + `(gloas-[0-9a-z]{64})` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: gitLabOAuth,
			TruePositives: []string{
				`GITLAB_CLIENT_SECRET=gloas-0u78mzjp4q34khfa8u62rmi04k25jjuacivi3mh9ndo37g4mz5quh1p8j7quytg1`,
				`  client_secret: "gloas-46httscxy4mctgmitbkw23h2g6ot78ujbvnj1pkfme5lkytbs515w3msyh94ehss"`,
				`config.omniauth :gitlab, "5c2b1a", "gloas-d93s79dzslgstd4laaqn1nl9ndq8xcznioi2gae095rlegsyv25wyxeemz1rfj38"`,
			},
			FalsePositives: []string{
				`GITLAB_CLIENT_SECRET=gloas-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`GITLAB_CLIENT_SECRET=gloas-q7rt2lmx9pkv`,
				`GITLAB_CLIENT_SECRET=gloas-0u78mzjp4q34khfa8u62rmi04k25jjuacivi3mh9ndo37g4mz5quh1p8j7quytg1extra`,
			},
		},
		Rule{
			ID:          "gitlab-scim-token",
			Provider:    "GitLab",
			Description: "GitLab group SCIM token, glsoat- + 20 characters. " + glFormat,
			Keywords:    []string{"glsoat-"},
			Pattern:     dtStart + `(glsoat-` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabSCIM,
			TruePositives: []string{
				`SCIM_TOKEN=glsoat-pKH5B1YAAj7dkrokAoVc`,
				`  "scim_token": "glsoat-MwBtbEY0Eq2kp3EcYXME",`,
				`Authorization: Bearer glsoat-VJqFtf-DGSkB1LeCA5bV`,
			},
			FalsePositives: []string{
				`SCIM_TOKEN=glsoat-xxxxxxxxxxxxxxxxxxxx`,
				`SCIM_TOKEN=glsoat-q7Rt2LmX9pKv`,
				`SCIM_TOKEN=glsoat-${SCIM}`,
			},
		},
		Rule{
			ID:          "gitlab-feature-flag-client-token",
			Provider:    "GitLab",
			Description: "GitLab feature flags client token (Unleash instance ID), glffct- + 20 characters. " + glFormat,
			Keywords:    []string{"glffct-"},
			Pattern:     dtStart + `(glffct-` + glChars + `{20})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: gitLabFlags,
			TruePositives: []string{
				`UNLEASH_INSTANCE_ID=glffct-Gym9OJLOnjCZveH4f5K3`,
				`  instanceId: "glffct-xTnbRQZmR8YZoEubgmPG",`,
				`unleash.New(unleash.WithInstanceId("glffct-E3jnxvJOf53aUTYOmEma"))`,
			},
			FalsePositives: []string{
				`UNLEASH_INSTANCE_ID=glffct-xxxxxxxxxxxxxxxxxxxx`,
				`UNLEASH_INSTANCE_ID=glffct-q7Rt2LmX9pKv`,
				`UNLEASH_INSTANCE_ID=glffct-<instance-id>`,
			},
		},
	)

	npmRem := Remediation{
		What:          "An npm access token that can read, and for publish tokens publish, packages as its user on registry.npmjs.org.",
		RevokeURL:     "https://www.npmjs.com/settings/<USERNAME>/tokens",
		Revoke:        "Delete the token on npmjs.com under Access Tokens, or with the npm CLI (npm token list shows the token IDs).",
		RevokeCommand: "npm token revoke <TOKEN_ID>",
		Rotate:        "Create a granular access token limited to the packages and scopes needed, with an expiry (or use trusted publishing from CI), and update NPM_TOKEN / .npmrc in CI.",
		Misuse:        "Check the versions and publish times of your packages (npm view <PACKAGE> time) and the account's security events for publishes you did not make.",
		DocsURL:       "https://docs.npmjs.com/revoking-access-tokens",
	}
	pypiRem := Remediation{
		What:          "A PyPI API token that uploads releases of one project or of every project of its account.",
		RevokeURL:     "https://pypi.org/manage/account/token/",
		Revoke:        "Remove the token in Account settings > API tokens on pypi.org (test.pypi.org for tokens of TestPyPI).",
		RevokeCommand: "",
		Rotate:        "Prefer trusted publishing (OIDC) from CI; otherwise create a project-scoped token and update the CI secret used by twine or uv publish.",
		Misuse:        "Review the account's Security history (https://pypi.org/manage/account/#account-events) and each project's release history for uploads you did not make.",
		DocsURL:       "https://pypi.org/help/#apitoken",
	}
	rubyRem := Remediation{
		What:          "A RubyGems.org API key that pushes, yanks or manages gems and owners as its user, within its scopes.",
		RevokeURL:     "https://rubygems.org/profile/api_keys",
		Revoke:        "Delete the key on rubygems.org under Edit profile > API keys.",
		RevokeCommand: "",
		Rotate:        "Create a scoped key limited to the gem (or use trusted publishing from CI) and update GEM_HOST_API_KEY / ~/.gem/credentials.",
		Misuse:        "Check your gems' version histories and the owner lists on rubygems.org for changes you did not make.",
		DocsURL:       "https://guides.rubygems.org/api-key-scopes/",
	}
	nugetRem := Remediation{
		What:          "A NuGet.org API key that pushes or unlists packages matching its glob pattern for its owner.",
		RevokeURL:     "https://www.nuget.org/account/apikeys",
		Revoke:        "Delete (or regenerate) the key on nuget.org under API Keys.",
		RevokeCommand: "",
		Rotate:        "Create a key limited to the packages and the push scope needed, with an expiry (or use trusted publishing), and update the CI secret.",
		Misuse:        "Review the package versions and owners of the account's packages on nuget.org for changes you did not make.",
		DocsURL:       "https://learn.microsoft.com/nuget/nuget-org/scoped-api-keys",
	}
	dockerRem := Remediation{
		What:          "A Docker Hub access token that pulls and pushes images (and for some scopes deletes them) as its user.",
		RevokeURL:     "https://app.docker.com/settings/personal-access-tokens",
		Revoke:        "Deactivate and delete the token in Account settings > Personal access tokens.",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <HUB_JWT>" https://hub.docker.com/v2/access-tokens/<TOKEN_UUID>`,
		Rotate:        "Create a new token with the least access (read-only where possible) and update docker login credentials in CI.",
		Misuse:        "Check the token's Last used date in the token list and the organization's activity logs for pushes and deletions you did not make.",
		DocsURL:       "https://docs.docker.com/security/access-tokens/",
	}
	dockerOrgRem := dockerRem
	dockerOrgRem.What = "A Docker Hub organization access token that pulls or pushes the organization's repositories it is scoped to."
	dockerOrgRem.RevokeURL = "https://app.docker.com/admin"
	dockerOrgRem.Revoke = "As an organization owner, deactivate or delete the token in Admin Console > Access tokens."
	dockerOrgRem.RevokeCommand = `curl -X DELETE -H "Authorization: Bearer <HUB_JWT>" https://hub.docker.com/v2/orgs/<ORG>/access-tokens/<TOKEN_ID>`
	dockerOrgRem.DocsURL = "https://docs.docker.com/security/access-tokens/organization-access-tokens/"
	jfrogRem := Remediation{
		What:          "A JFrog Artifactory credential that reads and deploys artifacts as its user.",
		RevokeURL:     "https://<SERVER>.jfrog.io/ui/user_profile",
		Revoke:        "Revoke the API key (or the reference token) in Edit Profile; administrators can revoke any token under Administration > User Management > Access Tokens.",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <ADMIN_TOKEN>" https://<SERVER>.jfrog.io/access/api/v1/tokens/<TOKEN_ID>`,
		Rotate:        "Create an access token scoped to the repositories needed, with an expiry, and update the build tool credentials (settings.xml, .npmrc, pip.conf).",
		Misuse:        "Review Artifactory's access and request logs (Administration > Monitoring > Log Analytics) for downloads and deploys you did not make.",
		DocsURL:       "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
	}
	clojarsRem := Remediation{
		What:          "A Clojars deploy token that deploys artifacts to the groups it is scoped to.",
		RevokeURL:     "https://clojars.org/tokens",
		Revoke:        "Disable the token on clojars.org under Deploy Tokens.",
		RevokeCommand: "",
		Rotate:        "Create a token scoped to the group or artifact and update the deploy credentials (CLOJARS_PASSWORD) in CI.",
		Misuse:        "Check the version history of the group's artifacts on clojars.org.",
		DocsURL:       "https://github.com/clojars/clojars-web/wiki/Deploy-Tokens",
	}
	cratesRem := Remediation{
		What:          "A crates.io API token that publishes, yanks and manages owners of crates as its user, within its scopes.",
		RevokeURL:     "https://crates.io/settings/tokens",
		Revoke:        "Revoke the token on crates.io under Account Settings > API Tokens.",
		RevokeCommand: "",
		Rotate:        "Create a token scoped to the crates and endpoints needed, with an expiry (or use trusted publishing), and update CARGO_REGISTRY_TOKEN in CI.",
		Misuse:        "Check the crates' version histories on crates.io and the account's e-mail notifications of publishes.",
		DocsURL:       "https://doc.rust-lang.org/cargo/reference/publishing.html",
	}

	rules = append(rules,
		Rule{
			ID:          "npm-access-token",
			Provider:    "npm",
			Description: "npm access token, npm_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. Format: https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/",
			Keywords:    []string{"npm_"},
			Pattern:     `\b(npm_[A-Za-z0-9]{36})\b`,
			Group:       1,
			Validators:  []Validator{ValidCRC32Token},
			Confidence:  High,
			Remediation: npmRem,
			TruePositives: []string{
				`//registry.npmjs.org/:_authToken=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`,
				`NPM_TOKEN=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`,
				`  NODE_AUTH_TOKEN: "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"`,
			},
			FalsePositives: []string{
				`NPM_TOKEN=npm_wewmKQQIgfDkgmBzGSf5m3vXzNuVr84PScRA`,
				`npm_token: 'npm_wewmKQQIgfDkgmBzGSf5m3vXzNuVr84PScRA'`,
				`//registry.npmjs.org/:_authToken=${NPM_TOKEN}`,
				`NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		Rule{
			ID:          "pypi-upload-token",
			Provider:    "PyPI",
			Description: "PyPI (or TestPyPI) API token, a macaroon: pypi- + base64 starting AgEIcHlwaS5vcmc (pypi.org) or AgENdGVzdC5weXBpLm9yZw (test.pypi.org). Format: https://pypi.org/help/#apitoken",
			Keywords:    []string{"pypi-age"},
			Pattern:     dtStart + `(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,1000})` + dtEnd,
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: pypiRem,
			TruePositives: []string{
				`TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcY4jOVoHqmOMnqe1SGdoeWVJmL8JD0wAXBRlUgeq9YFgRENnNH2cjaI-Jt33Oh6X5_MwZeMWluHRaNwBVRco6IgC2-wNqwsZ1imcLJKJyoGTdoVYv_0k0b_nsgAhLarlKBD_FvTQxk5imY0f6sD6J6yX4dy13FdsdkRVy`,
				`password = pypi-AgEIcHlwaS5vcmcBSZLQhmnq9WWuFsDIC9a1KtVfrRVUieP6ejk2659HKuhAVFowli5W1S34rVUvxReWD9ZdKe5xBwI58jbhxzLFs6bBCjYtdBaindVpnaATlsS74uu93kraK_uw0QdAjtmiL56OtOp2YrJ6b-J85HG_OhjKxBMcYUA-RwEWSyu8F`,
				`UV_PUBLISH_TOKEN: "pypi-AgEIcHlwaS5vcmcVMoXiH-NvrW0I75bhUnZKyKVANBJcqOiw4VrTzcbj5S8jceEIXY7b7vcATqfNBh7s0mt27rBDSuKjdRQi_wA0BVP9DNbX3YMWdNswQyx7lD9oc7Gzvk_rxGVjvFOtKtursZCVd1ui0teS_SezLz3qkMdRY9n4yMkdKWP5-6liVP4ZE-KO7jQ1mGPj"`,
			},
			FalsePositives: []string{
				`password = pypi-AgEIcHlwaS5vcmc`,
				`password = pypi-AgEIcHlwaS5vcmcxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`password = pypi-<your-token>`,
			},
		},
		Rule{
			ID:          "rubygems-api-key",
			Provider:    "RubyGems",
			Description: "RubyGems.org API key, rubygems_ + 48 hex characters. Format: https://guides.rubygems.org/api-key-scopes/",
			Keywords:    []string{"rubygems_"},
			Pattern:     dtStart + `(rubygems_[0-9a-f]{48})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: rubyRem,
			TruePositives: []string{
				`GEM_HOST_API_KEY=rubygems_256b48629df8f90fe8af5ef489e8a8a25db03618c52bcc3b`,
				`:rubygems_api_key: rubygems_80e8ea2185b16d9e0603c2ec649fc0d097e0f64da82bf93a`,
				`  api_key: "rubygems_ef0ed611366974f6c1f4c1818b006002aa543bbb10dec00e"`,
			},
			FalsePositives: []string{
				`GEM_HOST_API_KEY=rubygems_000000000000000000000000000000000000000000000000`,
				`GEM_HOST_API_KEY=rubygems_3f9a0c7e51b28d46e0a9`,
				`GEM_HOST_API_KEY=rubygems_<api-key>`,
			},
		},
		Rule{
			ID:          "nuget-api-key",
			Provider:    "NuGet",
			Description: "NuGet.org API key, oy2 + 43 lower-case base32 characters. Format: https://learn.microsoft.com/nuget/nuget-org/scoped-api-keys",
			Keywords:    []string{"oy2"},
			Pattern:     `\b(oy2[a-z2-7]{43})\b`,
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: nugetRem,
			TruePositives: []string{
				`dotnet nuget push pkg.nupkg --api-key oy27vo2leuihtmcahn4njmfl3bqu6bzpgsbokgx4tovngn --source https://api.nuget.org/v3/index.json`,
				`NUGET_API_KEY=oy2jlusbmc3ydzyblsxefpgpbbg72lxoncl23iz74lm6zi`,
				`<add key="ApiKey" value="oy22l4p2aufufymnuknaoryyfwkjx6onotakens5xasz36" />`,
			},
			FalsePositives: []string{
				`NUGET_API_KEY=oy2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
				`NUGET_API_KEY=oy27vo2leuihtmcahn4njmfl3bqu6bzpgsbokgx4tovngnab`,
				`NUGET_API_KEY=oy23f9a0c7e51b28d46e0a9`,
			},
		},
		Rule{
			ID:          "dockerhub-pat",
			Provider:    "Docker Hub",
			Description: "Docker Hub personal access token, dckr_pat_ + 27 base64url characters. Format: https://docs.docker.com/security/access-tokens/",
			Keywords:    []string{"dckr_pat_"},
			Pattern:     dtStart + `(dckr_pat_` + glChars + `{27})` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dockerRem,
			TruePositives: []string{
				`echo dckr_pat_RZ7ajN6-lEoYfhAdSq3y-AdpNgx | docker login -u acme --password-stdin`,
				`DOCKERHUB_TOKEN=dckr_pat_qgE4NA4FfTvIR1EWgP_m3KYQjY_`,
				`  password: "dckr_pat_LTmEdNton1qBqj9Fy0iWZ46sQZU"`,
			},
			FalsePositives: []string{
				`DOCKERHUB_TOKEN=dckr_pat_xxxxx`,
				`DOCKERHUB_TOKEN=dckr_pat_124509ugsdjga93`,
				`DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		Rule{
			ID:          "dockerhub-oat",
			Provider:    "Docker Hub",
			Description: "Docker Hub organization access token, dckr_oat_ + base64url characters. Format: https://docs.docker.com/security/access-tokens/organization-access-tokens/",
			Keywords:    []string{"dckr_oat_"},
			Pattern:     dtStart + `(dckr_oat_` + glChars + `{27,40})` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dockerOrgRem,
			TruePositives: []string{
				`DOCKER_API_TOKEN=dckr_oat_UaEAiY5oM7Ppmb2369544bLmXmVWHs8d`,
				`echo "dckr_oat_2hSg1mvt8pxExgeCMqIMgoXGwCeaoXyc" | docker login -u acme-org --password-stdin`,
				`  registry_password: 'dckr_oat_ZsS70a50DzlGIDO492G8PcCMy35iDCIB'`,
			},
			FalsePositives: []string{
				`DOCKER_API_TOKEN=dckr_oat_...`,
				`DOCKER_API_TOKEN=dckr_oat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DOCKER_API_TOKEN=dckr_oat_q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "jfrog-api-key",
			Provider:    "JFrog",
			Description: "JFrog Artifactory API key (deprecated), AKCp + 69 alphanumeric characters. Format: https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key",
			Keywords:    []string{"akcp"},
			Pattern:     `\b(AKCp[A-Za-z0-9]{69})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: jfrogRem,
			TruePositives: []string{
				`curl -H "X-JFrog-Art-Api: AKCp2gFsew8cwkPHP5mPG6dSJYCUCQMxoXAdQqraR4E94xGKpD0pxbW9RhMy0rRmjXcu2dt0u" https://acme.jfrog.io/artifactory/api/repositories`,
				`ARTIFACTORY_API_KEY=AKCpH4FLvbW7SalkyzrLw3s2m71aUjCkUxqB6An7Is7DNaNtizuC5vuGr5uJTqUJYu9i3Cz5K`,
				`<password>AKCpkyCMuP0kycN40Xx4a3DKB3uQAM4hExi5HjZ6TeM3alnKW7DIXbhtU4RDjdJfw67O3JBvu</password>`,
			},
			FalsePositives: []string{
				`ARTIFACTORY_API_KEY=AKCpXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`ARTIFACTORY_API_KEY=AkCp2gFsew8cwkPHP5mPG6dSJYCUCQMxoXAdQqraR4E94xGKpD0pxbW9RhMy0rRmjXcu2dt0u`,
				`ARTIFACTORY_API_KEY=AKCpq7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
			},
		},
		Rule{
			ID:          "jfrog-reference-token",
			Provider:    "JFrog",
			Description: "JFrog access (reference) token, 64 characters of base64 of reftkn:01:..., so it starts cmVmdGtuOjAx. Format: https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
			Keywords:    []string{"cmvmdgtu"},
			Pattern:     `\b(cmVmdGtuOjAx[A-Za-z0-9]{52})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: jfrogRem,
			TruePositives: []string{
				`JFROG_ACCESS_TOKEN=cmVmdGtuOjAxOjMTgzOTI0MTI5Nzq1vOrqa58Jefc0bwzaIFgyAvMpjMZ8X01UM2`,
				`jf c add acme --url https://acme.jfrog.io --access-token cmVmdGtuOjAxOjMTg2OTMwMjIyMzobP8Q0M2aXE7gwNwk5Oe8zh38vYaTQL8xc9A`,
				`  "token": "cmVmdGtuOjAxOjMTg1MTA3NTg5MjqUJxlcIxm1frJ54TwTfjM48LTSnBssTosboj"`,
			},
			FalsePositives: []string{
				`JFROG_ACCESS_TOKEN=cmVmdGtuOjAxXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`JFROG_ACCESS_TOKEN=cmVmdGtuOjAxq7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`JFROG_ACCESS_TOKEN=cmVMdGtuOjAxOjMTgzOTI0MTI5Nzq1vOrqa58Jefc0bwzaIFgyAvMpjMZ8X01UM2`,
			},
		},
		Rule{
			ID:          "clojars-deploy-token",
			Provider:    "Clojars",
			Description: "Clojars deploy token, CLOJARS_ + 60 lower-case alphanumeric characters. Format: https://github.com/clojars/clojars-web/wiki/Deploy-Tokens",
			Keywords:    []string{"clojars_"},
			Pattern:     `\b(CLOJARS_[a-z0-9]{60})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: clojarsRem,
			TruePositives: []string{
				`CLOJARS_PASSWORD=CLOJARS_263ot7mnjp5fposznvknuct7ys2rxlqf9nfq32sboyxm5ifxu0p7oxwrfkom`,
				`:password "CLOJARS_4b1a4zatsz6q5fav1y7bafodxg5bacf14rupb9tfm3v24k7u3j8epgqj9kls"`,
				`  clojars_token: 'CLOJARS_uv3o2wp04590jhn9vguw8n4bw4f49yn25cvtqivfudlmg3ky5hu9y4o4l4g5'`,
			},
			FalsePositives: []string{
				`CLOJARS_PASSWORD=CLOJARS_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`CLOJARS_PASSWORD=CLOJARS_q7rt2lmx9pkv`,
				`CLOJARS_PASSWORD=${CLOJARS_DEPLOY_TOKEN}`,
			},
		},
		Rule{
			ID:          "crates-io-token",
			Provider:    "crates.io",
			Description: "crates.io API token, cio + 32 alphanumeric characters. Format: https://github.com/rust-lang/crates.io/pull/6281",
			Keywords:    []string{"cio"},
			Pattern:     `\b(cio[A-Za-z0-9]{32})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: cratesRem,
			TruePositives: []string{
				`CARGO_REGISTRY_TOKEN=ciouL2duwKo4oPycQMdPpvZbxZZaT88O1pg`,
				`cargo login cio2byFtPawlHOunpRPDHa1HkizingbfGBC`,
				`token = "cioLnULIT5tALkHHC4Vb1hoFvfePcz21ku0"`,
			},
			FalsePositives: []string{
				`CARGO_REGISTRY_TOKEN=cioxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`CARGO_REGISTRY_TOKEN=cioq7Rt2LmX9pKv`,
				`let precision_value = "cio3f9a0c7e51b28d46e0a93f9a0c7e51b28d46e0a9";`,
			},
		},
	)

	vaultRem := Remediation{
		What:          "A HashiCorp Vault token that reads and writes secrets and performs every action its policies allow, until it expires.",
		RevokeURL:     "https://developer.hashicorp.com/vault/docs/commands/token/revoke",
		Revoke:        "Revoke the token (and its child tokens) with vault token revoke, or through the API (POST /v1/auth/token/revoke, or /revoke-self with the token itself).",
		RevokeCommand: "vault token revoke <TOKEN>",
		Rotate:        "Issue a new token with the narrowest policies and a short TTL (prefer an auth method such as AppRole, JWT/OIDC or Kubernetes over long-lived tokens) and update the clients.",
		Misuse:        "Search the Vault audit device logs for the token's HMAC-ed accessor (vault token lookup -accessor) and review the secrets it read.",
		DocsURL:       "https://developer.hashicorp.com/vault/docs/concepts/tokens",
	}
	vaultBatch := vaultRem
	vaultBatch.What = "A HashiCorp Vault batch token that performs what its policies allow until its TTL ends; batch tokens cannot be revoked individually."
	vaultBatch.Revoke = "Batch tokens cannot be revoked on their own: they expire with their TTL or when their parent token or auth lease is revoked. Revoke the parent (or the auth method's lease with vault lease revoke -prefix auth/<METHOD>/login) if the exposure cannot wait."
	vaultBatch.RevokeCommand = "vault lease revoke -prefix auth/<METHOD>/login"
	vaultRecovery := vaultRem
	vaultRecovery.What = "A HashiCorp Vault recovery token, usable only while Vault runs in recovery mode, with root-like access to storage."
	vaultRecovery.Revoke = "Recovery tokens work only in recovery mode; restart Vault normally to invalidate it, and regenerate the recovery token (vault operator generate-root -recovery-token) only when needed."
	vaultRecovery.RevokeCommand = ""
	vaultRecovery.DocsURL = "https://developer.hashicorp.com/vault/docs/concepts/recovery-mode"
	tfcRem := Remediation{
		What:          "An HCP Terraform (Terraform Cloud) or Terraform Enterprise API token that acts as its user, team or organization on workspaces, state and variables.",
		RevokeURL:     "https://app.terraform.io/app/settings/tokens",
		Revoke:        "Delete the user token in User settings > Tokens (team and organization tokens: Organization settings > API tokens).",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <ADMIN_TOKEN>" https://app.terraform.io/api/v2/authentication-tokens/<TOKEN_ID>`,
		Rotate:        "Create a new token with an expiry (a team token rather than a user token for automation) and update TF_TOKEN_app_terraform_io or the credentials block of the CLI configuration.",
		Misuse:        "Review the organization's audit trail (GET /api/v2/organization/audit-trail) and workspace run history for runs, state downloads and variable changes you did not make.",
		DocsURL:       "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
	}
	dopplerRem := Remediation{
		What:          "A Doppler personal token with read/write access to every project and config the user can reach.",
		RevokeURL:     "https://dashboard.doppler.com/workplace/tokens",
		Revoke:        "Revoke it in the dashboard under Tokens, or revoke it with itself through the API.",
		RevokeCommand: `curl -X POST https://api.doppler.com/v3/auth/revoke -H "Content-Type: application/json" -d '{"token":"<TOKEN>"}'`,
		Rotate:        "Issue a replacement (prefer a service token or service account token scoped to one config) and rotate the secrets the token could read.",
		Misuse:        "Review the workplace's activity logs in the Doppler dashboard for secret reads and changes by the token.",
		DocsURL:       "https://docs.doppler.com/reference/api",
	}
	dopplerCLI := dopplerRem
	dopplerCLI.What = "A Doppler CLI token with read/write access to everything the logged-in user can reach."
	dopplerCLI.Revoke = "Run doppler logout on the machine it came from (which revokes it), revoke it under Tokens > CLI in the dashboard, or revoke it through the API."
	dopplerService := dopplerRem
	dopplerService.What = "A Doppler service token with read (or read/write) access to the secrets of one project config."
	dopplerService.RevokeURL = "https://dashboard.doppler.com/workplace/projects/<PROJECT>/configs/<CONFIG>/access"
	dopplerService.Revoke = "Revoke it in the project's config > Access > Service tokens, or with the CLI."
	dopplerService.RevokeCommand = "doppler configs tokens revoke <TOKEN_SLUG> --project <PROJECT> --config <CONFIG>"
	dopplerService.Rotate = "Create a new service token for the config, update the deployment that reads it, and rotate the config's secrets."
	dopplerSA := dopplerRem
	dopplerSA.What = "A Doppler service account token with the project and workplace permissions granted to its service account."
	dopplerSA.RevokeURL = "https://dashboard.doppler.com/workplace/team/service_accounts"
	dopplerSA.Revoke = "Delete the token from the service account in Team > Service Accounts, or revoke it through the API."
	dopplerSCIM := dopplerRem
	dopplerSCIM.What = "A Doppler SCIM token that provisions and deprovisions users and groups in the workplace."
	dopplerSCIM.RevokeURL = "https://dashboard.doppler.com/workplace/settings"
	dopplerSCIM.Revoke = "Regenerate the SCIM token in the workplace's SAML/SCIM settings, or revoke it through the API."
	dopplerSCIM.Rotate = "Enter the new SCIM token in the identity provider's provisioning settings."
	dopplerAudit := dopplerRem
	dopplerAudit.What = "A Doppler audit API token with read-only access to the workplace's audit data (users, groups, projects and their access)."
	dopplerAudit.Revoke = "Revoke it in the dashboard under Tokens > Audit, or through the API."
	dopplerAudit.DocsURL = "https://docs.doppler.com/reference/audit-api-reference"
	pulumiRem := Remediation{
		What:          "A Pulumi Cloud access token that acts as its user, team or organization on stacks, state and secrets.",
		RevokeURL:     "https://app.pulumi.com/account/tokens",
		Revoke:        "Delete the token in Pulumi Cloud under Personal access tokens (organization and team tokens: Settings > Access tokens).",
		RevokeCommand: `curl -X DELETE -H "Authorization: token <ADMIN_TOKEN>" https://api.pulumi.com/api/user/tokens/<TOKEN_ID>`,
		Rotate:        "Create a new token with an expiry (a team or organization token for CI, or OIDC) and update PULUMI_ACCESS_TOKEN.",
		Misuse:        "Review the organization's audit logs (Settings > Audit logs) and stack update history.",
		DocsURL:       "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
	}
	opSA := Remediation{
		What:          "A 1Password service account token that reads (and, if granted, writes) the vaults its service account can access.",
		RevokeURL:     "https://start.1password.com/developer-tools/directory",
		Revoke:        "In 1Password.com, open Developer > Directory, select the service account and revoke its token (or delete the service account).",
		RevokeCommand: "",
		Rotate:        "Create a new token for the service account (or a new service account with only the vaults needed) and update OP_SERVICE_ACCOUNT_TOKEN.",
		Misuse:        "Review the service account's Recent activity and the account's Activity log / Events API for item usage.",
		DocsURL:       "https://developer.1password.com/docs/service-accounts/",
	}
	opKey := Remediation{
		What:          "A 1Password Secret Key, which together with the account password unlocks the account's vaults.",
		RevokeURL:     "https://my.1password.com/profile",
		Revoke:        "Regenerate the Secret Key in your 1Password.com profile (My Profile > Regenerate Secret Key) and change the account password if it may also be known.",
		RevokeCommand: "",
		Rotate:        "Sign in again on every device with the new Secret Key and store the new Emergency Kit safely.",
		Misuse:        "Check the account's authorized devices and the sign-in attempts and item usage reports in the Activity Log.",
		DocsURL:       "https://support.1password.com/secret-key/",
	}
	infracostRem := Remediation{
		What:          "An Infracost API key that uses the organization's Infracost Cloud pricing API and uploads cost estimates.",
		RevokeURL:     "https://dashboard.infracost.io/org/<ORG>/settings/general",
		Revoke:        "Rotate the organization API key in Infracost Cloud under Org Settings > API key.",
		RevokeCommand: "",
		Rotate:        "Update INFRACOST_API_KEY in CI (and infracost configure set api_key on workstations) with the new key.",
		Misuse:        "Check the organization's runs and usage in Infracost Cloud for activity you did not start.",
		DocsURL:       "https://www.infracost.io/docs/features/cli_commands/#configure",
	}
	ageRem := Remediation{
		What:          "An age X25519 private key (identity) that decrypts every file encrypted to its recipient, including SOPS files.",
		RevokeURL:     "https://github.com/FiloSottile/age#readme",
		Revoke:        "age keys cannot be revoked: generate a new key pair, re-encrypt the data (sops updatekeys / sops rotate) to the new recipient only, and rotate every secret the old key could decrypt.",
		RevokeCommand: "",
		Rotate:        "age-keygen -o key.txt; replace the old recipient in .sops.yaml or your recipients file; re-encrypt; store the identity outside the repository.",
		Misuse:        "age keeps no logs: assume every ciphertext encrypted to the key, including those in Git history, has been read.",
		DocsURL:       "https://age-encryption.org/v1",
	}
	harnessRem := Remediation{
		What:          "A Harness API key token (personal or service account) that acts as its principal on the Harness platform APIs.",
		RevokeURL:     "https://app.harness.io/ng/account/<ACCOUNT_ID>/settings/access-control",
		Revoke:        "Delete the token (or its API key) under My Profile > My API Keys, or for service accounts under Account Settings > Access Control > Service Accounts.",
		RevokeCommand: `curl -X DELETE -H "x-api-key: <ADMIN_TOKEN>" "https://app.harness.io/ng/api/token/<TOKEN_ID>?accountIdentifier=<ACCOUNT_ID>&apiKeyType=USER&parentIdentifier=<USER_ID>&apiKeyIdentifier=<API_KEY_ID>"`,
		Rotate:        "Create a new token with an expiry under a service account with the least roles, and update the pipelines or tools that used it.",
		Misuse:        "Review the account's Audit Trail (Account Settings > Security and Governance > Audit Trail).",
		DocsURL:       "https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/",
	}
	octopusRem := Remediation{
		What:          "An Octopus Deploy API key that acts as its user (or service account) on the Octopus Server, including deployments.",
		RevokeURL:     "https://<INSTANCE>.octopus.app/app#/users/me/apiKeys",
		Revoke:        "Revoke the key under your profile > My API Keys (for service accounts: Configuration > Users > the account > API keys).",
		RevokeCommand: `curl -X DELETE -H "X-Octopus-ApiKey: <ADMIN_API_KEY>" https://<INSTANCE>.octopus.app/api/users/<USER_ID>/apikeys/<API_KEY_ID>`,
		Rotate:        "Create a new key with an expiry for a service account with only the permissions needed, and update the CI integration.",
		Misuse:        "Review the audit log (Configuration > Audit) for actions by the key's user.",
		DocsURL:       "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
	}
	prefectRem := Remediation{
		What:          "A Prefect Cloud API key that acts as its user on the accounts and workspaces the user can reach.",
		RevokeURL:     "https://app.prefect.cloud/my/api-keys",
		Revoke:        "Delete the key in Prefect Cloud under your profile > API keys.",
		RevokeCommand: "",
		Rotate:        "Create a new key with an expiry (use a service account key for automation) and update PREFECT_API_KEY.",
		Misuse:        "Review the account's audit log (Settings > Audit Log) for actions by the key.",
		DocsURL:       "https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/api-keys",
	}

	rules = append(rules,
		Rule{
			ID:          "vault-service-token",
			Provider:    "HashiCorp Vault",
			Description: "HashiCorp Vault service token (Vault 1.10+), hvs. + 24 characters (root and older tokens) or about 90 and more (tokens carrying their encoded metadata). Format: https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
			Keywords:    []string{"hvs."},
			Pattern:     dtStart + `(hvs\.(?:[A-Za-z0-9]{24}|[A-Za-z0-9_\-]{90,400}))` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: vaultRem,
			TruePositives: []string{
				`export VAULT_TOKEN=hvs.CAESIZkBmy__oX3ShXUYDpOSyZLjnbcRkcfLqSQp1V1oKvR8xWz7Bk72pIyzx8aNUDB3Gkg0oh61wl9SCFb1ffNICoP`,
				`vault_token: "hvs.DTHRTBbv1rf2f11qzohJITwG"`,
				`client.token = 'hvs.CAESIS-e8b3mPs6SM2-sMgU4U4Q-GurvPlt8FGX6nbFH0kFz5MUA_6Aliyq-KYisl_gAcV721QyeFybpGWRWjdpqhNd'`,
			},
			FalsePositives: []string{
				`export VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxx`,
				`export VAULT_TOKEN=hvs.12345678abcdefghijklmnov`,
				`export VAULT_TOKEN=hvs.q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "vault-batch-token",
			Provider:    "HashiCorp Vault",
			Description: "HashiCorp Vault batch token (Vault 1.10+), hvb. + 100 or more characters. Format: https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
			Keywords:    []string{"hvb."},
			Pattern:     dtStart + `(hvb\.[A-Za-z0-9_\-]{100,400})` + dtEnd,
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: vaultBatch,
			TruePositives: []string{
				`VAULT_TOKEN=hvb.AAAAAQaT7aArHXOFtDSImufe70VsPtvfgHBNIrBCzISyu_YkpD3tbYehUEx6CkfvKjFZaTVWwEMZETXlKa7POGajEluq2M9SwMji601bz0ZHqCrVrYpLnrIiaEmD0bug1kuUpkaQBXXgeHxB`,
				`  "client_token": "hvb.AAAAAQInXyX8jTn46_iJZVCSR_txIS512GIA0DdbSts8ElJOfVV0PmiRioW9zPwWsNSRU2roaKU3To7xkPYpqc6NVtmmGmaV3q5U7SzmpQX9Uoy1mJkEpEJn68KVYj-UhuimmiIr5ZcK",`,
				`token = "hvb.AAAAAQcpCkgN5b4O4BZ7LDdqS7UMb7mVufPd8NJtmMosJiT8FH2CC8YzJDXitQmRAP_juLC8c3KWV1E3HvZ3J2rrLXf51U8RAGFitJNjXSn1bu22TQoIUePlLTcstbIcI"`,
			},
			FalsePositives: []string{
				`VAULT_TOKEN=hvb.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`VAULT_TOKEN=hvb.q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`VAULT_TOKEN=hvb.{{ .Values.vaultToken }}`,
			},
		},
		Rule{
			ID:          "vault-recovery-token",
			Provider:    "HashiCorp Vault",
			Description: "HashiCorp Vault recovery-mode token, hvr. + 24 or more characters. Format: https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
			Keywords:    []string{"hvr."},
			Pattern:     dtStart + `(hvr\.(?:[A-Za-z0-9]{24}|[A-Za-z0-9_\-]{90,400}))` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: vaultRecovery,
			TruePositives: []string{
				`VAULT_TOKEN=hvr.TDGXWRyeUZZXTmsVN8zRWFhD vault operator raft list-peers`,
				`recovery_token: "hvr.hW7etKJS4ZFEDGzO6GydbFiG"`,
				`export VAULT_TOKEN='hvr.6ZRfLn0IQmhUGVpPPqmRrNQU'`,
			},
			FalsePositives: []string{
				`VAULT_TOKEN=hvr.xxxxxxxxxxxxxxxxxxxxxxxx`,
				`VAULT_TOKEN=hvr.q7Rt2LmX9pKv`,
				`VAULT_TOKEN=hvr.$RECOVERY_TOKEN`,
			},
		},
		Rule{
			ID:          "vault-legacy-token",
			Provider:    "HashiCorp Vault",
			Description: "HashiCorp Vault service token from before Vault 1.10, s. + 24 characters, on a line that mentions vault. Format: https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
			Keywords:    []string{"vault"},
			Pattern:     `(?:^|[^A-Za-z0-9_.\-])(s\.[A-Za-z0-9]{24})` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasMixedCase, HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: vaultRem,
			TruePositives: []string{
				`export VAULT_TOKEN=s.SOClqeBDMf67m799UIGVUArf`,
				`vault_api_token = "s.rRMVUQeqKYRzGij4GRjAvLLL"`,
				`vault login s.clQeAClZojDFFxLgmsVmSJ3t`,
			},
			FalsePositives: []string{
				`vault_token: s.xxxxxxxxxxxxxxxxxxxxxxxx`,
				`vault_timeout: s.AcceptanceTimeoutSeconds`,
				`token: s.SOClqeBDMf67m799UIGVUArf`,
				`vault_token: s.THISSTRINGISALLUPPERCASE`,
			},
		},
		Rule{
			ID:          "terraform-cloud-token",
			Provider:    "HashiCorp Terraform Cloud",
			Description: "HCP Terraform / Terraform Enterprise API token, 14 characters + .atlasv1. + about 67 characters. Format: https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
			Keywords:    []string{".atlasv1."},
			Pattern:     `\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{55,80})` + dtEnd,
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: tfcRem,
			TruePositives: []string{
				`export TF_TOKEN_app_terraform_io=9vAckNnvzZhyVZ.atlasv1.J8HW9DrqvvLOykCRISUNMxE4hzJ1Pr6xSL6M2aNXXmZ3lzSTJzPjIvfWAphHzRwmNYy`,
				`  token = "gpGHQnXOj5K2FW.atlasv1.3VxakXkXVPHywMmoVZRQc9b5NOusw8U2jOWLwmY6QGWOrf8ylCHp2OrF113R0L5tQZR"`,
				`{"credentials": {"app.terraform.io": {"token": "LpOsEThRaLZ7qy.atlasv1.JVaAV7hakHYkguF0RbaE9os2Hn4H4ZIPWrVEbcPkltoJRDC5XOioF9S3kYxjposDZ5R"}}}`,
			},
			FalsePositives: []string{
				`  token        = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`  token = "9vAckNnvzZhyVZ.atlasv1.q7Rt2LmX9pKv"`,
				`  token = "<your-token>.atlasv1.<rest>"`,
			},
		},
		Rule{
			ID:          "doppler-personal-token",
			Provider:    "Doppler",
			Description: "Doppler personal token, dp.pt. + 43 alphanumeric characters. Format: https://docs.doppler.com/reference/api",
			Keywords:    []string{"dp.pt."},
			Pattern:     `\b(dp\.pt\.[A-Za-z0-9]{40,44})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dopplerRem,
			TruePositives: []string{
				`DOPPLER_TOKEN=dp.pt.hVHFkDyf4UwmXyQMDIVWrrToEUDiimtulzyQ1l6Gifa`,
				`doppler configure set token dp.pt.LxnTHfzrNJ61u3cEhKx2Eb7U4qDvtHi6KFxdLc2EMwm --scope /`,
				`  doppler_token: "dp.pt.ESOGACfAVEwBKyBp6Xj37zzlN6GzYjTWEefhH0qPq8y"`,
			},
			FalsePositives: []string{
				`DOPPLER_TOKEN=dp.pt.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DOPPLER_TOKEN=dp.pt.xxx`,
				`DOPPLER_TOKEN=dp.pt.q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "doppler-cli-token",
			Provider:    "Doppler",
			Description: "Doppler CLI token, dp.ct. + 43 alphanumeric characters. Format: https://docs.doppler.com/reference/api",
			Keywords:    []string{"dp.ct."},
			Pattern:     `\b(dp\.ct\.[A-Za-z0-9]{40,44})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dopplerCLI,
			TruePositives: []string{
				`DOPPLER_TOKEN=dp.ct.6fIEbCUGhfmSuMD8B6lcBoZBy5BdTpVWfiGjLaqerNF`,
				`  token: dp.ct.wkRUsIJJrCN5jq7FUq9zgQacpss4qI89t4nE1RRzk5s`,
				`doppler run --token dp.ct.D7sV3kAmH1saxi0mFyagn3iGZBXNJqLYhFQg9FnpVgd -- npm start`,
			},
			FalsePositives: []string{
				`DOPPLER_TOKEN=dp.ct.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DOPPLER_TOKEN=dp.ct.q7Rt2LmX9pKv`,
				`DOPPLER_TOKEN=dp.ct.<token>`,
			},
		},
		Rule{
			ID:          "doppler-service-token",
			Provider:    "Doppler",
			Description: "Doppler service token, dp.st. + optional config slug and . + 43 alphanumeric characters. Format: https://docs.doppler.com/docs/service-tokens",
			Keywords:    []string{"dp.st."},
			Pattern:     `\b(dp\.st\.(?:[a-z0-9_\-]{1,60}\.)?[A-Za-z0-9]{40,44})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dopplerService,
			TruePositives: []string{
				`DOPPLER_TOKEN=dp.st.dev.e9tKdxmiuQKtynGL0tZVj7yYEox7Sxql6VEPPLeqbNG`,
				`docker run -e DOPPLER_TOKEN="dp.st.prd_eu.4d0rQXzGRz2hfN7WPdo27y2BaED7zcfUuRlkNjVZ64x" acme/api`,
				`doppler setup --token dp.st.2EapBMQBNGLUQ2YJigxi5d5H5utvVwhXT0vtGzdAdvA --no-interactive`,
			},
			FalsePositives: []string{
				`DOPPLER_TOKEN=dp.st.dev.YOUR_TOKEN`,
				`DOPPLER_TOKEN=dp.st.xxxxx`,
				`DOPPLER_TOKEN=dp.st.ci_tests.***REDACTED***`,
			},
		},
		Rule{
			ID:          "doppler-service-account-token",
			Provider:    "Doppler",
			Description: "Doppler service account token, dp.sa. + 43 alphanumeric characters. Format: https://docs.doppler.com/reference/api",
			Keywords:    []string{"dp.sa."},
			Pattern:     `\b(dp\.sa\.[A-Za-z0-9]{40,44})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dopplerSA,
			TruePositives: []string{
				`DOPPLER_TOKEN=dp.sa.sbc7pxfHD4yFPcdHka8duvV0BRBEbkakI7SpmoghBo5`,
				`  doppler_token = "dp.sa.gXBphZm4uZpazrikL9coQG5xZFOHkNRIkjSPr2NAVvY"`,
				`provider "doppler" { doppler_token = "dp.sa.MbwJFTjX0oEB2vUlUuey15namGBIVtjA3xShGU8WZgb" }`,
			},
			FalsePositives: []string{
				`DOPPLER_TOKEN=dp.sa.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DOPPLER_TOKEN=dp.sa.q7Rt2LmX9pKv`,
				`DOPPLER_TOKEN=dp.sa.${DOPPLER_SA}`,
			},
		},
		Rule{
			ID:          "doppler-scim-token",
			Provider:    "Doppler",
			Description: "Doppler SCIM token, dp.scim. + 43 alphanumeric characters. Format: https://docs.doppler.com/reference/api",
			Keywords:    []string{"dp.scim."},
			Pattern:     `\b(dp\.scim\.[A-Za-z0-9]{40,44})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dopplerSCIM,
			TruePositives: []string{
				`SCIM_TOKEN=dp.scim.v5GBA4sLntSnyoBgVOBZt4htvEFqUL1mH0NvzfjQR8o`,
				`  "scimToken": "dp.scim.QuXF4vK2LTHlt6GTWJ5vRvZ3DKsGxmc3gTFCzu2zEG4"`,
				`Authorization: Bearer dp.scim.3dmUZy3M7gHleBhotUmYRkKJl6RYcnBwgvBVMsOgynx`,
			},
			FalsePositives: []string{
				`SCIM_TOKEN=dp.scim.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SCIM_TOKEN=dp.scim.q7Rt2LmX9pKv`,
				`SCIM_TOKEN=dp.scim.<token>`,
			},
		},
		Rule{
			ID:          "doppler-audit-token",
			Provider:    "Doppler",
			Description: "Doppler audit API token, dp.audit. + 43 alphanumeric characters. Format: https://docs.doppler.com/reference/audit-api-reference",
			Keywords:    []string{"dp.audit."},
			Pattern:     `\b(dp\.audit\.[A-Za-z0-9]{40,44})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: dopplerAudit,
			TruePositives: []string{
				`DOPPLER_AUDIT_TOKEN=dp.audit.majebcBfDA0lgGuNfFJ1SfAtxmjmkgMPQiOAgnYs3KC`,
				`  audit_token: 'dp.audit.60bOlH8TWt5xwnu70n9tHlVr4HDpgz9uHxk9GB5AFux'`,
				`curl -H "Authorization: Bearer dp.audit.5KMZCoNxw8bFCSszW8AsKe0DWOZ0EN7ICIgImav7QeD" https://api.doppler.com/v3/workplace`,
			},
			FalsePositives: []string{
				`DOPPLER_AUDIT_TOKEN=dp.audit.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DOPPLER_AUDIT_TOKEN=dp.audit.q7Rt2LmX9pKv`,
				`DOPPLER_AUDIT_TOKEN=dp.audit.{{token}}`,
			},
		},
		Rule{
			ID:          "pulumi-access-token",
			Provider:    "Pulumi",
			Description: "Pulumi Cloud access token, pul- + 40 hex characters. Format: https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
			Keywords:    []string{"pul-"},
			Pattern:     dtStart + `(pul-[0-9a-f]{40})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: pulumiRem,
			TruePositives: []string{
				`export PULUMI_ACCESS_TOKEN=pul-6eb8496b291cc3665307e17f774b9a4e4d3d12f7`,
				`pulumi login --token pul-d24e682db774f5ad4fdf6781698fc7ff97589ba1`,
				`  PULUMI_ACCESS_TOKEN: "pul-9d866a51aa85d7c0fb006ebd7183b2c892fcd65b"`,
			},
			FalsePositives: []string{
				`<img src="./assets/vipul-3f9a0c7e51b28d46e0a93f9a0c7e51b28d46e0a9.png">`,
				`export PULUMI_ACCESS_TOKEN=pul-0000000000000000000000000000000000000000`,
				`export PULUMI_ACCESS_TOKEN=pul-3f9a0c7e51b28d46e0a9`,
			},
		},
		Rule{
			ID:          "1password-service-account-token",
			Provider:    "1Password",
			Description: "1Password service account token, ops_ + base64 of a JSON object (eyJ...), several hundred characters. Format: https://developer.1password.com/docs/service-accounts/",
			Keywords:    []string{"ops_eyj"},
			Pattern:     `\b(ops_eyJ[A-Za-z0-9+/_=\-]{250,1000})`,
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{validOnePasswordServiceToken},
			Confidence:  High,
			Remediation: opSA,
			TruePositives: []string{
				`export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6Ly90Y21ocnNldS4xcGFzc3dvcmQuY29tIiwidXNlckF1dGgiOnsibWV0aG9kIjoiU1JQZy00MDk2IiwiYWxnIjoiUEJFUzJnLUhTMjU2IiwiaXRlcmF0aW9ucyI6NjUwMDAwLCJzYWx0IjoiZnNraTRCdHA1UnE0aXZRV3JJbHM1TiJ9LCJlbWFpbCI6Im52MGdiMmZiNXgxM29AMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiIwOTQ3ZjZkM2Q3YTBkNzAwMjMyMTA4MDIzZmU5MWY4NTUwNTY3NzU0MTczN2VkZTE4MTQxNDk3NDJiMDFmOTgwIiwibXVrIjp7ImFsZyI6IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiJFeWF6VVk1bmlBSUxNVzdlUnpxM3VucU93ZmRDcFNYQU04WndLZE13N244Iiwia2V5X29wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy05VkVLRFAtWU5ORTNKLUZLRk1CLUhYM0dRLVlBQUYzLUdCRE5FIiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6ImI2YTIyYzNmOWVhZDdiZWYxNTEyNGFhZWJkMTk4MTRjOTNmZWVlZTNkNGQyYWQxOWE4Y2FlOGIwOGVhNWJhMjUiLCJ1dWlkIjoiNlM0N1VTUFhZQUYwWUU2MkZMUlZXWVZXODEifSwiZGV2aWNlVXVpZCI6ImlwN3RxaGJscWZ2ZG5xeDg2bXcxMGVoNm42In0`,
				`  OP_SERVICE_ACCOUNT_TOKEN: "ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6Ly9oeWh6emV0Zi4xcGFzc3dvcmQuY29tIiwidXNlckF1dGgiOnsibWV0aG9kIjoiU1JQZy00MDk2IiwiYWxnIjoiUEJFUzJnLUhTMjU2IiwiaXRlcmF0aW9ucyI6NjUwMDAwLCJzYWx0IjoiczhYSFFjNGxFcVZONHhpc3lRd2l2SyJ9LCJlbWFpbCI6ImNwdGNmM2YybDZicThAMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiI0ZjdjZGQ5Yzk2Njk1N2FhZjA2M2YxNzJhMzIyZmEzMGIyZTY0YWM2ZGNjMmQ3NTc2OTg3OWIzNzFhODdhMGY0IiwibXVrIjp7ImFsZyI6IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiI3djM1OTlpZUZZT3cxWXlxeGVFZnpEd1piWl9EZHpXVDBRWVlaRXNoZzJtIiwia2V5X29wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy1SVFRLOFEtRkxaTDlTLUVDRE0yLVcyTE1YLVdES0tTLU5EWEMyIiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6IjQzOTYyYzdkNzIxOGQxNDRjNWNiYjkwZGFkZWM2Nzk2ZTNhM2E4MTA1NTM0NjliMWYzM2Q4M2E2MjJhOTRmYjIiLCJ1dWlkIjoiSVk3UlAzSTlKVEhMWTZUVlVPTFhNWFUxTU0ifSwiZGV2aWNlVXVpZCI6InFzanN1d2VqaGZlMGQyeDBrcWF6aXdka21uIn0"`,
				`token := "ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6Ly9pa2VqZGR5bi4xcGFzc3dvcmQuY29tIiwidXNlckF1dGgiOnsibWV0aG9kIjoiU1JQZy00MDk2IiwiYWxnIjoiUEJFUzJnLUhTMjU2IiwiaXRlcmF0aW9ucyI6NjUwMDAwLCJzYWx0IjoiYUNhdTA1UTRUY2xhTG5rdG5fWDdZYyJ9LCJlbWFpbCI6ImU5MDhteWttb24wbzRAMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiJjYzRhY2U4OGU2N2I4NDg0MGY1MjVkNTc3ZWNkZjc4ZTY4NWU5MDg4ZjVjODEzMjExYjQ1NTJkNDZjZWY1NWU1IiwibXVrIjp7ImFsZyI6IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiJGNlQydFc2WFNuLUdaR3Vzd05zWHQwTmxmTFZTbFpTa2tScTFBU1IxdER4Iiwia2V5X29wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy0yVkI1RjMtNEs4OVk1LUg5VEZQLUhXSDdQLUdQS1FSLUJGMkVSIiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6IjQ3ZDA4NWNlYjAyYTgzODgyOWZlODU5N2U2Y2FlYTM0Y2RjMWNjMmY2YWFiODVlOTY2MWJiY2Q0NGFmNDcxYmEiLCJ1dWlkIjoiUENVUkxMMUJKTlY0VjhVOE9MSzJPV0lJMzUifSwiZGV2aWNlVXVpZCI6IjYxbm92OWNsbm94cWVsa3k3eHA0M2dvcTV4In0"`,
			},
			FalsePositives: []string{
				`export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...`,
				`serviceAccountToken: ops_eyJzaWduSW5B..[Redacted]`,
				`export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		Rule{
			ID:          "1password-secret-key",
			Provider:    "1Password",
			Description: "1Password account Secret Key, A3- + six groups of upper-case letters and digits (6-6-5-5-5-5). Format: https://support.1password.com/secret-key-security/",
			Keywords:    []string{"a3-"},
			Pattern:     `\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: opKey,
			TruePositives: []string{
				`OP_SECRET_KEY=A3-7GS2BB-895SEL-JEQ4A-BX27E-B75T3-PBJNM`,
				`  "secretKey": "A3-63XZMQ-VT29ML-E68BL-8J4LV-E7E37-9S3MW",`,
				`op account add --address my.1password.com --email ops@acme.io --secret-key A3-LRYFV7-3R4BG7-6LC8Q-WGE7R-K5AVB-HCRXS`,
			},
			FalsePositives: []string{
				`OP_SECRET_KEY=A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX`,
				`OP_SECRET_KEY=A3-xXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX`,
				`OP_SECRET_KEY=A3-ABC123-DEF456`,
			},
		},
		Rule{
			ID:          "infracost-api-key",
			Provider:    "Infracost",
			Description: "Infracost API key, ico- + 32 alphanumeric characters. Format: https://www.infracost.io/docs/features/environment_variables/",
			Keywords:    []string{"ico-"},
			Pattern:     `(?:^|[^A-Za-z0-9_.\-])(ico-[A-Za-z0-9]{32})(?:[^A-Za-z0-9_.\-]|$)`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{NotHexOnly, HasLetterAndDigit},
			Confidence:  High,
			Remediation: infracostRem,
			TruePositives: []string{
				`INFRACOST_API_KEY=ico-YLb2W7xYkSgrHM1DK6iS321lXqRirpQf`,
				`infracost configure set api_key ico-RpQYrdrBbjqwCOa2n9mKTAOw0BXv8uUL`,
				`    secret_value = "ico-Eq8nHAO2dNsmOZtmB4jIeMDeaKQbmye1"`,
			},
			FalsePositives: []string{
				`http://assets.example.net/video_box.ico-3f9a0c7e51b28d46e0a9b7d41e09c3a5.png`,
				`INFRACOST_API_KEY=ico-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`INFRACOST_API_KEY=ico-q7Rt2LmX9pKv`,
			},
		},
		Rule{
			ID:          "age-secret-key",
			Provider:    "age",
			Description: "age X25519 identity (private key), AGE-SECRET-KEY-1 + 58 bech32 characters, checksum verified. Format: https://github.com/C2SP/C2SP/blob/main/age.md",
			Keywords:    []string{"age-secret-key-1"},
			Pattern:     `\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b`,
			Group:       1,
			Validators:  []Validator{validAgeSecretKey},
			Confidence:  High,
			Remediation: ageRem,
			TruePositives: []string{
				`AGE-SECRET-KEY-17SU9DHM3PCVQWFYC545F9HZUQK8PCVQLLA80NAPVQRQMLG25P99SLLNATW`,
				`SOPS_AGE_KEY=AGE-SECRET-KEY-12ZQJFTRWAZ2N2GPNH20NZA6F3ALQGSJ2AQQ2V0L7HLR46Y20NGQS9QNHH5`,
				`  age_key: "AGE-SECRET-KEY-1M0MSK9KMV0PWW35MSG3VRN99CLRP8WN4GPRTW89VGEJSZ3ESQ7USNYKS03"`,
			},
			FalsePositives: []string{
				`SOPS_AGE_KEY=AGE-SECRET-KEY-17SU9DHM3PCVQWFYC545F9HZUQK8PCVQLLA80NAPVQRQMLG25P99SLLNATQ`,
				`SOPS_AGE_KEY=AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ`,
				`SOPS_AGE_KEY=AGE-SECRET-KEY-1QPZRY9X8GF2T`,
			},
		},
		Rule{
			ID:          "harness-api-token",
			Provider:    "Harness",
			Description: "Harness personal access token (pat.) or service account token (sat.): account ID, token ID and secret joined by dots. Format: https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/",
			Keywords:    []string{"pat.", "sat."},
			Pattern:     `\b((?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: harnessRem,
			TruePositives: []string{
				`HARNESS_PLATFORM_API_KEY=pat.VIl5wAldIKE1iyMdlzYVxt.e4bde238bfdc9a559cc03573.59MK0H4DPGVK2lImpsBz`,
				`curl -H "x-api-key: pat.UXJ2onm_sazV2NKAmtGISm.2d031ff9432da944efd22b9c.LTOU9DiamWGs4AXuOAcO" https://app.harness.io/ng/api/projects`,
				`  harness_api_key: "pat.mI4-xOIhXjvAITe87y1W-L.cfec7bba6ff689f313286861.cb7zwcj9zcwkBp3yIafS"`,
			},
			FalsePositives: []string{
				`HARNESS_PLATFORM_API_KEY=pat.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxx`,
				`HARNESS_PLATFORM_API_KEY=pat.q7Rt2LmX9pKv.q7Rt2LmX9pKv`,
				`HARNESS_PLATFORM_API_KEY=<pat.account.token.secret>`,
			},
		},
		Rule{
			ID:          "octopus-deploy-api-key",
			Provider:    "Octopus Deploy",
			Description: "Octopus Deploy API key, API- + 26 upper-case letters and digits. Format: https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
			Keywords:    []string{"api-"},
			Pattern:     dtStart + `(API-[A-Z0-9]{26})` + dtEnd,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: octopusRem,
			TruePositives: []string{
				`OCTOPUS_API_KEY=API-GC9LAM9I4IS8XQ4TC51BNBRBLL`,
				`octo create-release --project api --server https://acme.octopus.app --apiKey API-76V7SHENW052988H3VF9ZS1XVA`,
				`set apikey="API-M73E92R7Z5FMD4GQ6O9D1D7WE8"`,
			},
			FalsePositives: []string{
				`https://fog-ringer-f42.notion.site/API-3F9A0C7E51B28D46E0A9B7D41E09C3A5`,
				`msgstr "GSSAPI-VIRHEKAPSELOINTIMERKKIJONO."`,
				`OCTOPUS_API_KEY=API-XXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`OCTOPUS_API_KEY=API-GUEST`,
			},
		},
		Rule{
			ID:          "prefect-api-key",
			Provider:    "Prefect",
			Description: "Prefect Cloud API key, pnu_ + 36 alphanumeric characters. Format: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/api-keys",
			Keywords:    []string{"pnu_"},
			Pattern:     `\b(pnu_[A-Za-z0-9]{36})\b`,
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: prefectRem,
			TruePositives: []string{
				`PREFECT_API_KEY=pnu_XKhP8uThuZOa8VpH5Li5sYHAJlcBZNEiAXjL`,
				`prefect cloud login --key pnu_4Gucs24JIrTxmvqPHwpYfXWuI7ziekHZ1SuX --workspace acme/prod`,
				`  PREFECT_API_KEY: "pnu_3pANtsoGF4NJvGn0eNDn0dLu1OpS2arapcE4"`,
			},
			FalsePositives: []string{
				`PREFECT_API_KEY = "pnu_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"`,
				`PREFECT_API_KEY = "pnu_q7Rt2LmX9pKv"`,
				`PREFECT_API_KEY = "${{ secrets.PREFECT_API_KEY }}"`,
			},
		},
	)

	atlassianRem := Remediation{
		What:          "An Atlassian API token that acts as its user (with the user's password-equivalent access) on Jira, Confluence and the other Atlassian cloud apps.",
		RevokeURL:     "https://id.atlassian.com/manage-profile/security/api-tokens",
		Revoke:        "Revoke the token in your Atlassian account under Security > API tokens; organization admins can revoke users' tokens in admin.atlassian.com > Security > API tokens.",
		RevokeCommand: "",
		Rotate:        "Create a new token (a scoped token with an expiry where possible) and update the scripts and integrations that used it.",
		Misuse:        "Review the organization audit log in admin.atlassian.com and each product's audit log (Jira: Settings > System > Audit log).",
		DocsURL:       "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
	}
	bitbucketRem := Remediation{
		What:          "A Bitbucket Cloud repository, project or workspace access token that reads or writes the resources it is scoped to.",
		RevokeURL:     "https://bitbucket.org/<WORKSPACE>/<REPO>/admin/access-tokens",
		Revoke:        "Revoke the token in the repository's (project's, workspace's) settings > Security > Access tokens.",
		RevokeCommand: "",
		Rotate:        "Create a new access token with only the scopes needed and update the pipelines or integrations that used it.",
		Misuse:        "Review the workspace's audit log (Workspace settings > Audit log, Bitbucket Premium) and recent pushes and pipeline runs.",
		DocsURL:       "https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
	}
	linearRem := Remediation{
		What:          "A Linear personal API key that reads and writes the workspace's issues, projects and comments as its user.",
		RevokeURL:     "https://linear.app/settings/account/security",
		Revoke:        "Revoke the key in Linear under Settings > Account > Security & access > Personal API keys (workspace admins: Settings > API).",
		RevokeCommand: "",
		Rotate:        "Create a new key with the least permissions and team access, and update the integration.",
		Misuse:        "Review the workspace's audit log (Settings > Administration > Audit log, Enterprise) and issue history.",
		DocsURL:       "https://linear.app/developers/graphql#personal-api-keys",
	}
	linearOAuth := linearRem
	linearOAuth.What = "A Linear OAuth access token that acts as the user who authorized the OAuth application, within its scopes."
	linearOAuth.Revoke = "Revoke it with POST https://api.linear.app/oauth/revoke authenticated by the token, or have the user revoke the application under Settings > Account > Security & access > Authorized applications."
	linearOAuth.RevokeCommand = `curl -X POST https://api.linear.app/oauth/revoke -H "Authorization: Bearer <TOKEN>"`
	linearOAuth.Rotate = "Have the user re-authorize the application; keep tokens server-side."
	linearOAuth.DocsURL = "https://linear.app/developers/oauth-2-0-authentication"
	notionRem := Remediation{
		What:          "A Notion integration token that reads and writes the pages and databases shared with the integration.",
		RevokeURL:     "https://www.notion.so/profile/integrations",
		Revoke:        "Open the integration at notion.so/profile/integrations and refresh (rotate) its Internal Integration Secret, or delete the integration.",
		RevokeCommand: "",
		Rotate:        "Store the refreshed secret in the integration's configuration and redeploy.",
		Misuse:        "Check the workspace audit log (Settings > Security & identity > Audit log, Enterprise) and page histories.",
		DocsURL:       "https://developers.notion.com/docs/authorization",
	}
	asanaRem := Remediation{
		What:          "An Asana personal access token that acts as its user on every workspace and project the user can reach.",
		RevokeURL:     "https://app.asana.com/0/my-apps",
		Revoke:        "Deauthorize the token in the Asana developer console (My apps > Personal access tokens).",
		RevokeCommand: "",
		Rotate:        "Create a new token (or a service account / OAuth app for automation) and update the integration.",
		Misuse:        "Review the organization's audit log (Admin console > Security > Audit log API) for actions by the user.",
		DocsURL:       "https://developers.asana.com/docs/personal-access-token",
	}
	figmaRem := Remediation{
		What:          "A Figma personal access token that reads (and within its scopes writes) the files, comments and projects its user can access.",
		RevokeURL:     "https://www.figma.com/settings",
		Revoke:        "Revoke the token in Figma under Settings > Security > Personal access tokens; revocation is instant.",
		RevokeCommand: "",
		Rotate:        "Generate a new token with the narrowest scopes and an expiry, and update FIGMA_TOKEN in the tools that use it.",
		Misuse:        "Check the token's last-used time in Settings > Security and the organization's activity logs (Admin > Activity).",
		DocsURL:       "https://developers.figma.com/docs/rest-api/personal-access-tokens/",
	}
	postmanRem := Remediation{
		What:          "A Postman API key that acts as its user on the Postman API: workspaces, collections, environments and their stored secrets.",
		RevokeURL:     "https://go.postman.co/settings/me/api-keys",
		Revoke:        "Delete the key in Postman under Settings > API keys (team admins can revoke members' keys in Team Settings).",
		RevokeCommand: "",
		Rotate:        "Generate a new key with an expiry and update the CI jobs (newman, Postman CLI) that used it.",
		Misuse:        "Review the team's audit logs (Team > Audit logs) and the version history of collections and environments.",
		DocsURL:       "https://learning.postman.com/docs/developer/postman-api/authentication/",
	}
	oktaRem := Remediation{
		What:          "An Okta API token (SSWS) that calls the Okta management APIs with the administrator permissions of the user who created it.",
		RevokeURL:     "https://<ORG>-admin.okta.com/admin/access/api/tokens",
		Revoke:        "Revoke the token in the Admin Console under Security > API > Tokens.",
		RevokeCommand: `curl -X DELETE -H "Authorization: SSWS <ADMIN_API_TOKEN>" https://<ORG>.okta.com/api/v1/api-tokens/<TOKEN_ID>`,
		Rotate:        "Prefer an OAuth 2.0 service app with scoped grants; otherwise create a new token from a dedicated least-privileged admin and update the integration.",
		Misuse:        "Search the System Log (Reports > System Log) for events whose client or transaction used the token, and for admin changes.",
		DocsURL:       "https://developer.okta.com/docs/guides/create-an-api-token/main/",
	}
	auth0Rem := Remediation{
		What:          "An Auth0 application client secret that lets its holder obtain tokens as the application, including Management API tokens if the application is granted them.",
		RevokeURL:     "https://manage.auth0.com/#/applications",
		Revoke:        "Rotate the client secret in the Auth0 Dashboard (Applications > <app> > Settings > Rotate secret) or through the Management API.",
		RevokeCommand: `curl -X POST -H "Authorization: Bearer <MGMT_API_TOKEN>" https://<TENANT>.auth0.com/api/v2/clients/<CLIENT_ID>/rotate-secret`,
		Rotate:        "Update the application's configuration with the new secret and redeploy it.",
		Misuse:        "Search the tenant logs (Monitoring > Logs) for seccft (client credentials exchange) and other events of the client ID.",
		DocsURL:       "https://auth0.com/docs/get-started/applications/rotate-client-secret",
	}
	auth0Mgmt := auth0Rem
	auth0Mgmt.What = "An Auth0 Management API access token that manages the tenant (users, applications, connections) with its scopes until it expires."
	auth0Mgmt.Revoke = "Access tokens cannot be revoked individually; they expire (24 hours by default). Rotate the secret of the application that obtained it (its azp claim) and remove its Management API grant if it is not needed."
	auth0Mgmt.RevokeCommand = `curl -X POST -H "Authorization: Bearer <MGMT_API_TOKEN>" https://<TENANT>.auth0.com/api/v2/clients/<CLIENT_ID>/rotate-secret`
	auth0Mgmt.Rotate = "Lower the token lifetime and the granted scopes in Applications > APIs > Auth0 Management API > Machine to Machine Applications."
	auth0Mgmt.Misuse = "Search the tenant logs (Monitoring > Logs) for Management API operations (type sapi) by the client ID in the token's azp claim."
	auth0Mgmt.DocsURL = "https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens"
	dropboxRem := Remediation{
		What:          "A Dropbox access token that reads and writes the user's or team's files within the app's permissions.",
		RevokeURL:     "https://www.dropbox.com/account/connected_apps",
		Revoke:        "Revoke it with POST /2/auth/token/revoke authenticated by the token, or disconnect the app in Settings > Connected apps (app owners: the App Console).",
		RevokeCommand: `curl -X POST https://api.dropboxapi.com/2/auth/token/revoke -H "Authorization: Bearer <TOKEN>"`,
		Rotate:        "Use short-lived tokens with refresh tokens kept server-side; re-run the OAuth flow for a new token.",
		Misuse:        "Review the account's Security page (sessions and linked apps) and, for teams, the admin console Activity log.",
		DocsURL:       "https://developers.dropbox.com/oauth-guide",
	}
	circleRem := Remediation{
		What:          "A CircleCI API token that acts as its user (personal) or on its project (project token), including triggering pipelines and managing project settings.",
		RevokeURL:     "https://app.circleci.com/settings/user/tokens",
		Revoke:        "Delete the personal token in User Settings > Personal API Tokens (project tokens: Project Settings > API Permissions).",
		RevokeCommand: "",
		Rotate:        "Create a new token and update the scripts or CLI (circleci setup) that use it.",
		Misuse:        "Review the organization's audit logs (Organization Settings > Security > Audit Logs) and pipeline history.",
		DocsURL:       "https://circleci.com/docs/managing-api-tokens/",
	}
	buildkiteRem := Remediation{
		What:          "A Buildkite user API access token that calls the REST and GraphQL APIs as its user for the organizations and scopes it was granted.",
		RevokeURL:     "https://buildkite.com/user/api-access-tokens",
		Revoke:        "Revoke the token in Personal Settings > API Access Tokens, or with the API authenticated by the token itself.",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <TOKEN>" https://api.buildkite.com/v2/access-token`,
		Rotate:        "Create a new token with the least scopes and organization access, and update the tools that use it.",
		Misuse:        "Review the organization's audit log (Organization Settings > Audit Log).",
		DocsURL:       "https://buildkite.com/docs/apis/managing-api-tokens",
	}
	sonarRem := Remediation{
		What:          "A SonarQube / SonarQube Cloud token that runs analyses (and, for user tokens, acts as the user on the Web API).",
		RevokeURL:     "https://sonarcloud.io/account/security",
		Revoke:        "Revoke the token in My Account > Security (administrators: Administration > Security > Users > Tokens).",
		RevokeCommand: `curl -u <ADMIN_TOKEN>: -X POST "https://<SONAR_HOST>/api/user_tokens/revoke?name=<TOKEN_NAME>&login=<LOGIN>"`,
		Rotate:        "Generate a project analysis token (sqp_) with an expiry and update SONAR_TOKEN in CI.",
		Misuse:        "Check the token's Last use in My Account > Security and the project's analysis history.",
		DocsURL:       "https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/",
	}
	snykRem := Remediation{
		What:          "A Snyk API token that acts as its user on the Snyk API and CLI for every organization the user belongs to.",
		RevokeURL:     "https://app.snyk.io/account",
		Revoke:        "Revoke and regenerate the token in Account settings > Auth Token (service account tokens: Organization settings > Service accounts).",
		RevokeCommand: "",
		Rotate:        "Use a service account token for CI, and update SNYK_TOKEN.",
		Misuse:        "Review the organization's audit logs (Settings > Audit logs).",
		DocsURL:       "https://docs.snyk.io/snyk-api/authentication-for-api",
	}
	codecovRem := Remediation{
		What:          "A Codecov upload token that uploads coverage reports to a repository (or, as a global token, to every repository of an organization).",
		RevokeURL:     "https://app.codecov.io/gh/<OWNER>/<REPO>/config/general",
		Revoke:        "Regenerate the repository upload token in the repository's Configuration > General (global tokens: organization settings).",
		RevokeCommand: "",
		Rotate:        "Update CODECOV_TOKEN in CI with the regenerated token (or use OIDC uploads).",
		Misuse:        "Look for coverage uploads on commits and branches that are not yours in the repository's Codecov history.",
		DocsURL:       "https://docs.codecov.com/docs/codecov-tokens",
	}
	ldRem := Remediation{
		What:          "A LaunchDarkly API access token that reads or changes feature flags, environments and members with its role.",
		RevokeURL:     "https://app.launchdarkly.com/settings/authorization",
		Revoke:        "Delete or reset the token in Organization settings > Authorization > Access tokens.",
		RevokeCommand: `curl -X POST -H "Authorization: <ADMIN_TOKEN>" https://app.launchdarkly.com/api/v2/tokens/<TOKEN_ID>/reset`,
		Rotate:        "Create a service token with the least role and update the integration.",
		Misuse:        "Review the audit log (Audit log in the LaunchDarkly UI, or GET /api/v2/auditlog) for changes by the token.",
		DocsURL:       "https://launchdarkly.com/docs/home/account/api",
	}
	ldSDK := ldRem
	ldSDK.What = "A LaunchDarkly server-side SDK key that reads every flag and segment (including targeted user keys) of one environment."
	ldSDK.RevokeURL = "https://app.launchdarkly.com/projects/<PROJECT>/settings/environments"
	ldSDK.Revoke = "Reset the environment's SDK key in Project settings > Environments (you can let the old key expire over a grace period)."
	ldSDK.RevokeCommand = `curl -X POST -H "Authorization: <ADMIN_TOKEN>" https://app.launchdarkly.com/api/v2/projects/<PROJECT_KEY>/environments/<ENV_KEY>/apiKey`
	ldSDK.Rotate = "Roll the new SDK key out to your servers before the old one expires."
	ldSDK.DocsURL = "https://launchdarkly.com/docs/sdk/concepts/client-side-server-side#keys"
	travisRem := Remediation{
		What:          "A Travis CI API token that acts as its user on the Travis CI API: triggering builds, reading logs and changing settings and environment variables.",
		RevokeURL:     "https://app.travis-ci.com/account/preferences",
		Revoke:        "Regenerate the API token in Settings > Preferences > API authentication.",
		RevokeCommand: "",
		Rotate:        "Update the tools that used the token with the regenerated one.",
		Misuse:        "Review build history and repository settings changes in Travis CI.",
		DocsURL:       "https://docs.travis-ci.com/user/triggering-builds/",
	}
	droneRem := Remediation{
		What:          "A Drone CI personal token that acts as its user on the Drone server API, including secrets and build management.",
		RevokeURL:     "https://<DRONE_SERVER>/account",
		Revoke:        "Rotate the token: the API call below (authenticated by the token) issues a new one and invalidates the old.",
		RevokeCommand: `curl -X POST -H "Authorization: Bearer <TOKEN>" "https://<DRONE_SERVER>/api/user/token?rotate=true"`,
		Rotate:        "Update DRONE_TOKEN in the CLI configuration and scripts with the new token.",
		Misuse:        "Review the Drone server logs and the builds and secrets changed by the user.",
		DocsURL:       "https://docs.drone.io/cli/setup/",
	}
	sourcegraphRem := Remediation{
		What:          "A Sourcegraph access token that acts as its user on the Sourcegraph API: code search over every repository the user can read.",
		RevokeURL:     "https://sourcegraph.com/user/settings/tokens",
		Revoke:        "Delete the token in User settings > Access tokens (site admins can delete any user's tokens), or with the GraphQL API authenticated by the token itself.",
		RevokeCommand: `src api -query 'mutation { deleteAccessToken(byToken: "<TOKEN>") { alwaysNil } }'`,
		Rotate:        "Create a new token and update SRC_ACCESS_TOKEN in the tools that use it.",
		Misuse:        "Review the instance's security event logs (Site admin > Analytics > Security events) for the user.",
		DocsURL:       "https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
	}
	readmeRem := Remediation{
		What:          "A ReadMe API key that reads and changes a project's documentation, API definitions and metrics.",
		RevokeURL:     "https://dash.readme.com/project/<PROJECT>/api-key",
		Revoke:        "Revoke the key in the project dashboard under API Keys.",
		RevokeCommand: "",
		Rotate:        "Create a new key and update RDME_API_KEY in CI (rdme).",
		Misuse:        "Review the project's changelog and page history for edits you did not make.",
		DocsURL:       "https://docs.readme.com/main/reference/intro/authentication",
	}

	rules = append(rules,
		Rule{
			ID:          "atlassian-api-token",
			Provider:    "Atlassian",
			Description: "Atlassian API token (Jira, Confluence), ATATT3 + base64url + = + 8 hex checksum characters. Format: https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
			Keywords:    []string{"atatt3"},
			Pattern:     dtStart + `(ATATT3[A-Za-z0-9_\-]{150,300}=[0-9A-F]{8})` + dtEnd,
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: atlassianRem,
			TruePositives: []string{
				`JIRA_API_TOKEN=ATATT3xFfGF0r710ho5u8U2QHA0K2MIrh-kgTOVdRQXppY4tdADyZKvgRwgQyIrYFVG5AUF_OdvGpxVijDOnHXkP3CPP2wwGYHLZp-2tg3eioq7DYsvB83C9GqDU8Jk1LUxO-Nu1XJzFGfLHs4K11Sl8hUkuG2gSRQhdoleK9HRSvoO-ad-4q1Y=59C25193`,
				`curl -u ops@acme.io:ATATT3xFfGF0cMZgCoKbN4GZ9iNhJwSbDwpMKUaAt6E87z-joUB9g3JiKq44kRHhnKOTkMjRZv4o4X7eL2prQXcVHM9y6Nm-N47f92LOnVOQCVzAPulYjH4JaRh_UGt820onISMpM96elnGNFkp_SI1s0ZC9uD4NCFPo9_p2NEUe0vEtxD1AYRR=6BA044CC https://acme.atlassian.net/rest/api/3/myself`,
				`  confluence_token: "ATATT3xFfGF00lW14vDHjwxEl4K_1kvIgxLpjENPbP5s2ggcSVFLv1NZx82s66XD-wIfrlBRwqwSspqpJfZDCbT1Q1RHQDAmaLPOWokTcP9gzzTiTrBKLGEu5JgPRHtZTcYrWaaFlcAtla1Uwnz6PuHJZEpjIvW1g1GKeVylPHmhMPEy_fNR4U7=2DFA4768"`,
			},
			FalsePositives: []string{
				`JIRA_API_TOKEN=ATATT3xFfGF0AbCdEfGhIjKlMnOpQrStUv`,
				`JIRA_API_TOKEN=ATATT3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=0A1B2C3D`,
				`JIRA_API_TOKEN=ATATT3xFfGF0r710ho5u8U2QHA0K2MIrh-kgTOVdRQXppY4tdADyZKvgRwgQyIrYFVG5AUF_OdvGpxVijDOnHXkP3CPP2wwGYHLZp-2tg3eioq7DYsvB83C9GqDU8Jk1LUxO-Nu1XJzFGfLHs4K11Sl8hUkuG2gSRQhdoleK9HRSvoO-ad-4q1Y`,
			},
		},
		Rule{
			ID:          "atlassian-api-token-legacy",
			Provider:    "Atlassian",
			Description: "Atlassian API token in the 24-character form issued before 2023, assigned to a name mentioning atlassian, jira or confluence. Format: https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
			Keywords:    []string{"atlassian", "jira", "confluence"},
			Pattern:     dtAssign(`atlassian|jira|confluence`, `[A-Za-z0-9]{24}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: atlassianRem,
			TruePositives: []string{
				`JIRA_API_TOKEN=czGiY2UBCe9sbNx2wdnKU3ab`,
				`confluence_token: "PjCBNx2L84wJhkyGsbqf2Rcd"`,
				`System.setProperty("ATLASSIAN_TOKEN", "U9jkxuHnKe1bczJRNDrBI2ef")`,
			},
			FalsePositives: []string{
				`getPagesInConfluenceSpace,searchConfluenceUsingCql`,
				`JIRA_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxx`,
				`JIRA_API_TOKEN=czGiY2UBCe9sbNx2wdnKU3`,
				`JIRA_BASE_URL=https://acme.atlassian.net`,
			},
		},
		Rule{
			ID:          "bitbucket-access-token",
			Provider:    "Bitbucket",
			Description: "Bitbucket Cloud repository, project or workspace access token, ATCTT3 + base64url + = + 8 hex checksum characters. Format: https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
			Keywords:    []string{"atctt3"},
			Pattern:     dtStart + `(ATCTT3[A-Za-z0-9_\-]{150,300}=[0-9A-F]{8})` + dtEnd,
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: bitbucketRem,
			TruePositives: []string{
				`BITBUCKET_TOKEN=ATCTT3xFfGN0VztZ-oysuwaUyXHleC3ul87Y8gcFVdTJZvN0g4cKvtn5Ef2MD01SLLBPXyp6eA3I8ToQzwin1aepoarqHEoAz0pKjtcqQILuK5LIg2F2RsQ3jXDraE-W9tKjxBiftl7D_POZLN1-nyrhfPe9ukDNCHICdC4Prvy41o7lfNqQjGn=06E64D41`,
				`git clone https://x-token-auth:ATCTT3xFfGN0KIWfUvbogvF61QGTXB7EEXezOP1ALPA3xYSfEHkXDHPEBWD2V0Ki5TUHGmfGVIcNjwE0C-lVvUfahxNfFdraWymsEr4vMfE9TOSH1p2rbomLsKkUabx0ciU6j4Dze-Uw2o2zGRzRehmd6GVikrpuPFQZ7LExlN1k_0NF8rYF3PM=D9199DFD@bitbucket.org/acme/api.git`,
				`AUTH = "Bearer ATCTT3xFfGN0KRwAA0zKLbx-1sOkcQ2NHsogTZ3wApbX10HGd3_ykEJD80jC8Aleu-Py-Hq2whfAHz3hZNt3WGxPTQXAoSb0LGM1EnZvs2jEBhBOhRCfXigCXKpxVb3k3y_3NKCmMcWUCZLvgHxzUQGdWb26fUO1UjnOR6wJ8gjifkBH-CCYhgU=EFFCF004"`,
			},
			FalsePositives: []string{
				`BITBUCKET_TOKEN=ATCTT3xFfGN0AbCdEfGhIjKlMnOpQrStUv`,
				`BITBUCKET_TOKEN=ATCTT3xFfGN0VztZ-oysuwaUyXHleC3ul87Y8gcFVdTJZvN0g4cKvtn5Ef2MD01SLLBPXyp6eA3I8ToQzwin1aepoarqHEoAz0pKjtcqQILuK5LIg2F2RsQ3jXDraE-W9tKjxBiftl7D_POZLN1-nyrhfPe9ukDNCHICdC4Prvy41o7lfNqQjGn`,
				`BITBUCKET_TOKEN=${BITBUCKET_ACCESS_TOKEN}`,
			},
		},
		Rule{
			ID:          "linear-api-key",
			Provider:    "Linear",
			Description: "Linear personal API key, lin_api_ + 40 alphanumeric characters. Format: https://linear.app/developers/graphql#personal-api-keys",
			Keywords:    []string{"lin_api_"},
			Pattern:     `\b(lin_api_[A-Za-z0-9]{40})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: linearRem,
			TruePositives: []string{
				`LINEAR_API_KEY=lin_api_D6sVD5fLc9hr3WhpX7DJ6VpGzDDhy81NOwRwuSAp`,
				`headers: { Authorization: "lin_api_ud0yNuFGea7qOd19ucxStz2AknRJ7QBUMDhXTJ9n" },`,
				`  linear_token: 'lin_api_M6QJiRVSTkQWqoH3AFdlXeDlnVBulegrVYKgJhde'`,
			},
			FalsePositives: []string{
				`LINEAR_API_KEY=lin_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`LINEAR_API_KEY=lin_api_q7Rt2LmX9pKv`,
				`LINEAR_API_KEY=lin_api_********`,
			},
		},
		Rule{
			ID:          "linear-oauth-token",
			Provider:    "Linear",
			Description: "Linear OAuth access token, lin_oauth_ + 64 hex characters. Format: https://linear.app/developers/oauth-2-0-authentication",
			Keywords:    []string{"lin_oauth_"},
			Pattern:     `\b(lin_oauth_[0-9a-f]{64})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: linearOAuth,
			TruePositives: []string{
				`LINEAR_ACCESS_TOKEN=lin_oauth_42d1b748d062f3c8243673b00ed9234e9eef6018bb07ef2fcb1bea4b2b7b1fe1`,
				`{"access_token":"lin_oauth_869f48bab303c766452ac46b1f86a1930217fa9a634722745df6df3af0e432c0","token_type":"Bearer"}`,
				`token = "lin_oauth_5fb7b79d4c266168858fb7deaa2edb7d4895c8f7b92e7f628a82010ce70af7fe"`,
			},
			FalsePositives: []string{
				`LINEAR_ACCESS_TOKEN=lin_oauth_0000000000000000000000000000000000000000000000000000000000000000`,
				`LINEAR_ACCESS_TOKEN=lin_oauth_3f9a0c7e51b28d46e0a9`,
				`LINEAR_ACCESS_TOKEN=lin_oauth_<token>`,
			},
		},
		Rule{
			ID:          "notion-integration-token",
			Provider:    "Notion",
			Description: "Notion integration token in the form issued until September 2024, secret_ + 43 alphanumeric characters. Format: https://developers.notion.com/docs/authorization",
			Keywords:    []string{"secret_"},
			Pattern:     `\b(secret_[A-Za-z0-9]{43})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: notionRem,
			TruePositives: []string{
				`NOTION_TOKEN=secret_EJgz7hjUOqxbrmCpF8wP8kmQlO8wtIwDhSEEsaViHAi`,
				`const notion = new Client({ auth: "secret_KeRqOjumps829iXlSeYEyrhQ2vt7rUXaBrzBbYPgavZ" })`,
				`  notion_api_key: 'secret_bULg8MeDne1GZ5WOWT5aRlIEiUXtMlT2zinsQxv5Id8'`,
			},
			FalsePositives: []string{
				`NOTION_TOKEN=secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`NOTION_TOKEN=secret_q7Rt2LmX9pKv`,
				`client_secret_key_name_for_the_notion_integration_config`,
			},
		},
		Rule{
			ID:          "notion-api-token",
			Provider:    "Notion",
			Description: "Notion integration token (from September 2024), ntn_ + 11 digits + 35 alphanumeric characters. Format: https://developers.notion.com/docs/authorization",
			Keywords:    []string{"ntn_"},
			Pattern:     `\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: notionRem,
			TruePositives: []string{
				`NOTION_API_KEY=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`,
				`notion = Client(auth="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")`,
				`  "token": "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"`,
			},
			FalsePositives: []string{
				`NOTION_API_KEY=ntn_12345678901`,
				`NOTION_API_KEY=ntn_123456789012345678901234567890123456789012345678901234567890`,
				`NOTION_API_KEY=ntn_12345678901abc`,
			},
		},
		Rule{
			ID:          "asana-pat",
			Provider:    "Asana",
			Description: "Asana personal access token, 1/<user gid>:<32 hex> (v1) or 2/<user gid>/<token gid>:<32 hex> (v2). Format: https://developers.asana.com/docs/personal-access-token",
			Keywords:    []string{"1/", "2/"},
			Pattern:     `(?:^|[^A-Za-z0-9_/\-])([12]/[0-9]{12,19}(?:/[0-9]{12,19})?:[0-9a-f]{32})` + dtEnd,
			Group:       1,
			Confidence:  Medium,
			Remediation: asanaRem,
			TruePositives: []string{
				`ASANA_ACCESS_TOKEN=1/6788606561674451:b75ebe809e6e7041da2e27a630ef7e89`,
				`curl https://app.asana.com/api/1.0/users/me -H "Authorization: Bearer 2/9517480714638076/6088874458797075:5692cee2d584923260fd3beb3712be00"`,
				`  asana_pat: "1/2142462866772892:ae35350f061a69c7aa3bb5b3e3a0cf99"`,
			},
			FalsePositives: []string{
				`ASANA_ACCESS_TOKEN=1/1234567890123:0123456789abcdef0123456789abcdef`,
				`ASANA_ACCESS_TOKEN=0/a1b2c3d4e5f60718293a4b5c6d7e8f90`,
				`ASANA_ACCESS_TOKEN=1/3f9a0c7e51b28d46e0a9:3f9a0c7e51b28d46e0a9`,
			},
		},
		Rule{
			ID:          "figma-pat",
			Provider:    "Figma",
			Description: "Figma personal access token, figd_ + 40 base64url characters. Format: https://developers.figma.com/docs/rest-api/personal-access-tokens/",
			Keywords:    []string{"figd_"},
			Pattern:     dtStart + `(figd_[A-Za-z0-9_\-]{40,44})` + dtEnd,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  High,
			Remediation: figmaRem,
			TruePositives: []string{
				`FIGMA_TOKEN=figd_ZRGNXkh0-I6tThuEVc9LJ0Zlp614V4ts4XmnQnwx`,
				`curl -H "X-Figma-Token: figd_lV5DMVH8JmEMY6Jv8KZm4gGSvSALfrk-w6SG5aFZ" https://api.figma.com/v1/me`,
				`  figmaAccessToken: 'figd_EnyGK9Jd4fVNU-w5s8UaTo20xbwDyuK5mTAedVeW',`,
			},
			FalsePositives: []string{
				`FIGMA_TOKEN=figd_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`FIGMA_TOKEN=figd_your_token_here`,
				`const VALID_TOKEN = "figd_test-token-12345678901234567890";`,
			},
		},
		Rule{
			ID:          "postman-api-key",
			Provider:    "Postman",
			Description: "Postman API key, PMAK- + 24 hex + - + 34 hex characters. Format: https://learning.postman.com/docs/developer/postman-api/authentication/",
			Keywords:    []string{"pmak-"},
			Pattern:     `\b(PMAK-[0-9a-f]{24}-[0-9a-f]{34})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: postmanRem,
			TruePositives: []string{
				`POSTMAN_API_KEY=PMAK-30a4cdb4e94db39136609154-14e01619181a2c639e1019b49e575b2448`,
				`postman login --with-api-key PMAK-8e21aedc1e0ea7797db8a549-309bb28a60e8afad0bea078f16d705af70`,
				`  "x-api-key": "PMAK-eeaed2916da9cd37b06ec32e-25ced0cd9f8112e1d593d27bc1ad6cf6d8"`,
			},
			FalsePositives: []string{
				`POSTMAN_API_KEY=PMAK-000000000000000000000000-0000000000000000000000000000000000`,
				`POSTMAN_API_KEY=PMAK-3f9a0c7e51b28d46e0a9`,
				`POSTMAN_API_KEY=PMAK-{{postman_key}}`,
			},
		},
		Rule{
			ID:          "okta-api-token",
			Provider:    "Okta",
			Description: "Okta API token (SSWS), 00 + 40 characters, after SSWS or assigned to a name mentioning okta. Format: https://developer.okta.com/docs/guides/create-an-api-token/main/",
			Keywords:    []string{"okta", "ssws"},
			Pattern:     `(?:(?i:ssws)\s+|(?:^|[^A-Za-z])(?i:okta)[\w.\-]{0,30}` + dtQ + dtOp + dtQ + `)(00[A-Za-z0-9_=\-]{40})` + dtEnd,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: oktaRem,
			TruePositives: []string{
				`OKTA_API_TOKEN=00SCzkn2nTrg0nZjPBwUEZx4Bf8gYxsq3pEujuHTIF`,
				`curl -H "Authorization: SSWS 00Mt-iSv2t46jaaj6s9RUid_XJ9idvCnpGIN_DBCQO" https://acme.okta.com/api/v1/users`,
				`  "oktaApiToken": "00-j3zoYOCkH7XB6GXRhqYOSvqGh-IhPOVIxD1fepm",`,
			},
			FalsePositives: []string{
				`oktaKey = 00000000000000000000000000000000000TUVWXYZ`,
				`rookTable = 0023452Lllk2KqjLBvaxANWEgTd7bqjsxjo8aZj0wd`,
				`OKTA_API_TOKEN=00SCzkn2nTrg0nZjPBwUEZx4Bf8gYxsq3pEujuHTIFxyz`,
				`Authorization: SSWS ${OKTA_API_TOKEN}`,
			},
		},
		Rule{
			ID:          "auth0-client-secret",
			Provider:    "Auth0",
			Description: "Auth0 application client secret, 64 base64url characters assigned to a name mentioning auth0. Format: https://auth0.com/docs/get-started/applications/application-settings",
			Keywords:    []string{"auth0"},
			Pattern:     dtAssign(`auth0`, `[A-Za-z0-9_\-]{64}`),
			Group:       1,
			MinEntropy:  4.2,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: auth0Rem,
			TruePositives: []string{
				`AUTH0_CLIENT_SECRET=It75yaIIQNGuJNWr2vjl3to_oeLRmnXO0VEbYy-tdUkFx2YHeoCdEVrLGyGkYj4c`,
				`  auth0_client_secret: "FQhe4vwYzS28BSIKxjLJTp9NG8_lMfQsl6yuSCRp6PnMMno-rTSdtyr4wUteeeXa"`,
				`auth0ClientSecret := "RsWtREef9hfnfC_msCUV59TU1lidPr64piYa87mqzNHMKpvcSPmY0ntaXRrHunL0"`,
			},
			FalsePositives: []string{
				`AUTH0_CLIENT_ID=2loX26YPoA2j1wdF2RYrLdC3Jhhx45Kz`,
				`AUTH0_CLIENT_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`AUTH0_CLIENT_SECRET=3f9a0c7e51b28d46e0a93f9a0c7e51b28d46e0a93f9a0c7e51b28d46e0a9abcd`,
				`AUTH0_CLIENT_SECRET=${AUTH0_CLIENT_SECRET}`,
			},
		},
		Rule{
			ID:          "auth0-management-api-token",
			Provider:    "Auth0",
			Description: "Auth0 Management API access token, a JWT issued by https://<tenant>.auth0.com/ for the audience https://<tenant>.auth0.com/api/v2/. Format: https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens",
			Keywords:    []string{"eyj"},
			Pattern:     dtStart + `(eyJ[A-Za-z0-9_\-]{10,1000}\.eyJ[A-Za-z0-9_\-]{10,1000}\.[A-Za-z0-9_\-]{20,1000})` + dtEnd,
			Group:       1,
			Validators:  []Validator{validAuth0ManagementToken},
			Confidence:  High,
			Remediation: auth0Mgmt,
			TruePositives: []string{
				`AUTH0_MGMT_TOKEN=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InJSYlYwTG9zdmZiak9BT29ZS0JTWGsifQ.eyJpc3MiOiJodHRwczovL2pucGZrZmN2LnVzLmF1dGgwLmNvbS8iLCJzdWIiOiJ0M1BuTWU1R1ZqYmVJcXAwT1JuaE96SUVmdmxubEV0cEBjbGllbnRzIiwiYXVkIjoiaHR0cHM6Ly9qbnBma2Zjdi51cy5hdXRoMC5jb20vYXBpL3YyLyIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MzEyMDAwLCJzY29wZSI6InJlYWQ6dXNlcnMgdXBkYXRlOnVzZXJzIiwiZ3R5IjoiY2xpZW50LWNyZWRlbnRpYWxzIiwiYXpwIjoiMWlyODAxT0dvbmI1bkdBNUk4bkU2TjRwa3k5WVJzam4ifQ.id9xlgfdhr_INr37hVo_wGJwJFcP9HbJJyGWwiYHLPS_hssvJmfBNakdNek-UPG_bTbkrfQoiwhWMlPWjgNnkcncNQYugFu9ReGiqh6L0zoci2ucj2bPxOSgKiaPVw8kjVQMXGS1RhXa1Q7eWXtO8JfsXOLbFNunUGnE6k5lmET5_gGByiSkqwgVuBkDSjaXUjaTVlXlstCg5MUBth2W8P6tO7NAX4a0zMOH--SCB_b5Pb8KtnBdVAnTaSZNcjIht0M_T6Gc0syDeqXNbMc5IIIkatmSFuhoips0X6pE_QSvSm5HsZMjPSYhOM9eTiLBeW2T0tHf0HTKf_fPxTQLk4`,
				`curl -H "Authorization: Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ilk3aC04TDIyazhNbVdtOWJFbERuUHMifQ.eyJpc3MiOiJodHRwczovL21wcnFia3d1LnVzLmF1dGgwLmNvbS8iLCJzdWIiOiJIR1JzcmdpaXZtNk9uZzlWUVBybEpjUEpXeFE5aWlGbkBjbGllbnRzIiwiYXVkIjoiaHR0cHM6Ly9tcHJxYmt3dS51cy5hdXRoMC5jb20vYXBpL3YyLyIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MzEyMDAwLCJzY29wZSI6InJlYWQ6dXNlcnMgdXBkYXRlOnVzZXJzIiwiZ3R5IjoiY2xpZW50LWNyZWRlbnRpYWxzIiwiYXpwIjoiSURDSkxTNnZhNnVRdExMSWpDaGt3VXlQM1FSaWdXMHgifQ.ZCYQk-JKYnWhaa1t3MF54jLAC2_ZAMNL6gkRb1InQJgJAcy_gUed183__BLdmlcax3ND8AMQfUF26MMea2NDJFEHjKSwvPrd1h47HvF5iihx5LIcwh9hVGg9k70pO6LJMR3batPRQyQyjv_ry3F1Wmkkf1tCcVOQqgQqyWHSecTN8wMkCNIUb29I89QjeICNh84bx_cwUdNskjbyfBFlFJo5ywFfUFfnOvwmwLy5gM1dQ3W6xWPt0UXaFElxdV29QjqQyVpCxICvdITufzQgZl7phJof5x2TmFK0WVbhNIznb8Vhds_kB506v2TzJBC0Mut_hftxP4qYLPP5KiJMCD" https://acme.us.auth0.com/api/v2/users`,
				`  "access_token": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IkNoSnIwaEJKTXZtbEVNTlRibmZNOGYifQ.eyJpc3MiOiJodHRwczovL3hrYXRka2dmLnVzLmF1dGgwLmNvbS8iLCJzdWIiOiJGZE9iTFF2Q0ZJTEJXamlnUU5iZldGUDNXQ1BsaHdUZ0BjbGllbnRzIiwiYXVkIjoiaHR0cHM6Ly94a2F0ZGtnZi51cy5hdXRoMC5jb20vYXBpL3YyLyIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MzEyMDAwLCJzY29wZSI6InJlYWQ6dXNlcnMgdXBkYXRlOnVzZXJzIiwiZ3R5IjoiY2xpZW50LWNyZWRlbnRpYWxzIiwiYXpwIjoiWXVEQ2pwRnpTZEs4bHh3YWVGY3B4VFVHNUF0WHMyU0sifQ.ZfNraJbaDfOZV0GCQr6sZ3CGrqvP949xsmGbTZZDF1tVEV73NpwONX2q4gcQ4cjzPdWuyu4N5T8BT8blIlA6fF07Svo_GtXaA34w4HPbfrMk-m_ONn_LMm2z3QCKjM1zwRCLkCXrxQMlKlr_PTyodsKWt8-V09AbNQvpwJgHh0RP_NDmtbMBW1P1CtVirLSlfNRKc8lvmo_M1OMCCNkiP53i0oNCYnfRa8rMMflpHHfPm_oNo-x1p2B4QxAn3F4-GbfcFoV_v25Q7aZjkLavWtil2d8g_Q5Fu7X3JnOb-Hg1vD6TYC797lcxZ6WOfk0ybWNrou9ZJOUYeTLQadziY_",`,
			},
			FalsePositives: []string{
				`id_token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLmFjbWUtY29ycC5pby8iLCJzdWIiOiJ1X3VVY0lSS2U0d3EiLCJpYXQiOjE3NjcyMjU2MDB9.2GfNQGss_71-04AKcygiQS1NOLYL9Tpsjp8fgfyRR5g`,
				`AUTH0_MGMT_TOKEN=eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`AUTH0_MGMT_TOKEN=eyJxxxxxxxxxxxx.eyJxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		Rule{
			ID:          "dropbox-short-lived-token",
			Provider:    "Dropbox",
			Description: "Dropbox short-lived OAuth access token, sl. (or sl.u.) + 130 or more base64url characters. Format: https://developers.dropbox.com/oauth-guide",
			Keywords:    []string{"sl."},
			Pattern:     dtStart + `(sl\.(?:u\.)?[A-Za-z0-9_\-]{130,1000})`,
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  High,
			Remediation: dropboxRem,
			TruePositives: []string{
				`DROPBOX_ACCESS_TOKEN=sl.UQLm6amytzauM6WGEf97Kh8L0rKmQVDJuW61VmFcb1YRRV3ddZebIhxicyHVI_pTOyr18A34dJOnT1G-iu8QDnJX08x5K77yQhZNMDwUdc9r88_HGEzFRpPeYCh1ukgckZFRdKiKfq`,
				`dbx = dropbox.Dropbox("sl.T2Ur40iW65KlmUgx6mfh30rI88W9uWug8JeIaGrdt99RoEXeKTZOdTT8rOG9rmhgM-Ke0cqBT6z0y40YdplPKwO2HgKbsQd3MagcB24NZvoDxTNwltS1f1su_RvPvHVFOv-EYbQJkw")`,
				`  "access_token": "sl.u.UVm3GoTHfD7N5CtTKrDMMWXW_bR3cay92vWuXl7xzFACeK8_7kzBCW5-wz7hnvp5LEZotzyzj3bbVcmfwEjFtFtdBpXIa9D4Db3BKVZYMykA5d6GYq7VYGgagUqxcQ9yp5cIF-UGjP",`,
			},
			FalsePositives: []string{
				`DROPBOX_ACCESS_TOKEN=sl.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DROPBOX_ACCESS_TOKEN=sl.q7Rt2LmX9pKv4WzN8bYc3HdJ6fGs1A`,
				`import tls.UQLm6amytzauM6WGEf97Kh8L0rKmQVDJuW61VmFcb1YRRV3ddZebIhxicyHVI_pTOyr18A34dJOnT1G-iu8QDnJX08x5K77yQhZNMDwUdc9r88_HGEzFRpPeYCh1ukgckZFRdKiKfq`,
			},
		},
		Rule{
			ID:          "dropbox-long-lived-token",
			Provider:    "Dropbox",
			Description: "Dropbox long-lived OAuth access token (no longer issued), 11 characters + AAAAAAAAAA + 43 characters, on a line mentioning dropbox. Format: https://developers.dropbox.com/oauth-guide",
			Keywords:    []string{"dropbox"},
			Pattern:     dtStart + `([A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_\-]{43})` + dtEnd,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Exempt:      DecoyRepeated,
			Confidence:  Medium,
			Remediation: dropboxRem,
			TruePositives: []string{
				`DROPBOX_TOKEN=ZepMlf7lcDgAAAAAAAAAA2OKBQFLf7nItBZggNZXx3RYxdUfZNFnXAzriUBd84Yl`,
				`dbx = dropbox.Dropbox('QZg1o7Ftq33AAAAAAAAAAXeTZebiWR2e0Juoi9PTTQnfS_YOqqOpof3ucH98atJU')`,
				`  dropbox_access_token: "oDobf56ZiIoAAAAAAAAAA8yeaK89Hr4t7Up4bPVPqyYfhfFRD6I4BZfFIlWPWYfz"`,
			},
			FalsePositives: []string{
				`access_token=ZepMlf7lcDgAAAAAAAAAA2OKBQFLf7nItBZggNZXx3RYxdUfZNFnXAzriUBd84Yl`,
				`DROPBOX_TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
				`DROPBOX_TOKEN=ZepMlf7lcDgAAAAAAAAAA2OKBQFLf7nItBZggNZXx3RYxdUfZNFnXAzriUBd84Ylxyz`,
			},
		},
		Rule{
			ID:          "circleci-api-token",
			Provider:    "CircleCI",
			Description: "CircleCI personal (CCIPAT_) or project (CCIPRJ_) API token, prefix + 22 alphanumeric characters + _ + 40 hex characters. Format: https://circleci.com/docs/managing-api-tokens/",
			Keywords:    []string{"ccipat_", "cciprj_"},
			Pattern:     `\b(CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[0-9a-f]{40})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: circleRem,
			TruePositives: []string{
				`CIRCLECI_TOKEN=CCIPAT_xcYCGIL6rauAWGhnvuGjNn_aad99360c5bcb68ca14316c366a361e22252d206`,
				`'Circle-Token': 'CCIPAT_5l1iVWqDekJBqxvlklqf84_94f371ee96c603c584d214681714ce61a2008d7e'`,
				`  circle_project_token: "CCIPRJ_tiUBBuAo00A6a4c8BrffTm_d073ea0cf06e4a87b3bb54facfb79a2afb6b966a"`,
			},
			FalsePositives: []string{
				`CIRCLECI_TOKEN=CCIPAT_...`,
				`CIRCLECI_TOKEN=CCIPAT_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`CIRCLECI_TOKEN=ccipat_PLACEHOLDER_syncer_test_value`,
			},
		},
		Rule{
			ID:          "buildkite-api-token",
			Provider:    "Buildkite",
			Description: "Buildkite user API access token, bkua_ + 40 hex characters. Format: https://buildkite.com/docs/apis/managing-api-tokens",
			Keywords:    []string{"bkua_"},
			Pattern:     `\b(bkua_[0-9a-f]{40})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: buildkiteRem,
			TruePositives: []string{
				`BUILDKITE_API_TOKEN=bkua_217cfdef872386f1f5d92f3cbe0ef625fcda4f88`,
				`curl -H "Authorization: Bearer bkua_fa43a266dfe4b810f8173abe0c869ec51fc41e78" https://api.buildkite.com/v2/user`,
				`  buildkite_token: 'bkua_ab862da6b09f003e819df93b0779d96101732fd9'`,
			},
			FalsePositives: []string{
				`BUILDKITE_API_TOKEN=bkua_0000000000000000000000000000000000000000`,
				`BUILDKITE_API_TOKEN=bkua_3f9a0c7e51b28d46e0a9`,
				`BUILDKITE_API_TOKEN=bkua_<token>`,
			},
		},
		Rule{
			ID:          "sonarqube-token",
			Provider:    "SonarQube",
			Description: "SonarQube / SonarQube Cloud token: user (squ_), project analysis (sqp_) or global analysis (sqa_) + 40 hex characters. Format: https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/",
			Keywords:    []string{"squ_", "sqp_", "sqa_"},
			Pattern:     `\b(sq[upa]_[0-9a-f]{40})\b`,
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: sonarRem,
			TruePositives: []string{
				`SONAR_TOKEN=squ_2690849172f9733970f786aa62cf81f7b2993bf6`,
				`mvn sonar:sonar -Dsonar.token=sqp_925f911a2475be3e1e1d4b2ba49725adb52b1845`,
				`  SONAR_TOKEN: "sqa_373af2f9dd5d3fc022fd75f7b300f44e09a17275"`,
			},
			FalsePositives: []string{
				`SONAR_TOKEN=squ_0000000000000000000000000000000000000000`,
				`SONAR_TOKEN=sqp_3f9a0c7e51b28d46e0a9`,
				`SONAR_TOKEN=sqa_${SONAR_TOKEN}`,
			},
		},
		Rule{
			ID:          "snyk-api-token",
			Provider:    "Snyk",
			Description: "Snyk API token (a UUID) assigned to a name mentioning snyk. Format: https://docs.snyk.io/snyk-api/authentication-for-api",
			Keywords:    []string{"snyk"},
			Pattern:     dtAssign(`snyk`, `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: snykRem,
			TruePositives: []string{
				`SNYK_TOKEN=b5a15fc2-a66a-4588-aedf-8b1bf4283ecf`,
				`snyk_token: "cb40ce13-cc4d-4f65-9885-96beb7c49004"`,
				`System.setProperty("SNYK_API_TOKEN", "e008a2b0-4c96-43e3-b0d3-7f1b7f7d8947")`,
			},
			FalsePositives: []string{
				`SNYK_TOKEN=12345678-ABCD-ABCD-ABCD-1234567890AB`,
				`SNYK_TOKEN=00000000-0000-0000-0000-000000000000`,
				`SNYK_ORG_ID: b5a15fc2-a66a-4588-aedf-8b1bf4283ecfb7d41e09c3a5`,
				`request_id=b5a15fc2-a66a-4588-aedf-8b1bf4283ecf`,
			},
		},
		Rule{
			ID:          "codecov-upload-token",
			Provider:    "Codecov",
			Description: "Codecov upload token (a UUID) assigned to a name mentioning codecov. Format: https://docs.codecov.com/docs/codecov-tokens",
			Keywords:    []string{"codecov"},
			Pattern:     dtAssign(`codecov`, `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: codecovRem,
			TruePositives: []string{
				`CODECOV_TOKEN=1a1da692-895c-452b-a8a9-001ee997f399`,
				`    codecov_token: "773bffa1-582f-4459-a042-281be8f2ec0d"`,
				`CODECOV_UPLOAD_TOKEN: 626579cc-27e0-44be-bd07-7e150ae62395`,
			},
			FalsePositives: []string{
				`CODECOV_TOKEN=00000000-0000-0000-0000-000000000000`,
				`CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}`,
				`build_id=1a1da692-895c-452b-a8a9-001ee997f399`,
			},
		},
		Rule{
			ID:          "launchdarkly-access-token",
			Provider:    "LaunchDarkly",
			Description: "LaunchDarkly API access token, api- + a UUID. Format: https://launchdarkly.com/docs/home/account/api",
			Keywords:    []string{"api-"},
			Pattern:     dtStart + `(api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: ldRem,
			TruePositives: []string{
				`LAUNCHDARKLY_ACCESS_TOKEN=api-b5a15fc2-a66a-4588-aedf-8b1bf4283ecf`,
				`curl -H "Authorization: api-cb40ce13-cc4d-4f65-9885-96beb7c49004" https://app.launchdarkly.com/api/v2/flags/default`,
				`  access_token = "api-e008a2b0-4c96-43e3-b0d3-7f1b7f7d8947"`,
			},
			FalsePositives: []string{
				`LAUNCHDARKLY_ACCESS_TOKEN=api-00000000-0000-0000-0000-000000000000`,
				`https://example-api-b5a15fc2-a66a-4588-aedf-8b1bf4283ecf.internal`,
				`LAUNCHDARKLY_ACCESS_TOKEN=api-3f9a0c7e51b28d46e0a9`,
			},
		},
		Rule{
			ID:          "launchdarkly-sdk-key",
			Provider:    "LaunchDarkly",
			Description: "LaunchDarkly server-side SDK key, sdk- + a UUID. Format: https://launchdarkly.com/docs/sdk/concepts/client-side-server-side#keys",
			Keywords:    []string{"sdk-"},
			Pattern:     dtStart + `(sdk-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})` + dtEnd,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: ldSDK,
			TruePositives: []string{
				`LAUNCHDARKLY_SDK_KEY=sdk-1a1da692-895c-452b-a8a9-001ee997f399`,
				`client = ldclient.LDClient(Config("sdk-773bffa1-582f-4459-a042-281be8f2ec0d"))`,
				`  sdkKey: 'sdk-626579cc-27e0-44be-bd07-7e150ae62395'`,
			},
			FalsePositives: []string{
				`LAUNCHDARKLY_SDK_KEY=sdk-00000000-0000-0000-0000-000000000000`,
				`bucket: aws-sdk-1a1da692-895c-452b-a8a9-001ee997f399`,
				`LAUNCHDARKLY_SDK_KEY=sdk-3f9a0c7e51b28d46e0a9`,
			},
		},
		Rule{
			ID:          "travis-ci-token",
			Provider:    "Travis CI",
			Description: "Travis CI API token, 22 characters assigned to a name mentioning travis. Format: https://docs.travis-ci.com/user/triggering-builds/",
			Keywords:    []string{"travis"},
			Pattern:     dtAssign(`travis`, `[A-Za-z0-9_\-]{22}`),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: travisRem,
			TruePositives: []string{
				`TRAVIS_API_TOKEN=czGiY2UBCe9sbNx2wdnKU3`,
				`travis_token: "PjCBNx2L84wJhkyGsbqf2R"`,
				`System.setProperty("TRAVIS_TOKEN", "U9jkxuHnKe1bczJRNDrBI2")`,
			},
			FalsePositives: []string{
				`TRAVIS_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxx`,
				`TRAVIS_BUILD_DIR=/home/travis/build/acme`,
				`TRAVIS_API_TOKEN=czGiY2UBCe9sbNx2wdnKU3abcd`,
			},
		},
		Rule{
			ID:          "drone-ci-token",
			Provider:    "Drone CI",
			Description: "Drone CI personal token, 32 alphanumeric characters assigned to a name mentioning drone. Format: https://docs.drone.io/cli/setup/",
			Keywords:    []string{"drone"},
			Pattern:     dtAssign(`drone`, `[A-Za-z0-9]{32}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: droneRem,
			TruePositives: []string{
				`export DRONE_TOKEN=2loX26YPoA2j1wdF2RYrLdC3Jhhx45Kz`,
				`  drone_token: "3kVJwSlUpFMP8xck4HDosaNhPrH3sJGd"`,
				`DRONE_TOKEN: dDJRIC8u8ZvXnJXtCO8OMi944KVC9CLK`,
			},
			FalsePositives: []string{
				`export DRONE_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`export DRONE_SERVER=https://drone.acme.io`,
				`export DRONE_TOKEN=2loX26YPoA2j1wdF2RYrLdC3Jhhx45Kzabcd`,
				`drone_commit_sha: 3f9a0c7e51b28d46e0a9b7d41e09c3a5`,
			},
		},
		Rule{
			ID:          "sourcegraph-access-token",
			Provider:    "Sourcegraph",
			Description: "Sourcegraph access token, sgp_ + [instance ID _ | local_] + 40 hex characters. Format: https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
			Keywords:    []string{"sgp_"},
			Pattern:     `\b(sgp_(?:local_|[0-9a-fA-F]{16}_)?[0-9a-fA-F]{40})\b`,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: sourcegraphRem,
			TruePositives: []string{
				`SRC_ACCESS_TOKEN=sgp_eb49e1a2c1daa42726d49ba29d5dd48491325832`,
				`src login https://sourcegraph.acme.io --token sgp_db1de7ef8e92a53c_0da1d89ea7ce1ad21eb4a32b274115d52e3b7665`,
				`  "token": "sgp_local_be641951c00f3183c5cbe2a618ebb6f818c22fad"`,
			},
			FalsePositives: []string{
				`SRC_ACCESS_TOKEN=sgp_5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa`,
				`SRC_ACCESS_TOKEN=sgp_652d9a2e48FC7E!FcDbEA1BC2E2A6CE23cFe7F7D`,
				`SRC_ACCESS_TOKEN=sgp_local_d45b6G86aBb0F2Cee943902dbaDBCFCFDD1dA089`,
			},
		},
		Rule{
			ID:          "readme-api-key",
			Provider:    "ReadMe",
			Description: "ReadMe API key, rdme_ + 70 lower-case alphanumeric characters. Format: https://docs.readme.com/main/reference/intro/authentication",
			Keywords:    []string{"rdme_"},
			Pattern:     `\b(rdme_[a-z0-9]{70})\b`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: readmeRem,
			TruePositives: []string{
				`RDME_API_KEY=rdme_7pu3bpdyprfj2hj2vzlm70bp9suk4ssnp72hwwpwpamtbmjguhi73kobik1dqxbuugqjpl`,
				`rdme openapi upload spec.yaml --key=rdme_fghqcuthxhz5fazwp58w3321y4xfrdk7vekp7zs10tgxts4p1897hf028mo34b19wb5sy2`,
				`  readme_api_key: "rdme_ri5hybnmiajfvdekr8hwmyswi9me4f82whs7p659d6setav7l2xj6q7i6s0botr62acwrn"`,
			},
			FalsePositives: []string{
				`const API_KEY = 'rdme_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';`,
				`RDME_API_KEY=rdme_q7rt2lmx9pkv`,
				`RDME_API_KEY=rdme_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
	)
	return rules
}

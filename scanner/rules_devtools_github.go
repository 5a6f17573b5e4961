package scanner

// gitHubRules returns the rules for GitHub.
func gitHubRules() []Rule {
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

	return []Rule{
		{
			ID:          "github-pat",
			Provider:    "GitHub",
			Description: "GitHub personal access token (classic), ghp_ + 30 base62 characters + a 6-character base62 CRC-32 checksum. " + ghFormat,
			Keywords:    []string{"ghp_"},
			Pattern:     uniqueToken(`ghp_[A-Za-z0-9]{36}`, wordChars),
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
			Pattern:     uniqueToken(`gho_[A-Za-z0-9]{36}`, wordChars),
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
			Pattern:     uniqueToken(`ghu_[A-Za-z0-9]{36}`, wordChars),
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
			Pattern:     uniqueToken(`ghs_[A-Za-z0-9]{36}`, wordChars),
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
			Pattern:     uniqueToken(`ghr_[A-Za-z0-9]{36}`, wordChars),
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
			Pattern:     uniqueToken(`github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}`, wordChars),
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
}

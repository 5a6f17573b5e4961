package scanner

// atlassianRules returns the rules for Atlassian.
func atlassianRules() []Rule {
	atlassianRem := Remediation{
		What:          "An Atlassian API token that acts as its user (with the user's password-equivalent access) on Jira, Confluence and the other Atlassian cloud apps.",
		RevokeURL:     "https://id.atlassian.com/manage-profile/security/api-tokens",
		Revoke:        "Revoke the token in your Atlassian account under Security > API tokens; organization admins can revoke users' tokens in admin.atlassian.com > Security > API tokens.",
		RevokeCommand: "",
		Rotate:        "Create a new token (a scoped token with an expiry where possible) and update the scripts and integrations that used it.",
		Misuse:        "Review the organization audit log in admin.atlassian.com and each product's audit log (Jira: Settings > System > Audit log).",
		DocsURL:       "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
	}

	return []Rule{
		Rule{
			ID:          "atlassian-api-token",
			Provider:    "Atlassian",
			Description: "Atlassian API token (Jira, Confluence), ATATT3 + base64url + = + 8 hex checksum characters. Format: https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
			Keywords:    []string{"atatt3"},
			Pattern:     uniqueToken(`ATATT3[A-Za-z0-9_\-]{150,300}=[0-9A-F]{8}`, tokenChars),
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
			Pattern:     assigned(`atlassian|jira|confluence`, `[A-Za-z0-9]{24}`),
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
	}
}

// bitbucketRules returns the rules for Bitbucket.
func bitbucketRules() []Rule {
	bitbucketRem := Remediation{
		What:          "A Bitbucket Cloud repository, project or workspace access token that reads or writes the resources it is scoped to.",
		RevokeURL:     "https://bitbucket.org/<WORKSPACE>/<REPO>/admin/access-tokens",
		Revoke:        "Revoke the token in the repository's (project's, workspace's) settings > Security > Access tokens.",
		RevokeCommand: "",
		Rotate:        "Create a new access token with only the scopes needed and update the pipelines or integrations that used it.",
		Misuse:        "Review the workspace's audit log (Workspace settings > Audit log, Bitbucket Premium) and recent pushes and pipeline runs.",
		DocsURL:       "https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
	}

	return []Rule{
		Rule{
			ID:          "bitbucket-access-token",
			Provider:    "Bitbucket",
			Description: "Bitbucket Cloud repository, project or workspace access token, ATCTT3 + base64url + = + 8 hex checksum characters. Format: https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
			Keywords:    []string{"atctt3"},
			Pattern:     uniqueToken(`ATCTT3[A-Za-z0-9_\-]{150,300}=[0-9A-F]{8}`, tokenChars),
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
	}
}

// linearRules returns the rules for Linear.
func linearRules() []Rule {
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

	return []Rule{
		Rule{
			ID:          "linear-api-key",
			Provider:    "Linear",
			Description: "Linear personal API key, lin_api_ + 40 alphanumeric characters. Format: https://linear.app/developers/graphql#personal-api-keys",
			Keywords:    []string{"lin_api_"},
			Pattern:     uniqueToken(`lin_api_[A-Za-z0-9]{40}`, wordChars),
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
			Pattern:     uniqueToken(`lin_oauth_[0-9a-f]{64}`, wordChars),
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
	}
}

// notionRules returns the rules for Notion.
func notionRules() []Rule {
	notionRem := Remediation{
		What:          "A Notion integration token that reads and writes the pages and databases shared with the integration.",
		RevokeURL:     "https://www.notion.so/profile/integrations",
		Revoke:        "Open the integration at notion.so/profile/integrations and refresh (rotate) its Internal Integration Secret, or delete the integration.",
		RevokeCommand: "",
		Rotate:        "Store the refreshed secret in the integration's configuration and redeploy.",
		Misuse:        "Check the workspace audit log (Settings > Security & identity > Audit log, Enterprise) and page histories.",
		DocsURL:       "https://developers.notion.com/docs/authorization",
	}

	return []Rule{
		Rule{
			ID:          "notion-integration-token",
			Provider:    "Notion",
			Description: "Notion integration token in the form issued until September 2024, secret_ + 43 alphanumeric characters. Format: https://developers.notion.com/docs/authorization",
			Keywords:    []string{"secret_"},
			Pattern:     uniqueToken(`secret_[A-Za-z0-9]{43}`, wordChars),
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
			Pattern:     uniqueToken(`ntn_[0-9]{11}[A-Za-z0-9]{35}`, wordChars),
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
	}
}

// asanaRules returns the rules for Asana.
func asanaRules() []Rule {
	asanaRem := Remediation{
		What:          "An Asana personal access token that acts as its user on every workspace and project the user can reach.",
		RevokeURL:     "https://app.asana.com/0/my-apps",
		Revoke:        "Deauthorize the token in the Asana developer console (My apps > Personal access tokens).",
		RevokeCommand: "",
		Rotate:        "Create a new token (or a service account / OAuth app for automation) and update the integration.",
		Misuse:        "Review the organization's audit log (Admin console > Security > Audit log API) for actions by the user.",
		DocsURL:       "https://developers.asana.com/docs/personal-access-token",
	}

	return []Rule{
		Rule{
			ID:          "asana-pat",
			Provider:    "Asana",
			Description: "Asana personal access token, 1/<user gid>:<32 hex> (v1) or 2/<user gid>/<token gid>:<32 hex> (v2). Format: https://developers.asana.com/docs/personal-access-token",
			Keywords:    []string{"1/", "2/"},
			Pattern:     uniqueToken(`[12]/[0-9]{12,19}(?:/[0-9]{12,19})?:[0-9a-f]{32}`, `A-Za-z0-9_/\-`),
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
	}
}

// figmaRules returns the rules for Figma.
func figmaRules() []Rule {
	figmaRem := Remediation{
		What:          "A Figma personal access token that reads (and within its scopes writes) the files, comments and projects its user can access.",
		RevokeURL:     "https://www.figma.com/settings",
		Revoke:        "Revoke the token in Figma under Settings > Security > Personal access tokens; revocation is instant.",
		RevokeCommand: "",
		Rotate:        "Generate a new token with the narrowest scopes and an expiry, and update FIGMA_TOKEN in the tools that use it.",
		Misuse:        "Check the token's last-used time in Settings > Security and the organization's activity logs (Admin > Activity).",
		DocsURL:       "https://developers.figma.com/docs/rest-api/personal-access-tokens/",
	}

	return []Rule{
		Rule{
			ID:          "figma-pat",
			Provider:    "Figma",
			Description: "Figma personal access token, figd_ + 40 base64url characters. Format: https://developers.figma.com/docs/rest-api/personal-access-tokens/",
			Keywords:    []string{"figd_"},
			Pattern:     uniqueToken(`figd_[A-Za-z0-9_\-]{40,44}`, tokenChars),
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
	}
}

// postmanRules returns the rules for Postman.
func postmanRules() []Rule {
	postmanRem := Remediation{
		What:          "A Postman API key that acts as its user on the Postman API: workspaces, collections, environments and their stored secrets.",
		RevokeURL:     "https://go.postman.co/settings/me/api-keys",
		Revoke:        "Delete the key in Postman under Settings > API keys (team admins can revoke members' keys in Team Settings).",
		RevokeCommand: "",
		Rotate:        "Generate a new key with an expiry and update the CI jobs (newman, Postman CLI) that used it.",
		Misuse:        "Review the team's audit logs (Team > Audit logs) and the version history of collections and environments.",
		DocsURL:       "https://learning.postman.com/docs/developer/postman-api/authentication/",
	}

	return []Rule{
		Rule{
			ID:          "postman-api-key",
			Provider:    "Postman",
			Description: "Postman API key, PMAK- + 24 hex + - + 34 hex characters. Format: https://learning.postman.com/docs/developer/postman-api/authentication/",
			Keywords:    []string{"pmak-"},
			Pattern:     uniqueToken(`PMAK-[0-9a-f]{24}-[0-9a-f]{34}`, wordChars),
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
	}
}

// oktaRules returns the rules for Okta.
func oktaRules() []Rule {
	oktaRem := Remediation{
		What:          "An Okta API token (SSWS) that calls the Okta management APIs with the administrator permissions of the user who created it.",
		RevokeURL:     "https://<ORG>-admin.okta.com/admin/access/api/tokens",
		Revoke:        "Revoke the token in the Admin Console under Security > API > Tokens.",
		RevokeCommand: `curl -X DELETE -H "Authorization: SSWS <ADMIN_API_TOKEN>" https://<ORG>.okta.com/api/v1/api-tokens/<TOKEN_ID>`,
		Rotate:        "Prefer an OAuth 2.0 service app with scoped grants; otherwise create a new token from a dedicated least-privileged admin and update the integration.",
		Misuse:        "Search the System Log (Reports > System Log) for events whose client or transaction used the token, and for admin changes.",
		DocsURL:       "https://developer.okta.com/docs/guides/create-an-api-token/main/",
	}

	return []Rule{
		Rule{
			ID:          "okta-api-token",
			Provider:    "Okta",
			Description: "Okta API token (SSWS), 00 + 40 characters, after SSWS or assigned to a name mentioning okta. Format: https://developer.okta.com/docs/guides/create-an-api-token/main/",
			Keywords:    []string{"okta", "ssws"},
			Pattern:     `(?:(?i:ssws)\s+|(?:^|[^A-Za-z])` + assignPrefix(`okta`) + `)(00[A-Za-z0-9_=\-]{40})` + assignValueEnd,
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
	}
}

// auth0Rules returns the rules for Auth0.
func auth0Rules() []Rule {
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

	return []Rule{
		Rule{
			ID:          "auth0-client-secret",
			Provider:    "Auth0",
			Description: "Auth0 application client secret, 64 base64url characters assigned to a name mentioning auth0. Format: https://auth0.com/docs/get-started/applications/application-settings",
			Keywords:    []string{"auth0"},
			Pattern:     assigned(`auth0`, `[A-Za-z0-9_\-]{64}`),
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
			Pattern:     uniqueToken(`eyJ[A-Za-z0-9_\-]{10,1000}\.eyJ[A-Za-z0-9_\-]{10,1000}\.[A-Za-z0-9_\-]{20,1000}`, tokenChars),
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
	}
}

// dropboxRules returns the rules for Dropbox.
func dropboxRules() []Rule {
	dropboxRem := Remediation{
		What:          "A Dropbox access token that reads and writes the user's or team's files within the app's permissions.",
		RevokeURL:     "https://www.dropbox.com/account/connected_apps",
		Revoke:        "Revoke it with POST /2/auth/token/revoke authenticated by the token, or disconnect the app in Settings > Connected apps (app owners: the App Console).",
		RevokeCommand: `curl -X POST https://api.dropboxapi.com/2/auth/token/revoke -H "Authorization: Bearer <TOKEN>"`,
		Rotate:        "Use short-lived tokens with refresh tokens kept server-side; re-run the OAuth flow for a new token.",
		Misuse:        "Review the account's Security page (sessions and linked apps) and, for teams, the admin console Activity log.",
		DocsURL:       "https://developers.dropbox.com/oauth-guide",
	}

	return []Rule{
		Rule{
			ID:          "dropbox-short-lived-token",
			Provider:    "Dropbox",
			Description: "Dropbox short-lived OAuth access token, sl. (or sl.u.) + 130 or more base64url characters. Format: https://developers.dropbox.com/oauth-guide",
			Keywords:    []string{"sl."},
			Pattern:     uniqueToken(`sl\.(?:u\.)?[A-Za-z0-9_\-]{130,1000}`, tokenChars),
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
			Pattern:     uniqueToken(`[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_\-]{43}`, tokenChars),
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
	}
}

package scanner

// vaultRules returns the rules for HashiCorp Vault.
func vaultRules() []Rule {
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

	return []Rule{
		Rule{
			ID:          "vault-service-token",
			Provider:    "HashiCorp Vault",
			Description: "HashiCorp Vault service token (Vault 1.10+), hvs. + 24 characters (root and older tokens) or about 90 and more (tokens carrying their encoded metadata). Format: https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes",
			Keywords:    []string{"hvs."},
			Pattern:     uniqueToken(`hvs\.(?:[A-Za-z0-9]{24}|[A-Za-z0-9_\-]{90,400})`, tokenChars),
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
			Pattern:     uniqueToken(`hvb\.[A-Za-z0-9_\-]{100,400}`, tokenChars),
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
			Pattern:     uniqueToken(`hvr\.(?:[A-Za-z0-9]{24}|[A-Za-z0-9_\-]{90,400})`, tokenChars),
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
			Pattern:     uniqueToken(`s\.[A-Za-z0-9]{24}`, `A-Za-z0-9_.\-`),
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
	}
}

// terraformCloudRules returns the rules for HashiCorp Terraform Cloud.
func terraformCloudRules() []Rule {
	tfcRem := Remediation{
		What:          "An HCP Terraform (Terraform Cloud) or Terraform Enterprise API token that acts as its user, team or organization on workspaces, state and variables.",
		RevokeURL:     "https://app.terraform.io/app/settings/tokens",
		Revoke:        "Delete the user token in User settings > Tokens (team and organization tokens: Organization settings > API tokens).",
		RevokeCommand: `curl -X DELETE -H "Authorization: Bearer <ADMIN_TOKEN>" https://app.terraform.io/api/v2/authentication-tokens/<TOKEN_ID>`,
		Rotate:        "Create a new token with an expiry (a team token rather than a user token for automation) and update TF_TOKEN_app_terraform_io or the credentials block of the CLI configuration.",
		Misuse:        "Review the organization's audit trail (GET /api/v2/organization/audit-trail) and workspace run history for runs, state downloads and variable changes you did not make.",
		DocsURL:       "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
	}

	return []Rule{
		Rule{
			ID:          "terraform-cloud-token",
			Provider:    "HashiCorp Terraform Cloud",
			Description: "HCP Terraform / Terraform Enterprise API token, 14 characters + .atlasv1. + about 67 characters. Format: https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
			Keywords:    []string{".atlasv1."},
			Pattern:     uniqueToken(`[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{55,80}`, tokenChars),
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
	}
}

// dopplerRules returns the rules for Doppler.
func dopplerRules() []Rule {
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

	return []Rule{
		Rule{
			ID:          "doppler-personal-token",
			Provider:    "Doppler",
			Description: "Doppler personal token, dp.pt. + 43 alphanumeric characters. Format: https://docs.doppler.com/reference/api",
			Keywords:    []string{"dp.pt."},
			Pattern:     uniqueToken(`dp\.pt\.[A-Za-z0-9]{40,44}`, wordChars),
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
			Pattern:     uniqueToken(`dp\.ct\.[A-Za-z0-9]{40,44}`, wordChars),
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
			Pattern:     uniqueToken(`dp\.st\.(?:[a-z0-9_\-]{1,60}\.)?[A-Za-z0-9]{40,44}`, wordChars),
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
			Pattern:     uniqueToken(`dp\.sa\.[A-Za-z0-9]{40,44}`, wordChars),
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
			Pattern:     uniqueToken(`dp\.scim\.[A-Za-z0-9]{40,44}`, wordChars),
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
			Pattern:     uniqueToken(`dp\.audit\.[A-Za-z0-9]{40,44}`, wordChars),
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
	}
}

// pulumiRules returns the rules for Pulumi.
func pulumiRules() []Rule {
	pulumiRem := Remediation{
		What:          "A Pulumi Cloud access token that acts as its user, team or organization on stacks, state and secrets.",
		RevokeURL:     "https://app.pulumi.com/account/tokens",
		Revoke:        "Delete the token in Pulumi Cloud under Personal access tokens (organization and team tokens: Settings > Access tokens).",
		RevokeCommand: `curl -X DELETE -H "Authorization: token <ADMIN_TOKEN>" https://api.pulumi.com/api/user/tokens/<TOKEN_ID>`,
		Rotate:        "Create a new token with an expiry (a team or organization token for CI, or OIDC) and update PULUMI_ACCESS_TOKEN.",
		Misuse:        "Review the organization's audit logs (Settings > Audit logs) and stack update history.",
		DocsURL:       "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
	}

	return []Rule{
		Rule{
			ID:          "pulumi-access-token",
			Provider:    "Pulumi",
			Description: "Pulumi Cloud access token, pul- + 40 hex characters. Format: https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
			Keywords:    []string{"pul-"},
			Pattern:     uniqueToken(`pul-[0-9a-f]{40}`, tokenChars),
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
	}
}

// onePasswordRules returns the rules for 1Password.
func onePasswordRules() []Rule {
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

	return []Rule{
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
			Pattern:     uniqueToken(`A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}`, wordChars),
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
	}
}

// infracostRules returns the rules for Infracost.
func infracostRules() []Rule {
	infracostRem := Remediation{
		What:          "An Infracost API key that uses the organization's Infracost Cloud pricing API and uploads cost estimates.",
		RevokeURL:     "https://dashboard.infracost.io/org/<ORG>/settings/general",
		Revoke:        "Rotate the organization API key in Infracost Cloud under Org Settings > API key.",
		RevokeCommand: "",
		Rotate:        "Update INFRACOST_API_KEY in CI (and infracost configure set api_key on workstations) with the new key.",
		Misuse:        "Check the organization's runs and usage in Infracost Cloud for activity you did not start.",
		DocsURL:       "https://www.infracost.io/docs/features/cli_commands/#configure",
	}

	return []Rule{
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
	}
}

// ageRules returns the rules for age.
func ageRules() []Rule {
	ageRem := Remediation{
		What:          "An age X25519 private key (identity) that decrypts every file encrypted to its recipient, including SOPS files.",
		RevokeURL:     "https://github.com/FiloSottile/age#readme",
		Revoke:        "age keys cannot be revoked: generate a new key pair, re-encrypt the data (sops updatekeys / sops rotate) to the new recipient only, and rotate every secret the old key could decrypt.",
		RevokeCommand: "",
		Rotate:        "age-keygen -o key.txt; replace the old recipient in .sops.yaml or your recipients file; re-encrypt; store the identity outside the repository.",
		Misuse:        "age keeps no logs: assume every ciphertext encrypted to the key, including those in Git history, has been read.",
		DocsURL:       "https://age-encryption.org/v1",
	}

	return []Rule{
		Rule{
			ID:          "age-secret-key",
			Provider:    "age",
			Description: "age X25519 identity (private key), AGE-SECRET-KEY-1 + 58 bech32 characters, checksum verified. Format: https://github.com/C2SP/C2SP/blob/main/age.md",
			Keywords:    []string{"age-secret-key-1"},
			Pattern:     uniqueToken(`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`, wordChars),
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
	}
}

// harnessRules returns the rules for Harness.
func harnessRules() []Rule {
	harnessRem := Remediation{
		What:          "A Harness API key token (personal or service account) that acts as its principal on the Harness platform APIs.",
		RevokeURL:     "https://app.harness.io/ng/account/<ACCOUNT_ID>/settings/access-control",
		Revoke:        "Delete the token (or its API key) under My Profile > My API Keys, or for service accounts under Account Settings > Access Control > Service Accounts.",
		RevokeCommand: `curl -X DELETE -H "x-api-key: <ADMIN_TOKEN>" "https://app.harness.io/ng/api/token/<TOKEN_ID>?accountIdentifier=<ACCOUNT_ID>&apiKeyType=USER&parentIdentifier=<USER_ID>&apiKeyIdentifier=<API_KEY_ID>"`,
		Rotate:        "Create a new token with an expiry under a service account with the least roles, and update the pipelines or tools that used it.",
		Misuse:        "Review the account's Audit Trail (Account Settings > Security and Governance > Audit Trail).",
		DocsURL:       "https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/",
	}

	return []Rule{
		Rule{
			ID:          "harness-api-token",
			Provider:    "Harness",
			Description: "Harness personal access token (pat.) or service account token (sat.): account ID, token ID and secret joined by dots. Format: https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/",
			Keywords:    []string{"pat.", "sat."},
			Pattern:     uniqueToken(`(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}`, wordChars),
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
	}
}

// octopusDeployRules returns the rules for Octopus Deploy.
func octopusDeployRules() []Rule {
	octopusRem := Remediation{
		What:          "An Octopus Deploy API key that acts as its user (or service account) on the Octopus Server, including deployments.",
		RevokeURL:     "https://<INSTANCE>.octopus.app/app#/users/me/apiKeys",
		Revoke:        "Revoke the key under your profile > My API Keys (for service accounts: Configuration > Users > the account > API keys).",
		RevokeCommand: `curl -X DELETE -H "X-Octopus-ApiKey: <ADMIN_API_KEY>" https://<INSTANCE>.octopus.app/api/users/<USER_ID>/apikeys/<API_KEY_ID>`,
		Rotate:        "Create a new key with an expiry for a service account with only the permissions needed, and update the CI integration.",
		Misuse:        "Review the audit log (Configuration > Audit) for actions by the key's user.",
		DocsURL:       "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
	}

	return []Rule{
		Rule{
			ID:          "octopus-deploy-api-key",
			Provider:    "Octopus Deploy",
			Description: "Octopus Deploy API key, API- + 26 upper-case letters and digits. Format: https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
			Keywords:    []string{"api-"},
			Pattern:     uniqueToken(`API-[A-Z0-9]{26}`, tokenChars),
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
	}
}

// prefectRules returns the rules for Prefect.
func prefectRules() []Rule {
	prefectRem := Remediation{
		What:          "A Prefect Cloud API key that acts as its user on the accounts and workspaces the user can reach.",
		RevokeURL:     "https://app.prefect.cloud/my/api-keys",
		Revoke:        "Delete the key in Prefect Cloud under your profile > API keys.",
		RevokeCommand: "",
		Rotate:        "Create a new key with an expiry (use a service account key for automation) and update PREFECT_API_KEY.",
		Misuse:        "Review the account's audit log (Settings > Audit Log) for actions by the key.",
		DocsURL:       "https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/api-keys",
	}

	return []Rule{
		Rule{
			ID:          "prefect-api-key",
			Provider:    "Prefect",
			Description: "Prefect Cloud API key, pnu_ + 36 alphanumeric characters. Format: https://docs.prefect.io/v3/how-to-guides/cloud/manage-users/api-keys",
			Keywords:    []string{"pnu_"},
			Pattern:     uniqueToken(`pnu_[A-Za-z0-9]{36}`, wordChars),
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
	}
}

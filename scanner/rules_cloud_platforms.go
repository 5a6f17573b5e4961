package scanner

// alibabaCloudRules returns the rules for Alibaba Cloud.
func alibabaCloudRules() []Rule {
	alibaba := Remediation{
		What:          "An Alibaba Cloud AccessKey pair: it signs API requests with the permissions of the Alibaba Cloud account or RAM user that owns it.",
		RevokeURL:     "https://ram.console.aliyun.com/users",
		Revoke:        "RAM console > Identities > Users > (user) > Authentication > AccessKey: Disable the AccessKey, confirm nothing legitimate breaks, then Delete it. Root-account AccessKeys are under the account's AccessKey page.",
		RevokeCommand: "aliyun ram UpdateAccessKey --UserName <USER> --UserAccessKeyId <ACCESS_KEY_ID> --Status Inactive && aliyun ram DeleteAccessKey --UserName <USER> --UserAccessKeyId <ACCESS_KEY_ID>",
		Rotate:        "Create a new AccessKey for a least-privilege RAM user (never the root account), deploy it, then delete the old one; prefer RAM roles and STS tokens.",
		Misuse:        "ActionTrail > Event Query filtered by AccessKey ID = <ACCESS_KEY_ID>; the RAM user's last AccessKey use time.",
		DocsURL:       "https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
	}

	return []Rule{
		{
			ID:          "alibaba-access-key-id",
			Provider:    "Alibaba Cloud",
			Description: "Alibaba Cloud AccessKey ID: LTAI followed by 12–20 alphanumerics. Format: https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
			Keywords:    []string{"ltai"},
			Pattern:     uniqueToken(`LTAI[A-Za-z0-9]{12,20}`, `A-Za-z0-9`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: alibaba,
			TruePositives: []string{
				"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIvMhoh4IUU3ZTEIYOj4dF",
				`accessKeyId: "LTAI1mR39WKvT5nKsTSGMrPK",`,
				"access_key_id = LTAIvmhhEj4PagnW",
			},
			FalsePositives: []string{
				"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxxxxxxxxxxxxxxx",
				"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI<your-access-key-id>",
				"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIwocUQhBAMjlpkKfquZ1FabcdEF",
			},
		},
		{
			ID:          "alibaba-access-key-secret",
			Provider:    "Alibaba Cloud",
			Description: "Alibaba Cloud AccessKey secret (30 alphanumerics) assigned to an Alibaba/Aliyun or AccessKeySecret name. Format: https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
			Keywords:    []string{"alibaba", "aliyun", "alicloud", "accesskeysecret", "access_key_secret", "access-key-secret"},
			Pattern:     assigned(`alibaba|aliyun|alicloud|access[_.-]?key[_.-]?secret`, `[A-Za-z0-9]{30}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: alibaba,
			TruePositives: []string{
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET=MxHuhflUeSyZga5JRUJHWfoGAPfWnV",
				`accessKeySecret: "7RZGYzrGLm3RLCnwGKF826UGuS30Gx",`,
				"aliyun_secret = 'vtkn6rVXi3BHtxjjMpQMKvyDq83zsm'",
			},
			FalsePositives: []string{
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ALIBABA_CLOUD_ACCESS_KEY_SECRET}",
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET=8qXHZkS5Lbk7xd6Zc7hkDfbMibr6Jqabc",
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET=<access-key-secret-value>",
			},
		},
	}
}

// digitaloceanRules returns the rules for DigitalOcean.
func digitaloceanRules() []Rule {
	doPAT := Remediation{
		What:          "A DigitalOcean personal access token: read or read/write access to the team's Droplets, Spaces, databases, DNS and billing through the API.",
		RevokeURL:     "https://cloud.digitalocean.com/account/api/tokens",
		Revoke:        "API > Tokens > Personal access tokens: open the token's More menu and choose Delete.",
		RevokeCommand: "",
		Rotate:        "Generate a new token with custom scopes and an expiry (the Regenerate option keeps its settings), and store it as a secret.",
		Misuse:        "Team settings > Security history and the resources list (Droplets, Spaces keys, SSH keys, firewalls) for changes you did not make.",
		DocsURL:       "https://docs.digitalocean.com/reference/api/create-personal-access-token/",
	}
	doOAuth := Remediation{
		What:          "A DigitalOcean OAuth access or refresh token issued to an application: API access to the team with the granted scope (a refresh token mints new access tokens).",
		RevokeURL:     "https://cloud.digitalocean.com/account/api/applications",
		Revoke:        "Revoke the token at the OAuth revocation endpoint, or in API > Applications & API > Authorized applications revoke the application's access.",
		RevokeCommand: "curl -X POST \"https://cloud.digitalocean.com/v1/oauth/revoke\" -d \"token=<TOKEN>\"",
		Rotate:        "Let the application re-run the OAuth flow; keep tokens server-side, never in the repository.",
		Misuse:        "Team settings > Security history and the team's resources for changes you did not make.",
		DocsURL:       "https://docs.digitalocean.com/reference/api/oauth/",
	}

	return []Rule{
		{
			ID:          "digitalocean-pat",
			Provider:    "DigitalOcean",
			Description: "DigitalOcean personal access token: dop_v1_ followed by 64 hex characters. Format: https://docs.digitalocean.com/reference/api/create-personal-access-token/",
			Keywords:    []string{"dop_v1_"},
			Pattern:     uniqueToken(`dop_v1_[a-f0-9]{64}`, `A-Za-z0-9_`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: doPAT,
			TruePositives: []string{
				"DIGITALOCEAN_ACCESS_TOKEN=dop_v1_38ba05b49ad7694c11504d1a5e0698baa933f3667271d05a2f07ce7e5e74d623",
				`token = "dop_v1_cbf123765a82e049f636dedbe37930f85cfbadb341bfeea32992d177fb08df21"`,
				"doctl auth init -t dop_v1_802bb341183e7f66571e4b56946da1fe414eab14b87477fd50476fabd0f1b385",
			},
			FalsePositives: []string{
				"DIGITALOCEAN_ACCESS_TOKEN=dop_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"DIGITALOCEAN_ACCESS_TOKEN=dop_v1_38ba05b49ad7694c11504d1a5e0698baa933f3667271d05a2f07ce7e5e74d62300",
				"DIGITALOCEAN_ACCESS_TOKEN=dop_v1_$DO_TOKEN",
			},
		},
		{
			ID:          "digitalocean-oauth-token",
			Provider:    "DigitalOcean",
			Description: "DigitalOcean OAuth access token: doo_v1_ followed by 64 hex characters. Format: https://docs.digitalocean.com/reference/api/oauth/",
			Keywords:    []string{"doo_v1_"},
			Pattern:     uniqueToken(`doo_v1_[a-f0-9]{64}`, `A-Za-z0-9_`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: doOAuth,
			TruePositives: []string{
				"Authorization: Bearer doo_v1_2716b52aa5e8f428e4769dc320ec458dd3ed337e6de8d30567e44f85b87f8861",
				`{"access_token":"doo_v1_9ccd3d050c8be7cf0ce35508d8446c4fafc40d7c43c95f3b4e13b7d9a8a07215","token_type":"bearer"}`,
				"do_oauth_token: doo_v1_460f0e1177ee55d61e83e05602ae2c7a308dcf82b1610a63f85ed5949c37c867",
			},
			FalsePositives: []string{
				"Authorization: Bearer doo_v1_<token>",
				"Authorization: Bearer doo_v1_2716b52aa5e8f428e4769dc320ec458dd3ed337e6de8d30567e44f85b87f8861ff",
				"Authorization: Bearer doo_v1_0000000000000000000000000000000000000000000000000000000000000000",
			},
		},
		{
			ID:          "digitalocean-refresh-token",
			Provider:    "DigitalOcean",
			Description: "DigitalOcean OAuth refresh token: dor_v1_ followed by 64 hex characters. Format: https://docs.digitalocean.com/reference/api/oauth/",
			Keywords:    []string{"dor_v1_"},
			Pattern:     uniqueToken(`dor_v1_[a-f0-9]{64}`, `A-Za-z0-9_`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: doOAuth,
			TruePositives: []string{
				`{"refresh_token":"dor_v1_f38813e9237eb78e5753c7fe55adb0c215a60039527b23fab153bf6f55a2196c"}`,
				"DO_REFRESH_TOKEN=dor_v1_aba2d6796dd64433a50c6f5bc47f6b003a8582ca9f31fe7a905a5dbe4d6ba436",
				"refresh_token = 'dor_v1_debafe811bfe895fac993ec6c1744b5078d5c24f83db504cff0d06bd42a9b0c8'",
			},
			FalsePositives: []string{
				"DO_REFRESH_TOKEN=dor_v1_...",
				"DO_REFRESH_TOKEN=dor_v1_f38813e9237eb78e5753c7fe55adb0c215a60039527b23fab153bf6f55a2196ca",
				"DO_REFRESH_TOKEN=dor_v1_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
			},
		},
	}
}

// herokuRules returns the rules for Heroku.
func herokuRules() []Rule {
	heroku := Remediation{
		What:          "A Heroku API key or OAuth authorization: full control of every app, add-on and config var the Heroku user can reach.",
		RevokeURL:     "https://dashboard.heroku.com/account/applications",
		Revoke:        "For the account API key: Account settings > API Key > Regenerate API Key. For an authorization token: Account settings > Applications > Authorizations > Revoke, or `heroku authorizations:revoke`.",
		RevokeCommand: "heroku authorizations:revoke <AUTHORIZATION_ID>",
		Rotate:        "Create a scoped, expiring authorization (`heroku authorizations:create --scope <SCOPES> --expires-in <SECONDS>`) for automation instead of the account API key.",
		Misuse:        "`heroku releases -a <APP>` and the activity feed of each app for deploys and config var changes, and the Enterprise account audit trail.",
		DocsURL:       "https://devcenter.heroku.com/articles/authentication",
	}

	return []Rule{
		{
			ID:          "heroku-api-key",
			Provider:    "Heroku",
			Description: "Heroku API key (a UUID) assigned to a Heroku name (HEROKU_API_KEY, herokuToken, …). Format: https://devcenter.heroku.com/articles/authentication",
			Keywords:    []string{"heroku"},
			Pattern:     assigned(`heroku`, `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: heroku,
			TruePositives: []string{
				"HEROKU_API_KEY=e1175e8d-5e0b-45bf-b4c9-fa2094963c62",
				`heroku_api_key = "83eaf5b3-d627-4a3c-9bc5-fe01f4fad89f"`,
				"  herokuToken: 'ebe2c922-e00a-448d-b559-f297dda67e9c'",
			},
			FalsePositives: []string{
				`const HEROKU_KEY = "12345678-ABCD-ABCD-ABCD-1234567890AB"`,
				"HEROKU_API_KEY=00000000-0000-0000-0000-000000000000",
				"HEROKU_APP_NAME=billing-api",
				"DATADOG_API_KEY=431840d5-4168-43e3-93c7-fcc2d56b8dc5",
			},
		},
		{
			ID:          "heroku-api-key-v2",
			Provider:    "Heroku",
			Description: "Heroku API key in the prefixed format: HRKU- followed by 60 URL-safe characters. Format: https://devcenter.heroku.com/articles/authentication",
			Keywords:    []string{"hrku-"},
			Pattern:     uniqueToken(`HRKU-[A-Za-z0-9_-]{60}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: heroku,
			TruePositives: []string{
				"HEROKU_API_KEY=HRKU-AAdKf21oyDgpyahM0MFIikAR2qM4zwgyBpY02N6_loLsv8QuzCHPRnsreMR7",
				`const key = "HRKU-AAK4aqtrM1dyUzxh_B_IGAH53U4uAY12ZDNzuEJdDY66dWHdUEVxRcROL2X7";`,
				"password HRKU-AArcIooBazJFFhoXuaQMedAu-cGl7fEdS4eMHQGV4yeOLhclnr8J_SFNRwOf",
			},
			FalsePositives: []string{
				"HEROKU_API_KEY=HRKU-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"HEROKU_API_KEY=HRKU-AAdKf21oyDgpyahM0MFIikAR2qM4zwgyBpY02N6_loLsv8QuzCHPRnsreMR7AB",
				"HEROKU_API_KEY=HRKU-<your-api-key>",
			},
		},
	}
}

// cloudflareRules returns the rules for Cloudflare.
func cloudflareRules() []Rule {
	cfToken := Remediation{
		What:          "A Cloudflare API token (user or account owned): access to the zones and account resources in its permission policies.",
		RevokeURL:     "https://dash.cloudflare.com/profile/api-tokens",
		Revoke:        "My Profile > API Tokens (or Manage Account > Account API Tokens) > (token) > Delete, or Roll to replace its value.",
		RevokeCommand: "curl -X DELETE \"https://api.cloudflare.com/client/v4/user/tokens/<TOKEN_ID>\" -H \"Authorization: Bearer <ADMIN_API_TOKEN>\"",
		Rotate:        "Roll the token (`PUT /user/tokens/<TOKEN_ID>/value`) or create a new one with the narrowest permissions, IP filtering and a TTL.",
		Misuse:        "Manage Account > Audit Logs filtered by the token's actor and the zones' configuration history.",
		DocsURL:       "https://developers.cloudflare.com/fundamentals/api/get-started/create-token/",
	}
	cfGlobal := Remediation{
		What:          "The Cloudflare Global API Key: with the account e-mail it has full access to everything the user can do in every account.",
		RevokeURL:     "https://dash.cloudflare.com/profile/api-tokens",
		Revoke:        "My Profile > API Tokens > Global API Key > Change (re-generate), which invalidates the old key.",
		RevokeCommand: "",
		Rotate:        "Replace uses of the Global API Key with scoped API tokens.",
		Misuse:        "Manage Account > Audit Logs for actions by the user, and DNS, WAF and Workers changes on the zones.",
		DocsURL:       "https://developers.cloudflare.com/fundamentals/api/get-started/keys/",
	}
	cfOrigin := Remediation{
		What:          "A Cloudflare Origin CA key: it creates and revokes Origin CA certificates for the user's zones.",
		RevokeURL:     "https://dash.cloudflare.com/profile/api-tokens",
		Revoke:        "My Profile > API Tokens > Origin CA Key > Change (re-generate).",
		RevokeCommand: "",
		Rotate:        "Use an API token with the SSL and Certificates edit permission instead of the Origin CA key.",
		Misuse:        "SSL/TLS > Origin Server on each zone for certificates you did not issue, and Manage Account > Audit Logs.",
		DocsURL:       "https://developers.cloudflare.com/ssl/origin-configuration/origin-ca/",
	}

	return []Rule{
		{
			ID:          "cloudflare-api-token",
			Provider:    "Cloudflare",
			Description: "Cloudflare user or account API token in the scannable format: cfut_ or cfat_, 40 characters and an 8-hex checksum. Format: https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/",
			Keywords:    []string{"cfut_", "cfat_"},
			Pattern:     uniqueToken(`cf(?:ut|at)_[A-Za-z0-9]{40}[a-f0-9]{8}`, `A-Za-z0-9_`),
			Group:       1,
			MinEntropy:  3.8,
			Confidence:  High,
			Remediation: cfToken,
			TruePositives: []string{
				"CLOUDFLARE_API_TOKEN=cfut_n6G3KJTCIYn7W1RS1apFsMnwxENInWNVPHkGSYxSb3ed8858",
				`api_token = "cfat_RR7MtQ01YhAFdFsjLgYwhP7qpqXzSt69d8jawJJP7871ebf1"`,
				"curl -H 'Authorization: Bearer cfut_r9NGFGFRPaxG9EIobVzD5qwTV8G7OePuL378PAaE26ebb4d3' https://api.cloudflare.com/client/v4/user/tokens/verify",
			},
			FalsePositives: []string{
				"CLOUDFLARE_API_TOKEN=cfut_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx12345678",
				"CLOUDFLARE_API_TOKEN=cfat_i2n8aQMU2m0TdwZW18T3Q6xlMxuKaHX0lHubsNA3a2f63fc20",
				"CLOUDFLARE_API_TOKEN=cfut_REAL",
			},
		},
		{
			ID:          "cloudflare-global-api-key",
			Provider:    "Cloudflare",
			Description: "Cloudflare Global API Key in the scannable format: cfk_, 40 characters and an 8-hex checksum. Format: https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/",
			Keywords:    []string{"cfk_"},
			Pattern:     uniqueToken(`cfk_[A-Za-z0-9]{40}[a-f0-9]{8}`, `A-Za-z0-9_`),
			Group:       1,
			MinEntropy:  3.8,
			Confidence:  High,
			Remediation: cfGlobal,
			TruePositives: []string{
				"CLOUDFLARE_API_KEY=cfk_SHZOS1XpZRF3vaL71lTD2yMkilkROM5PKBvenzdn63c6b887",
				`X-Auth-Key: cfk_yVFuN2CeNH8vKhVSKPB3zTjb3wjegWyZEQuXh7tM05f836a2`,
				"  global_api_key: 'cfk_wQzocEptNHPXTyOlCswOq1p4H4ZKor4ogC47AL0T53d5d00f'",
			},
			FalsePositives: []string{
				"CLOUDFLARE_API_KEY=cfk_<global-api-key>",
				"CLOUDFLARE_API_KEY=cfk_SHZOS1XpZRF3vaL71lTD2yMkilkROM5PKBvenzdn63c6b8879",
				"CLOUDFLARE_API_KEY=cfk_0123456789abcdef",
			},
		},
		{
			ID:          "cloudflare-api-token-legacy",
			Provider:    "Cloudflare",
			Description: "Cloudflare API token in the pre-2026 unprefixed format (40 characters) assigned to a Cloudflare name (CLOUDFLARE_API_TOKEN, CF_API_TOKEN, …). Format: https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/",
			Keywords:    []string{"cloudflare", "cf_api", "cf-api", "cf_token"},
			Pattern:     assigned(`cloudflare|\bcf[_-]api|\bcf_token`, `[A-Za-z0-9_-]{40}`),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: cfToken,
			TruePositives: []string{
				"CLOUDFLARE_API_TOKEN=1C8vDaqX85oU-hkzn44p_PmE75Xym4a9FdW_fLWC",
				`cloudflare_api_token = "dtaa_fo-QMbz22ToSVDDDfX_U2HT0AEw7vyKxM53"`,
				"export CF_Token=\"JKZVWBOQhWKwKNTBVIuQVoTRiN0iMSCm2ld7o8fw\"",
			},
			FalsePositives: []string{
				"CLOUDFLARE_API_TOKEN=${{ secrets.CLOUDFLARE_API_TOKEN }}",
				"CLOUDFLARE_ACCOUNT_ID=ec53d4ae72598161f20c1c23e14055456c1f0abc",
				"CLOUDFLARE_API_TOKEN=0Z9OpzPqukeQhfjZHI5ANrmRAAxpf8hirn9HQWWhZ",
				"CLOUDFLARE_API_TOKEN=<your-cloudflare-api-token-goes-here-ok>",
			},
		},
		{
			ID:          "cloudflare-global-api-key-legacy",
			Provider:    "Cloudflare",
			Description: "Cloudflare Global API Key in the pre-2026 format (37–45 lowercase hex characters) assigned to a Cloudflare name (CLOUDFLARE_API_KEY, CF_Key, …). Format: https://developers.cloudflare.com/fundamentals/api/get-started/token-formats/",
			Keywords:    []string{"cloudflare", "cf_api", "cf-api", "cf_key"},
			Pattern:     assigned(`cloudflare|\bcf[_-]api|\bcf_key`, `[a-f0-9]{37,45}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: cfGlobal,
			TruePositives: []string{
				"CLOUDFLARE_API_KEY=ec53d4ae72598161f20c1c23e14055456c1f0",
				`cloudflare_global_api_key = "c6bc55066527a1760aee1498aa354d33f696f"`,
				"export CF_Key=\"715a5cca5928daef26cb3f5ae38b34e14a952\"",
			},
			FalsePositives: []string{
				"CLOUDFLARE_ZONE_ID=023e105f4ecef8ad9ca31a8372d0c353",
				"CLOUDFLARE_API_KEY=$CLOUDFLARE_API_KEY",
				"CLOUDFLARE_API_KEY=0000000000000000000000000000000000000",
			},
		},
		{
			ID:          "cloudflare-origin-ca-key",
			Provider:    "Cloudflare",
			Description: "Cloudflare Origin CA key: v1.0-, 24 hex characters, a dash and 146 hex characters. Format: https://developers.cloudflare.com/fundamentals/api/get-started/keys/",
			Keywords:    []string{"v1.0-"},
			Pattern:     uniqueToken(`v1\.0-[a-f0-9]{24}-[a-f0-9]{146}`, `A-Za-z0-9_.-`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: cfOrigin,
			TruePositives: []string{
				"CLOUDFLARE_ORIGIN_CA_KEY=v1.0-83c34d4ccc939f9515aac68f-2a483d3db368ce5953f05a5264bc67c44765ade50a97191b34647e8fa42cee56baa2aea5280b016a4a8e8aa99958e766087f55e2ec0d97b1ce8a858256dddb83a750b7e3eef3507fd7",
				`origin_ca_key = "v1.0-445108d7ca394b81d625467b-f64ee7e4ca0182f0f10556871da084ef04db5979b7b01c737c5bec6db4d31394fbcc5707910e9755c1600429b70b40f7d8edb403b52efa8d27b91272aa76012898b315006667cf09ac"`,
				"X-Auth-User-Service-Key: v1.0-f5a813882bd17ce7b0d7aa84-0c6f74f23d63ac2a89cdc3f73e45df14a39e383d5a6322adcd9301925253daffad942f819e3698c168eb6814d312e121c27183ac1cd2e8d7e295e6f321d80792752ef7db8a0358618c",
			},
			FalsePositives: []string{
				"CLOUDFLARE_ORIGIN_CA_KEY=v1.0-<origin-ca-key>",
				"version: v1.0-alpha",
				"CLOUDFLARE_ORIGIN_CA_KEY=v1.0-000000000000000000000000-00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
			},
		},
	}
}

// fastlyRules returns the rules for Fastly.
func fastlyRules() []Rule {
	fastly := Remediation{
		What:          "A Fastly API token: it purges, reconfigures and deploys the services its scope and user role allow.",
		RevokeURL:     "https://manage.fastly.com/account/personal/tokens",
		Revoke:        "Account > Personal API tokens > Delete, or revoke the token with the API using the token itself.",
		RevokeCommand: "curl -X DELETE -H \"Fastly-Key: <TOKEN>\" https://api.fastly.com/tokens/self",
		Rotate:        "Create a new token limited to the needed services and scope (e.g. purge_select) with an expiry.",
		Misuse:        "Account > Event log (audit log) for service version activations, config changes and token use.",
		DocsURL:       "https://www.fastly.com/documentation/reference/api/auth-tokens/",
	}

	return []Rule{
		{
			ID:          "fastly-api-token",
			Provider:    "Fastly",
			Description: "Fastly API token (32 URL-safe characters) assigned to a Fastly name (FASTLY_API_TOKEN, fastly_key, …). Format: https://www.fastly.com/documentation/reference/api/auth-tokens/",
			Keywords:    []string{"fastly"},
			Pattern:     assigned(`fastly`, `[A-Za-z0-9_-]{32}`),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: fastly,
			TruePositives: []string{
				"FASTLY_API_TOKEN=8w2lY-9YKHnp9-PH35-TKEOaV0RJutO5",
				`fastly_api_key = "teRn_GulVsK0FpJw1vM2CC2TAVUKijpn"`,
				"  fastlyToken: 'S66bBeRnAUxAF6V8WumJVzWKpLEubEml'",
			},
			FalsePositives: []string{
				"FASTLY_SERVICE_ID=SU1Z0isxPaozGVKXdv0eY",
				"FASTLY_API_TOKEN=${FASTLY_API_TOKEN}",
				"FASTLY_API_TOKEN=d41d8cd98f00b204e9800998ecf8427e",
			},
		},
	}
}

// vercelRules returns the rules for Vercel.
func vercelRules() []Rule {
	vercel := Remediation{
		What:          "A Vercel access token or API key: it deploys, reads environment variables and manages projects of its scope (a personal account or team).",
		RevokeURL:     "https://vercel.com/account/settings/tokens",
		Revoke:        "Account Settings > Tokens > (token) > Delete; integration and app tokens are revoked by removing the integration/app.",
		RevokeCommand: "curl -X DELETE -H \"Authorization: Bearer <ANOTHER_VALID_TOKEN>\" https://api.vercel.com/v3/user/tokens/<TOKEN_ID>",
		Rotate:        "Create a new token scoped to one team with an expiry; then rotate the environment variables the token could read.",
		Misuse:        "Team Settings > Activity (and the Audit log on Enterprise) for deployments, domain and environment variable changes.",
		DocsURL:       "https://vercel.com/docs/rest-api#creating-an-access-token",
	}

	return []Rule{
		{
			ID:          "vercel-token",
			Provider:    "Vercel",
			Description: "Vercel access token or API key in the prefixed format (vcp_ personal, vci_ integration, vca_ app access, vcr_ app refresh, vck_ API key). Format: https://vercel.com/changelog/new-token-formats-and-secret-scanning",
			Keywords:    []string{"vcp_", "vci_", "vca_", "vcr_", "vck_"},
			Pattern:     uniqueToken(`vc[pciark]_[A-Za-z0-9_-]{56}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  High,
			Remediation: vercel,
			TruePositives: []string{
				"VERCEL_TOKEN=vck_BqduUMIbMNOSBzO7Ve8teesh_aJUQlo7a-v5DE9LDhADFMIzSWZBntec",
				`vercel deploy --prod --token "vcp_Y1FQ9bd7mpz8tWrDZErI8w5q4mcMHdUJxVHJXJ0x1rkmKjXJ9sZMAysk"`,
				"  token: vci_07uhvYMJSPy3atyttOoOB2WRIIAdV7KPYJOJvot-RoHAUaw-ork8g6Dc",
			},
			FalsePositives: []string{
				"VERCEL_TOKEN=vcp_your_token_here",
				"merged_path = result_dir / \"vcp_ml_predictions_for_market_segments_2024_q3_final.txt\"",
				"VERCEL_TOKEN=vcp_vq7n_C5SZujC-atuFeCTuKi9l-nSBjHIaweNpsl1syyG-n4DCy3XFR1IX",
			},
		},
		{
			ID:          "vercel-token-legacy",
			Provider:    "Vercel",
			Description: "Vercel access token in the older unprefixed format (24 alphanumerics) assigned to a Vercel name (VERCEL_TOKEN, …). Format: https://vercel.com/docs/rest-api#creating-an-access-token",
			Keywords:    []string{"vercel"},
			Pattern:     assigned(`vercel`, `[A-Za-z0-9]{24}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: vercel,
			TruePositives: []string{
				"VERCEL_TOKEN=dzEYSlMUwaB1BGWBV1RyNN3l",
				`vercelToken: "MW6K8Jk7ABmdx7X0kSM5NF8I",`,
				"export VERCEL_ACCESS_TOKEN='HASJp76zyUYPjbIO7p3jFOTw'",
			},
			FalsePositives: []string{
				"VERCEL_PROJECT_ID=prj_ceiIjx9fSbZie3BJGrj8ErGHJYPS",
				"VERCEL_TOKEN=${{ secrets.VERCEL_TOKEN }}",
				"VERCEL_ORG_ID=team_AbCdEfGhIjKlMnOpQrStUvWx",
				"VERCEL_TOKEN=JSwv5Moy3ORFrpJDsY0N2nHBQ",
			},
		},
	}
}

// netlifyRules returns the rules for Netlify.
func netlifyRules() []Rule {
	netlify := Remediation{
		What:          "A Netlify authentication token: it deploys sites, reads environment variables and changes settings with the user's team permissions.",
		RevokeURL:     "https://app.netlify.com/user/applications#personal-access-tokens",
		Revoke:        "User settings > Applications > Personal access tokens > (token) > Delete; OAuth and CLI tokens are revoked under Authorized applications.",
		RevokeCommand: "",
		Rotate:        "Create a new personal access token with an expiration date and store it as a CI secret.",
		Misuse:        "Team settings > Audit log (Enterprise) and each site's Deploys list for deploys you did not make.",
		DocsURL:       "https://docs.netlify.com/api/get-started/#authentication",
	}

	return []Rule{
		{
			ID:          "netlify-token",
			Provider:    "Netlify",
			Description: "Netlify authentication token in the prefixed format: nfp_ (personal), nfc_ (CLI), nfo_ (OAuth), nfu_ (app), nfb_ (build) and 36 alphanumerics. Format: https://answers.netlify.com/t/change-to-the-netlify-authentication-token-format/106146",
			Keywords:    []string{"nfp_", "nfc_", "nfo_", "nfu_", "nfb_"},
			Pattern:     uniqueToken(`nf[pcoub]_[A-Za-z0-9]{36}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  High,
			Remediation: netlify,
			TruePositives: []string{
				"NETLIFY_AUTH_TOKEN=nfo_tUP5JHY0ClrjI8YzPVbliU3kmxxLn3Ji4LQd",
				`netlify deploy --prod --auth "nfp_S5vtty05p8OyUo2bMoOdjBsmhPLmstnZlIWw"`,
				"  token: 'nfp_ZSBTshkA3TXbm5YgGkgx3dCiBC6u0Ta8jV4w'",
			},
			FalsePositives: []string{
				"NETLIFY_AUTH_TOKEN=nfp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"NETLIFY_AUTH_TOKEN=nfo_mZwvGwTBS60lsBQHvscVy21HI0yyKRxL9EVLa",
				"func nfp_handler_for_incoming_requests_v2()",
			},
		},
		{
			ID:          "netlify-token-legacy",
			Provider:    "Netlify",
			Description: "Netlify personal access token in the older unprefixed format (40–46 URL-safe characters) assigned to a Netlify name (NETLIFY_AUTH_TOKEN, …). Format: https://docs.netlify.com/api/get-started/#authentication",
			Keywords:    []string{"netlify"},
			Pattern:     assigned(`netlify`, `[A-Za-z0-9_-]{40,46}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly, notNetlifyPrefixed},
			Confidence:  Medium,
			Remediation: netlify,
			TruePositives: []string{
				"NETLIFY_AUTH_TOKEN=9qEH1a1pwH2pKj_wtk_cWlJKv9s6-CTPAGDg28e7ANN",
				`netlifyToken: "6G8hvi2oQH1-zXQiunKTkutm4WkQ2k6yFUZpxVKL1BB"`,
				"export NETLIFY_TOKEN='KM6yt7mtOs-uSJZ7sb_KGgln23aCzE3TS_HWjQbsnF4'",
			},
			FalsePositives: []string{
				"NETLIFY_SITE_ID=6b2f1c0e-4a8d-4f3e-9b7a-2c1d0e9f8a7b",
				"NETLIFY_AUTH_TOKEN=${{ secrets.NETLIFY_AUTH_TOKEN }}",
				"NETLIFY_AUTH_TOKEN=nfo_tUP5JHY0ClrjI8YzPVbliU3kmxxLn3Ji4LQd",
			},
		},
	}
}

// supabaseRules returns the rules for Supabase.
func supabaseRules() []Rule {
	supabaseKey := Remediation{
		What:          "A Supabase secret or service_role API key: it bypasses Row Level Security and reads and writes every table, storage bucket and auth user of the project.",
		RevokeURL:     "https://supabase.com/dashboard/project/_/settings/api-keys",
		Revoke:        "Project Settings > API Keys: delete the leaked secret key (sb_secret_…). For a legacy service_role JWT, switch to the new API keys and disable the legacy keys, or rotate the JWT secret (which also invalidates the anon key and user sessions).",
		RevokeCommand: "curl -X DELETE -H \"Authorization: Bearer <SUPABASE_ACCESS_TOKEN>\" \"https://api.supabase.com/v1/projects/<PROJECT_REF>/api-keys/<KEY_ID>\"",
		Rotate:        "Create a new secret key, deploy it to server-side code only, then delete the old one.",
		Misuse:        "Logs & Analytics > API Gateway / Postgres logs filtered by the service_role role and unknown IP addresses, and the auth audit log.",
		DocsURL:       "https://supabase.com/docs/guides/api/api-keys",
	}
	supabasePAT := Remediation{
		What:          "A Supabase personal access token: Management API access to every organization and project of the user (database settings, keys, functions).",
		RevokeURL:     "https://supabase.com/dashboard/account/tokens",
		Revoke:        "Account > Access Tokens > (token) > Revoke.",
		RevokeCommand: "",
		Rotate:        "Generate a new token for the CLI or CI and store it as a secret (SUPABASE_ACCESS_TOKEN).",
		Misuse:        "Organization settings > Audit logs for Management API actions, and each project's settings and API keys for changes.",
		DocsURL:       "https://supabase.com/docs/reference/api/introduction",
	}

	return []Rule{
		{
			ID:          "supabase-service-role-key",
			Provider:    "Supabase",
			Description: "Supabase legacy service_role API key: a JWT with iss \"supabase\" and role \"service_role\" (the anon key is public by design and is not reported). Format: https://supabase.com/docs/guides/api/api-keys",
			Keywords:    []string{"eyj"},
			Pattern:     uniqueToken(`eyJ[A-Za-z0-9_-]{10,500}\.eyJ[A-Za-z0-9_-]{10,1000}[A-Za-z0-9_-]{0,1000}\.[A-Za-z0-9_-]{20,1000}`, `A-Za-z0-9_.-`),
			Group:       1,
			Validators:  []Validator{supabaseServiceRoleJWT},
			Confidence:  High,
			Remediation: supabaseKey,
			TruePositives: []string{
				"SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6Imh6b2d0cW9ta3luY2RvcHdpaHluIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTczNTY4OTYwMCwiZXhwIjoyMDUxMDQ5NjAwfQ.NIp9GHvfB3ctqWCxH8MNApqYKOQaqWjyAtMwX8YUAyg",
				`const supabase = createClient("https://abcdefghijklmnop.supabase.co", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6Imtwbm9lamF2amJycHphY3pwaHVnIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTczNTY4OTYwMCwiZXhwIjoyMDUxMDQ5NjAwfQ.z_Pdcq3lOsyoV1Wrr3VzewZ819g8lvU0v0QeiZxEkNg")`,
				"  service_key: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImVrcWN1aHN0dHRlaXdpcmVuaGF3Iiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTczNTY4OTYwMCwiZXhwIjoyMDUxMDQ5NjAwfQ.PRalTuK78K1TItMjLmqCPntbdWyWOGVQTpCJrlfFpTw'",
			},
			FalsePositives: []string{
				"NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImtoYWlvcHp4a3hqbWh5aXhudnRlIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MzU2ODk2MDAsImV4cCI6MjA1MTA0OTYwMH0.7pkFQRsTgK68O3x50EX3chDkAkOZw-Kfcx1utLlm5o0",
				"SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UtZGVtbyIsImlhdCI6MTY0MTc2OTIwMCwiZXhwIjoxNzk5NTM1NjAwfQ.0KUKdUatNmMmmZXoe-rcHkKQd6fdU-26sKturOvj0Sw",
				"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLWhoaW5QdyIsIm5hbWUiOiJBZGEiLCJpYXQiOjE3MzU2ODk2MDB9.DlVqZrz_oWLWkSKKa2oreTjD1csLQ6x6G_ORgwdGrfQ",
				"SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
			},
		},
		{
			ID:          "supabase-secret-key",
			Provider:    "Supabase",
			Description: "Supabase secret API key: sb_secret_ followed by 22 characters, an underscore and an 8-character checksum. Format: https://supabase.com/docs/guides/api/api-keys",
			Keywords:    []string{"sb_secret_"},
			Pattern:     uniqueToken(`sb_secret_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{notSupabaseLocalSecret},
			Confidence:  High,
			Remediation: supabaseKey,
			TruePositives: []string{
				"SUPABASE_SECRET_KEY=sb_secret_KezhMpaYUmWYg7gCXcoaUJ_gBFe0CH_",
				`createClient(url, "sb_secret_JNOR_NJHmir1BGjpbkbDR2_FfXGlKaQ")`,
				"  apikey: sb_secret_PwMYU6SALIfhRPybs74PRo_M0IRqXCM",
			},
			FalsePositives: []string{
				"SUPABASE_SECRET_KEY=sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz",
				"SUPABASE_SECRET_KEY=sb_secret_...",
				"SUPABASE_PUBLISHABLE_KEY=sb_publishable_" + "sb_secret_KezhMpaYUmWYg7gCXcoaUJ_gBFe0CH_"[10:],
			},
		},
		{
			ID:          "supabase-access-token",
			Provider:    "Supabase",
			Description: "Supabase personal access token for the Management API and CLI: sbp_ followed by 40 hex characters. Format: https://supabase.com/docs/reference/api/introduction",
			Keywords:    []string{"sbp_"},
			Pattern:     uniqueToken(`sbp_[a-f0-9]{40}`, `A-Za-z0-9_`),
			Group:       1,
			MinEntropy:  3.2,
			Confidence:  High,
			Remediation: supabasePAT,
			TruePositives: []string{
				"SUPABASE_ACCESS_TOKEN=sbp_d1f013737029cc2f8af5704c2c31c57f330c85a8",
				`curl -H "Authorization: Bearer sbp_38a599907c17454c61cddca6f6af34389e9b9603" https://api.supabase.com/v1/projects`,
				"supabase login --token sbp_b974dba5ae9192877f08d861b1571ede855675c3",
			},
			FalsePositives: []string{
				"SUPABASE_ACCESS_TOKEN=sbp_...",
				"SUPABASE_ACCESS_TOKEN=sbp_d1f013737029cc2f8af5704c2c31c57f330c85a80",
				"SUPABASE_ACCESS_TOKEN=sbp_0000000000000000000000000000000000000000",
			},
		},
	}
}

// databricksRules returns the rules for Databricks.
func databricksRules() []Rule {
	databricks := Remediation{
		What:          "A Databricks personal access token: it acts as its user on the workspace REST APIs, clusters, jobs, notebooks and data.",
		RevokeURL:     "https://accounts.cloud.databricks.com/",
		Revoke:        "In the workspace: Settings > Developer > Access tokens > revoke. Workspace admins can revoke any token with the token management API.",
		RevokeCommand: "databricks tokens delete <TOKEN_ID>  # admins: databricks token-management delete <TOKEN_ID>",
		Rotate:        "Use OAuth machine-to-machine credentials of a service principal instead, or a new PAT with a short lifetime.",
		Misuse:        "The audit log system table system.access.audit (or audit log delivery) filtered by the user identity and the token ID.",
		DocsURL:       "https://docs.databricks.com/en/dev-tools/auth/pat.html",
	}

	return []Rule{
		{
			ID:          "databricks-api-token",
			Provider:    "Databricks",
			Description: "Databricks personal access token: dapi followed by 32 hex characters (and an optional -N suffix on Azure Databricks). Format: https://docs.databricks.com/en/dev-tools/auth/pat.html",
			Keywords:    []string{"dapi"},
			Pattern:     uniqueToken(`dapi[a-f0-9]{32}(?:-\d)?`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: databricks,
			TruePositives: []string{
				"DATABRICKS_TOKEN=dapiea60bc30dc27f3858a64ac64e0c77544",
				`token = "dapiddfaa7d2fa4ea6662ea2d85e6e86a4ad-2"`,
				"Authorization: Bearer dapic71cb6217abb9e7af20eb4c81f1c75c6",
			},
			FalsePositives: []string{
				"DATABRICKS_TOKEN=dapi123456789012345678a9bc01234defg5",
				"DATABRICKS_TOKEN=dapiXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
				"DATABRICKS_TOKEN=dapiea60bc30dc27f3858a64ac64e0c77544ab",
			},
		},
	}
}

package scanner

// datadogRules returns the rules for Datadog.
func datadogRules() []Rule {
	datadogAPI := Remediation{
		What:          "A Datadog API key: it submits metrics, logs and events to the organization and, with an application key, calls the full API.",
		RevokeURL:     "https://app.datadoghq.com/organization-settings/api-keys",
		Revoke:        "Open Organization Settings → API Keys and revoke the key (use your site's host, e.g. app.datadoghq.eu).",
		RevokeCommand: `curl -X DELETE https://api.datadoghq.com/api/v2/api_keys/<API_KEY_ID> -H "DD-API-KEY: <OTHER_API_KEY>" -H "DD-APPLICATION-KEY: <APP_KEY>"`,
		Rotate:        "Create a new API key, roll it out to agents and integrations (DD_API_KEY), then revoke the old one.",
		Misuse:        "Check Audit Trail (https://app.datadoghq.com/audit-trail) and the API key's usage for data submitted from hosts you do not run.",
		DocsURL:       "https://docs.datadoghq.com/account_management/api-app-keys/",
	}
	datadogApp := datadogAPI
	datadogApp.What = "A Datadog application key: with an API key it reads and changes everything its owner (or its scopes) can — dashboards, monitors, logs, users."
	datadogApp.RevokeURL = "https://app.datadoghq.com/organization-settings/application-keys"
	datadogApp.Revoke = "Open Organization Settings → Application Keys (or Personal Settings → Application Keys) and revoke the key."
	datadogApp.RevokeCommand = `curl -X DELETE https://api.datadoghq.com/api/v2/application_keys/<APP_KEY_ID> -H "DD-API-KEY: <API_KEY>" -H "DD-APPLICATION-KEY: <OTHER_APP_KEY>"`
	datadogApp.Rotate = "Create a scoped application key for the automation, store it in your secret manager, redeploy, then revoke the old one."

	return []Rule{
		{
			ID:            "datadog-api-key",
			Provider:      "Datadog",
			Description:   "Datadog API key (32 hex) assigned to a Datadog / DD_API_KEY name, or to api_key within two lines of a Datadog keyword. Format: https://docs.datadoghq.com/account_management/api-app-keys/",
			Keywords:      []string{"datadog", "dd_api", "dd-api", "ddapi"},
			KeywordWindow: 2,
			Pattern:       assigned(`dd[_-]?api[_-]?key|datadog[A-Za-z0-9_.-]{0,25}?(?:key|token)|\bapi[_-]?key`, `[0-9a-f]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   datadogAPI,
			TruePositives: []string{
				`DD_API_KEY=b816a38efbc1db468a50da9d3a685586`,
				`  datadog_api_key      = "b816a38efbc1db468a50da9d3a685586"`,
				`datadog_api_key: "47fcaa56cb5423212549c950986b2ea7"`,
				`datadog:` + "\n" + `  site: datadoghq.eu` + "\n" + `  api_key: 772b2bdea4454d067a70f48203479076`,
			},
			FalsePositives: []string{
				`DD_API_KEY=<DATADOG_API_KEY>`,
				`api_key = "5bc5e519f3756f95d284aa9f1b1a5d6a"  # some other service`,
				`DD_API_KEY=d9ecbe6c5e246caa3b28`,
				`DATADOG_API_KEY=${DD_API_KEY}`,
			},
		},
		{
			ID:            "datadog-app-key",
			Provider:      "Datadog",
			Description:   "Datadog application key (40 hex) assigned to a Datadog application-key / DD_APP_KEY name, or to app_key within two lines of a Datadog keyword. Format: https://docs.datadoghq.com/account_management/api-app-keys/",
			Keywords:      []string{"datadog", "dd_app", "dd-app", "ddapp"},
			KeywordWindow: 2,
			Pattern:       assigned(`dd[_-]?app(?:lication)?[_-]?key|datadog[A-Za-z0-9_.-]{0,20}?app(?:lication)?[_-]?key|\bapp(?:lication)?[_-]?key`, `[0-9a-f]{40}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   datadogApp,
			TruePositives: []string{
				`DD_APP_KEY=e3905a0e92ff99dc5b15548e88d237b32252046d`,
				`datadog_application_key: "d9d5b3327f2769a810ca24298e1e158e17df9832"`,
				`export DATADOG_APP_KEY='ef36760a51f88de822c30ad50a72bbec47e8dbed'`,
				`from datadog_api_client import Configuration` + "\n" + `config.api_key["appKeyAuth"] = "389e6472e8f903936c651766a6c4938b6320df48"`,
			},
			FalsePositives: []string{
				`DD_APP_KEY=<DATADOG_APP_KEY>`,
				`DD_APP_KEY=6a6ef2e2180011468f1a7c0b734644d0`,
				`DD_APP_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
	}
}

// newRelicRules returns the rules for New Relic.
func newRelicRules() []Rule {
	newrelic := Remediation{
		What:          "A New Relic API key: user keys (NRAK-) query and configure the account through NerdGraph; ingest and insert keys write data into it.",
		RevokeURL:     "https://one.newrelic.com/api-keys",
		Revoke:        "Open the API keys page, find the key by its ID or truncated value and delete it.",
		RevokeCommand: `curl -X POST https://api.newrelic.com/graphql -H "API-Key: <OTHER_USER_KEY>" -H "Content-Type: application/json" -d '{"query":"mutation { apiAccessDeleteKeys(keys: {userKeyIds: [\"<KEY_ID>\"]}) { deletedKeys { id } } }"}'`,
		Rotate:        "Create a new key of the same type, store it in your secret manager, roll it out to agents and scripts, then delete the old one.",
		Misuse:        "Query NrAuditEvent (SELECT * FROM NrAuditEvent SINCE 1 week ago) for configuration changes and check data ingest for sources you do not run.",
		DocsURL:       "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/",
	}
	newrelicIngest := newrelic
	newrelicIngest.What = "A New Relic ingest key (license or insert key): it writes metrics, events, logs and traces into the account."
	newrelicIngest.RevokeCommand = `curl -X POST https://api.newrelic.com/graphql -H "API-Key: <USER_KEY>" -H "Content-Type: application/json" -d '{"query":"mutation { apiAccessDeleteKeys(keys: {ingestKeyIds: [\"<KEY_ID>\"]}) { deletedKeys { id } } }"}'`
	newrelicIngest.Misuse = "Check Data management → Data ingestion for unexpected sources and volume billed to the account."
	newrelicBrowser := newrelicIngest
	newrelicBrowser.What = "A New Relic browser ingest key (NRJS-): it is embedded in the browser agent snippet and only sends browser data, but can be abused to inject or inflate data."

	return []Rule{
		{
			ID:          "newrelic-user-api-key",
			Provider:    "New Relic",
			Description: "New Relic user API key (NRAK- + 27 characters) for NerdGraph and REST. Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#user-key",
			Keywords:    []string{"nrak-"},
			Pattern:     uniqueToken(`NRAK-[A-Za-z0-9]{27}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: newrelic,
			TruePositives: []string{
				`NEW_RELIC_API_KEY=NRAK-CHZ1PR057XH3AQKT3A711XCD24J`,
				`newrelic_user_key: "NRAK-4DND2ZDEQS8N5JA3S0QXYLVFJP1"`,
				`headers = {"API-Key": "NRAK-74FEE1T3CJNCE0MZAOLPVGKTOWR"}`,
			},
			FalsePositives: []string{
				`NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`NEW_RELIC_API_KEY=NRAK-TTLC45TOFVT9`,
				`NEW_RELIC_API_KEY=NRAK-your-user-key`,
			},
		},
		{
			ID:          "newrelic-insert-key",
			Provider:    "New Relic",
			Description: "New Relic Insights insert key (NRII-) or query key (NRIQ-). Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#insights-insert-key",
			Keywords:    []string{"nrii-", "nriq-"},
			Pattern:     uniqueToken(`NRI[IQ]-[A-Za-z0-9_-]{32}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: newrelicIngest,
			TruePositives: []string{
				`NEW_RELIC_INSERT_KEY=NRII-f3HPwhm_CmxoWPEDFGNHH2psGll7fhed`,
				`"insertKey": "NRII-GtBgI816ZlDL403zidOo-peCaGYsdIsL"`,
				`NEW_RELIC_QUERY_KEY: NRIQ-YTr_umKC0dGyb5coComA32VAwRCBQTOK`,
			},
			FalsePositives: []string{
				`NEW_RELIC_INSERT_KEY=NRII-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`NEW_RELIC_INSERT_KEY=NRII-yY6yqV0peUznOtKj`,
				`NEW_RELIC_INSERT_KEY=NRII-your-insert-key`,
			},
		},
		{
			ID:          "newrelic-license-key",
			Provider:    "New Relic",
			Description: "New Relic ingest license key in the current 40-character format ending in NRAL. Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#license-key",
			Keywords:    []string{"nral"},
			Pattern:     uniqueToken(`[a-z0-9]{36}NRAL`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: newrelicIngest,
			TruePositives: []string{
				`NEW_RELIC_LICENSE_KEY=b1432fbd63f240ff0c4c9be39a9d46614236NRAL`,
				`license_key: eu01xx5685ca073d235b914e5aac02b3772aNRAL`,
				`newrelic.ini: license_key = "78f26ec0290298194ab1a3dcb08a4fa55b68NRAL"`,
			},
			FalsePositives: []string{
				`NEW_RELIC_LICENSE_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxNRAL`,
				`NEW_RELIC_LICENSE_KEY=ab2152ab602dd0748fceNRAL`,
				`NEW_RELIC_LICENSE_KEY=<your-license-key>NRAL`,
			},
		},
		{
			ID:          "newrelic-browser-key",
			Provider:    "New Relic",
			Description: "New Relic browser ingest key (NRJS- + 19 hex); it ships in the browser agent snippet, so it is only worth rotating when abused. Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#browser-key",
			Keywords:    []string{"nrjs-"},
			Pattern:     uniqueToken(`NRJS-[a-f0-9]{19}`, b64TokenChars),
			Group:       1,
			MinEntropy:  2.8,
			Confidence:  Medium,
			Remediation: newrelicBrowser,
			TruePositives: []string{
				`NEW_RELIC_BROWSER_KEY=NRJS-7833a818ae49777a948`,
				`licenseKey:"NRJS-3ee2d7e877acf27c68a",applicationID:"258109229"`,
				`"browserKey": "NRJS-053031251ac0d549119"`,
			},
			FalsePositives: []string{
				`NEW_RELIC_BROWSER_KEY=NRJS-xxxxxxxxxxxxxxxxxxx`,
				`NEW_RELIC_BROWSER_KEY=NRJS-c572da237301`,
				`NEW_RELIC_BROWSER_KEY=NRJS-bb9e16e90c8db52407acb9f68fc176a0`,
			},
		},
		{
			ID:          "newrelic-admin-key",
			Provider:    "New Relic",
			Description: "Legacy New Relic admin API key (NRAA- + 27 hex). Format: https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/#admin",
			Keywords:    []string{"nraa-"},
			Pattern:     uniqueToken(`NRAA-[a-f0-9]{27}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: newrelic,
			TruePositives: []string{
				`NEW_RELIC_ADMIN_KEY=NRAA-15183da332adf28bf6d9ce3efb3`,
				`"X-Api-Key": "NRAA-a693b867bd5ca1c244e62f799ef"`,
				`admin_api_key: NRAA-9735a4f693e4ae4a83d3b42964b`,
			},
			FalsePositives: []string{
				`NEW_RELIC_ADMIN_KEY=NRAA-xxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`NEW_RELIC_ADMIN_KEY=NRAA-d65a1641d800`,
				`NEW_RELIC_ADMIN_KEY=NRAA-your-admin-key`,
			},
		},
	}
}

// sentryRules returns the rules for Sentry.
func sentryRules() []Rule {
	sentry := Remediation{
		What:          "A Sentry auth token: user tokens act as the user within their scopes (projects, issues, releases, org settings); organization tokens upload releases and source maps for the organization.",
		RevokeURL:     "https://sentry.io/settings/account/api/auth-tokens/",
		Revoke:        "User tokens: Settings → Account → Personal Tokens, delete the token. Organization tokens: Settings → <organization> → Organization Tokens (https://sentry.io/settings/<ORG>/auth-tokens/), revoke it. Self-hosted: the same pages on your host.",
		RevokeCommand: "",
		Rotate:        "Create a new token with only the scopes needed (project:releases for CI), store it as SENTRY_AUTH_TOKEN in your CI secrets, then delete the old one.",
		Misuse:        "Check Settings → <organization> → Audit Log (https://sentry.io/settings/<ORG>/audit-log/) and releases/artifacts for uploads you did not make.",
		DocsURL:       "https://docs.sentry.io/account/auth-tokens/",
	}
	sentryDSN := sentry
	sentryDSN.What = "A legacy Sentry DSN with its secret key (public:secret@): the secret part authenticates event submission and was meant only for server-side SDKs."
	sentryDSN.RevokeURL = "https://sentry.io/settings/projects/"
	sentryDSN.Revoke = "Open Project Settings → Client Keys (DSN), then disable or revoke the key and create a new one."
	sentryDSN.RevokeCommand = `curl -X DELETE https://sentry.io/api/0/projects/<ORG>/<PROJECT>/keys/<KEY_ID>/ -H "Authorization: Bearer <AUTH_TOKEN>"`
	sentryDSN.Rotate = "Use the new key's DSN (modern DSNs carry no secret), deploy it, then delete the old key."
	sentryDSN.Misuse = "Check the project's Stats page for event volume from sources you do not run."
	sentryDSN.DocsURL = "https://docs.sentry.io/concepts/key-terms/dsn-explainer/"

	return []Rule{
		{
			ID:          "sentry-org-token",
			Provider:    "Sentry",
			Description: "Sentry organization auth token (sntrys_<base64 JSON claims>_<secret>), checked to carry the iat and org claims. Format: https://docs.sentry.io/account/auth-tokens/#organization-tokens",
			Keywords:    []string{"sntrys_"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(sntrys_eyJ[A-Za-z0-9+/]{30,600}={0,2}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			Validators:  []Validator{saasSentryOrgToken},
			Confidence:  High,
			Remediation: sentry,
			TruePositives: []string{
				`SENTRY_AUTH_TOKEN=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`,
				`authToken: "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",`,
				`sentry-cli --auth-token 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 releases new 1.2.3`,
			},
			FalsePositives: []string{
				`SENTRY_AUTH_TOKEN=sntrys_LQNUIQE84vibAQD4ijsDNsO5bdhhGkARq_GMk_ongAnWarsS86ORkwzXh6p7FnhOzxdCSyzc86IVNkxo02P8gCyeao_TX9nN-XW2kBcCpdHN7w6vhIYW7OBCXhQBjFxb47Ty7C`,
				`SENTRY_AUTH_TOKEN=sntrys_your_org_token`,
				`SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MDAwMDAwMDB9_wZFwcgIysFtOZtf1mY2l`,
			},
		},
		{
			ID:          "sentry-user-token",
			Provider:    "Sentry",
			Description: "Sentry user auth token (sntryu_ + 64 hex). Format: https://docs.sentry.io/account/auth-tokens/#user-auth-tokens",
			Keywords:    []string{"sntryu_"},
			Pattern:     uniqueToken(`sntryu_[a-f0-9]{64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: sentry,
			TruePositives: []string{
				`SENTRY_AUTH_TOKEN=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`,
				`auth.token=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`,
				`headers = {"Authorization": "Bearer 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"}`,
			},
			FalsePositives: []string{
				`SENTRY_AUTH_TOKEN=sntryu_540f397f3063d7afcefe2addaca1d7532ce2e3715ea2cab9a26af93c2ee1628`,
				`SENTRY_AUTH_TOKEN=sntryu_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
				`SENTRY_AUTH_TOKEN=sntryu_475a7407b08725949f54d245a5cd38d50e6091d68b18ae755e3ff6bff4f6cbb52`,
			},
		},
		{
			ID:            "sentry-legacy-auth-token",
			Provider:      "Sentry",
			Description:   "Legacy unprefixed Sentry auth token (64 hex) assigned to a Sentry auth-token name. Format: https://docs.sentry.io/api/auth/",
			Keywords:      []string{"sentry"},
			KeywordWindow: 1,
			Pattern:       assignedOrAlone(`sentry[A-Za-z0-9_.-]{0,20}?(?:auth[_.-]?)?token`, `[a-f0-9]{64}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   sentry,
			TruePositives: []string{
				`SENTRY_AUTH_TOKEN=df6ea38e22a4ec41b665c6ea3e47f2b58414ef5a7b4a85e237c310246d9d6040`,
				`"sentryToken": "8276d00a14a0d1476c3b723d4ed29fd11de8a99d0a6689066a7dc88df6f9fd60"`,
				`sentry_auth_token: 'af031ee2c57f73a520fb934bb016c08f8e6326ab7947e2262a8c425373105fb4'`,
			},
			FalsePositives: []string{
				`SENTRY_AUTH_TOKEN=858f5d3e005d6feefc55bbe0f5e4de92cd56e116`,
				`SENTRY_AUTH_TOKEN=${{ secrets.SENTRY_AUTH_TOKEN }}`,
				`sentry_release_sha256 = "ee83ddc76784406055cf8e01b1de584711f97bfcce743baf1e22a24bce7fd768"`,
			},
		},
		{
			ID:          "sentry-dsn-secret",
			Provider:    "Sentry",
			Description: "Legacy Sentry DSN that still carries the project's secret key (https://<public>:<secret>@…sentry.io/<project>). Format: https://docs.sentry.io/concepts/key-terms/dsn-explainer/",
			Keywords:    []string{"sentry.io/"},
			Pattern:     `(https?://[0-9a-f]{32}:[0-9a-f]{32}@(?:[A-Za-z0-9-]+\.)*sentry\.io/[0-9]{1,12})(?:[^0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: sentryDSN,
			TruePositives: []string{
				`SENTRY_DSN=https://cbc35443f9fac482512d01b85d37f849:3438511ffcb01ea01d7461db42677d5b@o108429.ingest.sentry.io/9309696`,
				`Raven.config('https://96fcaebc1a7e610ba81100c210561a70:ad4079f8938ff5c5db9ee893a9c77615@sentry.io/326552').install()`,
				`dsn: "https://059250f5fbc725300644a3c6864f5d26:0146701499a03bb1bd9d8276fc9fbaa3@app.getsentry.sentry.io/42546"`,
			},
			FalsePositives: []string{
				`SENTRY_DSN=https://fb46e46ace21f1a292688e3ea97017d1@o373831.ingest.sentry.io/9435856`,
				`SENTRY_DSN=https://public:secret@sentry.io/1`,
				`SENTRY_DSN=https://<key>:<secret>@sentry.io/<project>`,
			},
		},
	}
}

// grafanaRules returns the rules for Grafana.
func grafanaRules() []Rule {
	grafanaCloud := Remediation{
		What:          "A Grafana Cloud access policy token (glc_): it reads or writes the stack's metrics, logs and traces, or manages the Cloud org, within its access policy scopes.",
		RevokeURL:     "https://grafana.com/orgs",
		Revoke:        "Open your organization on grafana.com → Security → Access Policies, find the policy and delete the token.",
		RevokeCommand: `curl -X DELETE "https://www.grafana.com/api/v1/tokens/<TOKEN_ID>?region=<REGION>" -H "Authorization: Bearer <CLOUD_ADMIN_TOKEN>"`,
		Rotate:        "Create a new token on the same access policy, store it in your secret manager, roll it out (agents, Alloy, CI), then delete the old one.",
		Misuse:        "Check the Cloud usage pages and the stack's data for writes from sources you do not run, and the org's audit information for policy changes.",
		DocsURL:       "https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies/",
	}
	grafanaSA := Remediation{
		What:          "A Grafana service account token (glsa_): it calls the Grafana HTTP API with the service account's role (Viewer, Editor or Admin) in that Grafana instance.",
		RevokeURL:     "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
		Revoke:        "In Grafana open Administration → Users and access → Service accounts, select the account and delete the token.",
		RevokeCommand: `curl -X DELETE https://<GRAFANA_HOST>/api/serviceaccounts/<SERVICE_ACCOUNT_ID>/tokens/<TOKEN_ID> -H "Authorization: Bearer <ADMIN_TOKEN>"`,
		Rotate:        "Add a new token to the service account, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the Grafana audit log (Enterprise/Cloud) or server logs for API calls by the service account, and dashboards, data sources and alert rules for changes.",
		DocsURL:       "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
	}
	grafanaLegacy := grafanaSA
	grafanaLegacy.What = "A legacy Grafana API key (eyJrIjoi…): it calls the Grafana HTTP API with the key's role."
	grafanaLegacy.Revoke = "Delete the key under Administration → API keys (or migrate it to a service account and delete that token)."
	grafanaLegacy.RevokeCommand = `curl -X DELETE https://<GRAFANA_HOST>/api/auth/keys/<KEY_ID> -H "Authorization: Bearer <ADMIN_TOKEN>"`
	grafanaLegacy.Rotate = "API keys are deprecated: create a service account token instead, deploy it, then delete the key."
	grafanaLegacy.DocsURL = "https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/"

	return []Rule{
		{
			ID:          "grafana-cloud-token",
			Provider:    "Grafana",
			Description: "Grafana Cloud access policy token (glc_ + base64). Format: https://grafana.com/docs/grafana-cloud/account-management/authentication-and-permissions/access-policies/",
			Keywords:    []string{"glc_"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(glc_[A-Za-z0-9+/]{32,400}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: grafanaCloud,
			TruePositives: []string{
				`GRAFANA_CLOUD_TOKEN=glc_eyJvIjoiODk1NDMzIiwibiI6InN0YWNrLTIwMTk5MC1obS1yZWFkLWJ4aXFpbCIsImsiOiJzb1VuRVNERjFzU20zbkFLNXpPSUloUmZTTWtRbE12ZyIsIm0iOnsiciI6InByb2QtdXMtZWFzdC0wIn19`,
				`loki_key: glc_eyJvIjoiODAzOTA1IiwibiI6InN0YWNrLTQ3MDE3MC1obS1yZWFkLXphaGdqciIsImsiOiJQcE1GdlFIdk81dlhab210eXloMXFMTG9QZk9nakxkQiIsIm0iOnsiciI6InByb2QtdXMtZWFzdC0wIn19`,
				`password: "glc_l7dHb1p6YWeVitqH6u3SG4u9yMWOrPUw"`,
			},
			FalsePositives: []string{
				`API_KEY="glc_111111111111111111111111111111111111111111="`,
				`void GLC_StateBeginUnderwaterAliasModelCaustics(texture_ref base_texture, texture_ref caustics_texture)`,
				`GRAFANA_CLOUD_TOKEN=glc_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		{
			ID:          "grafana-service-account-token",
			Provider:    "Grafana",
			Description: "Grafana service account token (glsa_ + 32 characters + _ + 8 hex checksum). Format: https://grafana.com/docs/grafana/latest/administration/service-accounts/",
			Keywords:    []string{"glsa_"},
			Pattern:     uniqueToken(`glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: grafanaSA,
			TruePositives: []string{
				`GRAFANA_TOKEN=glsa_Qxr6agNwTZqmt0LpIMRee8Y1Tc77Ub4R_b93b594d`,
				`'Authorization': 'Bearer glsa_CuKzb3BYrC1XECciWkSECc9LKOcpkUGc_8cfe2166'`,
				`grafana_auth: "glsa_t5zTTmhrXFv0cxolNwhTwlTlCilWsUNs_5b44c364"`,
			},
			FalsePositives: []string{
				`GRAFANA_TOKEN=glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA`,
				`GRAFANA_TOKEN=glsa_kcD3VlGbtAWaHDQbk9e1_64c3e42c`,
				`GRAFANA_TOKEN=glsa_your_service_account_token`,
			},
		},
		{
			ID:          "grafana-api-key",
			Provider:    "Grafana",
			Description: "Legacy Grafana API key (base64 JSON starting {\"k\":\" — eyJrIjoi). Format: https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/",
			Keywords:    []string{"eyjrijoi"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(eyJrIjoi[A-Za-z0-9+/]{40,200}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: grafanaLegacy,
			TruePositives: []string{
				`GRAFANA_API_KEY=eyJrIjoienhhRFd5N01FNHBkV2NFemIzSFBrUnhacXU2UXJYZjkiLCJuIjoiY2ktb2J5cWMiLCJpZCI6NX0=`,
				`"Authorization": "Bearer eyJrIjoiUHlrdjc1eFY5QlNyMGtRSVNWbTZuRlVqT1RZSGg0clUiLCJuIjoiY2kta3d3ZnYiLCJpZCI6ODh9"`,
				`grafana_api_key: 'eyJrIjoiMW1EeEFIU1pjRE5tSUV1THBlcWY4c3NDaUM2Z1l2ODAiLCJuIjoiY2ktYmh6eXEiLCJpZCI6MTN9'`,
			},
			FalsePositives: []string{
				`GRAFANA_API_KEY=eyJrIjoiXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`GRAFANA_API_KEY=eyJrIjoi4OH96tSnUkKw`,
				`GRAFANA_API_KEY=eyJrIjoiyour_api_key_here_from_the_grafana_ui_please`,
			},
		},
	}
}

// pagerdutyRules returns the rules for PagerDuty.
func pagerdutyRules() []Rule {
	pagerduty := Remediation{
		What:          "A PagerDuty REST API key: account keys (or user tokens) read and change incidents, schedules, services and users.",
		RevokeURL:     "https://support.pagerduty.com/main/docs/api-access-keys",
		Revoke:        "Account keys: Integrations → API Access Keys, delete the key. User tokens: My Profile → User Settings → API Access → Delete.",
		RevokeCommand: "",
		Rotate:        "Create a new key (read-only if enough), store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the Audit Records (Account Settings → Audit Records, or GET https://api.pagerduty.com/audit/records) for changes made through the API.",
		DocsURL:       "https://developer.pagerduty.com/docs/authentication",
	}
	pagerdutyRouting := pagerduty
	pagerdutyRouting.What = "A PagerDuty Events API integration (routing) key: it triggers, acknowledges and resolves incidents on its service."
	pagerdutyRouting.Revoke = "Open the service → Integrations, and delete the integration (or regenerate its key)."
	pagerdutyRouting.Rotate = "Add a new Events API v2 integration, update the sender's routing key, then delete the old integration."
	pagerdutyRouting.Misuse = "Check the service's incident history for alerts your monitoring did not send."
	pagerdutyRouting.DocsURL = "https://developer.pagerduty.com/docs/events-api-v2/overview/"

	return []Rule{
		{
			ID:          "pagerduty-api-key",
			Provider:    "PagerDuty",
			Description: "PagerDuty REST API key or user token (20 characters, user tokens start u+) assigned to a PagerDuty name. Format: https://developer.pagerduty.com/docs/authentication",
			Keywords:    []string{"pagerduty", "pager_duty", "pd_api", "pd_token"},
			Pattern:     assigned(`pager_?duty[A-Za-z0-9_.-]{0,25}?(?:key|token)|pd_(?:api_)?(?:key|token)`, `(?:u\+)?[A-Za-z0-9_+-]{20}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: pagerduty,
			TruePositives: []string{
				`PAGERDUTY_API_KEY=Xy5zKcVUM0BJTLiFQT5X`,
				`pagerduty_token: "u+UrMghEztJwDQW2kird"`,
				`"pagerdutyToken": "Jbz7OWwetaRsi8dZ59Gx"`,
			},
			FalsePositives: []string{
				`PAGERDUTY_API_KEY=your_pagerduty_key`,
				`PAGERDUTY_API_KEY=OUacHlWY40vN`,
				`PAGERDUTY_API_KEY=${PAGERDUTY_API_KEY}`,
			},
		},
		{
			ID:          "pagerduty-integration-key",
			Provider:    "PagerDuty",
			Description: "PagerDuty Events API v2 integration / routing key (32 characters) assigned to a routing-key name near a PagerDuty keyword. Format: https://developer.pagerduty.com/docs/events-api-v2/overview/",
			Keywords:    []string{"pagerduty", "pager_duty"},
			Pattern:     assigned(`pager_?duty[A-Za-z0-9_.-]{0,25}?(?:routing|integration|service)[_.-]?key|routing[_-]?key|integration[_-]?key`, `[A-Za-z0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: pagerdutyRouting,
			TruePositives: []string{
				`PAGERDUTY_ROUTING_KEY=01bbf51d19574b41380941c4710b8a60`,
				`pagerduty_configs: [{ routing_key: "df92d84f1f60958cf4d89349f70a2bdd" }]`,
				`pagerduty_integration_key: R0B4HJVKOMAQYV2LJ7HI6ERPUDKJ8K75`,
			},
			FalsePositives: []string{
				`PAGERDUTY_ROUTING_KEY=<integration_key>`,
				`PAGERDUTY_ROUTING_KEY=de3a7e8ab0f730f735be`,
				`pagerduty routing_key: "{{ .Values.pagerduty.key }}"`,
			},
		},
	}
}

// dynatraceRules returns the rules for Dynatrace.
func dynatraceRules() []Rule {
	dynatrace := Remediation{
		What:          "A Dynatrace API access token (dt0c01.): it reads or writes the environment's monitoring data and configuration within its scopes.",
		RevokeURL:     "https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens",
		Revoke:        "In the environment open Access tokens, find the token by its public ID (dt0c01.<ID>) and disable or delete it.",
		RevokeCommand: `curl -X DELETE https://<ENVIRONMENT_ID>.live.dynatrace.com/api/v2/apiTokens/<TOKEN_ID> -H "Authorization: Api-Token <ADMIN_TOKEN>"`,
		Rotate:        "Generate a new token with the needed scopes, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the environment's audit logs (Settings → Audit log / dt.system.events) for API activity by the token.",
		DocsURL:       "https://docs.dynatrace.com/docs/dynatrace-api/basics/dynatrace-api-authentication",
	}

	return []Rule{
		{
			ID:          "dynatrace-api-token",
			Provider:    "Dynatrace",
			Description: "Dynatrace access token (dt0c01.<24-character public ID>.<64-character secret>). Format: https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens",
			Keywords:    []string{"dt0c01."},
			Pattern:     uniqueToken(`dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: dynatrace,
			TruePositives: []string{
				`DT_API_TOKEN=dt0c01.XZTKEDII3FM253ZISMM7RIX7.GGJQBZ7OYKHJ6O6OLXP2BTFTBIYL9X46OMIEEAGBBORXA0JYZC26DEBCLN2F0RCE`,
				`"Authorization": "Api-Token dt0c01.R6DQ6LHVJ39H33V78HQ4AF58.E5CDB1X5T3ZZ1ZVFY6GK7L1BB7501B2NKC79IBRZE9RO8N8KF31KFBEKJQHLT37W"`,
				`dynatrace_token: dt0c01.6WBYWLJ2N7KLTSQOGVY1MPPS.ZOVYB2B7K2WHUPEAKKNLFZBBNT5W0J5CY23GIB4MXFNTO5HQ71PDMBEQQDLT12N3`,
			},
			FalsePositives: []string{
				`DT_API_TOKEN=dt0c01.GTF0FWAQJB3193FXVEWPKSUU.37VORXXZE4FF0XWWD7OR6R624AVIFHHW`,
				`DT_API_TOKEN=dt0c01.A8V0PUZR9CPQILCI0M98WZZT`,
				`DT_API_TOKEN=dt0c01.XXXXXXXXXXXXXXXXXXXXXXXX.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
			},
		},
	}
}

// sumoLogicRules returns the rules for Sumo Logic.
func sumoLogicRules() []Rule {
	sumo := Remediation{
		What:          "A Sumo Logic access ID and key: together they call the Sumo Logic API as the user — search logs, manage collectors and content.",
		RevokeURL:     "https://help.sumologic.com/docs/manage/security/access-keys/",
		Revoke:        "Open Administration → Security → Access Keys (or Preferences → My Access Keys) and delete the key.",
		RevokeCommand: `curl -u "<ACCESS_ID>:<ACCESS_KEY>" -X DELETE https://api.sumologic.com/api/v1/accessKeys/<ACCESS_ID>`,
		Rotate:        "Create a new access key scoped to what is needed, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Search the audit index (_index=sumologic_audit_events) for activity by the access ID.",
		DocsURL:       "https://help.sumologic.com/docs/api/about-apis/getting-started/#authentication",
	}

	return []Rule{
		{
			ID:          "sumologic-access-id",
			Provider:    "Sumo Logic",
			Description: "Sumo Logic access ID (su + 12 characters) assigned to a Sumo Logic access-ID name; the access key is usually nearby. Format: https://help.sumologic.com/docs/manage/security/access-keys/",
			Keywords:    []string{"sumo"},
			Pattern:     assigned(`\bsumo(?:_?logic)?[_.-]?(?:access[_.-]?id|token|id)\b`, `su[A-Za-z0-9]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: sumo,
			TruePositives: []string{
				`SUMO_ACCESS_ID = "suOEgw91Dy5lMI"`,
				`export SUMOLOGIC_ACCESSID="suv1QX4YGk1TLC"`,
				`sumologic.accessId = "suCUMcMAUSkOi4"`,
			},
			FalsePositives: []string{
				`sumObj = suiBixqsK9DrYd`,
				`export SUMOLOGIC_ACCESSID=XXXXXXXXXXXXXX`,
				`SUMOLOGIC_ACCESSID: ${SUMOLOGIC_ACCESSID}`,
			},
		},
		{
			ID:          "sumologic-access-key",
			Provider:    "Sumo Logic",
			Description: "Sumo Logic access key (64 characters) assigned to a Sumo Logic access-key name. Format: https://help.sumologic.com/docs/manage/security/access-keys/",
			Keywords:    []string{"sumo"},
			Pattern:     assigned(`\bsumo(?:_?logic)?[_.-]?(?:access[_.-]?key|token|secret|key)\b`, `[A-Za-z0-9]{64}`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: sumo,
			TruePositives: []string{
				`SUMO_ACCESS_KEY: stLudU7p04kqqsASDbGlI6tWWO1JCjgOGqmf409bQ1LgK7cMq3DBbwv5MoFzASl8`,
				`export SUMOLOGIC_ACCESSKEY="KWmNU7apegIF5NdPAEfyjfYCGchaUr2WOfW5tN9mGTajcfW4ws8aWuxNkXR5caia"`,
				`sumo_access_key = "jM9y8K0aw4pUoofUCuHbD3XSchajl1Ud6psZRBfi9eQWzuiqrhPpEj1riW5LtLqb"`,
			},
			FalsePositives: []string{
				`SUMO_ACCESS_KEY: AbCeFG123`,
				`sumOfExposures = XH5xAB1gigeI1QLN4z1ferCHKys5OhjxnYQW6yEEYKl1Lz9fcYS0ihIEzMiQWQ8L;`,
				`sumo_access_key   = "<SUMOLOGIC ACCESS KEY>"`,
			},
		},
	}
}

package scanner

// linodeRules returns the rules for Akamai Cloud (Linode).
func linodeRules() []Rule {
	linode := Remediation{
		What:          "An Akamai Cloud (Linode) personal access token: API access to the account's Linodes, volumes, DNS and more within its scopes.",
		RevokeURL:     "https://cloud.linode.com/profile/tokens",
		Revoke:        "Cloud Manager > My Profile > API Tokens > (token) > Revoke.",
		RevokeCommand: "linode-cli profile token-delete <TOKEN_ID>",
		Rotate:        "Create a new token with the least scopes and an expiry.",
		Misuse:        "Cloud Manager > Events (`linode-cli events list`) and My Profile > Login History.",
		DocsURL:       "https://techdocs.akamai.com/linode-api/reference/get-started",
	}

	return []Rule{
		{
			ID:          "linode-api-token",
			Provider:    "Akamai Cloud (Linode)",
			Description: "Linode personal access token (64 hex characters) assigned to a Linode name (LINODE_TOKEN, LINODE_CLI_TOKEN, …). Format: https://techdocs.akamai.com/linode-api/reference/get-started#personal-access-tokens",
			Keywords:    []string{"linode"},
			Pattern:     assigned(`linode`, `[a-f0-9]{64}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: linode,
			TruePositives: []string{
				"LINODE_TOKEN=632c9dd289c5a4a26acaf6fc7c8dad960bb49d472aac3a1767a92ecac8418142",
				"linode-cli --linode-token 632c9dd289c5a4a26acaf6fc7c8dad960bb49d472aac3a1767a92ecac8418142 linodes list",
				`linode_token = "213e44fdc1f6655dc415a8c550cbc539dcb0bec917951af0dc901e968bc84787"`,
				"  linodeApiKey: '80de0108c396b61315e6f5e36f6ecd3ade303c866e135c5bb32f7e416d3cac7f'",
			},
			FalsePositives: []string{
				"LINODE_TOKEN=${LINODE_TOKEN}",
				"LINODE_IMAGE_SHA256=632c9dd289c5a4a26acaf6fc7c8dad960bb49d472aac3a1767a92ecac8418142",
				"LINODE_TOKEN=213e44fdc1f6655dc415a8c550cbc539dcb0bec917951af0dc901e968bc847870a",
			},
		},
	}
}

// scalewayRules returns the rules for Scaleway.
func scalewayRules() []Rule {
	scaleway := Remediation{
		What:          "A Scaleway API key secret: with its access key it acts as the IAM user or application that owns it, with that principal's policies.",
		RevokeURL:     "https://console.scaleway.com/iam/api-keys",
		Revoke:        "IAM > API keys > (key) > Delete.",
		RevokeCommand: "scw iam api-key delete <ACCESS_KEY>",
		Rotate:        "Create a new API key for an IAM application with a least-privilege policy and an expiry.",
		Misuse:        "Audit Trail in the Scaleway console filtered by the principal, and the project's resources and billing.",
		DocsURL:       "https://www.scaleway.com/en/docs/iam/concepts/#api-key",
	}

	return []Rule{
		{
			ID:          "scaleway-secret-key",
			Provider:    "Scaleway",
			Description: "Scaleway API secret key (a UUID) assigned to SCW_SECRET_KEY or a Scaleway secret name. Format: https://www.scaleway.com/en/docs/iam/concepts/#api-key",
			Keywords:    []string{"scw", "scaleway"},
			Pattern:     assigned(`scw[_.-]?secret|scaleway[A-Za-z0-9_.-]{0,20}secret`, `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: scaleway,
			TruePositives: []string{
				"SCW_SECRET_KEY=431840d5-4168-43e3-93c7-fcc2d56b8dc5",
				`scw_secret_key = "8123cc43-2d59-4ff2-bc53-dafee1001546"`,
				"export SCALEWAY_SECRET_KEY='d6690d94-7864-43b4-b892-900ff0398e7e'",
			},
			FalsePositives: []string{
				"SCW_SECRET_KEY=11111111-1111-1111-1111-111111111111",
				"SCW_DEFAULT_PROJECT_ID=28b6f8b0-51a0-47a6-90c2-257ec33f12c7",
				"SCW_SECRET_KEY=<secret-key>",
			},
		},
	}
}

// hetznerCloudRules returns the rules for Hetzner Cloud.
func hetznerCloudRules() []Rule {
	hetzner := Remediation{
		What:          "A Hetzner Cloud API token: read or read/write control of every server, volume, network and firewall of one project.",
		RevokeURL:     "https://console.hetzner.cloud/projects",
		Revoke:        "Cloud Console > (project) > Security > API tokens > delete the token.",
		RevokeCommand: "",
		Rotate:        "Generate a new token (read-only where possible) for the project and store it as a secret.",
		Misuse:        "Hetzner Cloud has no per-token audit log: review the project's servers, snapshots, SSH keys and firewalls for changes, and the usage and invoices.",
		DocsURL:       "https://docs.hetzner.cloud/#authentication",
	}

	return []Rule{
		{
			ID:          "hetzner-cloud-api-token",
			Provider:    "Hetzner Cloud",
			Description: "Hetzner Cloud API token (64 alphanumerics) assigned to HCLOUD_TOKEN or a Hetzner name. Format: https://docs.hetzner.cloud/#authentication",
			Keywords:    []string{"hcloud", "hetzner"},
			Pattern:     assigned(`hcloud|hetzner`, `[A-Za-z0-9]{64}`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: hetzner,
			TruePositives: []string{
				"HCLOUD_TOKEN=6n53Rtnu7fJDrC3yo0QtJrkoVdrHv6pTHSYc94Dt7OOXUbP5mTY0EDDr0cyBXk3C",
				`hcloud_token = "RZTNBt2ep4AyXUrFvj3Z63vH7Ld3Bpm5NZZ363MAJfFsQc7eWwKrsOKu7Yb8dy7E"`,
				"  hetznerApiToken: 'D3fjOkjIAy6DsG8ATggyQsVnp7v5MGQnHvZcxCn0UzvXJ8WsP2VqsesBin2laLnD'",
			},
			FalsePositives: []string{
				"HCLOUD_TOKEN=${HCLOUD_TOKEN}",
				"HCLOUD_IMAGE_DIGEST=80de0108c396b61315e6f5e36f6ecd3ade303c866e135c5bb32f7e416d3cac7f",
				"HCLOUD_TOKEN=6n53Rtnu7fJDrC3yo0QtJrkoVdrHv6pTHSYc94Dt7OOXUbP5mTY0EDDr0cyBXk3CZ",
			},
		},
	}
}

// ibmCloudRules returns the rules for IBM Cloud.
func ibmCloudRules() []Rule {
	ibm := Remediation{
		What:          "An IBM Cloud API key: it obtains IAM tokens as its user or service ID, with all their access policies.",
		RevokeURL:     "https://cloud.ibm.com/iam/apikeys",
		Revoke:        "Manage > Access (IAM) > API keys (or the service ID's API keys): Delete the key (disable it first if it is in use).",
		RevokeCommand: "ibmcloud iam api-key-delete <KEY_NAME_OR_ID>",
		Rotate:        "Create a new key for a service ID with least-privilege policies and store it in Secrets Manager.",
		Misuse:        "Activity Tracker (IBM Cloud Logs) events with the API key's IAM ID as initiator, and the IAM inactive-identities report.",
		DocsURL:       "https://cloud.ibm.com/docs/account?topic=account-userapikey",
	}

	return []Rule{
		{
			ID:          "ibm-cloud-api-key",
			Provider:    "IBM Cloud",
			Description: "IBM Cloud API key (44 URL-safe characters) assigned to an IBM API key name (IBMCLOUD_API_KEY, IC_API_KEY, ibm_apikey, …). Format: https://cloud.ibm.com/docs/account?topic=account-userapikey",
			Keywords:    []string{"ibm", "ic_api_key"},
			Pattern:     assigned(`ibm[A-Za-z0-9_.-]{0,15}?api[_.-]?key|\bic_api_key`, `[A-Za-z0-9_-]{44}`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: ibm,
			TruePositives: []string{
				"IBMCLOUD_API_KEY=B_OJrtd5zJXHJ63JxJwQic9hKZm3_gUfa4Fls7mJC5de",
				`ibm_cloud_apikey = "UM8pEFI0PikfAT0mzM_-ufvd3IJI0vmhZEVUbncW6fK8"`,
				"export IC_API_KEY='kEKkcfc6W7J0xKnar3cpF5LzUp-C1N3_dYEVvo2VgtaQ'",
			},
			FalsePositives: []string{
				"IBMCLOUD_API_KEY=${IBMCLOUD_API_KEY}",
				"IBMCLOUD_API_KEY=<ibm-cloud-api-key>",
				"IBMCLOUD_API_KEY=B_OJrtd5zJXHJ63JxJwQic9hKZm3_gUfa4Fls7mJC5deQ",
			},
		},
	}
}

// flyIoRules returns the rules for Fly.io.
func flyIoRules() []Rule {
	fly := Remediation{
		What:          "A Fly.io access token: it deploys, reads secrets and manages the machines of the apps or organization it covers.",
		RevokeURL:     "https://fly.io/dashboard/personal/tokens",
		Revoke:        "Dashboard > (organization) > Tokens > Revoke, or list and revoke with flyctl.",
		RevokeCommand: "fly tokens revoke <TOKEN_ID>",
		Rotate:        "Create a narrowly scoped deploy token with an expiry (`fly tokens create deploy -a <APP> -x <DURATION>`) and store it as a CI secret.",
		Misuse:        "`fly releases -a <APP>`, `fly machines list -a <APP>` and the organization's activity for deploys and secret changes you did not make.",
		DocsURL:       "https://fly.io/docs/security/tokens/",
	}

	return []Rule{
		{
			ID:          "flyio-access-token",
			Provider:    "Fly.io",
			Description: "Fly.io access token in the fo1_ format (fo1_ and 43 URL-safe characters). Format: https://fly.io/docs/security/tokens/",
			Keywords:    []string{"fo1_"},
			Pattern:     uniqueToken(`fo1_[A-Za-z0-9_-]{43}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: fly,
			TruePositives: []string{
				"FLY_API_TOKEN=fo1_tDp1DDzqhgUfNbYQfez1rmIVQw8o02DKkzVAsvjYrlz",
				`api_key = "fo1_wB2jaxQRFIvtv9GeISyPuEAwdBE-UBCE_rcdtU31F44"`,
				"Fly access token: fo1_1RFC7VOXytJCFVVSJQy1RcIVczxptKNi_7ixFzgCyal",
			},
			FalsePositives: []string{
				`api_key = "fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`,
				`<input type="hidden" name="authenticity_token" value="7SWa-Fo1_hsC6oovfBsJFLGPUl2EhkSWPbJhWANwgaJ" />`,
				"FLY_API_TOKEN=fo1_tDp1DDzqhgUfNbYQfez1rmIVQw8o02DKkzVAsvjYrlzabc",
			},
		},
		{
			ID:          "flyio-macaroon-token",
			Provider:    "Fly.io",
			Description: "Fly.io macaroon token (fm1r_, fm1a_ or fm2_ and base64, possibly several joined by commas, usually after \"FlyV1 \"). Format: https://fly.io/docs/security/tokens/",
			Keywords:    []string{"fm1r_", "fm1a_", "fm2_"},
			Pattern:     uniqueToken(`fm(?:1[ar]|2)_[A-Za-z0-9+/]{40,1000}[A-Za-z0-9+/=,_]{0,1000}[A-Za-z0-9+/=,_]{0,1000}`, `A-Za-z0-9_+/=,`),
			Group:       1,
			MinEntropy:  4.5,
			Exempt:      DecoyRepeated, // macaroons are msgpack: runs of AAAA… (zero bytes) are normal
			Confidence:  High,
			Remediation: fly,
			TruePositives: []string{
				"FLY_API_TOKEN=FlyV1 fm2_809ibb8VW3FJZDttwdFkc9jd0TmnzJJN1z4liGaH7jsbauw9aPZjci9f5SkM4wxRPbloIJTMGr/5B/cC9VuWmMOYDS/ZR1zHQGE+wqXCE7GqvL9dE+msDdNuS0Yx/1sbn/SsUkjPxC50At+08FFajOmATtmHw3d5qm9NkDpS4sbbaDEeQAlUSFfcW38TaoarZwtR86iJftU1IYS7DvXQAmclmD0Z==",
				`ENV FLY_API_TOKEN="FlyV1 fm2_TIPi/jUknZbVorSZCCUXksV2e/QxxcyhJJOmL6ONWo+WMBrOXFgUgcEANX2qJ46otGixVaHpyIketanXpnQMOEQli/KRVn+abvYWwcJkBmoQtdKVvgnSuhnRJM0f+Z1+tqkD+Y8BKKKfiKxaPxqRu6Yo8lohE6w2wxqP/oiFQmhFM0rFF/5pgYmpUb+Zc5w7jdRIbASDazNML9mE9h9JTbvL+X75==,fm2_uZ7psA501FEG7f2Bx1L9WhrZJEIOd10dmIDrGcan0zQpaUX5WggKMCeP5eeqsGeduw55qB5DV+njdtE0UpPdzXuAsRZE8XdRy2YkHRq8m2yR4Aee6DH7+GNbAjWmQeatAiO2kxov9PtKWBpOfbs5pdGxvhCc8USJdr0eL3fPSRI47UzFHrM0SdgZxKUvV6/3yy6i59HFhuFwIJ3WEjQTddUZ3ELw=="`,
				"token: fm1r_V/G4852BvswMH2v6rcbXuTM3DYH7teJwo+GQ3qbvP5OrCsFpBYPFqlx46UwjqHPeVr727oiqyngIFDxWAbWwSLtXF7bx7xk+KjLTVsOciKnEUbTTTWUYnZ4P",
				"FLY_API_TOKEN: FlyV1 fm2_lJPECAAAAAAAB" + "fm2_809ibb8VW3FJZDttwdFkc9jd0TmnzJJN1z4liGaH7jsbauw9aPZjci9f5SkM4wxRPbloIJTMGr/5B/cC9VuWmMOYDS/ZR1zHQGE+wqXCE7GqvL9dE+msDdNuS0Yx/1sbn/SsUkjPxC50At+08FFajOmATtmHw3d5qm9NkDpS4sbbaDEeQAlUSFfcW38TaoarZwtR86iJftU1IYS7DvXQAmclmD0Z=="[4:],
			},
			FalsePositives: []string{
				"FLY_API_TOKEN=FlyV1 fm2_...",
				"FLY_API_TOKEN=FlyV1 $FLY_TOKEN",
				"pub const MINIDUMP_SYSMEMINFO1_PERF_CCTOTALDIRTYPAGES_CCDIRTYPAGETHRESHOLD: u32 = 4u32;",
			},
		},
	}
}

// planetscaleRules returns the rules for PlanetScale.
func planetscaleRules() []Rule {
	planetscale := Remediation{
		What:          "A PlanetScale credential: a service token or OAuth token acts on the organization's databases through the API; a database password connects to a branch with its role.",
		RevokeURL:     "https://app.planetscale.com/",
		Revoke:        "Service token: Organization settings > Service tokens > delete. Password: Database > Settings > Passwords > delete. OAuth token: revoke the application's access under Organization settings > OAuth applications.",
		RevokeCommand: "pscale service-token delete <TOKEN_ID> --org <ORG>  # passwords: pscale password delete <DATABASE> <BRANCH> <PASSWORD_ID> --org <ORG>",
		Rotate:        "Create a new token or password with the least access and deploy it from a secrets manager.",
		Misuse:        "Organization settings > Audit log (`pscale audit-log list --org <ORG>`) and the database's Insights for unknown connections.",
		DocsURL:       "https://planetscale.com/docs/concepts/service-tokens",
	}

	return []Rule{
		{
			ID:          "planetscale-service-token",
			Provider:    "PlanetScale",
			Description: "PlanetScale service token: pscale_tkn_ followed by 32–64 characters. Format: https://planetscale.com/docs/concepts/service-tokens",
			Keywords:    []string{"pscale_tkn_"},
			Pattern:     uniqueToken(`pscale_tkn_[A-Za-z0-9_=.-]{32,64}`, `A-Za-z0-9_=.-`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: planetscale,
			TruePositives: []string{
				"PLANETSCALE_SERVICE_TOKEN=pscale_tkn_0fnP5NjpoWgbPgo1VUvWflMwNOj5CiEuVpe_oE_zcLX",
				`token: "pscale_tkn_DI5lYmdRWsjbcLUwWYVY-Q2y_vl9xCoRfEXHtYY-zpz"`,
				"pscale auth login --service-token pscale_tkn_gXTEPfvA2rIKTTY8KC9j5vEZwE7jcBOUzAB6l3drK2U",
			},
			FalsePositives: []string{
				"PLANETSCALE_SERVICE_TOKEN=pscale_tkn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"PLANETSCALE_SERVICE_TOKEN=pscale_tkn_short",
				"PLANETSCALE_SERVICE_TOKEN=pscale_tkn_${TOKEN_SUFFIX_FROM_ENVIRONMENT}",
			},
		},
		{
			ID:          "planetscale-password",
			Provider:    "PlanetScale",
			Description: "PlanetScale database branch password: pscale_pw_ followed by 32–64 characters. Format: https://planetscale.com/docs/concepts/connection-strings",
			Keywords:    []string{"pscale_pw_"},
			Pattern:     uniqueToken(`pscale_pw_[A-Za-z0-9_=.-]{32,64}`, `A-Za-z0-9_=.-`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: planetscale,
			TruePositives: []string{
				"DATABASE_PASSWORD=pscale_pw_RYxMGoOzQEOg9Of10ChpxQVWAQkEcOWXiN9U_J2osk8",
				"DATABASE_URL=mysql://k3u9x2:pscale_pw_zxTmPNTGr1ZkoJfOWvLAaUNiBWWMObEjTrSc6FZeIrf@aws.connect.psdb.cloud/shop?sslaccept=strict",
				`password: "pscale_pw_6wXolnykHEeCtHhYPhWZu6IDAQjjmIGJqVbMpd8uH0j"`,
			},
			FalsePositives: []string{
				"DATABASE_PASSWORD=pscale_pw_<password>",
				"DATABASE_PASSWORD=pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"DATABASE_PASSWORD=pscale_pw_tooshort",
			},
		},
		{
			ID:          "planetscale-oauth-token",
			Provider:    "PlanetScale",
			Description: "PlanetScale OAuth access token: pscale_oauth_ followed by 32–64 characters. Format: https://planetscale.com/docs/concepts/oauth",
			Keywords:    []string{"pscale_oauth_"},
			Pattern:     uniqueToken(`pscale_oauth_[A-Za-z0-9_=.-]{32,64}`, `A-Za-z0-9_=.-`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: planetscale,
			TruePositives: []string{
				"Authorization: pscale_oauth_jMcf47dnx02hD62GOYszQHeZStNbtIkhOZ7qawD-WCZ",
				`{"access_token": "pscale_oauth_76gbMx6NuXlt0h48i8nyO41bnDOQvYjEFuxIO87L8Qz"}`,
				"PLANETSCALE_OAUTH_TOKEN=pscale_oauth_QHUnD4NC0jsAg-X1WYR1eJaWAiW_E76ynjQt7DAjY5w",
			},
			FalsePositives: []string{
				"PLANETSCALE_OAUTH_TOKEN=pscale_oauth_...",
				"PLANETSCALE_OAUTH_TOKEN=pscale_oauth_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"prefix := \"pscale_oauth_\"",
			},
		},
	}
}

// railwayRules returns the rules for Railway.
func railwayRules() []Rule {
	railway := Remediation{
		What:          "A Railway API token (account, team or project token): it deploys and reads variables of the projects in its scope.",
		RevokeURL:     "https://railway.com/account/tokens",
		Revoke:        "Account settings > Tokens (or Project settings > Tokens for a project token): delete the token.",
		RevokeCommand: "",
		Rotate:        "Create a project token for the one environment CI needs and store it as a secret (RAILWAY_TOKEN).",
		Misuse:        "The project's Activity feed and deployments for changes you did not make.",
		DocsURL:       "https://docs.railway.com/guides/public-api",
	}

	return []Rule{
		{
			ID:          "railway-api-token",
			Provider:    "Railway",
			Description: "Railway API or project token (a UUID) assigned to a Railway name (RAILWAY_TOKEN, RAILWAY_API_TOKEN). Format: https://docs.railway.com/guides/public-api#creating-a-token",
			Keywords:    []string{"railway"},
			Pattern:     assigned(`railway[A-Za-z0-9_.-]{0,10}?(?:token|key)`, `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`),
			Group:       1,
			MinEntropy:  3.0,
			Exempt:      DecoyUUID,
			Confidence:  Medium,
			Remediation: railway,
			TruePositives: []string{
				"RAILWAY_TOKEN=09e4b1f2-a21d-4072-8ee6-6d10f75b18a9",
				`railway_api_token: "82f30a71-1b21-481e-b08a-858d62ce06ec"`,
				"export RAILWAY_API_TOKEN='18cbc195-e7c7-4f56-a51b-8abd131e11d3'",
			},
			FalsePositives: []string{
				"RAILWAY_PROJECT_ID=56fafc5c-7f5b-479e-acf0-0313b2711852",
				"RAILWAY_TOKEN=${{ secrets.RAILWAY_TOKEN }}",
				"RAILWAY_TOKEN=00000000-0000-0000-0000-000000000000",
			},
		},
	}
}

// yandexCloudRules returns the rules for Yandex Cloud.
func yandexCloudRules() []Rule {
	yandex := Remediation{
		What:          "A Yandex Cloud credential (API key, IAM token or static access key): it calls Yandex Cloud services as the service account or user it belongs to.",
		RevokeURL:     "https://console.yandex.cloud/iam",
		Revoke:        "Identity and Access Management > Service accounts > (account): delete the API key or static access key. An IAM token cannot be deleted: it expires within 12 hours, so delete or rotate the key that issued it.",
		RevokeCommand: "yc iam api-key delete <KEY_ID>  # static keys: yc iam access-key delete <KEY_ID>",
		Rotate:        "Create a new key for a least-privilege service account; on VMs and functions use the attached service account instead of keys.",
		Misuse:        "Audit Trails events filtered by the service account's subject ID.",
		DocsURL:       "https://yandex.cloud/en/docs/iam/concepts/authorization/api-key",
	}

	return []Rule{
		{
			ID:          "yandex-cloud-api-key",
			Provider:    "Yandex Cloud",
			Description: "Yandex Cloud service account API key: AQVN followed by 35–38 URL-safe characters. Format: https://yandex.cloud/en/docs/iam/concepts/authorization/api-key",
			Keywords:    []string{"aqvn"},
			Pattern:     uniqueToken(`AQVN[A-Za-z0-9_-]{35,38}`, `A-Za-z0-9_-`),
			Group:       1,
			MinEntropy:  3.8,
			Confidence:  High,
			Remediation: yandex,
			TruePositives: []string{
				"YC_API_KEY=AQVN-UAienpOTsdHi8vKzYPrMIblniPhMsLewIt",
				`headers = {"Authorization": "Api-Key AQVNjr8WBLJVhvSCPYt7IOjIlEahCfzeA8DmLhG"}`,
				"  api_key: 'AQVN5x_76QltbsFi9FDcnEVjSXTY-CJcDV_pIsq'",
			},
			FalsePositives: []string{
				"YC_API_KEY=AQVNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"YC_API_KEY=AQVN<api-key>",
				"YC_API_KEY=AQVN-UAienpOTsdHi8vKzYPrMIblniPhMsLewItABCDE",
			},
		},
		{
			ID:          "yandex-cloud-iam-token",
			Provider:    "Yandex Cloud",
			Description: "Yandex Cloud IAM token: t1. followed by a payload, a dot and an 86-character signature. Format: https://yandex.cloud/en/docs/iam/concepts/authorization/iam-token",
			Keywords:    []string{"t1."},
			Pattern:     uniqueToken(`t1\.[A-Za-z0-9_-]{1,600}={0,2}\.[A-Za-z0-9_-]{86}={0,2}`, `A-Za-z0-9_.=-`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: yandex,
			TruePositives: []string{
				"YC_TOKEN=t1.9euelZqcSG5rgOTTWAQIgpakYHS3WxWQcg33Tz4wkLXECBMHTLXjRvim023a3VKT-9U6K9l9ahNTTeNTuZI76qhjXB6O3ysLirfHkA5Yo16vhuG4PWmhHHs9wET7k56OcGVJhJKv3tVbL64Y_uxqmpQ-3LDfBAgIs7JPn_xvfmSOzr9k02xfjH4tSQKz3l4cf8SqO0bU9CFqqxzQ7cJaakr3whT-RVWdqPVBfGJmxG-Zk.QcvMzM3HgFlVQ0VzVZKU5BkG53-qTfHd3rV0oVeFatTJ5_Rj5EOgUINeQjKuU0Y8HyfrIhhvPSNXFLK0vvZMBu",
				`Authorization: Bearer t1.9euelZqpqixuShfhciyKmRO4rRj8qSuxU6Qu0nGNDSkClnBJjKRY3mZiB9l1_3VEDGH7RG8EDDhYL79cuyEGF9WeuGc8JhTor6UPV55s1UHWFhafmPk8B0yezMSF0lz26emqS0cjbiyaDN5nHFb-CKhgF8lzsIZxq1KIjC8UfYUAiTWQNzE_oc3Uh7WsPFE48qRBHcCUFhJH4Shr1plErKDvtRk3rXbj8h5tzJEzEx_d5.ydpmYc3IxKBl9JtWJnZZqS8nGl9W9Zx5eA_3R8y_U098DGWnhVUmcGKvEPPuRWl6ZL7b9GWXICgSM7C1BSJA_l`,
				`{"iamToken": "t1.9euelZqd7nyMbF-4nhS6VhAjfuiVGYbIyL0DfOh9t5ZKMG8b-4zU8AAg6AYSFLpP5dM3qT_9JCDKkEs-XrInmyFYBWAFePc0zlHPnfAIPzHTUihXM1QSnV1cn8DUOYbTCikvOhEqjLzk6mYJP1-aD1y1oD3_FuVkF1KfOszewKGAQQii8TbZqKJG29JunIKYyvj4nOdWzZF7-34p-l6Df6-G6p5PF74G0B8GVo8T-wtI5.FJdJGIYtiOBicfcExbbnx2IGf8Gmmc3pBaUeMD7bqKQzY6Ri4a3a4CU7l_oJAhWg5c8Q0f7uIjEcyxdl22lrmS", "expiresAt": "2025-03-02T02:13:49Z"}`,
			},
			FalsePositives: []string{
				"instance_type = \"t1.micro\"",
				"YC_TOKEN=t1.9euelZq...",
				"YC_TOKEN=t1.${IAM_TOKEN_BODY}." + "t1.9euelZqcSG5rgOTTWAQIgpakYHS3WxWQcg33Tz4wkLXECBMHTLXjRvim023a3VKT-9U6K9l9ahNTTeNTuZI76qhjXB6O3ysLirfHkA5Yo16vhuG4PWmhHHs9wET7k56OcGVJhJKv3tVbL64Y_uxqmpQ-3LDfBAgIs7JPn_xvfmSOzr9k02xfjH4tSQKz3l4cf8SqO0bU9CFqqxzQ7cJaakr3whT-RVWdqPVBfGJmxG-Zk.QcvMzM3HgFlVQ0VzVZKU5BkG53-qTfHd3rV0oVeFatTJ5_Rj5EOgUINeQjKuU0Y8HyfrIhhvPSNXFLK0vvZMBu"[len("t1.9euelZqcSG5rgOTTWAQIgpakYHS3WxWQcg33Tz4wkLXECBMHTLXjRvim023a3VKT-9U6K9l9ahNTTeNTuZI76qhjXB6O3ysLirfHkA5Yo16vhuG4PWmhHHs9wET7k56OcGVJhJKv3tVbL64Y_uxqmpQ-3LDfBAgIs7JPn_xvfmSOzr9k02xfjH4tSQKz3l4cf8SqO0bU9CFqqxzQ7cJaakr3whT-RVWdqPVBfGJmxG-Zk.QcvMzM3HgFlVQ0VzVZKU5BkG53-qTfHd3rV0oVeFatTJ5_Rj5EOgUINeQjKuU0Y8HyfrIhhvPSNXFLK0vvZMBu")-86:],
			},
		},
		{
			ID:          "yandex-cloud-static-key-secret",
			Provider:    "Yandex Cloud",
			Description: "Yandex Cloud static access key secret (YC and 38 URL-safe characters, used with the S3-compatible API) assigned to a Yandex name. Format: https://yandex.cloud/en/docs/iam/concepts/authorization/access-key",
			Keywords:    []string{"yandex", "ycloud", "yc_", "yc-"},
			Pattern:     assigned(`yandex|ycloud|\byc[_-]`, `YC[A-Za-z0-9_-]{38}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: yandex,
			TruePositives: []string{
				"YC_STORAGE_SECRET_KEY=YCIJ_-fKO1XkS4YkGWoq8uJqlHjPNN6AzmCnwTP5",
				`yandex_secret_key = "YCNqcxoBWWLV5P8C0NFGBhxWWPwLHZ-2YD6u-TXO"`,
				"  yandexS3Secret: 'YCNcpmq--untcmKa_QHRDiC-CGD20rHN-Oi9crk3'",
			},
			FalsePositives: []string{
				"YC_STORAGE_ACCESS_KEY=YCAJEk2hV0ngc3cRxYzS2Sa1Y",
				"YC_STORAGE_SECRET_KEY=${YC_SECRET}",
				"YC_STORAGE_SECRET_KEY=YCIJ_-fKO1XkS4YkGWoq8uJqlHjPNN6AzmCnwTP59",
			},
		},
	}
}

// tencentCloudRules returns the rules for Tencent Cloud.
func tencentCloudRules() []Rule {
	tencent := Remediation{
		What:          "A Tencent Cloud API key (SecretId/SecretKey): it signs API requests with the permissions of the CAM user or root account that owns it.",
		RevokeURL:     "https://console.cloud.tencent.com/cam/capi",
		Revoke:        "CAM console > Access Key > API Keys (or the sub-user's API key tab): Disable the key, then Delete it.",
		RevokeCommand: "tccli cam DeleteAccessKey --AccessKeyId <SECRET_ID> --TargetUin <UIN>",
		Rotate:        "Create a new key for a least-privilege CAM sub-user (never the root account), deploy it, then delete the old one.",
		Misuse:        "CloudAudit > Event search filtered by the SecretId.",
		DocsURL:       "https://www.tencentcloud.com/document/product/598/32675",
	}

	return []Rule{
		{
			ID:          "tencent-cloud-secret-id",
			Provider:    "Tencent Cloud",
			Description: "Tencent Cloud API SecretId: AKID followed by 32 alphanumerics; its SecretKey is usually nearby. Format: https://www.tencentcloud.com/document/product/598/32675",
			Keywords:    []string{"akid"},
			Pattern:     uniqueToken(`AKID[A-Za-z0-9]{32}`, `A-Za-z0-9`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: tencent,
			TruePositives: []string{
				"TENCENTCLOUD_SECRET_ID=AKIDD86AqGJWVrppygQ3eNJLM198PvycNkce",
				`cred = credential.Credential("AKIDN5PzKNW0J9mKWq5tcZek21GzLkKGUuLC", os.environ["TC_KEY"])`,
				"secret_id: AKIDolMARKXH4Xk3XME9eTECHQzHNLG8N1Ve",
			},
			FalsePositives: []string{
				"TENCENTCLOUD_SECRET_ID=AKIDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
				"TENCENTCLOUD_SECRET_ID=AKIDD86AqGJWVrppygQ3eNJLM198PvycNkceab",
				"TENCENTCLOUD_SECRET_ID=AKID<secret-id>",
			},
		},
		{
			ID:          "tencent-cloud-secret-key",
			Provider:    "Tencent Cloud",
			Description: "Tencent Cloud API SecretKey (32 alphanumerics) assigned to a Tencent Cloud name (TENCENTCLOUD_SECRET_KEY, …). Format: https://www.tencentcloud.com/document/product/598/32675",
			Keywords:    []string{"tencent", "qcloud"},
			Pattern:     assigned(`tencent[A-Za-z0-9_.-]{0,20}?secret[_.-]?key|qcloud[A-Za-z0-9_.-]{0,20}?secret[_.-]?key`, `[A-Za-z0-9]{32}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: tencent,
			TruePositives: []string{
				"TENCENTCLOUD_SECRET_KEY=cYHQj1FTUjX8EtxcaN6KTi6DAF5XOe8r",
				`tencent_secret_key: "3njVeYyW7GnxHjV0b7MrzAIvCKjGo4Nt"`,
				"export QCLOUD_SECRET_KEY='kyBydMN61tfgb21EJCC5QHYjDQPy2LRj'",
			},
			FalsePositives: []string{
				"TENCENTCLOUD_SECRET_KEY=${TENCENTCLOUD_SECRET_KEY}",
				"TENCENTCLOUD_SECRET_KEY=d41d8cd98f00b204e9800998ecf8427e",
				"TENCENTCLOUD_SECRET_KEY=cYHQj1FTUjX8EtxcaN6KTi6DAF5XOe8rxyz",
			},
		},
	}
}

// backblazeRules returns the rules for Backblaze.
func backblazeRules() []Rule {
	b2 := Remediation{
		What:          "A Backblaze B2 application key: with its key ID it reads, writes or deletes files in the buckets it is restricted to (all buckets for the master key).",
		RevokeURL:     "https://secure.backblaze.com/app_keys.htm",
		Revoke:        "My Account > Application Keys > Delete key (for the master key, Generate New Master Application Key).",
		RevokeCommand: "b2 key delete <APPLICATION_KEY_ID>",
		Rotate:        "Create a key restricted to one bucket, the needed capabilities and an expiry.",
		Misuse:        "B2 has no per-key access log: review the buckets' files and versions, Reports (transactions) and bucket event notifications.",
		DocsURL:       "https://www.backblaze.com/docs/cloud-storage-application-keys",
	}

	return []Rule{
		{
			ID:          "backblaze-b2-application-key",
			Provider:    "Backblaze",
			Description: "Backblaze B2 application key (K, three digits and 27 base64 characters) assigned to a B2/Backblaze name. Format: https://www.backblaze.com/docs/cloud-storage-application-keys",
			Keywords:    []string{"backblaze", "b2_", "b2-"},
			Pattern:     assigned(`backblaze|\bb2[_-]`, `K[0-9]{3}[A-Za-z0-9+/]{27}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasMixedCase},
			Confidence:  Medium,
			Remediation: b2,
			TruePositives: []string{
				"B2_APPLICATION_KEY=K0072hRmKXVZtTAtBY0j/22TcvpsOLS",
				`backblaze_app_key: "K004Gn9a8rupLSEsqrOkNxS0CRrFoOW"`,
				"export B2_KEY='K0055IA7C2xv7OU9pLnSvdxvjAFqRwS'",
			},
			FalsePositives: []string{
				"B2_APPLICATION_KEY_ID=0051a2b3c4d5e6f0000000007",
				"B2_APPLICATION_KEY=${B2_APPLICATION_KEY}",
				"B2_APPLICATION_KEY=K0072hRmKXVZtTAtBY0j/22TcvpsOLSZz",
			},
		},
	}
}

// confluentRules returns the rules for Confluent.
func confluentRules() []Rule {
	confluent := Remediation{
		What:          "A Confluent Cloud API secret: with its API key it authenticates to a Kafka cluster, Schema Registry or the Cloud API as the owning user or service account.",
		RevokeURL:     "https://confluent.cloud/settings/api-keys",
		Revoke:        "Administration > API keys > (key) > Delete.",
		RevokeCommand: "confluent api-key delete <API_KEY>",
		Rotate:        "Create a new API key for a service account with least-privilege ACLs or RBAC, deploy it, then delete the old one.",
		Misuse:        "Confluent Cloud audit logs (`confluent audit-log describe`) filtered by the API key, and cluster metrics for unknown clients.",
		DocsURL:       "https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html",
	}

	return []Rule{
		{
			ID:          "confluent-api-secret",
			Provider:    "Confluent",
			Description: "Confluent Cloud API secret (64 base64 characters) assigned to a Confluent name (CONFLUENT_CLOUD_API_SECRET, …). Format: https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/overview.html",
			Keywords:    []string{"confluent"},
			Pattern:     assigned(`confluent`, `[A-Za-z0-9+/]{64}`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasLetterAndDigit, NotHexOnly},
			Confidence:  Medium,
			Remediation: confluent,
			TruePositives: []string{
				"CONFLUENT_CLOUD_API_SECRET=03dsy1afMQmjhy6AFl5vqGYPjWzWS2qHwZf6/W8rR35jX3E9s7dM0YL2yYFs+9GN",
				`confluent_api_secret = "8zIHPusI/D+emlaOOvB4+qKcOF8pzC/1S6MYuIcxH4XvO5wnINRIj0WGhnKRTpGc"`,
				"  confluentSecret: 'qa3G2RlB1DzcaAhESEeKeGD1Xa7nCee7OMJe7MsT6xA3YYYg2Z72d5/QulsIwOus'",
			},
			FalsePositives: []string{
				"CONFLUENT_CLOUD_API_KEY=ABCDEFGHIJKLMNOP",
				"CONFLUENT_CLOUD_API_SECRET=${CONFLUENT_CLOUD_API_SECRET}",
				"CONFLUENT_SCHEMA_DIGEST=632c9dd289c5a4a26acaf6fc7c8dad960bb49d472aac3a1767a92ecac8418142",
			},
		},
	}
}

// clickhouseCloudRules returns the rules for ClickHouse Cloud.
func clickhouseCloudRules() []Rule {
	clickhouse := Remediation{
		What:          "A ClickHouse Cloud API key secret: with its key ID it manages the organization's services through the Cloud API with the key's role.",
		RevokeURL:     "https://console.clickhouse.cloud/",
		Revoke:        "Organization > API keys > (key) > Delete (or Disable).",
		RevokeCommand: "curl -X DELETE --user <KEY_ID>:<KEY_SECRET> https://api.clickhouse.cloud/v1/organizations/<ORG_ID>/keys/<KEY_ID>",
		Rotate:        "Create a new key with the least role and an expiry, deploy it, then delete the old one.",
		Misuse:        "Organization > Audit (activity log) for actions by the key.",
		DocsURL:       "https://clickhouse.com/docs/cloud/manage/openapi",
	}

	return []Rule{
		{
			ID:          "clickhouse-cloud-api-secret",
			Provider:    "ClickHouse Cloud",
			Description: "ClickHouse Cloud API key secret: 4b1d followed by 38 alphanumerics. Format: https://clickhouse.com/docs/cloud/manage/openapi",
			Keywords:    []string{"4b1d"},
			Pattern:     uniqueToken(`4b1d[A-Za-z0-9]{38}`, `A-Za-z0-9`),
			Group:       1,
			MinEntropy:  4.0,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: clickhouse,
			TruePositives: []string{
				"CLICKHOUSE_KEY_SECRET=4b1dbLC1VaSfPE6hRZqiuqVKfqpdhTpNIfZLmdfKwD",
				`curl --user "$KEY_ID:4b1dO4SkLZqKyekdakJCSmeYK2NlFWjz9cMoQUzuL6" https://api.clickhouse.cloud/v1/organizations`,
				"  key_secret: '4b1djwVSusB8bGsoadP8GiOH1LPtWZrd3e3LTAnm0C'",
			},
			FalsePositives: []string{
				"key = 4b1dXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
				"key = adf4b1dbLC1VaSfPE6hRZqiuqVKfqpdhTpNIfZLmdfKwD",
				"checksum: 4b1d9e0c2f7a6b5d4c3e2f1a0b9c8d7e6f5a4b3c2d",
			},
		},
	}
}

// openShiftRules returns the rules for Red Hat OpenShift.
func openShiftRules() []Rule {
	openshift := Remediation{
		What:          "An OpenShift OAuth access token: it calls the cluster API as the user who logged in, with all their RBAC permissions, until it expires (24 hours by default).",
		RevokeURL:     "https://docs.redhat.com/en/documentation/openshift_container_platform/4.16/html/authentication_and_authorization/managing-oauth-access-tokens",
		Revoke:        "List the user's tokens with `oc get useroauthaccesstokens` and delete the leaked one; its object name is the token's sha256~ hash. Cluster admins can delete any OAuthAccessToken.",
		RevokeCommand: "oc delete useroauthaccesstokens <TOKEN_OBJECT_NAME>",
		Rotate:        "Log in again to get a new token; for automation use a service account with a bound token instead of a user token.",
		Misuse:        "The kube-apiserver and openshift-apiserver audit logs (`oc adm node-logs --role=master --path=kube-apiserver/`) filtered by the user name.",
		DocsURL:       "https://docs.redhat.com/en/documentation/openshift_container_platform/4.16/html/authentication_and_authorization/managing-oauth-access-tokens",
	}

	return []Rule{
		{
			ID:          "openshift-oauth-token",
			Provider:    "Red Hat OpenShift",
			Description: "OpenShift OAuth access token: sha256~ followed by 43 URL-safe base64 characters. Format: https://docs.redhat.com/en/documentation/openshift_container_platform/4.16/html/authentication_and_authorization/managing-oauth-access-tokens",
			Keywords:    []string{"sha256~"},
			Pattern:     uniqueToken(`sha256~[A-Za-z0-9_-]{43}`, `A-Za-z0-9_~-`),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: openshift,
			TruePositives: []string{
				"oc login --token=sha256~oGsiAq-ge4Qk2zKNoImteEAo-Clc-UdkzmdJZ0rfWAg --server=https://api.ocp.corp.internal:6443",
				"Authorization: Bearer sha256~WzMO1QRnbiHbvt8QUSMLZHxDjWmnug-NaGMa9m-WNfO",
				`  token: "sha256~zQEAW61Btbs3zfEI0rckj2pnXWT4d111n-ac77qXFZk"`,
			},
			FalsePositives: []string{
				`--set kubeconfig.token="sha256~XXXXXXXXXX_PUT_YOUR_TOKEN_HERE_XXXXXXXXXXXX"`,
				"oc login --token=sha256~_xxxxxx_xxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxx-X",
				"oc login --token=sha256~oGsiAq-ge4Qk2zKNoImteEAo-Clc-UdkzmdJZ0rfWAgabc",
			},
		},
	}
}

// kubernetesRules returns the rules for Kubernetes.
func kubernetesRules() []Rule {
	k8s := Remediation{
		What:          "A Kubernetes service account token: it calls the cluster API as system:serviceaccount:<namespace>:<name>, with every RBAC binding of that service account.",
		RevokeURL:     "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
		Revoke:        "A legacy token stored in a Secret is revoked by deleting the Secret; a bound token is revoked by deleting the object it is bound to (pod or secret) or the service account itself, and otherwise expires.",
		RevokeCommand: "kubectl delete secret <TOKEN_SECRET_NAME> -n <NAMESPACE>  # bound tokens: kubectl delete serviceaccount <NAME> -n <NAMESPACE>",
		Rotate:        "Use short-lived tokens (`kubectl create token <NAME> --duration=1h`) or the TokenRequest API, and remove long-lived token Secrets.",
		Misuse:        "API server audit logs filtered by user.username = system:serviceaccount:<namespace>:<name>; on managed clusters, the provider's control-plane audit logs (CloudWatch, Cloud Logging, Azure Monitor).",
		DocsURL:       "https://kubernetes.io/docs/concepts/security/service-accounts/",
	}

	return []Rule{
		{
			ID:          "kubernetes-service-account-token",
			Provider:    "Kubernetes",
			Description: "Kubernetes service account token: a JWT whose subject is system:serviceaccount:<namespace>:<name> (legacy Secret-based or bound), as found in kubeconfig files and CI variables. Format: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#service-account-tokens",
			Keywords:    []string{"eyj"},
			Pattern:     uniqueToken(`eyJ[A-Za-z0-9_-]{10,500}\.eyJ[A-Za-z0-9_-]{10,1000}[A-Za-z0-9_-]{0,1000}\.[A-Za-z0-9_-]{20,1000}`, `A-Za-z0-9_.-`),
			Group:       1,
			Validators:  []Validator{kubernetesServiceAccountJWT},
			Confidence:  High,
			Remediation: k8s,
			TruePositives: []string{
				"    token: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJrdWJlLXN5c3RlbSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VjcmV0Lm5hbWUiOiJkZXBsb3llci10b2tlbi03emE3OSIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50Lm5hbWUiOiJkZXBsb3llciIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50LnVpZCI6IjAwZmFhZWRhLTE4NzQtNDY0MC05MGI2LWYzZDZiNGY1M2Y0YyIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDprdWJlLXN5c3RlbTpkZXBsb3llciJ9.ekZeVI6uBfBL7ow9MIqCkdieGH7E9sb5Ls7eRs7cDG7UEplr60xhNxXc4-PuokJp4DS3duzbf-b_RdShDquQrsWGXOg3gK8ziGN9A13aybaGrui2YN8w-5OfF1iBJ7_Zgq_RlT4KIOgdTglDkNyfA30rex3eo9UCG2aPy8pwgTUXN5DdUeeSH8fjkwdNXRiZaHtVdBLgJn6RwgPKt7aDtel6yHNYuW411FUWy9Ny2xAmGlXiH2ZdWd5j9jEGRG06YhkjFZqlFNFR2ApRzoxF3b8-aEhI3insqTZnxfWV_rB0d6FwmGUsjdMbEYMo7SHUuwF_LcXXaMhAL-HKKmHgMg",
				`KUBE_TOKEN="eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOlsiaHR0cHM6Ly9rdWJlcm5ldGVzLmRlZmF1bHQuc3ZjLmNsdXN0ZXIubG9jYWwiXSwiZXhwIjoxNzM1NjkzMjAwLCJpYXQiOjE3MzU2ODk2MDAsImlzcyI6Imh0dHBzOi8va3ViZXJuZXRlcy5kZWZhdWx0LnN2Yy5jbHVzdGVyLmxvY2FsIiwia3ViZXJuZXRlcy5pbyI6eyJuYW1lc3BhY2UiOiJjaSIsInNlcnZpY2VhY2NvdW50Ijp7Im5hbWUiOiJidWlsZGVyIiwidWlkIjoiNjIwYTdjZGQtOWI3ZS00YzJlLTg1MzMtZTI4NDQ0OTg4MjhjIn19LCJuYmYiOjE3MzU2ODk2MDAsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpjaTpidWlsZGVyIn0.WikuTW16quV500B_sWs4hPTGZjti3lJSWYszDS89zunGv3t2wiUp6ShVphTZrNe03AFpBqPKvjzDRzXt0T06y3iAhJ5si2LcSRi97tueDLpaXMNdOVSx4XPom_E0pFPqUf1CMA6jSTL1NNVdkdAOIdfGvwOalVR87NpYTwjgqXaRAJ1QzpZk2f1KbfYOwJpupxdNfncHydGmKj-WCToAbDENsXXu-aOveaF2SNWrk6LtUqEATbHWpv815mldgMk5Apu8NDcZbiRQmi0JCFd60PxOzCEZW4NC0MaKX8uNQXint_hMbXcdZshzqGyFEn09aKooI6qkMZyKFaZSPyP2xQ"`,
				"kubectl --server=https://10.0.0.1:6443 --token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJkZWZhdWx0Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9zZWNyZXQubmFtZSI6ImRlZmF1bHQtdG9rZW4tejl0cGIiLCJrdWJlcm5ldGVzLmlvL3NlcnZpY2VhY2NvdW50L3NlcnZpY2UtYWNjb3VudC5uYW1lIjoiZGVmYXVsdCIsImt1YmVybmV0ZXMuaW8vc2VydmljZWFjY291bnQvc2VydmljZS1hY2NvdW50LnVpZCI6IjcyMTIxNzZkLTgxN2QtNDMxMi1iZDk1LWNlNGEzYmFlNmRiMCIsInN1YiI6InN5c3RlbTpzZXJ2aWNlYWNjb3VudDpkZWZhdWx0OmRlZmF1bHQifQ.ATaVBxJWQ556N5j-X4U6bvYYLlL7fWWIU0qnqWX3V-Z9ehHDby4pg5yrXpH6ljm1Arg-1uHHRz601WdTiOvYoIorAabwp6d5_oe9TW112I1v_LMWSvxE1ZYtj_z24jlwCj0VuC3zRm3I-2OrBdB6Nta-5YlHZa-smTo_PkGJ2BZ_0YL-Pc-50p_2aNM4Fj17G1sH8dzYgrZUAgzCUMmk3RDjlWpKWEfxBRZ2sbX2lg6u8-JGWiP0ZPKXaPg3X6AWu6nAOxNfzec-yFAUAow19HOeg5y-Z8Lm3UUcjvjizJBZiVHkmkgBrg4mSArtIY98pmcMdb1AFabfGhEN7FXjOg get pods",
			},
			FalsePositives: []string{
				"    token: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20iLCJzdWIiOiIxMDk4MTU2Njk3MjQ3MiIsImF1ZCI6IngiLCJpYXQiOjE3MzU2ODk2MDB9.axme5NWUL5s3FpLBNTduQ9tthd5KVpBd1f2pc3HEp6R1LPKKQs6srQIchusT8IRcUVj5kHvI0FD2K90KHq8garI_6IHT9Gz2UVyvfA9v96rDptE2zgYvmPTFc96CtYfayG92TgJCNwNG3P3Qpz7rlYdQBusCbKEkvd8Hcin0foC5YY2Ma4JUoaPRnh-PgKKD1P0zzvc-H3ZpYrcyGqkZ2d_4uYlpN47Z5gzJ_tP_iXkGlHvKn-ILk0eKXLIdaHw4NBmfYrwXVXwYNq4vCpWV1PG5tdVp9mifUrrMTDGDrzwmu-8gB4QLu5Ni_1jIG_Wa2OCcAsY8RKS-CJKRKKV_eA",
				"    token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6ImtoYWlvcHp4a3hqbWh5aXhudnRlIiwicm9sZSI6ImFub24iLCJpYXQiOjE3MzU2ODk2MDAsImV4cCI6MjA1MTA0OTYwMH0.7pkFQRsTgK68O3x50EX3chDkAkOZw-Kfcx1utLlm5o0",
				"    token: eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0",
			},
		},
	}
}

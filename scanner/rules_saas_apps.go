package scanner

// mapboxRules returns the rules for Mapbox.
func mapboxRules() []Rule {
	mapbox := Remediation{
		What:          "A Mapbox secret access token (sk.): it carries secret scopes — uploads, styles, datasets, token management — billed to the account.",
		RevokeURL:     "https://account.mapbox.com/access-tokens/",
		Revoke:        "Open Account → Access tokens and delete the token (or use the Tokens API).",
		RevokeCommand: `curl -X DELETE "https://api.mapbox.com/tokens/v2/<USERNAME>/<TOKEN_ID>?access_token=<TOKEN_WITH_TOKENS_WRITE>"`,
		Rotate:        "Create a new secret token with only the scopes needed, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check Statistics (https://account.mapbox.com/statistics/) for usage you do not recognise, and your styles, tilesets and tokens for changes.",
		DocsURL:       "https://docs.mapbox.com/accounts/guides/tokens/",
	}

	return []Rule{
		{
			ID:          "mapbox-secret-token",
			Provider:    "Mapbox",
			Description: "Mapbox secret access token (sk.<base64url JSON naming the account>.<signature>); public pk. tokens are not reported. Format: https://docs.mapbox.com/accounts/guides/tokens/",
			Keywords:    []string{"sk.eyj"},
			Pattern:     uniqueToken(`sk\.eyJ[A-Za-z0-9_-]{20,400}\.[A-Za-z0-9_-]{20,40}`, b64TokenChars),
			Group:       1,
			Validators:  []Validator{saasMapboxToken},
			Confidence:  High,
			Remediation: mapbox,
			TruePositives: []string{
				`MAPBOX_SECRET_TOKEN=sk.eyJ1IjoidWlzdWJ4ZWYiLCJhIjoiY2x0OGNwZHMwenY2aTJ4ZWRyeWg3a2w2cCJ9.l-S4XmbTXMH4O-eWAmlJTH`,
				`mapbox_download_token: "sk.eyJ1IjoidHN4Ynl2b2giLCJhIjoiY2wwanY4bmNwYjd3ams3YjRlZzBvcnBrdSJ9.yz9NSjkPv6QkVE-S3aGBAd"`,
				`MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1IjoieHFmeW9xZHgiLCJhIjoiY2xqMThrc3F6MWVoc2trbGh3cHlnbHgwMSJ9.SMDsXooLxCO1rWL6JGws1h`,
			},
			FalsePositives: []string{
				`MAPBOX_ACCESS_TOKEN=pk.eyJ1IjoibWJidmRtYW8iLCJhIjoiY2xuMGtuazlmYXFjcDh6d3c3bDZ2N2M5diJ9.O3fgoZEV5HklfNQ8ae7IVQ`,
				`MAPBOX_SECRET_TOKEN=sk.eyJwU7ZzKDxWC7UIu2UTrJBUY5oyNivyfFMeOWnNzhN.6CNPWza_R7crwkNQHnJ19M`,
				`MAPBOX_SECRET_TOKEN=sk.your-secret-token`,
			},
		},
	}
}

// hubSpotRules returns the rules for HubSpot.
func hubSpotRules() []Rule {
	hubspot := Remediation{
		What:          "A HubSpot private app access token: it reads and writes CRM records (contacts, companies, deals) and other data within the app's scopes.",
		RevokeURL:     "https://app.hubspot.com/private-apps/",
		Revoke:        "Open Settings → Integrations → Private Apps, select the app → Auth → Rotate (rotate now expires the old token), or delete the app.",
		RevokeCommand: "",
		Rotate:        "Rotating issues the new token at once: store it in your secret manager and redeploy.",
		Misuse:        "Check the private app's Logs tab for API calls you did not make, and the account's Audit Logs for exports.",
		DocsURL:       "https://developers.hubspot.com/docs/api/private-apps",
	}

	return []Rule{
		{
			ID:          "hubspot-private-app-token",
			Provider:    "HubSpot",
			Description: "HubSpot private app access token (pat-<region>-<UUID>). Format: https://developers.hubspot.com/docs/api/private-apps",
			Keywords:    []string{"pat-na", "pat-eu", "pat-ap"},
			Pattern:     uniqueToken(`pat-(?:na|eu|ap)[0-9]{1,2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`, b64TokenChars),
			Group:       1,
			Confidence:  High,
			Remediation: hubspot,
			TruePositives: []string{
				`HUBSPOT_ACCESS_TOKEN=pat-na1-905b3199-4e83-4fb0-9459-f698bab8d1d0`,
				`hubspot = HubSpot(access_token="pat-eu1-02558b49-4027-496c-b477-e0b6778cf3fa")`,
				`"hubspotToken": "pat-na1-69b7f333-161c-4ebf-b533-313ee987f6ee"`,
			},
			FalsePositives: []string{
				`HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-0000-0000-0000-000000000000`,
				`HUBSPOT_ACCESS_TOKEN=pat-na1-your-private-app-token`,
				`HUBSPOT_ACCESS_TOKEN=pat-na1-f3757e70-b142`,
			},
		},
	}
}

// airtableRules returns the rules for Airtable.
func airtableRules() []Rule {
	airtable := Remediation{
		What:          "An Airtable personal access token: it reads and writes the bases and workspaces granted to it, with its scopes.",
		RevokeURL:     "https://airtable.com/create/tokens",
		Revoke:        "Open the Developer hub → Personal access tokens and delete (or regenerate) the token.",
		RevokeCommand: "",
		Rotate:        "Create a token limited to the bases and scopes needed, store it in your secret manager, redeploy.",
		Misuse:        "Check the bases' revision history and, on Enterprise, the audit log for reads, exports and changes you did not make.",
		DocsURL:       "https://airtable.com/developers/web/guides/personal-access-tokens",
	}

	return []Rule{
		{
			ID:          "airtable-personal-access-token",
			Provider:    "Airtable",
			Description: "Airtable personal access token (pat + 14-character ID + . + 64 hex). Format: https://airtable.com/developers/web/guides/personal-access-tokens",
			Keywords:    []string{"pat"},
			Pattern:     uniqueToken(`pat[A-Za-z0-9]{14}\.[a-f0-9]{64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: airtable,
			TruePositives: []string{
				`AIRTABLE_TOKEN=patpG7DED4HouH6yh.89fc930d97eb667bba15a0c716011439de618ce14f688d02db35f37af0e579de`,
				`Airtable.configure({ apiKey: "pat8NgGDXdSWxbv1E.99f71564bbaad2b69d74d467e4ce940cf5b5af72a32f3bbd11040fc1efb2f914" })`,
				`airtable_pat: pat4ojUBh9egZDHGW.44ed616233bcaec9376ce6e3c09ab9a8931431770e10472b70e33230486611c8`,
			},
			FalsePositives: []string{
				`AIRTABLE_TOKEN=patXXXXXXXXXXXXXX.XXXXXXXX`,
				`AIRTABLE_TOKEN=patm5VLaKJSs1WWag.e8d00fba3584b6aebdeeddc2aa3caf18`,
				`AIRTABLE_TOKEN=patYourTokenHere.example`,
			},
		},
	}
}

// typeformRules returns the rules for Typeform.
func typeformRules() []Rule {
	typeform := Remediation{
		What:          "A Typeform personal access token: it reads forms and responses (personal data) and changes forms, within its scopes.",
		RevokeURL:     "https://admin.typeform.com/user/tokens",
		Revoke:        "Open Account → Personal tokens and delete the token.",
		RevokeCommand: "",
		Rotate:        "Generate a token with only the needed scopes, store it in your secret manager, redeploy.",
		Misuse:        "Check forms for changes and responses exports; Typeform has no per-token request log.",
		DocsURL:       "https://www.typeform.com/developers/get-started/personal-access-token/",
	}

	return []Rule{
		{
			ID:          "typeform-personal-access-token",
			Provider:    "Typeform",
			Description: "Typeform personal access token (tfp_ + 44 characters + _ + 12-14 characters). Format: https://www.typeform.com/developers/get-started/personal-access-token/",
			Keywords:    []string{"tfp_"},
			Pattern:     uniqueToken(`tfp_[A-Za-z0-9_-]{44}_[A-Za-z0-9]{12,14}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: typeform,
			TruePositives: []string{
				`TYPEFORM_TOKEN=tfp_2FblWa7bPImryp4k2noM7TQI4NGbdXJqxB0eyigOciub_7VqTjOqvciZZnn`,
				`"typeformToken": "tfp_xyZWz3W0CFg05KzmgGX5r1MB0sD8mDrHYwBgCoYKPmUc_fgojhopdD0lNH"`,
				`headers = {"Authorization": "Bearer tfp_R35XmMXIfS6dt830COjeO9XV9FqmWAak6vkCn56PK9QE_wvNcD1iM33tA6l"}`,
			},
			FalsePositives: []string{
				`TYPEFORM_TOKEN=tfp_your_personal_access_token`,
				`TYPEFORM_TOKEN=tfp_BYVQffZ0Sz3Jr3YaR0C7_HjTbdMaFbzm6Ha`,
				`TYPEFORM_TOKEN=tfp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_XXXXXXXXXXXXXX`,
			},
		},
	}
}

// frameioRules returns the rules for Frame.io.
func frameioRules() []Rule {
	frameio := Remediation{
		What:          "A Frame.io developer token (fio-u-): it acts as the user on their accounts, projects and media within its scopes.",
		RevokeURL:     "https://developer.frame.io/app/tokens",
		Revoke:        "Open the developer site → Tokens and delete the token.",
		RevokeCommand: "",
		Rotate:        "Create a token with only the scopes needed, store it in your secret manager, redeploy.",
		Misuse:        "Check projects for assets downloaded, shared or deleted that you did not expect.",
		DocsURL:       "https://developer.frame.io/docs/getting-started/authentication",
	}

	return []Rule{
		{
			ID:          "frameio-developer-token",
			Provider:    "Frame.io",
			Description: "Frame.io developer token (fio-u- + 64 characters). Format: https://developer.frame.io/docs/getting-started/authentication",
			Keywords:    []string{"fio-u-"},
			Pattern:     uniqueToken(`fio-u-[A-Za-z0-9_=-]{64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: frameio,
			TruePositives: []string{
				`FRAMEIO_TOKEN=fio-u-RwIb6zgA-XGj2klaXWNeId_U848LXlKTh-ZwFrEKO_1fdfB1UOtF78XA9RFC4DLZ`,
				`"frameioToken": "fio-u-nsf3PocSi2IsJ9Q7WGE2i20sbZPjsBd-B8CDy9fHAX1nooquPu7oUj51EgSw_HZ0"`,
				`client = FrameioClient("fio-u-tOh6ZiIBT35cD-I6MesZtpM_DuXL0Ii1rCWcjdB2PJhhqU1PR1DmSZBMgBfaG-vJ")`,
			},
			FalsePositives: []string{
				`FRAMEIO_TOKEN=fio-u-your-developer-token`,
				`FRAMEIO_TOKEN=fio-u-8i0dxHjUJS4hZ_lAIehFV4mlIXbBAT`,
				`FRAMEIO_TOKEN=fio-u-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
			},
		},
	}
}

// facebookRules returns the rules for Meta (Facebook).
func facebookRules() []Rule {
	facebook := Remediation{
		What:          "A Meta (Facebook) Graph API access token: it acts as the user, page or app that issued it, within its permissions.",
		RevokeURL:     "https://developers.facebook.com/apps/",
		Revoke:        "User/page tokens: remove the app's permissions (DELETE /me/permissions) or have the user remove the app; app tokens (APP_ID|…) and app secrets: App Dashboard → Settings → Basic → App secret → Reset.",
		RevokeCommand: `curl -X DELETE "https://graph.facebook.com/me/permissions?access_token=<ACCESS_TOKEN>"`,
		Rotate:        "Obtain a new long-lived token through Facebook Login (or reset the app secret and update your backend), store it in your secret manager, redeploy.",
		Misuse:        "Check the page's posts and Business Settings → Security Center / activity log, and the app's Alerts in the App Dashboard.",
		DocsURL:       "https://developers.facebook.com/docs/facebook-login/guides/access-tokens",
	}

	return []Rule{
		{
			ID:          "facebook-access-token",
			Provider:    "Meta (Facebook)",
			Description: "Meta Graph API user or page access token (EAA + app-specific letter + long base62 body). Format: https://developers.facebook.com/docs/facebook-login/guides/access-tokens",
			Keywords:    []string{"eaa"},
			Pattern:     uniqueToken(`EAA[B-Z][A-Za-z0-9]{90,400}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: facebook,
			TruePositives: []string{
				`FACEBOOK_PAGE_TOKEN=EAAGGBqJhMXZkbsLH7oYHBymCGIveESeAc3DFyT9G1rcbTFOoMYJy9dvGmEeN3WzTJHP80jpFoRJKPV5TYfUgsVrWhIB2dRysFQv7aqjkjRzZNMs1Tm5GQFg4zpMCz7ZAadSzSUffdo9SiOPs1p8ugvgdkiqE3YPHYzu26AISKAgp8yzOCyzfV9Q`,
				`graph = facebook.GraphAPI(access_token="EAAMlpXyRo6rdbemR32yV8lCFLJPKDakYSi6FvdAMYmimvOpvgP0kUBFIGCg3WOSBAOGwLTPbUrD3zDNHBLEJ71ZBz2JAQKJLMO72PodyzDT0tbxCmPAi5TVr4wq3XNjO9WwTqX1MPnKHSwdlzfxO8sbfW41ftOn3iO4TwcV9MV0hO4xJAQGplNrgWbJ4cNx62sI0blof751")`,
				`- name: FACEBOOK_TOKEN` + "\n" + `  value: "EAACG2Ry72tWqT6Zj0pNGbaRzu4CiZ5ydK0HobslLmaGKZahf6Q0PZLXLUgzZuxEbw78fwlasGzRLDhrTjPJJcL14KX82vJ5qfJijQHNC6EHGf64bFtOaYKAEQKcSek5FR55Iz2rsyduW98Qfjt9MBDsLC"`,
			},
			FalsePositives: []string{
				`checksum: eaac4cf978b6fbd480f1092cab8b233c9b949bcabfc9b598dd79a758f7243c28765ef7639c876fa72940dac687181b35486ea01ff7d`,
				`FACEBOOK_PAGE_TOKEN=EAAGjCoeMHKaj3bOOX8EDA4eDO1uzWWtiB4Zql7LasoF`,
				`FACEBOOK_PAGE_TOKEN=EAAGxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
			},
		},
		{
			ID:          "facebook-app-access-token",
			Provider:    "Meta (Facebook)",
			Description: "Meta app access token (<app ID>|<app secret or token>) next to a Facebook keyword. Format: https://developers.facebook.com/docs/facebook-login/guides/access-tokens#apptokens",
			Keywords:    []string{"facebook", "graph.facebook.com", "fb_"},
			Pattern:     `(?:^|[^0-9A-Za-z|])([0-9]{15,16}\|[A-Za-z0-9_-]{27,32})(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: facebook,
			TruePositives: []string{
				`FACEBOOK_APP_TOKEN=9919930247263189|dAgmnl0fskZjqplHKzQZ6i5p5Ex`,
				`{"facebook access_token":"286396170583677|3BvumTdJNB_osA2R3G7mHCIZ-A9","token_type":"bearer"}`,
				`requests.get("https://graph.facebook.com/debug_token", params={"access_token": "8896383303492624|31fe06b0894622c74f580a6ecd25de46"})`,
			},
			FalsePositives: []string{
				`FACEBOOK_APP_TOKEN=4644245340198891|your-app-secret`,
				`FACEBOOK_APP_TOKEN={app-id}|{app-secret}`,
				`FACEBOOK_APP_TOKEN=8813881899062981|Z1_wO326ag9A`,
			},
		},
		{
			ID:            "facebook-app-secret",
			Provider:      "Meta (Facebook)",
			Description:   "Meta app secret or client token (32 hex) assigned to a Facebook secret/token name. Format: https://developers.facebook.com/docs/facebook-login/security#appsecret",
			Keywords:      []string{"facebook", "fb_app_secret", "fb_secret"},
			KeywordWindow: 1,
			Pattern:       assignedOrAlone(`facebook[A-Za-z0-9_.-]{0,20}?(?:secret|token|key)|fb_(?:app_)?secret`, `[a-f0-9]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   facebook,
			TruePositives: []string{
				`FACEBOOK_APP_SECRET=1040456a858137e4bdef9d8a054c317c`,
				`facebook_app_secret = "62e36bde523edb62f526212cca2a392c"`,
				`"facebookClientSecret": "fd1aa5e4db91ed183a2d3c3fc088bad4"`,
			},
			FalsePositives: []string{
				`FACEBOOK_APP_SECRET=your_app_secret`,
				`FACEBOOK_APP_SECRET=8e6def379d3cfe337192`,
				`FACEBOOK_APP_ID=9595954101073176`,
			},
		},
	}
}

// twitterRules returns the rules for X (Twitter).
func twitterRules() []Rule {
	twitter := Remediation{
		What:          "An X (Twitter) app-only bearer token: it reads public data and calls the API on the app's rate limits and quota.",
		RevokeURL:     "https://developer.x.com/en/portal/dashboard",
		Revoke:        "In the developer portal open the project → app → Keys and tokens and regenerate the bearer token (or invalidate it with the API).",
		RevokeCommand: `curl -X POST https://api.x.com/oauth2/invalidate_token -u "<API_KEY>:<API_SECRET>" -d "access_token=<BEARER_TOKEN>"`,
		Rotate:        "Store the new bearer token in your secret manager and redeploy.",
		Misuse:        "Check the app's usage in the developer portal for quota you did not consume.",
		DocsURL:       "https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/bearer-tokens",
	}

	return []Rule{
		{
			ID:          "twitter-bearer-token",
			Provider:    "X (Twitter)",
			Description: "X (Twitter) app-only OAuth 2.0 bearer token (a run of leading A's + URL-encoded base64) next to a Twitter/X or bearer keyword. Format: https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/bearer-tokens",
			Keywords:    []string{"twitter", "bearer", "x_api", "tweepy"},
			Pattern:     `(?:^|[^A-Za-z0-9%])(A{20}[A-Za-z0-9%]{60,160})(?:[^A-Za-z0-9%]|$)`,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{HasMixedCase, HasLetterAndDigit},
			Exempt:      DecoyRepeated,
			Confidence:  Medium,
			Remediation: twitter,
			TruePositives: []string{
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAANk3Z5TWneK%2FvRCtT9Rst223KFIVPjC4%3D57oTIyYhw8MD5n0AOoHnWQLtQlttGiOK48b68xA3FPc36KruAS`,
				`client = tweepy.Client(bearer_token="AAAAAAAAAAAAAAAAAAAAArM7HsQHt%2BldU54LNabEgU1w9GOt79vt65FhYU1NLRgXvdHCp324e5Kh8SaclNSSIYtlx1b8vCItSQxp")`,
				`headers = {"Authorization": "Bearer AAAAAAAAAAAAAAAAAAAAArycjOGkdquyNWjWCNUKHQu6Sq8DApYWDh28qiyFTAUvKb91Q8HO3PZUOqOj9APduvWvRVyjT3s3nD8mcH7xgIlJuXc"}`,
			},
			FalsePositives: []string{
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAjugBxnw63Gkz7t5bQo0F`,
				`TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAyour_bearer_token_goes_here_please_replace_it_with_the_real_one`,
			},
		},
	}
}

// intercomRules returns the rules for Intercom.
func intercomRules() []Rule {
	intercom := Remediation{
		What:          "An Intercom access token: it reads and writes the workspace's contacts, conversations and companies within the app's permissions.",
		RevokeURL:     "https://app.intercom.com/a/apps/_/developer-hub",
		Revoke:        "Open the Developer Hub → your app → Configure → Authentication and regenerate the access token.",
		RevokeCommand: "",
		Rotate:        "Store the new token in your secret manager and redeploy.",
		Misuse:        "Check contacts and conversations for exports or changes, and the workspace's Teammate activity log.",
		DocsURL:       "https://developers.intercom.com/docs/build-an-integration/learn-more/authentication",
	}

	return []Rule{
		{
			ID:          "intercom-access-token",
			Provider:    "Intercom",
			Description: "Intercom access token (base64 of \"tok:…\", so it starts dG9rO). Format: https://developers.intercom.com/docs/build-an-integration/learn-more/authentication",
			Keywords:    []string{"dg9ro"},
			Pattern:     `(?:^|[^A-Za-z0-9_+/])(dG9rO[A-Za-z0-9+/_-]{40,120}={0,2})(?:[^A-Za-z0-9+/=_-]|$)`,
			Group:       1,
			Validators:  []Validator{saasIntercomToken},
			Confidence:  High,
			Remediation: intercom,
			TruePositives: []string{
				`INTERCOM_ACCESS_TOKEN=dG9rOmQxMTU4ZTYwXzUyYThfNDhkN19iYmViXzc5YjM2Zjk5YWQ1NjoxOjA=`,
				`intercom = Intercom::Client.new(token: 'dG9rOjAzYTcyNmQ3XzJlMmFfNGEwM185OWIxXzFiNjc1NmYyYzVlZToxOjA=')`,
				`"intercomToken": "dG9rOjQxODBkMzEwXzc4OGZfNGZlN19iZTY0X2FmODkwNzEyNmQ0ZToxOjA="`,
			},
			FalsePositives: []string{
				`INTERCOM_ACCESS_TOKEN=dG9rOnlvdXItdG9rZW4taGVyZQ==`,
				`INTERCOM_ACCESS_TOKEN=dG9rOXGdq6xezb14evPyTK7m5iIWPcp49FQ8ylctdJBx4uuMqpp0StrYHPRKMEJ4m`,
				`INTERCOM_ACCESS_TOKEN=your-intercom-token`,
			},
		},
	}
}

// contentfulRules returns the rules for Contentful.
func contentfulRules() []Rule {
	contentful := Remediation{
		What:          "A Contentful personal access token (CFPAT-): it calls the Content Management API as the user — creates, publishes and deletes content in every space they can access.",
		RevokeURL:     "https://app.contentful.com/account/profile/cma_tokens",
		Revoke:        "Open Account settings → CMA tokens and revoke the token.",
		RevokeCommand: `curl -X PUT https://api.contentful.com/users/me/access_tokens/<TOKEN_ID>/revoked -H "Authorization: Bearer <OTHER_CMA_TOKEN>"`,
		Rotate:        "Create a new token (prefer an expiring one), store it in your secret manager, redeploy.",
		Misuse:        "Check entries' version history and, on Enterprise, the audit logs for changes you did not make.",
		DocsURL:       "https://www.contentful.com/developers/docs/references/authentication/",
	}

	return []Rule{
		{
			ID:          "contentful-personal-access-token",
			Provider:    "Contentful",
			Description: "Contentful personal access token for the Content Management API (CFPAT- + 43 characters). Format: https://www.contentful.com/developers/docs/references/authentication/#the-content-management-api",
			Keywords:    []string{"cfpat-"},
			Pattern:     uniqueToken(`CFPAT-[A-Za-z0-9_-]{43}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: contentful,
			TruePositives: []string{
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-OHHDNZodRABz3zPBQe8d3dUh1NyZfZNXUzcgu45dvBe`,
				`contentful space list --management-token CFPAT-ZLfqwb7SpNCJISOZMS37cpDZhmsoj4PWLcJrhSYtfAJ`,
				`"managementToken": "CFPAT-kwrpKp4_CLIv5Uo1mVMXXbJi0T4pIuCgHzV063Tj4OG"`,
			},
			FalsePositives: []string{
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-your-management-token`,
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-wiARVhuEdW45KP2li2K9`,
				`CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
			},
		},
	}
}

// zendeskRules returns the rules for Zendesk.
func zendeskRules() []Rule {
	zendesk := Remediation{
		What:          "A Zendesk API token: with any agent's email it calls the Zendesk API as that user — tickets, users and account settings.",
		RevokeURL:     "https://support.zendesk.com/hc/en-us/articles/4408889192858",
		Revoke:        "In Admin Center open Apps and integrations → APIs → Zendesk API → Settings and delete the token.",
		RevokeCommand: `curl -X DELETE https://<SUBDOMAIN>.zendesk.com/api/v2/api_tokens/<TOKEN_ID> -u <EMAIL>/token:<OTHER_API_TOKEN>`,
		Rotate:        "Create a new token, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check Admin Center → Account → Audit log for changes and exports made through the API.",
		DocsURL:       "https://developer.zendesk.com/api-reference/introduction/security-and-auth/",
	}

	return []Rule{
		{
			ID:            "zendesk-api-token",
			Provider:      "Zendesk",
			Description:   "Zendesk API token (40 characters) assigned to a Zendesk name. Format: https://developer.zendesk.com/api-reference/introduction/security-and-auth/",
			Keywords:      []string{"zendesk"},
			KeywordWindow: 1,
			Pattern:       assignedOrAlone(`zendesk[A-Za-z0-9_.-]{0,25}?(?:token|key|secret)`, `[A-Za-z0-9]{40}`),
			Group:         1,
			MinEntropy:    3.5,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   zendesk,
			TruePositives: []string{
				`ZENDESK_API_TOKEN=0KvgfBsBPbVTk9grsuA7WqR6igxwWPtsFfrhhSkF`,
				`"zendeskToken": "TgfbTofaAIWG0r1ujkfI9d6MzveFrFGXeGF43zOL"`,
				`zendesk_api_token: 'vww3o48zwwepj4jcbr1hh1mt1bwnnnfh1rj417yq'`,
			},
			FalsePositives: []string{
				`ZENDESK_API_TOKEN=your_zendesk_api_token`,
				`ZENDESK_API_TOKEN=sAYeTfIZbmY46hAXSvof`,
				`ZENDESK_SUBDOMAIN=l7abkjjky8b60bpi5rvzfvckclz7k6bab2i6n1qt`,
			},
		},
	}
}

// maxMindRules returns the rules for MaxMind.
func maxMindRules() []Rule {
	maxmind := Remediation{
		What:          "A MaxMind license key: it downloads GeoIP databases and queries the GeoIP/minFraud web services billed to the account.",
		RevokeURL:     "https://www.maxmind.com/en/accounts/current/license-key",
		Revoke:        "Open Account → Manage License Keys and deactivate the key.",
		RevokeCommand: "",
		Rotate:        "Generate a new license key, update GeoIP.conf / your secret store, redeploy.",
		Misuse:        "Check the account's download history and web service usage for requests you did not make.",
		DocsURL:       "https://dev.maxmind.com/geoip/updating-databases",
	}

	return []Rule{
		{
			ID:          "maxmind-license-key",
			Provider:    "MaxMind",
			Description: "MaxMind license key in the current format (6 + _ + 29 characters + _mmk). Format: https://dev.maxmind.com/license-key-format",
			Keywords:    []string{"_mmk"},
			Pattern:     uniqueToken(`[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: maxmind,
			TruePositives: []string{
				`MAXMIND_LICENSE_KEY=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`,
				`LicenseKey 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`,
				`"maxmindToken": "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"`,
			},
			FalsePositives: []string{
				`MAXMIND_LICENSE_KEY=XXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXX_mmk`,
				`MAXMIND_LICENSE_KEY=dAe6zk_3mRgINXwxSNz_mmk`,
				`MAXMIND_LICENSE_KEY=your_license_key_mmk`,
			},
		},
	}
}

// twitchRules returns the rules for Twitch.
func twitchRules() []Rule {
	twitch := Remediation{
		What:          "A Twitch OAuth access token or client secret: it calls the Twitch API for the user or app that owns it.",
		RevokeURL:     "https://dev.twitch.tv/console/apps",
		Revoke:        "Revoke access tokens with the OAuth revoke endpoint; for a client secret open the app in the developer console → Manage → New Secret.",
		RevokeCommand: `curl -X POST https://id.twitch.tv/oauth2/revoke -d "client_id=<CLIENT_ID>&token=<TOKEN>"`,
		Rotate:        "Obtain a new token (or deploy the new secret) and store it in your secret manager.",
		Misuse:        "Check the channel's activity and moderation logs for actions you did not take.",
		DocsURL:       "https://dev.twitch.tv/docs/authentication/",
	}

	return []Rule{
		{
			ID:            "twitch-oauth-token",
			Provider:      "Twitch",
			Description:   "Twitch OAuth access token or client secret (30 lowercase characters) assigned to a Twitch name. Format: https://dev.twitch.tv/docs/authentication/",
			Keywords:      []string{"twitch"},
			KeywordWindow: 1,
			Pattern:       assignedOrAlone(`twitch[A-Za-z0-9_.-]{0,25}?(?:token|secret|key)`, `(?:oauth:)?[a-z0-9]{30}`),
			Group:         1,
			MinEntropy:    3.3,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   twitch,
			TruePositives: []string{
				`TWITCH_CLIENT_SECRET=20jv4x08xjqv2lclotf1e0tb97cmdz`,
				`"twitchToken": "0xsu61jge1u8phvdfi9o8deas8gc34"`,
				`twitch_oauth_token: oauth:xrvzslkv1hwi7dvsvmrlrab4rej9ad`,
			},
			FalsePositives: []string{
				`TWITCH_CLIENT_SECRET=your_twitch_client_secret`,
				`TWITCH_CLIENT_SECRET=kkoggpx6keto4gcyfg3j`,
				`TWITCH_CLIENT_ID=n3u1krcoer8tjq2lm9afpb39pbmq4j`,
			},
		},
	}
}

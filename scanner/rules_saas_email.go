package scanner

// twilioRules returns the rules for Twilio.
func twilioRules() []Rule {
	twilioKey := Remediation{
		What:          "A Twilio API key (SK…) and its secret: together they call the Twilio REST API for the account — send SMS and calls billed to it, read message logs and recordings.",
		RevokeURL:     "https://console.twilio.com/us1/account/keys-credentials/api-keys",
		Revoke:        "Delete the API key in Console → Account → API keys & tokens; the key and its secret stop working immediately.",
		RevokeCommand: `curl -X DELETE https://api.twilio.com/2010-04-01/Accounts/<ACCOUNT_SID>/Keys/<KEY_SID>.json -u <ACCOUNT_SID>:<AUTH_TOKEN>`,
		Rotate:        "Create a new API key (standard, not main, unless needed), store SID and secret in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check Monitor → Logs (Messaging, Calls, Errors) and Usage in the Twilio Console for traffic and spend you do not recognise.",
		DocsURL:       "https://www.twilio.com/docs/iam/api-keys",
	}
	twilioAuth := twilioKey
	twilioAuth.What = "A Twilio account auth token: with the Account SID it has full control of the account — messaging, voice, numbers, sub-accounts and API keys."
	twilioAuth.RevokeURL = "https://console.twilio.com/us1/account/keys-credentials/api-keys"
	twilioAuth.Revoke = "In Console → Account → API keys & tokens → Auth tokens, request a secondary auth token and promote it to primary; the old primary is invalidated."
	twilioAuth.RevokeCommand = `curl -X POST https://accounts.twilio.com/v1/AuthTokens/Secondary -u <ACCOUNT_SID>:<AUTH_TOKEN> && curl -X POST https://accounts.twilio.com/v1/AuthTokens/Promote -u <ACCOUNT_SID>:<AUTH_TOKEN>`
	twilioAuth.Rotate = "Deploy the promoted token, and prefer API keys over the auth token in applications."
	twilioAuth.DocsURL = "https://www.twilio.com/docs/iam/api/authtoken"

	return []Rule{
		{
			ID:            "twilio-api-key",
			Provider:      "Twilio",
			Description:   "Twilio API key SID (SK + 32 hex) near a Twilio keyword; the key's secret is usually next to it. Format: https://www.twilio.com/docs/iam/api-keys",
			Keywords:      []string{"twilio"},
			KeywordWindow: 3,
			Pattern:       uniqueToken(`SK[0-9a-f]{32}`, b64TokenChars),
			Group:         1,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   twilioKey,
			TruePositives: []string{
				`TWILIO_API_KEY=SK270f5222920e1d7faad99d5f4c243e96`,
				`"twilioApiKey": "SK8cdc050b4492ad90b6416c459b0928c4"`,
				`from twilio.rest import Client` + "\n" + `client = Client("SK04a7f575d0e58affdcdcefeb15a938ba", api_secret, account_sid)`,
			},
			FalsePositives: []string{
				`TWILIO_API_KEY=SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`TWILIO_API_KEY=SK405408f32d847185d796`,
				`build_id = "SK28981108e36f45a39635c851c8cb3534"`,
			},
		},
		{
			ID:            "twilio-auth-token",
			Provider:      "Twilio",
			Description:   "Twilio account auth token (32 hex) assigned to an auth-token name near a Twilio keyword. Format: https://www.twilio.com/docs/iam/api/authtoken",
			Keywords:      []string{"twilio"},
			KeywordWindow: 3,
			Pattern:       assigned(`auth[_.-]?token|twilio[A-Za-z0-9_.-]{0,20}?(?:token|secret)`, `[0-9a-f]{32}`),
			Group:         1,
			MinEntropy:    3.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   twilioAuth,
			TruePositives: []string{
				`TWILIO_AUTH_TOKEN=46a8ec66bf59085311e4b81ca6931087`,
				`account_sid = "ACa8565f514366a2563a972334912017f7"` + "\n" + `auth_token = "b855fe5f749499dd81a7003c26a6f546"` + "\n" + `client = twilio.rest.Client(account_sid, auth_token)`,
				`twilio:` + "\n" + `  authToken: "4b013f0a629fb9ae3d12806014c8ee2a"`,
			},
			FalsePositives: []string{
				`TWILIO_AUTH_TOKEN=your_auth_token`,
				`TWILIO_AUTH_TOKEN=3e82da34b66d60e699d6`,
				`auth_token = "d131cd44227380fbd028251ddc111a21"  # unrelated service`,
			},
		},
	}
}

// sendgridRules returns the rules for SendGrid.
func sendgridRules() []Rule {
	sendgrid := Remediation{
		What:          "A Twilio SendGrid API key: it sends mail from your verified domains and, depending on its scopes, reads contacts, stats and settings.",
		RevokeURL:     "https://app.sendgrid.com/settings/api_keys",
		Revoke:        "Open Settings → API Keys and delete the key (SendGrid also revokes keys it finds on public GitHub).",
		RevokeCommand: `curl -X DELETE https://api.sendgrid.com/v3/api_keys/<API_KEY_ID> -H "Authorization: Bearer <ADMIN_API_KEY>"`,
		Rotate:        "Create a restricted key with only Mail Send (or what is needed), store it in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check Activity Feed (https://app.sendgrid.com/email_activity) and Stats for mail you did not send, and sender authentication / subuser settings for changes.",
		DocsURL:       "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
	}

	return []Rule{
		{
			ID:          "sendgrid-api-key",
			Provider:    "SendGrid",
			Description: "Twilio SendGrid API key (SG.<22-char key ID>.<43-char secret>). Format: https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
			Keywords:    []string{"sg."},
			Pattern:     uniqueToken(`SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: sendgrid,
			TruePositives: []string{
				`SENDGRID_API_KEY=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`,
				`sg = SendGridAPIClient("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")`,
				`sendgrid: { apiKey: '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' }`,
			},
			FalsePositives: []string{
				`SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SENDGRID_API_KEY=SG.ZdS9F2oGf9lae_MPPekY1c`,
				`SENDGRID_API_KEY=SG.your-api-key`,
			},
		},
	}
}

// mailgunRules returns the rules for Mailgun.
func mailgunRules() []Rule {
	mailgun := Remediation{
		What:          "A Mailgun private API key: it sends mail from every domain of the account and manages domains, routes, webhooks and suppression lists.",
		RevokeURL:     "https://app.mailgun.com/settings/api_security",
		Revoke:        "Open Settings → API Security (API keys), and delete or disable the key; revoked keys may keep working for a short grace period.",
		RevokeCommand: `curl -s --user 'api:<OTHER_API_KEY>' -X DELETE https://api.mailgun.net/v1/keys/<KEY_ID>`,
		Rotate:        "Create a new key (domain sending keys where only sending is needed), store it in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check Sending → Logs for messages you did not send and the domains' routes and webhooks for changes.",
		DocsURL:       "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication",
	}

	return []Rule{
		{
			ID:            "mailgun-api-key",
			Provider:      "Mailgun",
			Description:   "Mailgun private API key in the original key-<32 hex> form, near a Mailgun keyword. Format: https://documentation.mailgun.com/docs/mailgun/api-reference/authentication",
			Keywords:      []string{"mailgun"},
			KeywordWindow: 3,
			Pattern:       uniqueToken(`key-[0-9a-f]{32}`, b64TokenChars),
			Group:         1,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   mailgun,
			TruePositives: []string{
				`MAILGUN_API_KEY=key-f7a6ee1f04be8d51aa70321af6cf739d`,
				`"mailgunToken": "key-f56a43d30c6ca78c49de23a3a18160df"`,
				`mailgun:` + "\n" + `  api_key: key-91cf4849787166a90287ba0f3e1bb901`,
			},
			FalsePositives: []string{
				`MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`MAILGUN_API_KEY=key-d630a893041fe3197c78`,
				`cache-key-d0ecf0fc7dff3c3b59ad4f02a9eae9b4`,
			},
		},
		{
			ID:            "mailgun-private-key",
			Provider:      "Mailgun",
			Description:   "Mailgun API key in the current <32 hex>-<8 hex>-<8 hex> form, near a Mailgun keyword. Format: https://documentation.mailgun.com/docs/mailgun/user-manual/api-key-mgmt/rbac-mgmt",
			Keywords:      []string{"mailgun"},
			KeywordWindow: 3,
			Pattern:       uniqueToken(`[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}`, b64TokenChars),
			Group:         1,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   mailgun,
			TruePositives: []string{
				`MAILGUN_API_KEY=b958134ae509ba8c17b59f9c0a0ea744-08147eb5-5def5b51`,
				`mg = Mailgun(api_key="102d1ef1dea5707d7d05158b3a07e692-3b81ed8e-314ddf24")  # mailgun`,
				`"mailgunKey": "09061cc87c26c7e3469ca71c88506964-4a079d5c-3cd2ad88"`,
			},
			FalsePositives: []string{
				`MAILGUN_API_KEY=your-mailgun-api-key`,
				`MAILGUN_API_KEY=403f1bd50f8f4dff47d56eaf8de1b8c5-9be24551`,
				`request_id = "c9e99e81df17c731171939b64dfebfc5-8be5f84c-648bdf1a"`,
			},
		},
	}
}

// mailchimpRules returns the rules for Mailchimp.
func mailchimpRules() []Rule {
	mailchimp := Remediation{
		What:          "A Mailchimp Marketing API key: it reads and changes audiences (subscriber personal data), campaigns and account settings.",
		RevokeURL:     "https://us1.admin.mailchimp.com/account/api/",
		Revoke:        "Log in, open Profile → Extras → API keys (the admin URL redirects to your data center) and disable or delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check audience activity and exports, campaign reports and the account's recent activity for list exports or campaigns you did not make.",
		DocsURL:       "https://mailchimp.com/developer/marketing/guides/quick-start/",
	}

	return []Rule{
		{
			ID:          "mailchimp-api-key",
			Provider:    "Mailchimp",
			Description: "Mailchimp Marketing API key (32 hex + -us<data center>). Format: https://mailchimp.com/developer/marketing/guides/quick-start/",
			Keywords:    []string{"-us"},
			Pattern:     `(?:^|[^A-Za-z0-9_])([0-9a-f]{32}-us[0-9]{1,2})(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: mailchimp,
			TruePositives: []string{
				`MAILCHIMP_API_KEY=57fb46388cb963aacd9943a17054d6ff-us21`,
				`mailchimp.setConfig({ apiKey: "951a9b52868fe8883e5184e0577762da-us6", server: "us6" });`,
				`mc_api_key: 409c00b15ebb5ba9c9596f9c441a7ae4-us14`,
			},
			FalsePositives: []string{
				`MAILCHIMP_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-us21`,
				`MAILCHIMP_API_KEY=0a93afde5185fa46588c1a62-us21`,
				`MAILCHIMP_API_KEY=your_api_key-us21`,
			},
		},
	}
}

// postmarkRules returns the rules for Postmark.
func postmarkRules() []Rule {
	postmark := Remediation{
		What:          "A Postmark server or account API token: a server token sends mail and reads that server's messages and bounces; an account token manages all servers, domains and sender signatures.",
		RevokeURL:     "https://account.postmarkapp.com/servers",
		Revoke:        "Open the server → API Tokens and regenerate (or delete) the token; account tokens are under Account → API Tokens.",
		RevokeCommand: "",
		Rotate:        "Add a new token, store it in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the server's message streams → Activity for mail you did not send, and Account → Sender signatures / Domains for changes.",
		DocsURL:       "https://postmarkapp.com/developer/api/overview#authentication",
	}

	return []Rule{
		{
			ID:            "postmark-api-token",
			Provider:      "Postmark",
			Description:   "Postmark server or account API token (a UUID) assigned near a Postmark keyword or in an X-Postmark-*-Token header. Format: https://postmarkapp.com/developer/api/overview#authentication",
			Keywords:      []string{"postmark"},
			KeywordWindow: 2,
			Pattern:       assigned(`x-postmark-(?:server|account)-token|postmark[A-Za-z0-9_.-]{0,25}?(?:token|key)|server[_-]?token|account[_-]?token|postmark_?client|postmarkclient`, `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`),
			Group:         1,
			Exempt:        DecoyUUID,
			MinEntropy:    3.0,
			Confidence:    Medium,
			Remediation:   postmark,
			TruePositives: []string{
				`POSTMARK_SERVER_TOKEN=1581d164-c69b-406d-9479-7f88c93fc00b`,
				`curl https://api.postmarkapp.com/email -H "X-Postmark-Server-Token: d0296f7e-28a3-451e-9111-acb2d52a7b8e"`,
				`client = PostmarkClient("adc9ba75-7354-40b5-83fb-9055e9407b3f")`,
			},
			FalsePositives: []string{
				`POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000`,
				`POSTMARK_SERVER_TOKEN=your-server-token`,
				`POSTMARK_MESSAGE_ID: 06ba24ec-68f0-47a4-a910-2a0e74efb0b5`,
				`request_token = "431d98d9-ad00-49a7-9b5b-4a7f04996267"`,
			},
		},
	}
}

// brevoRules returns the rules for Brevo (Sendinblue).
func brevoRules() []Rule {
	brevo := Remediation{
		What:          "A Brevo (Sendinblue) API or SMTP key: it sends transactional and marketing mail and reads and changes contacts.",
		RevokeURL:     "https://app.brevo.com/settings/keys/api",
		Revoke:        "Open SMTP & API → API keys (or SMTP keys) and delete the key.",
		RevokeCommand: "",
		Rotate:        "Generate a new key, store it in your secret manager, redeploy, then delete the old one; restrict the account's authorised IPs.",
		Misuse:        "Check Transactional → Logs and campaign reports for mail you did not send, and Contacts for exports.",
		DocsURL:       "https://developers.brevo.com/docs/getting-started",
	}

	return []Rule{
		{
			ID:          "brevo-api-key",
			Provider:    "Brevo (Sendinblue)",
			Description: "Brevo (formerly Sendinblue) API key (xkeysib-) or SMTP key (xsmtpsib-): 64 hex + - + 16 characters. Format: https://developers.brevo.com/docs/getting-started",
			Keywords:    []string{"xkeysib-", "xsmtpsib-"},
			Pattern:     uniqueToken(`x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: brevo,
			TruePositives: []string{
				`BREVO_API_KEY=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`,
				`"sendinblueToken": "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"`,
				`smtp_password: xsmtpsib-1a0ecc94bdf05d44d8807ebdc2cff8305848e11035d1821f6def357f8e3b96d0-tiDsYvZ7q1DvOmYU`,
			},
			FalsePositives: []string{
				`BREVO_API_KEY=xkeysib-your-api-key`,
				`BREVO_API_KEY=xkeysib-68961895151f36a4858e426493c7e937-g7W7gYjFW1S8X0Fw`,
				`BREVO_API_KEY=xkeysib-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx`,
			},
		},
	}
}

// mailjetRules returns the rules for Mailjet.
func mailjetRules() []Rule {
	mailjet := Remediation{
		What:          "A Mailjet API secret key: with the API key it sends mail and manages contacts and settings of the account.",
		RevokeURL:     "https://app.mailjet.com/account/apikeys",
		Revoke:        "Open Account settings → API Key Management and regenerate the secret key (or delete the sub-account key).",
		RevokeCommand: "",
		Rotate:        "Store the new secret key in your secret manager and redeploy.",
		Misuse:        "Check Statistics and message history for mail you did not send.",
		DocsURL:       "https://dev.mailjet.com/email/guides/#authentication",
	}

	return []Rule{
		{
			ID:          "mailjet-secret-key",
			Provider:    "Mailjet",
			Description: "Mailjet API secret key (32 hex) assigned to a Mailjet secret name. Format: https://dev.mailjet.com/email/guides/#authentication",
			Keywords:    []string{"mailjet", "mj_apikey_private"},
			Pattern:     assigned(`mailjet[A-Za-z0-9_.-]{0,25}?(?:secret|private)|mj_apikey_private`, `[a-f0-9]{32}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: mailjet,
			TruePositives: []string{
				`MAILJET_SECRET_KEY=ac760f188cd285423a2b4d83facfdcb0`,
				`MJ_APIKEY_PRIVATE='2aff61c2be6b9ead59eabbad75231b69'`,
				`"mailjetApiSecret": "160313d6e52b9d031d8d45693aa03eff"`,
			},
			FalsePositives: []string{
				`MAILJET_SECRET_KEY=your_mailjet_secret`,
				`MAILJET_SECRET_KEY=e2d35aea186c5317f416`,
				`MAILJET_API_KEY=d9b0e53406c3d67c8cdbd9e2b953b4c5`,
			},
		},
	}
}

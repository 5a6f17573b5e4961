package scanner

// slackRules returns the rules for Slack.
func slackRules() []Rule {
	slackToken := Remediation{
		What:          "A Slack OAuth token: it calls the Slack Web API as the bot or user that installed the app, with the app's scopes (read channels and DMs, post messages, manage files).",
		RevokeURL:     "https://api.slack.com/apps",
		Revoke:        "Call auth.revoke with the leaked token (it revokes itself), or open the app at api.slack.com/apps → OAuth & Permissions → Revoke Tokens / reinstall. Workspace admins can also remove the app under Settings & administration → Manage apps.",
		RevokeCommand: `curl -X POST https://slack.com/api/auth.revoke -H "Authorization: Bearer <TOKEN>"`,
		Rotate:        "Enable token rotation or reinstall the app to issue a new token, store it in your secret manager, redeploy, and confirm the old token returns invalid_auth from auth.test.",
		Misuse:        "Review the workspace access logs (https://slack.com/admin/logs or Enterprise Grid Audit Logs API) and the app's activity for API calls, messages and file downloads you did not make.",
		DocsURL:       "https://api.slack.com/authentication/token-types",
	}
	slackApp := slackToken
	slackApp.What = "A Slack app-level token (xapp-): it opens Socket Mode connections and calls apps.* APIs for the app across every workspace it is installed in."
	slackApp.Revoke = "Open the app at api.slack.com/apps → Basic Information → App-Level Tokens and revoke the token (or call auth.revoke with it)."
	slackConfig := slackToken
	slackConfig.What = "A Slack app configuration access token (xoxe.xoxp-/xoxe.xoxb-): it creates, updates and deletes app manifests for the issuing user's workspace through the apps.manifest.* API."
	slackConfig.Revoke = "Open api.slack.com/apps → Your App Configuration Tokens and revoke the workspace's token pair, or call auth.revoke with the access token."
	slackConfig.Rotate = "Generate a new configuration token pair on the same page only when a tool needs it; access tokens expire after 12 hours and are renewed with tooling.tokens.rotate using the refresh token."
	slackConfig.Misuse = "Check your apps' manifests and Collaborators at api.slack.com/apps for changes you did not make (redirect URLs, scopes, event URLs), and the workspace access logs."
	slackConfig.DocsURL = "https://api.slack.com/authentication/config-tokens"
	slackRefresh := slackConfig
	slackRefresh.What = "A Slack app configuration refresh token (xoxe-): it mints new configuration access tokens that manage the user's app manifests."
	slackRefresh.Revoke = "Open api.slack.com/apps → Your App Configuration Tokens and revoke the token pair for the workspace; the refresh token stops working with it."
	slackRefresh.RevokeCommand = ""
	slackLegacy := slackToken
	slackLegacy.What = "A legacy Slack token (xoxs-/xoxo- user session or legacy test token, xoxa-/xoxr- workspace app token): it carries the full permissions of the user or workspace app that created it."
	slackLegacy.RevokeURL = "https://api.slack.com/legacy/custom-integrations/legacy-tokens"
	slackLegacy.Revoke = "Call auth.revoke with the token, or revoke it from the legacy tokens page; for workspace apps, uninstall the app from the workspace."
	slackLegacy.Rotate = "Legacy tokens cannot be created any more: migrate the integration to a Slack app with a bot token and granular scopes."
	slackWebhook := Remediation{
		What:          "A Slack incoming webhook or workflow webhook URL: anyone holding it can post messages into its channel (or start the workflow) as the app.",
		RevokeURL:     "https://api.slack.com/apps",
		Revoke:        "Open the app at api.slack.com/apps → Incoming Webhooks and remove the webhook (for a legacy custom integration, remove it in the workspace's App Directory → Custom Integrations; for Workflow Builder, turn off the workflow or regenerate its webhook trigger).",
		RevokeCommand: "",
		Rotate:        "Add a new webhook to the channel, store its URL as a secret, redeploy, then delete the old one.",
		Misuse:        "Look in the target channel for messages or workflow runs your systems did not send (phishing links are the usual abuse), and in the workspace's integration logs.",
		DocsURL:       "https://api.slack.com/messaging/webhooks",
	}

	return []Rule{
		{
			ID:          "slack-bot-token",
			Provider:    "Slack",
			Description: "Slack bot user OAuth token (xoxb-<team>-<bot>-<secret>). Format: https://api.slack.com/authentication/token-types#bot",
			Keywords:    []string{"xoxb-"},
			Pattern:     uniqueToken(`xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{23,34}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: slackToken,
			TruePositives: []string{
				`export SLACK_BOT_TOKEN=xoxb-834542180930-6351756386735-Vh9gwgIyhMeuwZVNBDBq3d93`,
				`slack_bot_token: "xoxb-8672393908042-5265079759980-2KLeokkqgfaDEv1XfHzPTZYZ"`,
				`client = WebClient(token="xoxb-558274778124-212825755853-9sl8yXgCmGDIifvUU1fwjyuh")`,
			},
			FalsePositives: []string{
				`SLACK_BOT_TOKEN=xoxb-your-bot-token`,
				`token: xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx`,
				`SLACK_BOT_TOKEN=xoxb-293777-282251-yIC07qX5QvzALwcgmSeE0md3`,
				`SLACK_BOT_TOKEN=${SLACK_BOT_TOKEN}`,
			},
		},
		{
			ID:          "slack-legacy-bot-token",
			Provider:    "Slack",
			Description: "Legacy Slack bot token of a classic app or custom bot integration (xoxb-<number>-<secret>). Format: https://api.slack.com/legacy/custom-integrations/bot-users",
			Keywords:    []string{"xoxb-"},
			Pattern:     uniqueToken(`xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,34}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{saasLastSegmentMixed},
			Confidence:  High,
			Remediation: slackLegacy,
			TruePositives: []string{
				`SLACK_TOKEN=xoxb-433568539085-2FSIcqKARYyVHvJ7lP0ygj6I`,
				`"bot_token": "xoxb-18500338386-ZOU8p6AQGDbmuy8el6Bhkiw2"`,
				`bot = SlackClient('xoxb-3169023070-jIKrBZtehi6RaSeerZ0jcS')`,
			},
			FalsePositives: []string{
				`xoxb-Slack_BOT_TOKEN`,
				`token = "xoxb-abcdef-abcdef"`,
				`token = "xoxb-130460729779-abcdefghijklmnopqrstu"`,
				`token = "xoxb-416398222605-15tdiKXvBZOj"`,
			},
		},
		{
			ID:          "slack-user-token",
			Provider:    "Slack",
			Description: "Slack user OAuth token (xoxp-<team>-<user>-<id>-<secret>, and xoxe- file-access variants). Format: https://api.slack.com/authentication/token-types#user",
			Keywords:    []string{"xoxp-", "xoxe-"},
			Pattern:     uniqueToken(`xox[pe]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{28,34}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: slackToken,
			TruePositives: []string{
				`SLACK_USER_TOKEN=xoxp-975153011176-203984056995-4444386640780-9690c209d94ca995badf666941e965e4`,
				`"user_token": "xoxp-94906426480-6869128276-26994408870-bb1b0e7dc3079fefacd8167d6c673495",`,
				`"url_private": "https://files.slack.com/files-pri/T0AB1CD2E-F0AB/a.png?t=xoxe-1428390157858-9419405097849-9099765645755-e3ec983f1ec610c42ab9fe923fbd0092"`,
			},
			FalsePositives: []string{
				`"token": "xoxp-1234567890"`,
				`"token": "xoxp-XXXXXXXXXX-XXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"`,
				`"token": "xoxp-1234-1234-1234-3b4be8ad87b9206fe6b2d7e2c5a7424a"`,
				`"token": "xoxp-808852577341-368396727988-900438918199-################################"`,
			},
		},
		{
			ID:          "slack-app-token",
			Provider:    "Slack",
			Description: "Slack app-level token (xapp-1-<app ID>-<number>-<secret>) used for Socket Mode. Format: https://api.slack.com/authentication/token-types#app-level",
			Keywords:    []string{"xapp-"},
			Pattern:     uniqueToken(`xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[A-Za-z0-9]{64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: slackApp,
			TruePositives: []string{
				`SLACK_APP_TOKEN=xapp-1-A05XKPVPRRZ-3103459187951-659ee032e7b48d00b7dbef6ef11fc6fbebf0e2309651d53bb71b7699d5acc1e5`,
				`app_token: "xapp-1-A08CJPPIPTB-4056540577430-5160b31ae881e949ee59a865376aca0472f19dd186a19e6fa50a6b3710dcb23e"`,
				`app = App(token=bot, app_token="xapp-1-A0I55CLEGYT-2988317753217-dc4fcba9ddcba17cd90bd48d2b772a2e10e8d2410a4ddc1922db8212543635ea")`,
			},
			FalsePositives: []string{
				`SLACK_APP_TOKEN=xapp-1-XXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXX`,
				`SLACK_APP_TOKEN=xapp-your-app-token`,
				`SLACK_APP_TOKEN=xapp-1-A0KV06EBD54-8948695093316-8176a6e8c7132905c17cff19c1f06673`,
			},
		},
		{
			ID:          "slack-config-access-token",
			Provider:    "Slack",
			Description: "Slack app configuration access token (xoxe.xoxp-1-… / xoxe.xoxb-1-…) used with the App Manifest API. Format: https://api.slack.com/authentication/config-tokens",
			Keywords:    []string{"xoxe.xox"},
			Pattern:     uniqueToken(`xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{140,180}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: slackConfig,
			TruePositives: []string{
				`SLACK_CONFIG_TOKEN=xoxe.xoxp-1-AeO2K27kcBCkZheE3Q6sRNIjBpySkACiZ428iZS1ZQdWPknrJNRXgd3Vb7Z9o32OUCQv3eS3OnOn57pi9ue5k7qdIZavu2goyEulf4ZB6kamifYbarYKEoKKPAIjtSUW8yvVapmghWXQYqotgLncvFyFttxAi7e3aEt`,
				`"access_token": "xoxe.xoxp-1-dALuuDQ86T91Fu76mVfdLlJP8ZPNJKrAFy4yExMvyMLcUDTyZgO8mfeYtbaRUizP9nZD8Zs46VK2GvwoLzFXRrM1Rk2HcEw5QbeUkvFwCDlGyuBOOu6BAApEAgDkJw4DbqAQrlPS9saxuGilrEVBFVAM3VUxAeulkuJ",`,
				`config_token: 'xoxe.xoxb-1-O4iMnyZnUgUzgEmrTFDQ6HryJCVklYAwzDtcfWs3XY72tKBXuVffhzwnbsixduAzmXVswe9n6W1xrNUHaeAoKSeDEjuvkdncCQskqqaceIIxmC5LPp4qLnefxH2AkzBXVFoTGDFsMWo5LroxUSLD0ElZUpKhsQgIyKB'`,
			},
			FalsePositives: []string{
				`SLACK_CONFIG_TOKEN=xoxe.xoxp-1-RANDOMSTRINGHERE`,
				`token: xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere`,
				`token: xoxe.xoxp-1-cJZjeGNWjhWBsxumya4PTFAlRsXWuq7dq0hGhFKE`,
			},
		},
		{
			ID:          "slack-config-refresh-token",
			Provider:    "Slack",
			Description: "Slack app configuration refresh token (xoxe-1-…) that mints configuration access tokens. Format: https://api.slack.com/authentication/config-tokens",
			Keywords:    []string{"xoxe-"},
			Pattern:     uniqueToken(`xoxe-[0-9]-[A-Za-z0-9]{130,170}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: slackRefresh,
			TruePositives: []string{
				`SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-fhyxUOmnItHQIa8TDAUZIPAu2m1ahx4VXmqrwZdGA6mVNpi0B46X8C8O7FkcsdP8tGIEKzAbGZme7TOLB3AVSS2vnheVHFujyz70cdybOkpLkLuF4GbwLxafwAyfj9UyM0r4ZDHA1e5WSP8dq6`,
				`"refresh_token": "xoxe-1-ROslgFvrgdEA5YrXC1oUNNqjS1eWbSPJO43Cuhuwx1OMQWMyDh2ikCBEjCjuWhwB0Beikca4NWws95h6NwOy8c90Kf1oOd3mS6JdtFx4SuWR4CsQizfxCszMOsBovkJdyKS0LTbBRznvSzruP4"`,
				`refresh = "xoxe-1-WC7bAserXbyEvDYj80QEdsDCm3RvA7J4quBmapF1Q0rJTau4FVXt69XKJyHxGT8EBKjn0P5t2npxnQtDMyqSNmhFboCVD1x0UMYJz48A4zmGeLmYIJ7tMV6z0M4Hfvh21WGHOtiru02trRwUpq"`,
			},
			FalsePositives: []string{
				`XOxE-RROAmw, Home and Garden, 5:24, 20120323`,
				`refresh_token: xoxe-1-xxx`,
				`refresh_token: xoxe-1-ShoRYgW62ammh1WT3M6TkbzM9rwUXYLFO12hEzO2yo1oqXAJbwbuakuikrqd`,
			},
		},
		{
			ID:          "slack-legacy-workspace-token",
			Provider:    "Slack",
			Description: "Slack workspace app access (xoxa-) or refresh (xoxr-) token of the retired workspace-apps preview. Format: https://api.slack.com/authentication/token-types",
			Keywords:    []string{"xoxa-", "xoxr-"},
			Pattern:     uniqueToken(`xox[ar]-(?:[0-9]-)?[A-Za-z0-9][A-Za-z0-9-]{10,150}[A-Za-z0-9]`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: slackLegacy,
			TruePositives: []string{
				`"access_token": "xoxa-2-482042883757-855166094062-1960412207881-a7a7ba156d2bff7dab0aad32dfe9fb50"`,
				`SLACK_ACCESS_TOKEN=xoxa-gwmgjw2j33rcj0`,
				`"refresh_token": "xoxr-7-xaidt7mdi64jqb"`,
			},
			FalsePositives: []string{
				`https://github.com/xoxa-nyc/xoxa-nyc.github.io/blob/master/README.md`,
				`"access_token": "xoxa-2-511111111-31111111111-3111111111111-e039d02840a0b9379c"`,
				`token = "xoxa-your-token-here"`,
			},
		},
		{
			ID:          "slack-legacy-token",
			Provider:    "Slack",
			Description: "Legacy Slack user session (xoxs-) or legacy test/OAuth (xoxo-) token. Format: https://api.slack.com/legacy/custom-integrations/legacy-tokens",
			Keywords:    []string{"xoxs-", "xoxo-"},
			Pattern:     uniqueToken(`xox[os]-[0-9]{4,14}-[0-9]{4,14}-[0-9]{4,14}-[A-Fa-f0-9]{10,64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  2.8,
			Confidence:  High,
			Remediation: slackLegacy,
			TruePositives: []string{
				`SLACK_TOKEN=xoxs-140298464474-758147436281-9051516912-ae15529e9a`,
				`"access_token": "xoxs-8552429710-9031628826-6380124867-efdb9bd6f38ab368e49e0c6a339f3a7159a53f6586e5ec0707b602d32943bfc8"`,
				`token = 'xoxo-670704-689241-735554-fec7ad3440ee666009'`,
			},
			FalsePositives: []string{
				`https://indieweb.org/images/3/35/2018-250-xoxo-indieweb-1.jpg`,
				`img: EXO-XOXO-teaser-exo-k-34521098-720-516.jpg`,
				`SLACK_TOKEN=xoxs-your-legacy-token`,
			},
		},
		{
			ID:          "slack-webhook-url",
			Provider:    "Slack",
			Description: "Slack incoming webhook URL (hooks.slack.com/services/T…/B…/<secret>). Format: https://api.slack.com/messaging/webhooks",
			Keywords:    []string{"hooks.slack.com/services/"},
			Pattern:     `(?:https?://)?(hooks\.slack\.com/services/T[A-Z0-9]{6,12}/B[A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})(?:[^A-Za-z0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: slackWebhook,
			TruePositives: []string{
				`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/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`,
				`webhook_url: "https://hooks.slack.com/services/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"`,
				`requests.post("https://hooks.slack.com/services/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", json=msg)`,
			},
			FalsePositives: []string{
				`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
				`url: https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/your-webhook-token`,
				`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/${TEAM}/${HOOK}`,
			},
		},
		{
			ID:          "slack-workflow-webhook-url",
			Provider:    "Slack",
			Description: "Slack Workflow Builder webhook URL (hooks.slack.com/workflows/… or /triggers/…). Format: https://slack.com/help/articles/360041352714",
			Keywords:    []string{"hooks.slack.com/workflows/", "hooks.slack.com/triggers/"},
			Pattern:     `(?:https?://)?(hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{6,12}/(?:A[A-Z0-9]{6,12}/)?[0-9]{8,20}/[A-Za-z0-9]{20,40})(?:[^A-Za-z0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: slackWebhook,
			TruePositives: []string{
				`WORKFLOW_URL=https://hooks.slack.com/workflows/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`,
				`url: "https://hooks.slack.com/triggers/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"`,
				`curl -X POST -d @payload.json https://hooks.slack.com/workflows/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`,
			},
			FalsePositives: []string{
				`url: https://hooks.slack.com/workflows/TXXXXXXXX/AXXXXXXXX/000000000000000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
				`url: https://hooks.slack.com/triggers/your-trigger-url`,
				`url: https://hooks.slack.com/workflows/${SLACK_WORKFLOW}`,
			},
		},
	}
}

// discordRules returns the rules for Discord.
func discordRules() []Rule {
	discordBot := Remediation{
		What:          "A Discord bot token: it logs in as the bot with every permission the bot holds in every server it has joined.",
		RevokeURL:     "https://discord.com/developers/applications",
		Revoke:        "Open the application in the Developer Portal → Bot → Reset Token; the old token stops working at once (Discord also resets tokens it finds in public repositories).",
		RevokeCommand: "",
		Rotate:        "Copy the new token into your secret store and restart the bot; review the bot's intents and permissions while you are there.",
		Misuse:        "Check each server's Server Settings → Audit Log for actions by the bot you did not cause (bans, role changes, webhooks created, mass messages).",
		DocsURL:       "https://discord.com/developers/docs/reference#authentication",
	}
	discordHook := Remediation{
		What:          "A Discord webhook URL (ID and token): anyone holding it can post, edit and delete the webhook's messages in its channel.",
		RevokeURL:     "https://support.discord.com/hc/en-us/articles/228383668-Intro-to-Webhooks",
		Revoke:        "Delete the webhook in Server Settings → Integrations → Webhooks, or with the webhook's own token.",
		RevokeCommand: `curl -X DELETE https://discord.com/api/webhooks/<WEBHOOK_ID>/<WEBHOOK_TOKEN>`,
		Rotate:        "Create a new webhook for the channel, store its URL as a secret, redeploy.",
		Misuse:        "Look in the channel for messages posted through the webhook that you did not send, and in Server Settings → Audit Log for webhook changes.",
		DocsURL:       "https://discord.com/developers/docs/resources/webhook",
	}

	return []Rule{
		{
			ID:          "discord-bot-token",
			Provider:    "Discord",
			Description: "Discord bot token (<base64 bot user ID>.<timestamp>.<HMAC>), recognised next to a Discord keyword and checked to encode a numeric user ID. Format: https://discord.com/developers/docs/reference#authentication",
			Keywords:    []string{"discord", "bot_token", "bot token"},
			Pattern:     uniqueToken(`[MNO][A-Za-z0-9]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{saasDiscordBotToken},
			Confidence:  High,
			Remediation: discordBot,
			TruePositives: []string{
				`DISCORD_TOKEN=MTE5NjU1NjUyMjI2NDUxMTQyOQ.BlaTfs.6nRjqhJ6HnmXXWEiEEzm3cGcB0s`,
				`discord_bot_token: "OTA0NDk0OTM4MzgzOTczNzMy.NGXoGm.iVtVYfx_9noMqMvq_TwDIxrfCOI"`,
				`client.run("NjA0NjY3MDUxMjk1NDM4NTI0.daEv12.65O31zOBg9qgr9XVQ6Ei7CawoNr")  # discord bot`,
			},
			FalsePositives: []string{
				`DISCORD_TOKEN=your-discord-bot-token`,
				`discord: MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.this_is_not_a_real_token_value`,
				`discord_token = "Qm90VG9rZW5IZXJlMTIzNDU2Nzg5.Gh1JkL.bs3PByEsVZkXbaoMym7YKtljHqC2zMMv4jlngx"`,
				`DISCORD_TOKEN=${DISCORD_TOKEN}`,
			},
		},
		{
			ID:          "discord-webhook-url",
			Provider:    "Discord",
			Description: "Discord webhook URL with its token (discord.com/api/webhooks/<id>/<token>). Format: https://discord.com/developers/docs/resources/webhook#execute-webhook",
			Keywords:    []string{"discord.com/api/", "discordapp.com/api/"},
			Pattern:     `(https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v[0-9]{1,2}/)?webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,80})(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: discordHook,
			TruePositives: []string{
				`DISCORD_WEBHOOK=https://discord.com/api/webhooks/393019278783471278/tSU-wXwxSiWiiBCCkUWj2EEdR_BwRtVSeJOMxo92MKD88C953utMlfQtqoCDbzGc4GK5`,
				`webhook_url: "https://discordapp.com/api/webhooks/1115620611359270060/uLRy_WT51fxllRYprcuVvLEZ7J8kojnYppUGmbPqmOHKgELs_6XgF_w_JhSWxn7tRuxt"`,
				`requests.post("https://canary.discord.com/api/v10/webhooks/739079051681953570/5RG294II4ayxI7zgSc6Gr0LuAgV2TyEJ1dxO4XxH5zzD79pBJSv29A-G8G-dJKm2FH70", json=data)`,
			},
			FalsePositives: []string{
				`DISCORD_WEBHOOK=https://discord.com/api/webhooks/000000000000000000/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`DISCORD_WEBHOOK=https://discord.com/api/webhooks/{webhook.id}/{webhook.token}`,
				`url = "https://discord.com/api/webhooks/464964017421835219/duf9rMpCtYKJmOjKTO0D"`,
			},
		},
	}
}

// telegramRules returns the rules for Telegram.
func telegramRules() []Rule {
	telegram := Remediation{
		What:          "A Telegram Bot API token: it controls the bot — reads the messages sent to it, posts as it and changes its webhook.",
		RevokeURL:     "https://t.me/BotFather",
		Revoke:        "Message @BotFather, send /revoke (or /token), pick the bot; the old token stops working and a new one is issued.",
		RevokeCommand: "",
		Rotate:        "Put the new token in your secret store and restart the bot; call setWebhook again if you use webhooks.",
		Misuse:        "Call getWebhookInfo with the new token to check that no unknown webhook URL was set, and review the bot's chats and messages for posts you did not make.",
		DocsURL:       "https://core.telegram.org/bots/api#authorizing-your-bot",
	}

	return []Rule{
		{
			ID:            "telegram-bot-token",
			Provider:      "Telegram",
			Description:   "Telegram Bot API token (<bot id>:<35-character secret>) next to a Telegram or bot keyword. Format: https://core.telegram.org/bots/api#authorizing-your-bot",
			Keywords:      []string{"telegram", "bot"},
			KeywordWindow: 1,
			Pattern:       `(?:^|[^A-Za-z0-9_:-])([0-9]{5,16}:A[A-Za-z0-9_-]{34})(?:[^A-Za-z0-9_-]|$)`,
			Group:         1,
			MinEntropy:    3.5,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   telegram,
			TruePositives: []string{
				`TELEGRAM_BOT_TOKEN=5723596657:AAnAqR-Fz7xdkF0OUERT6K0fOJJcKhduCBB`,
				`bot = telebot.TeleBot("112715968:AAKrkJvKaqP21WcYON45l8dhLNhew_NRXYS")`,
				`telegram:` + "\n" + `  token: "8537522166:AAgG1-zzP2yxd2aTg5VdTFlU3ykwJOXEcBV"`,
			},
			FalsePositives: []string{
				`TELEGRAM_BOT_TOKEN=123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ`,
				`telegram_api_token = "6789:A5n_b3jBx3hkT_u-cRjkNfgIAZ5Itij4Xet"`,
				`telegram_api_token = "2406484032:Az1QIE29YcLQ4WPzhMfKrAA2ZCjKh6UFOmE-some-other-thing"`,
				`<xsd:element name="AgencyIdentificationCode" type="clm61927:AgencyIdentificationCodeContentType"/> <!-- bot -->`,
			},
		},
	}
}

// msTeamsRules returns the rules for Microsoft Teams.
func msTeamsRules() []Rule {
	teams := Remediation{
		What:          "A Microsoft Teams incoming webhook URL: anyone holding it can post messages and cards into the channel.",
		RevokeURL:     "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
		Revoke:        "In Teams open the channel → ⋯ → Manage channel → Connectors (Edit), find Incoming Webhook → Configured and Remove it (for Workflows webhooks, delete the workflow).",
		RevokeCommand: "",
		Rotate:        "Create a new webhook (Workflows, as Office 365 connectors are retired), store its URL as a secret, redeploy.",
		Misuse:        "Look in the channel for posts you did not send, and search the Microsoft Purview audit log for connector activity.",
		DocsURL:       "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
	}

	return []Rule{
		{
			ID:          "msteams-incoming-webhook",
			Provider:    "Microsoft Teams",
			Description: "Microsoft Teams incoming webhook URL (…webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>). Format: https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
			Keywords:    []string{"webhook.office.com", "outlook.office.com/webhook"},
			Pattern:     `(https://(?:[a-z0-9-]+\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}@[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}/IncomingWebhook/[0-9a-zA-Z]{32}/[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}(?:/[A-Za-z0-9_-]{20,80})?)(?:[^A-Za-z0-9_-]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: teams,
			TruePositives: []string{
				`TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/0856efd2-c0ca-4f20-abaf-f6954dc4f344@965ca09b-35da-4bdc-a255-2b923b5bbb3d/IncomingWebhook/086cbcf9b58419ef73756d435e359217/2b468fe3-72e7-44bc-bfee-341fc3d21588`,
				`webhook: "https://outlook.office.com/webhook/86058424-da11-4b59-a3f6-8f1869fa76f7@fa825b12-1aab-470f-af01-6f100dbd8f05/IncomingWebhook/f9302b358355c552b9fc409216e5e985/8253cdcf-a933-4c36-8576-79ffb1db6991"`,
				`requests.post("https://acme.webhook.office.com/webhookb2/31e75349-3dc1-49a8-9743-2dc5b432a1bb@29a1503d-cc6f-433c-93e5-08cdb4b7777d/IncomingWebhook/5cf8d9b99b239d9be50927bdb814c53b/23b2d1b7-322d-4c60-89e9-c6bbb5d496f1/V2Rz53oq9zD4dPYDo2xc65QC9N2Z8HpbQfJheIo-klJjJ", json=card)`,
			},
			FalsePositives: []string{
				`TEAMS_WEBHOOK_URL=https://outlook.office.com/webhook/xxx`,
				`TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/<group-id>@<tenant-id>/IncomingWebhook/<id>/<owner>`,
				`TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/5dd8273c-9ddf-4759-99ff-7e547ae09430@be7e14d0-8e66-4394-94de-ddbb9518dfaf/IncomingWebhook/43d831c9d8e8d854/c7f2071d-2ee9-497a-bde1-a641c4b3731d`,
			},
		},
	}
}

// mattermostRules returns the rules for Mattermost.
func mattermostRules() []Rule {
	mattermost := Remediation{
		What:          "A Mattermost personal access token: it calls the Mattermost API as the user (or bot), with their permissions.",
		RevokeURL:     "https://docs.mattermost.com/developer/personal-access-tokens.html",
		Revoke:        "Profile → Security → Personal Access Tokens → Delete, or System Console → Users → Manage Tokens; from a shell, mmctl.",
		RevokeCommand: `mmctl token revoke <TOKEN_ID>`,
		Rotate:        "Create a new token, store it in your secret manager, redeploy.",
		Misuse:        "Check the server's audit log (System Console → Compliance) and the user's posts and channel memberships.",
		DocsURL:       "https://developers.mattermost.com/integrate/reference/personal-access-token/",
	}

	return []Rule{
		{
			ID:            "mattermost-access-token",
			Provider:      "Mattermost",
			Description:   "Mattermost personal access or bot token (26 lowercase characters) assigned to a Mattermost name. Format: https://developers.mattermost.com/integrate/reference/personal-access-token/",
			Keywords:      []string{"mattermost"},
			KeywordWindow: 1,
			Pattern:       assignedOrAlone(`mattermost[A-Za-z0-9_.-]{0,25}?(?:token|key|secret)`, `[a-z0-9]{26}`),
			Group:         1,
			MinEntropy:    3.3,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   mattermost,
			TruePositives: []string{
				`MATTERMOST_TOKEN=q95sz3wzqko79h8vdj463tgrni`,
				`"mattermostToken": "y1bb6iczy5x1fryghdtu2ybsz0"`,
				`mattermost_bot_token: ik42asnttullw61c240pss8tgz`,
			},
			FalsePositives: []string{
				`MATTERMOST_TOKEN=your_mattermost_token`,
				`MATTERMOST_TOKEN=4sh2h3d50dqila5z`,
				`MATTERMOST_TEAM_ID=sw130cev3jvpfikoxsdsaldc2a`,
			},
		},
	}
}

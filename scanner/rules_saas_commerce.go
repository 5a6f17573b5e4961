package scanner

// stripeRules returns the rules for Stripe.
func stripeRules() []Rule {
	stripe := Remediation{
		What:          "A Stripe live secret or restricted API key: it moves real money — creates charges, refunds and payouts, and reads customer and payment data (restricted keys within their permissions).",
		RevokeURL:     "https://dashboard.stripe.com/apikeys",
		Revoke:        "In the Dashboard open Developers → API keys, click ⋯ next to the key and choose Roll key with expiration \"now\" (restricted keys: Roll key or Delete).",
		RevokeCommand: "",
		Rotate:        "Rolling issues the replacement immediately: put it in your secret manager and redeploy; if you need a grace period, choose a short expiration instead of \"now\".",
		Misuse:        "Check the request logs under Developers → Logs (https://dashboard.stripe.com/logs), filtered by the key, and Payments, Refunds and Payouts for activity you did not initiate.",
		DocsURL:       "https://docs.stripe.com/keys",
	}
	stripeWebhook := Remediation{
		What:          "A Stripe webhook endpoint signing secret (whsec_): with it anyone can forge events that your endpoint will accept as coming from Stripe.",
		RevokeURL:     "https://dashboard.stripe.com/webhooks",
		Revoke:        "Open Developers → Webhooks, select the endpoint and choose Roll secret (expire the old secret now).",
		RevokeCommand: "",
		Rotate:        "Deploy the new signing secret to the endpoint's verifier (Stripe signs with both secrets during the overlap you choose).",
		Misuse:        "Compare the events your endpoint processed with the Events list (https://dashboard.stripe.com/events): events whose IDs Stripe does not know were forged.",
		DocsURL:       "https://docs.stripe.com/webhooks#verify-events",
	}

	return []Rule{
		{
			ID:          "stripe-secret-key",
			Provider:    "Stripe",
			Description: "Stripe live-mode secret API key (sk_live_). Test-mode keys (sk_test_) move no money and are not reported; publishable keys (pk_) are public. Format: https://docs.stripe.com/keys",
			Keywords:    []string{"sk_live_"},
			Pattern:     uniqueToken(`sk_live_[A-Za-z0-9]{24,247}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: stripe,
			TruePositives: []string{
				`export STRIPE_SECRET_KEY=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`,
				`stripe.api_key = "sk_live_fPrFkrFKsB22WHJpTXId4mau"`,
				`"stripeSecret": "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"`,
			},
			FalsePositives: []string{
				`STRIPE_SECRET_KEY=sk_test_519SOBKSa2SrBFdKYGIYlEAsdNdCZMUWQYz6CYYmYtvOSZ1HLWGLf7lymiUNTqlJ8MZylGmp8u6tuwKL6G4Mf7P13XxigeqXNQj`,
				`STRIPE_PUBLISHABLE_KEY=pk_live_51RQKn0TEcIeGpf2pWCb7RNOXlR2xsKTo118YOdktmVxZQTCSjMlPm3baZTPGqzOzH4dMowjimthvA9aLluqx9oTICeGfjlPMZ1`,
				`STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx`,
				`STRIPE_SECRET_KEY=sk_live_sBybyMJ6Qv`,
			},
		},
		{
			ID:          "stripe-restricted-key",
			Provider:    "Stripe",
			Description: "Stripe live-mode restricted API key (rk_live_). Format: https://docs.stripe.com/keys#limit-access",
			Keywords:    []string{"rk_live_"},
			Pattern:     uniqueToken(`rk_live_[A-Za-z0-9]{24,247}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: stripe,
			TruePositives: []string{
				`STRIPE_RESTRICTED_KEY=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`,
				`stripe_key: "rk_live_EDAUCgrx1zEgJm4MCfJC2QZh"`,
				`Stripe::StripeClient.new("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")`,
			},
			FalsePositives: []string{
				`STRIPE_RESTRICTED_KEY=rk_test_51Qc2WPjpOxWSyV0jRTil0PAawB5DgOGpAiO9Jfq6r6Yd5xVCq0g7AGrs8it2REJWuLBCbyaotxku6xQWcsqAeigyFi3UEXaieO`,
				`STRIPE_RESTRICTED_KEY=rk_live_your_restricted_key`,
				`STRIPE_RESTRICTED_KEY=rk_live_o6hRb4qu40Hj`,
			},
		},
		{
			ID:          "stripe-webhook-secret",
			Provider:    "Stripe",
			Description: "Stripe webhook endpoint signing secret (whsec_). Format: https://docs.stripe.com/webhooks#verify-events",
			Keywords:    []string{"whsec_"},
			Pattern:     uniqueToken(`whsec_[A-Za-z0-9]{32,64}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.3,
			Confidence:  High,
			Remediation: stripeWebhook,
			TruePositives: []string{
				`STRIPE_WEBHOOK_SECRET=whsec_aRPOzV7uocSd5V1bcyKO4U9CC6uILseS`,
				`endpoint_secret = 'whsec_c3a2653421be7231f069e41d9acb8ec56a26fdd3b6944d508e4a5d9ce52b7f94'`,
				`"webhookSecret": "whsec_XAJQ5A8DM1iTZQmgXsYEnLDzwoXJ0tx2"`,
			},
			FalsePositives: []string{
				`STRIPE_WEBHOOK_SECRET=whsec_...`,
				`STRIPE_WEBHOOK_SECRET=whsec_your_webhook_signing_secret`,
				`STRIPE_WEBHOOK_SECRET=whsec_7jj85qZOY5qPgNHg`,
			},
		},
	}
}

// squareRules returns the rules for Square.
func squareRules() []Rule {
	square := Remediation{
		What:          "A Square access token: it calls the Square APIs for the seller — takes and refunds payments, reads customers, orders and catalog.",
		RevokeURL:     "https://developer.squareup.com/apps",
		Revoke:        "For a personal access token open the app in the Developer Console → Credentials and choose Replace for the production access token; for an OAuth token call the RevokeToken endpoint with the application secret.",
		RevokeCommand: `curl -X POST https://connect.squareup.com/oauth2/revoke -H "Authorization: Client <APPLICATION_SECRET>" -H "Content-Type: application/json" -d '{"client_id":"<APPLICATION_ID>","access_token":"<ACCESS_TOKEN>"}'`,
		Rotate:        "Store the replacement token in your secret manager and redeploy; OAuth integrations re-run the authorization flow.",
		Misuse:        "Check the app's API Logs in the Developer Console and the Seller Dashboard's Transactions and Refunds for activity you did not initiate.",
		DocsURL:       "https://developer.squareup.com/docs/build-basics/access-tokens",
	}
	squareSecret := square
	squareSecret.What = "A Square application secret (sq0csp-): with the application ID it completes OAuth flows and revokes or obtains tokens for sellers of the app."
	squareSecret.Revoke = "Open the app in the Developer Console → OAuth and choose Replace secret for the production environment."
	squareSecret.RevokeCommand = ""
	squareSecret.Rotate = "Update the OAuth backend with the new secret and redeploy; existing access tokens keep working, so review them too."
	squareSecret.DocsURL = "https://developer.squareup.com/docs/oauth-api/overview"

	return []Rule{
		{
			ID:          "square-access-token",
			Provider:    "Square",
			Description: "Square access token (EAAA + 60 characters), personal or OAuth. Format: https://developer.squareup.com/docs/build-basics/access-tokens",
			Keywords:    []string{"eaaa"},
			Pattern:     uniqueToken(`EAAA[A-Za-z0-9_-]{60}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.8,
			Confidence:  High,
			Remediation: square,
			TruePositives: []string{
				`SQUARE_ACCESS_TOKEN=EAAAq2TlqUt_gr8m6JXxyV1teq4zH0da8O1fAQTA24Yfj0gf-RMU0MaLRS3GtmFt`,
				`square_token: "EAAAlb8MyOt1erZfZlywIs8l2LNFq2k6nAdKrHq77wyhCayD9Y-DKNief__0MNEw"`,
				`client = Client(access_token="EAAA8GbKVxDMPfEeJ6-ROmSEiRnzoheoM4QDHyDquSvKBvLZC-AlH6KjqIh3ufMe", environment="production")`,
			},
			FalsePositives: []string{
				`aws-cli@sha256:eaaa7b11777babe28e6133a8b19ff71cea687e0d7f05158dee95a71f76ce3d00`,
				`SQUARE_ACCESS_TOKEN=EAAAKnsse1htI0ONGtYy5PuNZAARswx1SZ`,
				`SQUARE_ACCESS_TOKEN=EAAAyour_access_token_here`,
			},
		},
		{
			ID:          "square-legacy-access-token",
			Provider:    "Square",
			Description: "Legacy Square personal access token (sq0atp-). Format: https://developer.squareup.com/docs/build-basics/access-tokens",
			Keywords:    []string{"sq0atp-"},
			Pattern:     uniqueToken(`sq0atp-[A-Za-z0-9_-]{22}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.3,
			Confidence:  High,
			Remediation: square,
			TruePositives: []string{
				`SQUARE_TOKEN=sq0atp-sgdFooDwO9ke_oWRYmMCna`,
				`"squareToken": "sq0atp-ECmw65R0dlrtq9CpctSbZb"`,
				`square_access_token: 'sq0atp-W2OSSZUMcUZpCVc5wTlaIW'`,
			},
			FalsePositives: []string{
				`SQUARE_TOKEN=sq0atp-XXXXXXXXXXXXXXXXXXXXXX`,
				`SQUARE_TOKEN=sq0atp-812erere3wewew45678901`,
				`SQUARE_TOKEN=sq0atp-UNWy9KiBwn`,
			},
		},
		{
			ID:          "square-application-secret",
			Provider:    "Square",
			Description: "Square OAuth application secret (sq0csp-). Format: https://developer.squareup.com/docs/oauth-api/overview",
			Keywords:    []string{"sq0csp-"},
			Pattern:     uniqueToken(`sq0csp-[A-Za-z0-9_-]{43}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: squareSecret,
			TruePositives: []string{
				`SQUARE_APP_SECRET=sq0csp-EipNGwkYB5ZYCCUW0RD8GrglrXz2iOl2ZlYWLGFvEki`,
				`square_client_secret: "sq0csp-phQBvpRQbgeomMTXEyyjhP_QylVMSqUEsqE5CybLNZC"`,
				`"applicationSecret": "sq0csp-xANpiqidl3JqmTD7nalTyXQgokBWCEiz5g6CX9jgTqo"`,
			},
			FalsePositives: []string{
				`SQUARE_APP_SECRET=sq0csp-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`SQUARE_APP_SECRET=sq0csp-your-application-secret`,
				`SQUARE_APP_SECRET=sq0csp-Yzo4LAcCyGqykl9WJ_3G`,
			},
		},
	}
}

// braintreeRules returns the rules for PayPal Braintree.
func braintreeRules() []Rule {
	braintree := Remediation{
		What:          "A PayPal Braintree SDK production access token: it creates PayPal transactions and refunds for the merchant account through the Braintree SDK.",
		RevokeURL:     "https://www.paypal.com/businessmanage/credentials/apiAccess",
		Revoke:        "Log in to the PayPal business account → Account Settings → API access → Manage Braintree SDK credentials, and revoke the access token.",
		RevokeCommand: "",
		Rotate:        "Generate a new Braintree SDK access token on the same page, store it in your secret manager and redeploy.",
		Misuse:        "Review Activity (https://www.paypal.com/myaccount/transactions) for payments and refunds you did not make.",
		DocsURL:       "https://developer.paypal.com/braintree/docs/guides/paypal/server-side",
	}

	return []Rule{
		{
			ID:          "braintree-access-token",
			Provider:    "PayPal Braintree",
			Description: "PayPal Braintree SDK production access token (access_token$production$<merchant>$<secret>). Format: https://developer.paypal.com/braintree/docs/guides/paypal/server-side",
			Keywords:    []string{"access_token$production$"},
			Pattern:     `(?:^|[^A-Za-z0-9_])(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})(?:[^A-Za-z0-9]|$)`,
			Group:       1,
			Confidence:  High,
			Remediation: braintree,
			TruePositives: []string{
				`BRAINTREE_ACCESS_TOKEN=access_token$production$ngkzgzi7lkffzwgs$c83d694cb35afdab2d1941e6c30671a8`,
				`gateway = braintree.BraintreeGateway(access_token="access_token$production$j71u356rn0bymyfk$885a057a9df912c1d518d2a413465425")`,
				`braintree_token: 'access_token$production$h4z1mg8f4f18a38a$7ae3855c614052c228ec9e5ece2d1253'`,
			},
			FalsePositives: []string{
				`BRAINTREE_ACCESS_TOKEN=access_token$sandbox$k24fevik25dfqv2x$6e56fdb09f599c45cf9617b5bf549dd6`,
				`BRAINTREE_ACCESS_TOKEN=access_token$production$merchantid$accesstoken`,
				`BRAINTREE_ACCESS_TOKEN=access_token$production$41av6dmnvt51wbjg$4481e72c4968cdfd`,
			},
		},
	}
}

// shopifyRules returns the rules for Shopify.
func shopifyRules() []Rule {
	shopify := Remediation{
		What:          "A Shopify Admin API access token: it reads and writes the store's orders, customers, products and settings within the app's scopes.",
		RevokeURL:     "https://admin.shopify.com/settings/apps/development",
		Revoke:        "Custom apps: uninstall the app in Settings → Apps and sales channels → Develop apps (the token dies with the installation). Public/custom distribution apps can revoke their own token with the api_permissions endpoint.",
		RevokeCommand: `curl -X DELETE https://<SHOP>.myshopify.com/admin/api_permissions/current.json -H "X-Shopify-Access-Token: <ACCESS_TOKEN>"`,
		Rotate:        "Reinstall the app (or re-run OAuth) to obtain a new token, store it in your secret manager and redeploy.",
		Misuse:        "Review orders, customers, discount codes and staff/app changes in the Shopify admin, and the store activity log (Shopify Plus) for changes made through the app.",
		DocsURL:       "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens",
	}
	shopifyPrivate := shopify
	shopifyPrivate.What = "A legacy Shopify private app password (shppa_): it calls the Admin API with the private app's permissions."
	shopifyPrivate.Revoke = "Open Settings → Apps and sales channels → Develop apps (formerly Private apps), open the legacy app and delete it or regenerate its credentials."
	shopifyPrivate.RevokeCommand = ""
	shopifyPrivate.Rotate = "Replace the private app with a custom app, store its Admin API token in your secret manager and redeploy."
	shopifySecret := shopify
	shopifySecret.What = "A Shopify app shared secret / client secret (shpss_): it signs and verifies OAuth and webhook HMACs and completes OAuth for every shop that installs the app."
	shopifySecret.RevokeURL = "https://partners.shopify.com/"
	shopifySecret.Revoke = "In the Partner Dashboard (or Dev Dashboard) open the app → API credentials / Settings, generate a new client secret, and revoke the old one once deployed."
	shopifySecret.RevokeCommand = ""
	shopifySecret.Rotate = "Deploy the new secret to the app's OAuth and webhook verification code, then revoke the old secret."
	shopifySecret.Misuse = "Look for webhook deliveries your app accepted that Shopify did not send, and for unexpected installations or token exchanges in the app's logs."

	return []Rule{
		{
			ID:          "shopify-access-token",
			Provider:    "Shopify",
			Description: "Shopify Admin API access token (shpat_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shpat_"},
			Pattern:     uniqueToken(`shpat_[a-fA-F0-9]{32}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopify,
			TruePositives: []string{
				`SHOPIFY_ACCESS_TOKEN=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`,
				`"X-Shopify-Access-Token": "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"`,
				`shopify_token: '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'`,
			},
			FalsePositives: []string{
				`SHOPIFY_ACCESS_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SHOPIFY_ACCESS_TOKEN=shpat_ba5ed77a377694610543`,
				`SHOPIFY_ACCESS_TOKEN=shpat_21guynl8rd8iqo3t1fmnoivfq78wdplj`,
			},
		},
		{
			ID:          "shopify-custom-app-access-token",
			Provider:    "Shopify",
			Description: "Shopify custom app access token (shpca_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shpca_"},
			Pattern:     uniqueToken(`shpca_[a-fA-F0-9]{32}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopify,
			TruePositives: []string{
				`SHOPIFY_TOKEN=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`,
				`shopify_access_token: "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"`,
				`session = ShopifyAPI::Auth::Session.new(shop: shop, access_token: "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")`,
			},
			FalsePositives: []string{
				`SHOPIFY_TOKEN=shpca_00000000000000000000000000000000`,
				`SHOPIFY_TOKEN=shpca_43f997963d0d35849463e08d`,
				`SHOPIFY_TOKEN=shpca_your_token`,
			},
		},
		{
			ID:          "shopify-private-app-access-token",
			Provider:    "Shopify",
			Description: "Legacy Shopify private app password / access token (shppa_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shppa_"},
			Pattern:     uniqueToken(`shppa_[a-fA-F0-9]{32}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopifyPrivate,
			TruePositives: []string{
				`SHOPIFY_PASSWORD=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`,
				`"shopifyPassword": "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"`,
				`shop_url = "https://apikey: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@mystore.myshopify.com/admin"`,
			},
			FalsePositives: []string{
				`SHOPIFY_PASSWORD=shppa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`,
				`SHOPIFY_PASSWORD=shppa_b3e0f948ea3758517b526df7026ba65`,
				`SHOPIFY_PASSWORD=shppa_<password>`,
			},
		},
		{
			ID:          "shopify-shared-secret",
			Provider:    "Shopify",
			Description: "Shopify app shared secret / client secret (shpss_ + 32 hex). Format: https://shopify.dev/changelog/app-secret-key-length-has-increased",
			Keywords:    []string{"shpss_"},
			Pattern:     uniqueToken(`shpss_[a-fA-F0-9]{32}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shopifySecret,
			TruePositives: []string{
				`SHOPIFY_API_SECRET=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`,
				`shopify_api_secret: "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"`,
				`ShopifyAPI::Context.setup(api_key: key, api_secret_key: "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")`,
			},
			FalsePositives: []string{
				`SHOPIFY_API_SECRET=shpss_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`SHOPIFY_API_SECRET=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d4f08702`,
				`SHOPIFY_API_SECRET=${SHOPIFY_API_SECRET}`,
			},
		},
	}
}

// shippoRules returns the rules for Shippo.
func shippoRules() []Rule {
	shippo := Remediation{
		What:          "A Shippo live API token: it buys shipping labels billed to the account and reads shipments and addresses.",
		RevokeURL:     "https://apps.goshippo.com/settings/api",
		Revoke:        "Open Settings → API and regenerate (or delete) the live token.",
		RevokeCommand: "",
		Rotate:        "Store the new token in your secret manager and redeploy.",
		Misuse:        "Check Shipments / Transactions and billing for labels you did not buy.",
		DocsURL:       "https://docs.goshippo.com/docs/guides_general/authentication/",
	}

	return []Rule{
		{
			ID:          "shippo-live-api-token",
			Provider:    "Shippo",
			Description: "Shippo live API token (shippo_live_ + 40 hex); shippo_test_ tokens are not reported. Format: https://docs.goshippo.com/docs/guides_general/authentication/",
			Keywords:    []string{"shippo_live_"},
			Pattern:     uniqueToken(`shippo_live_[a-f0-9]{40}`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: shippo,
			TruePositives: []string{
				`SHIPPO_API_KEY=shippo_live_5e56536d2826eac1ebebc1d07449da54223a07c6`,
				`shippo.config.api_key = "shippo_live_bee524a8337a7f8afeca1c46ec2d88d9f12a70fb"`,
				`"Authorization": "ShippoToken shippo_live_b6d5d1925fa9b3953310c37c702f203581e29466"`,
			},
			FalsePositives: []string{
				`SHIPPO_API_KEY=shippo_test_b0e09da1f9cded6753f0944dabdd5c407122d77a`,
				`SHIPPO_API_KEY=shippo_live_b94f8dd6414deea92c38`,
				`SHIPPO_API_KEY=shippo_live_<your-token>`,
			},
		},
	}
}

// easypostRules returns the rules for EasyPost.
func easypostRules() []Rule {
	easypost := Remediation{
		What:          "An EasyPost production API key: it buys postage billed to the account and reads shipments and addresses.",
		RevokeURL:     "https://www.easypost.com/account/api-keys",
		Revoke:        "Open Account Settings → API Keys and disable or delete the production key.",
		RevokeCommand: "",
		Rotate:        "Create a new production key, store it in your secret manager, redeploy, then disable the old one.",
		Misuse:        "Check Shipments and billing in the EasyPost dashboard for labels and refunds you did not make.",
		DocsURL:       "https://docs.easypost.com/docs/authentication",
	}

	return []Rule{
		{
			ID:          "easypost-production-api-key",
			Provider:    "EasyPost",
			Description: "EasyPost production API key (EZAK + 54 characters); EZTK test keys are not reported. Format: https://docs.easypost.com/docs/authentication",
			Keywords:    []string{"ezak"},
			Pattern:     uniqueToken(`EZAK[A-Za-z0-9]{54}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: easypost,
			TruePositives: []string{
				`EASYPOST_API_KEY=EZAKDcfrag3z1tMBMJLiCVrs6AKOGGixKvnZBfWGq9HJSByykC9d6ClNGN`,
				`client = easypost.EasyPostClient("EZAK70VgeLYINE8Dv6hDqqr6k5JQDl14eRwD7fUc9vHnk60dUGSCmYdooL")`,
				`https://api.easypost.com/v2/shipments?t=EZAKzS4KE4G8B5LDjNd6jaWfMBvaen0nBmTS7sirICFxbv793NR7UGaiF8&q=1`,
			},
			FalsePositives: []string{
				`EASYPOST_API_KEY=EZTKQ6sPPwGxcqPlrj0hYMrJ1cPBEBlgjXBpeWWMHhoRu8wlr1qRZjciuD`,
				`...6wqX6fNUXA/rYqRvfQ+EZAKkiaEGFvOhLYRZuTJsgoRyzP2YhCA0x8wg4fWVtK7tMfmQU0jQtiADi/3VmWq/edti6...`,
				`EASYPOST_API_KEY=EZAKftfvAkGVju0wNprAvhdo`,
			},
		},
	}
}

// duffelRules returns the rules for Duffel.
func duffelRules() []Rule {
	duffel := Remediation{
		What:          "A Duffel live access token: it searches and books real flights and stays paid from the organization's balance.",
		RevokeURL:     "https://app.duffel.com/",
		Revoke:        "In the Duffel dashboard open Developers → Access tokens and delete the live token.",
		RevokeCommand: "",
		Rotate:        "Create a new live token, store it in your secret manager, redeploy.",
		Misuse:        "Check Orders and balance transactions for bookings you did not make.",
		DocsURL:       "https://duffel.com/docs/api/overview/making-requests/authentication",
	}

	return []Rule{
		{
			ID:          "duffel-live-token",
			Provider:    "Duffel",
			Description: "Duffel live access token (duffel_live_ + 43 characters); duffel_test_ tokens are not reported. Format: https://duffel.com/docs/api/overview/making-requests/authentication",
			Keywords:    []string{"duffel_live_"},
			Pattern:     uniqueToken(`duffel_live_[A-Za-z0-9_-]{43}`, b64TokenChars),
			Group:       1,
			MinEntropy:  4.0,
			Confidence:  High,
			Remediation: duffel,
			TruePositives: []string{
				`DUFFEL_ACCESS_TOKEN=duffel_live_h7EX4BJo_GM_Oo6qXUEsjbMK8VvSvyA6N_Uw3j35Wb1`,
				`duffel = Duffel(access_token="duffel_live_IxtWG2uorPC_KhKnstNmBgCNkT22DiwuwVzKExV3eyN")`,
				`"duffelToken": "duffel_live_LK8bPf56siKiiKYRaiZAdBQ6QDfiKjLqlNUs1H-aNPM"`,
			},
			FalsePositives: []string{
				`DUFFEL_ACCESS_TOKEN=duffel_test_G52jCFhx8MnCGuOSTLwOsZOIhnSKdJFovx4jCzVjFkT`,
				`DUFFEL_ACCESS_TOKEN=duffel_live_su4HLSh1ZA5vj4MFIIEA`,
				`DUFFEL_ACCESS_TOKEN=duffel_live_your_access_token_goes_in_this_slot`,
			},
		},
	}
}

// flutterwaveRules returns the rules for Flutterwave.
func flutterwaveRules() []Rule {
	flutterwave := Remediation{
		What:          "A Flutterwave live secret key: it initiates charges, transfers and refunds for the merchant account.",
		RevokeURL:     "https://app.flutterwave.com/dashboard/settings/apis/live",
		Revoke:        "In the dashboard open Settings → API Keys (live mode) and generate new API keys; the old secret key stops working.",
		RevokeCommand: "",
		Rotate:        "Store the new secret and encryption keys in your secret manager and redeploy.",
		Misuse:        "Check Transactions, Transfers and Refunds in the dashboard for activity you did not initiate.",
		DocsURL:       "https://developer.flutterwave.com/docs/authentication",
	}

	return []Rule{
		{
			ID:          "flutterwave-secret-key",
			Provider:    "Flutterwave",
			Description: "Flutterwave live secret key (FLWSECK- + 32 hex + -X); FLWSECK_TEST- keys are not reported. Format: https://developer.flutterwave.com/docs/authentication",
			Keywords:    []string{"flwseck-"},
			Pattern:     uniqueToken(`FLWSECK-[a-f0-9]{32}-X`, b64TokenChars),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  High,
			Remediation: flutterwave,
			TruePositives: []string{
				`FLW_SECRET_KEY=FLWSECK-70549189bb22021e31ba90dff2d536bf-X`,
				`flw = Rave("FLWPUBK-3de3b1c26bb131987ad52e0670e0917f-X", "FLWSECK-380ade624f23c5e2babdf52da347b943-X")`,
				`"secretKey": "FLWSECK-e808e1df2e7a98ab3ed44d6e2033f9e9-X"`,
			},
			FalsePositives: []string{
				`FLW_SECRET_KEY=FLWSECK_TEST-08d0e4d23c0025ef890b409b22ad644a-X`,
				`FLW_SECRET_KEY=FLWSECK-b790ca1a64438ebe-X`,
				`FLW_SECRET_KEY=FLWSECK-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-X`,
			},
		},
	}
}

// plaidRules returns the rules for Plaid.
func plaidRules() []Rule {
	plaid := Remediation{
		What:          "A Plaid access token or secret: with the client ID it reads linked bank accounts — balances, transactions, identity — and can move money with Transfer.",
		RevokeURL:     "https://dashboard.plaid.com/developers/keys",
		Revoke:        "Access tokens: call /item/remove to invalidate the Item's token. Secrets: Dashboard → Developers → Keys → rotate the secret for the environment.",
		RevokeCommand: `curl -X POST https://production.plaid.com/item/remove -H "Content-Type: application/json" -d '{"client_id":"<CLIENT_ID>","secret":"<SECRET>","access_token":"<ACCESS_TOKEN>"}'`,
		Rotate:        "Relink the Item through Link to get a new access token (or deploy the rotated secret), then remove the old one.",
		Misuse:        "Check Dashboard → Developers → Logs (https://dashboard.plaid.com/activity/logs) for API calls you did not make.",
		DocsURL:       "https://plaid.com/docs/api/items/#itemremove",
	}

	return []Rule{
		{
			ID:          "plaid-access-token",
			Provider:    "Plaid",
			Description: "Plaid production or development Item access token (access-production-<UUID>); sandbox tokens are not reported. Format: https://plaid.com/docs/api/tokens/",
			Keywords:    []string{"access-production-", "access-development-"},
			Pattern:     uniqueToken(`access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`, b64TokenChars),
			Group:       1,
			Confidence:  High,
			Remediation: plaid,
			TruePositives: []string{
				`PLAID_ACCESS_TOKEN=access-production-7ff8cc88-ba62-49cc-9c2c-14c766f09667`,
				`"access_token": "access-production-7f28d029-6af8-4aa8-8a5d-228a9fb2bcd7",`,
				`plaid_token: access-development-376ef2a0-6a47-4ac7-a0eb-c5e5edcbf416`,
			},
			FalsePositives: []string{
				`PLAID_ACCESS_TOKEN=access-sandbox-3e2d2aff-d996-4591-b06a-d9f13338cbcb`,
				`PLAID_ACCESS_TOKEN=access-production-00000000-0000-0000-0000-000000000000`,
				`PLAID_ACCESS_TOKEN=access-production-your-access-token`,
			},
		},
		{
			ID:          "plaid-secret",
			Provider:    "Plaid",
			Description: "Plaid API secret (30 hex) assigned to a Plaid secret name. Format: https://plaid.com/docs/api/#api-host",
			Keywords:    []string{"plaid"},
			Pattern:     assigned(`plaid[A-Za-z0-9_.-]{0,25}?secret`, `[a-f0-9]{30}`),
			Group:       1,
			MinEntropy:  3.0,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: plaid,
			TruePositives: []string{
				`PLAID_SECRET=485bfe4fa53bbc71ac7b1be9f7bf5a`,
				`plaid_secret: "b00b56b125b65714ce946e0eca8627"`,
				`"plaidSecret": "f28a4765a3a7b2a39654266ff4844c"`,
			},
			FalsePositives: []string{
				`PLAID_SECRET=your_plaid_secret`,
				`PLAID_SECRET=c49fb0a553f3103d2350`,
				`PLAID_CLIENT_ID=633e02fa996c71a65a91d5c0`,
			},
		},
	}
}

// gocardlessRules returns the rules for GoCardless.
func gocardlessRules() []Rule {
	gocardless := Remediation{
		What:          "A GoCardless live access token: it creates payments, mandates and refunds against customers' bank accounts for the creditor.",
		RevokeURL:     "https://manage.gocardless.com/developers/access-tokens",
		Revoke:        "Open Developers → Access tokens in the GoCardless dashboard and revoke the token.",
		RevokeCommand: "",
		Rotate:        "Create a new read-write (or read-only) token, store it in your secret manager, redeploy.",
		Misuse:        "Check Payments, Refunds and Events in the dashboard for activity you did not initiate.",
		DocsURL:       "https://developer.gocardless.com/getting-started/api/making-your-first-request",
	}

	return []Rule{
		{
			ID:            "gocardless-live-token",
			Provider:      "GoCardless",
			Description:   "GoCardless live access token (live_ + 40 characters) next to a GoCardless keyword; sandbox_ tokens are not reported. Format: https://developer.gocardless.com/getting-started/api/making-your-first-request",
			Keywords:      []string{"gocardless"},
			KeywordWindow: 2,
			Pattern:       uniqueToken(`live_[A-Za-z0-9_-]{40}`, b64TokenChars),
			Group:         1,
			MinEntropy:    4.0,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   gocardless,
			TruePositives: []string{
				`GOCARDLESS_ACCESS_TOKEN=live_gVTsbdQ4HcmQzW2E_2bR5EdFsadb16KICZkCQUai`,
				`client = gocardless_pro.Client(access_token="live_Lj1MQ1zf4AyQdCuqp_yXvPh5CTJaJQMTvDIaBkr0", environment="live")`,
				`"gocardlessToken": "live_teVR1ut1RHFl571rGCGYdhLJgXPEvlFvOPpFNpM0"`,
			},
			FalsePositives: []string{
				`GOCARDLESS_ACCESS_TOKEN=sandbox_86XaNnhCgwWJ4SQAytVNutu2xekRXX2Y7g2ohas7`,
				`GOCARDLESS_ACCESS_TOKEN=live_c4h9cF_blvPw37p0NFKb`,
				`GOCARDLESS_ACCESS_TOKEN=live_your_access_token_goes_here_please_ok`,
			},
		},
	}
}

// lobRules returns the rules for Lob.
func lobRules() []Rule {
	lob := Remediation{
		What:          "A Lob live secret API key: it sends real postcards, letters and checks billed to the account and reads address data.",
		RevokeURL:     "https://dashboard.lob.com/settings/api-keys",
		Revoke:        "Open Settings → API Keys and roll the live secret key.",
		RevokeCommand: "",
		Rotate:        "Store the new key in your secret manager and redeploy.",
		Misuse:        "Check the dashboard's mail pieces and billing for sends you did not make.",
		DocsURL:       "https://docs.lob.com/#tag/Authentication",
	}

	return []Rule{
		{
			ID:          "lob-live-api-key",
			Provider:    "Lob",
			Description: "Lob live secret API key (live_ + 35 hex) next to a Lob keyword; test_ and live_pub_ keys are not reported. Format: https://docs.lob.com/#tag/Authentication",
			Keywords:    []string{"lob"},
			Pattern:     assigned(`\blob`, `live_[a-f0-9]{35}`),
			Group:       1,
			MinEntropy:  3.0,
			Confidence:  Medium,
			Remediation: lob,
			TruePositives: []string{
				`LOB_API_KEY=live_f9d2f0bac45c5e2f8b0a0a924a0366a02fa`,
				`"lobToken": "live_5c858c999db7056f9b6775aee72e18be98d"`,
				`lob = Lob("live_3c3df835ab28e055144029e9b4b50d4ecbe")`,
			},
			FalsePositives: []string{
				`LOB_API_KEY=test_f8655069184ae1010cb53f7437df3ea7c25`,
				`LOB_PUBLISHABLE_KEY=live_pub_6a2adf42bd7f7850f2a73e1c4e58908`,
				`LOB_API_KEY=live_74e5d4bc497251aa2569`,
			},
		},
	}
}

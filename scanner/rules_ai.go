package scanner

import "slices"

// aiNear matches a token that follows a provider keyword on the same line,
// at most 60 characters after it, in an assignment, argument or command-line
// form ("COHERE_API_KEY=…", "cohere.Client('…')", "wandb login …"). kw is
// case-insensitive; the token is capture group 1.
func aiNear(kw, core string) string {
	return `(?i:` + kw + `)[^\r\n]{0,60}?[^A-Za-z0-9_\-/.](` + core + `)(?:[^A-Za-z0-9_-]|$)`
}

// aiRules returns the rules for AI and machine-learning APIs.
func aiRules() []Rule {
	return slices.Concat(
		openAIRules(),
		anthropicRules(),
		huggingFaceRules(),
		cohereRules(),
		replicateRules(),
		groqRules(),
		mistralRules(),
		perplexityRules(),
		xAIRules(),
		deepSeekRules(),
		togetherRules(),
		fireworksRules(),
		elevenLabsRules(),
		assemblyAIRules(),
		deepgramRules(),
		pineconeRules(),
		langSmithRules(),
		wandbRules(),
		openRouterRules(),
	)
}

// openAIRules returns the rules for OpenAI.
func openAIRules() []Rule {
	openai := Remediation{
		What:          "An OpenAI API key: it bills model usage to the owning organization and, for admin keys, manages the organization's users, projects and keys.",
		RevokeURL:     "https://platform.openai.com/api-keys",
		Revoke:        "In the OpenAI platform open API keys (admin keys: Organization settings → Admin keys), find the key by its visible suffix and delete it; deletion is immediate.",
		RevokeCommand: `curl -X DELETE https://api.openai.com/v1/organization/projects/<PROJECT_ID>/api_keys/<KEY_ID> -H "Authorization: Bearer <ADMIN_KEY>"`,
		Rotate:        "Create a new key scoped to the same project with the least permissions it needs, store it in your secret manager, update deployments, then delete the old key.",
		Misuse:        "Check the Usage page (https://platform.openai.com/usage) per project and key, and the organization's Audit logs if enabled, for requests and spend you do not recognise.",
		DocsURL:       "https://platform.openai.com/docs/api-reference/authentication",
	}
	openaiAdmin := openai
	openaiAdmin.RevokeURL = "https://platform.openai.com/settings/organization/admin-keys"
	openaiAdmin.RevokeCommand = `curl -X DELETE https://api.openai.com/v1/organization/admin_api_keys/<KEY_ID> -H "Authorization: Bearer <OTHER_ADMIN_KEY>"`
	openaiAdmin.Misuse = "Review the organization's Audit logs for new API keys, invited users, project or rate-limit changes made with the admin key, then the Usage page."
	openaiAdmin.DocsURL = "https://platform.openai.com/docs/api-reference/admin-api-keys"

	return []Rule{
		{
			ID:          "openai-project-key",
			Provider:    "OpenAI",
			Description: "OpenAI project API key (sk-proj-…, with the T3BlbkFJ marker). Format: https://platform.openai.com/docs/api-reference/authentication",
			Keywords:    []string{"sk-proj-"},
			Pattern:     uniqueToken(`sk-proj-[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}`, tokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: openai,
			TruePositives: []string{
				`export OPENAI_API_KEY=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`,
				`client = OpenAI(api_key="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")`,
				`  "openai": {"key": "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"}`,
			},
			FalsePositives: []string{
				`OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`OPENAI_API_KEY=sk-proj-your-openai-api-key`,
				`key := "sk-proj-YryA4K7uvDVJppS9k4iJ5L6dqB2a5te1Z92F2EPJcbp2VKeecfMAhvDIxQePe1f6l5qWiKc"`,
				`OPENAI_API_KEY=${OPENAI_API_KEY:-sk-proj-...}`,
			},
		},
		{
			ID:          "openai-service-account-key",
			Provider:    "OpenAI",
			Description: "OpenAI service-account API key (sk-svcacct-…, with the T3BlbkFJ marker). Format: https://platform.openai.com/docs/api-reference/project-service-accounts",
			Keywords:    []string{"sk-svcacct-"},
			Pattern:     uniqueToken(`sk-svcacct-[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}`, tokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: func() Remediation {
				r := openai
				r.RevokeCommand = `curl -X DELETE https://api.openai.com/v1/organization/projects/<PROJECT_ID>/service_accounts/<SERVICE_ACCOUNT_ID> -H "Authorization: Bearer <ADMIN_KEY>"`
				r.Revoke = "In the OpenAI platform open the project's settings → Service accounts and delete the service account (or its key); its key stops working at once."
				r.DocsURL = "https://platform.openai.com/docs/api-reference/project-service-accounts"
				return r
			}(),
			TruePositives: []string{
				`OPENAI_API_KEY="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"`,
				`openai_key: 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`,
				`const key = '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';`,
			},
			FalsePositives: []string{
				`OPENAI_API_KEY=sk-svcacct-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`# service account keys look like sk-svcacct-<random>`,
				`key = "sk-svcacct-x55RUIn7oRswtoPZsm7KpdNQDiAaf2RHLxS0yXqQj2P7TpJluSIa5bRu_ae9QvPpi9pmSmf_rS"`,
			},
		},
		{
			ID:          "openai-admin-key",
			Provider:    "OpenAI",
			Description: "OpenAI Admin API key (sk-admin-…, with the T3BlbkFJ marker), which manages the organization. Format: https://platform.openai.com/docs/api-reference/admin-api-keys",
			Keywords:    []string{"sk-admin-"},
			Pattern:     uniqueToken(`sk-admin-[A-Za-z0-9_-]{20,100}T3BlbkFJ[A-Za-z0-9_-]{20,100}`, tokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: openaiAdmin,
			TruePositives: []string{
				`OPENAI_ADMIN_KEY=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`,
				`curl https://api.openai.com/v1/organization/users -H "Authorization: Bearer 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"`,
				`admin_key = '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'`,
			},
			FalsePositives: []string{
				`OPENAI_ADMIN_KEY=sk-admin-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`role = "sk-admin-panel-button"`,
				`token = "sk-admin-RZ63dQ21KClJREaxJa3DrWP1w9NcBXvy81502qIFdytEj6vx1pedDtoIxIxlRHxliy7f7vtTq7PNfR"`,
			},
		},
		{
			ID:          "openai-api-key",
			Provider:    "OpenAI",
			Description: "Legacy OpenAI user API key: sk- followed by 20 characters, the T3BlbkFJ marker (base64 of 'OpenAI') and 20 more. Format: https://platform.openai.com/docs/api-reference/authentication",
			Keywords:    []string{"t3blbkfj"},
			Pattern:     uniqueToken(`sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}`, tokenChars),
			Group:       1,
			MinEntropy:  4,
			Confidence:  High,
			Remediation: openai,
			TruePositives: []string{
				`OPENAI_API_KEY=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`,
				`openai.api_key = "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"`,
				`{"openai_token": "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"}`,
			},
			FalsePositives: []string{
				`OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx`,
				`OPENAI_API_KEY=sk-2BtzIKgsqcPyfhfbi3QpT3BlbkFJoi6BKeHOd3KIg668`,
				`key = "sk-2BtzIKgsqcPyfhfbi3Qp0oi6BKeHOd3KIg668TNqaWKnHbNwKeT8"`,
			},
		},
	}
}

// anthropicRules returns the rules for Anthropic.
func anthropicRules() []Rule {
	anthropic := Remediation{
		What:          "An Anthropic Claude API key: it calls the Messages API and bills usage to the key's workspace.",
		RevokeURL:     "https://console.anthropic.com/settings/keys",
		Revoke:        "In the Anthropic Console open Settings → API keys, find the key by name or hint and disable or delete it. Keys pushed to public GitHub are usually revoked automatically through secret-scanning partnership; confirm the status anyway.",
		RevokeCommand: `curl -X POST https://api.anthropic.com/v1/organizations/api_keys/<API_KEY_ID> -H "x-api-key: <ADMIN_KEY>" -H "anthropic-version: 2023-06-01" -H "content-type: application/json" -d '{"status":"inactive"}'`,
		Rotate:        "Create a new key in the same workspace, put it in your secret store, redeploy, then delete the old key.",
		Misuse:        "Check the Console's Usage and Cost pages (filter by API key) for traffic you do not recognise.",
		DocsURL:       "https://docs.anthropic.com/en/api/getting-started",
	}
	anthropicAdmin := Remediation{
		What:          "An Anthropic Admin API key: it manages the organization's members, workspaces and API keys.",
		RevokeURL:     "https://console.anthropic.com/settings/admin-keys",
		Revoke:        "An organization admin opens Settings → Admin keys in the Anthropic Console and deletes the key.",
		RevokeCommand: "",
		Rotate:        "Create a new admin key only if automation needs one, store it in a secret manager restricted to that automation, then delete the leaked key.",
		Misuse:        "Review the organization's members, invites, workspaces and API keys for changes you did not make (new keys may have been minted with it), and the Usage page.",
		DocsURL:       "https://docs.anthropic.com/en/api/administration-api",
	}

	return []Rule{
		{
			ID:          "anthropic-api-key",
			Provider:    "Anthropic",
			Description: "Anthropic Claude API key (sk-ant-api03-, 93 characters, ending AA). Format: https://docs.anthropic.com/en/api/getting-started",
			Keywords:    []string{"sk-ant-api03-"},
			Pattern:     uniqueToken(`sk-ant-api03-[A-Za-z0-9_-]{93}AA`, tokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: anthropic,
			TruePositives: []string{
				`ANTHROPIC_API_KEY=sk-ant-api03-8ZxZJre6xsdAYbHgDHSVia_WFFgvHFGJ9YvcBvnt-CSo3nFfY0pTLYkrGdXv277VvO9D-PVMpxuH-hGa4ntPNaWPh7g-eAA`,
				`client = anthropic.Anthropic(api_key="sk-ant-api03-Zd62oLYs9rjYSswGDxgGVV4lBRJ7aJweftG1lfKpECXQ7QVDjruVJeqSkgKnAtyJoBphBJLSbGRxJCYR6zIxbipnKqlwJAA")`,
				`  anthropic_key: 'sk-ant-api03-TAgllTm5OGY1aPGVlVG1ORbuKUcKLrRMq6gsH93rgoDTJKZKCrTPM-mNk8ZOxfQp9V9rzxcVE6ktGojaTKqHhynL3DuihAA'`,
			},
			FalsePositives: []string{
				`ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA`,
				`ANTHROPIC_API_KEY=sk-ant-api03-8ZxZJre6xsdAYbHgDHSVia_WFFgvHFGJ9YvcBvnt-CSo3nFfY0pTLYkrGdXv277VvO9D-PVMpxuH-hGa4ntPNaWPh7g-eBB`,
				`ANTHROPIC_API_KEY=sk-ant-api03-8ZxZJre6xsdAYbHgDHSVia_WFFgvHFGJ9YvcBvnt-CSo3nFfAA`,
				`ANTHROPIC_API_KEY=sk-ant-api03-your-anthropic-api-key`,
			},
		},
		{
			ID:          "anthropic-admin-key",
			Provider:    "Anthropic",
			Description: "Anthropic Admin API key (sk-ant-admin01-, 93 characters, ending AA). Format: https://docs.anthropic.com/en/api/administration-api",
			Keywords:    []string{"sk-ant-admin01-"},
			Pattern:     uniqueToken(`sk-ant-admin01-[A-Za-z0-9_-]{93}AA`, tokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Confidence:  High,
			Remediation: anthropicAdmin,
			TruePositives: []string{
				`ANTHROPIC_ADMIN_KEY=sk-ant-admin01-ZJJkshV0kpBS8qQSGPdrucGkZ2LMDWSIn8wbp8zkzbO769ZWB6UqP_Hl3AfuImQXgQA2pFEKQ-byYm3gGur1Qt79BU27oAA`,
				`curl https://api.anthropic.com/v1/organizations/users --header "x-api-key: sk-ant-admin01-1P0ohDxsyxlGKEfqwJO-0lNnPOREjb6xNimviou0kiJRBNZ61M5cmojeo1nzCSURP0tPcehVc-g7ejNaRA1O0pGuVJ83yAA"`,
				`admin_key = "sk-ant-admin01-UWNxw9INkvo13evmgApoNtqqF8pNNdNYxC-H3X6kTncicCQoheVBUlv-THGEN_lR4TFES4nnvJKEGUT6VPH0xPnt4f-ycAA"`,
			},
			FalsePositives: []string{
				`ANTHROPIC_ADMIN_KEY=sk-ant-admin01-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA`,
				`ANTHROPIC_ADMIN_KEY=sk-ant-admin01-ZJJkshV0kpBS8qQSGPdrucGkZ2LMDWSIn8wbp8zkzbO769ZWB6UqP_Hl3AfuImQXgQA2pFEKQ-byYm3gGur1Qt79BU27oBB`,
				`ANTHROPIC_ADMIN_KEY=sk-ant-admin01-ZJJkshV0kpBS8qQSGPdrucGkZ2LMDWSIn8wbp8zAA`,
			},
		},
	}
}

// huggingFaceRules returns the rules for Hugging Face.
func huggingFaceRules() []Rule {
	hf := Remediation{
		What:          "A Hugging Face user access token: it reads (and, with write or fine-grained scopes, writes) the user's models, datasets and Spaces, including private and gated repositories.",
		RevokeURL:     "https://huggingface.co/settings/tokens",
		Revoke:        "Open Settings → Access Tokens, find the token by name and choose Invalidate and refresh, or Delete.",
		RevokeCommand: "",
		Rotate:        "Create a fine-grained token with only the repositories and permissions needed, update HF_TOKEN in your CI secrets and environments, then delete the old token.",
		Misuse:        "Check the commit history of your models, datasets and Spaces for pushes you did not make, and the organization audit log (Enterprise Hub) for token activity.",
		DocsURL:       "https://huggingface.co/docs/hub/security-tokens",
	}
	hfOrg := hf
	hfOrg.What = "A legacy Hugging Face organization API token (api_org_): it acts for the whole organization's repositories."
	hfOrg.RevokeURL = "https://huggingface.co/organizations"
	hfOrg.Revoke = "An organization admin opens the organization's settings, finds the API token section and regenerates or deletes the legacy token; these tokens are deprecated."
	hfOrg.Rotate = "Replace it with a fine-grained user or organization-scoped access token that has only the permissions needed."

	return []Rule{
		{
			ID:          "huggingface-access-token",
			Provider:    "Hugging Face",
			Description: "Hugging Face user access token (hf_ followed by 34 letters). Format: https://huggingface.co/docs/hub/security-tokens",
			Keywords:    []string{"hf_"},
			Pattern:     uniqueToken(`hf_[A-Za-z0-9]{34}`, tokenChars),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: hf,
			TruePositives: []string{
				`HF_TOKEN=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`,
				`huggingface-cli login --token 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`,
				`pipe = pipeline("text-generation", model=repo, token="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")`,
			},
			FalsePositives: []string{
				`HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`- (id)hf_requiredCharacteristicTypesForDisplayMetadataX;`,
				`static int 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 = -1;`,
				`HF_TOKEN=hf_SqHxLuQvmBuxrUUFpLxxhvfCopvApm`,
			},
		},
		{
			ID:          "huggingface-org-token",
			Provider:    "Hugging Face",
			Description: "Legacy Hugging Face organization API token (api_org_ followed by 34 letters). Format: https://huggingface.co/docs/hub/security-tokens",
			Keywords:    []string{"api_org_"},
			Pattern:     uniqueToken(`api_org_[A-Za-z0-9]{34}`, tokenChars),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasMixedCase},
			Confidence:  High,
			Remediation: hfOrg,
			TruePositives: []string{
				`HUGGINGFACEHUB_API_TOKEN=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`,
				`ds = load_dataset("org/private-set", use_auth_token='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')`,
				`  "hf_org_token": "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"`,
			},
			FalsePositives: []string{
				`old tokens are api_org_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`def _api_org_96726c78_4ae3_402f_b08b_7a78c6903d2a(self):`,
				`public static final String API_ORG_EXIST = "APIOrganizationExist";`,
			},
		},
	}
}

// cohereRules returns the rules for Cohere.
func cohereRules() []Rule {
	cohere := Remediation{
		What:          "A Cohere API key: it calls Cohere's models and bills the account (trial keys are rate-limited, production keys are billed).",
		RevokeURL:     "https://dashboard.cohere.com/api-keys",
		Revoke:        "In the Cohere dashboard open API Keys and delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it as CO_API_KEY in your secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the dashboard's Usage and Billing pages for calls and spend you do not recognise.",
		DocsURL:       "https://docs.cohere.com/reference/about",
	}

	return []Rule{
		{
			ID:          "cohere-api-key",
			Provider:    "Cohere",
			Description: "Cohere API key: 40 alphanumeric characters next to 'cohere' or CO_API_KEY. Format: https://docs.cohere.com/reference/about",
			Keywords:    []string{"cohere", "co_api_key"},
			Pattern:     aiNear(`cohere|co_api_key`, `[A-Za-z0-9]{40}`),
			Group:       1,
			MinEntropy:  4,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: cohere,
			TruePositives: []string{
				`export CO_API_KEY=M9MGLhGPEMOmmXJjiaRUNeaCoBkpgGD6FFn7DS4U`,
				`co = cohere.Client("1Jx1w3ofNUYjchMaLRhaIiK6koaDMW0946nTpOUk")`,
				`cohere_api_key: 'Dqo1opE3ioNRS0nnXTHQGf5oKt4Iqf6ktQyvxaHo'`,
			},
			FalsePositives: []string{
				`CO_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`co = cohere.Client(os.environ["CO_API_KEY"])`,
				`COHERE_API_KEY=M9MGLhGPEMOmmXJjiaRUNeaCoBkpgGD6FF`,
				`cohere_model = "embedmultilinguallightversion30withextra"`,
			},
		},
	}
}

// replicateRules returns the rules for Replicate.
func replicateRules() []Rule {
	replicate := Remediation{
		What:          "A Replicate API token: it runs predictions, trainings and deployments billed to the account and can read its private models.",
		RevokeURL:     "https://replicate.com/account/api-tokens",
		Revoke:        "Open Account → API tokens and delete the token.",
		RevokeCommand: "",
		Rotate:        "Create a new token, set REPLICATE_API_TOKEN in your secret store, redeploy, then delete the leaked token.",
		Misuse:        "Check the dashboard's Predictions and Trainings lists and the Billing page for runs you did not start.",
		DocsURL:       "https://replicate.com/docs/topics/security/api-tokens",
	}

	return []Rule{
		{
			ID:          "replicate-api-token",
			Provider:    "Replicate",
			Description: "Replicate API token (r8_ followed by 37 alphanumeric characters). Format: https://replicate.com/docs/topics/security/api-tokens",
			Keywords:    []string{"r8_"},
			Pattern:     uniqueToken(`r8_[A-Za-z0-9]{37}`, tokenChars),
			Group:       1,
			MinEntropy:  4,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: replicate,
			TruePositives: []string{
				`REPLICATE_API_TOKEN=r8_GTs9FPuEeZSIPMHSdv87hLiprxIk9VLWifudK`,
				`client = replicate.Client(api_token="r8_x2IW5M8fy8jnVRLTVgKXnHuwM9WV0pJvswzfn")`,
				`curl -H "Authorization: Bearer r8_1XRXNB5GQpsnjrMCJX7ZjDTOumQybA9oBqb2v" https://api.replicate.com/v1/predictions`,
			},
			FalsePositives: []string{
				`REPLICATE_API_TOKEN=r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`REPLICATE_API_TOKEN=r8_GTs9FPuEeZSIPMHSdv87hLiprxIk9`,
				`uint32_t r8_dma_channel_configuration_register_value_a;`,
			},
		},
	}
}

// groqRules returns the rules for Groq.
func groqRules() []Rule {
	groq := Remediation{
		What:          "A GroqCloud API key: it runs inference billed to the key's organization.",
		RevokeURL:     "https://console.groq.com/keys",
		Revoke:        "In the GroqCloud console open API Keys and delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it as GROQ_API_KEY in your secret manager, redeploy, then delete the leaked key.",
		Misuse:        "Check the console's Usage and Logs pages for requests you do not recognise.",
		DocsURL:       "https://console.groq.com/docs/quickstart",
	}

	return []Rule{
		{
			ID:          "groq-api-key",
			Provider:    "Groq",
			Description: "GroqCloud API key (gsk_ followed by 52 alphanumeric characters). Format: https://console.groq.com/docs/quickstart",
			Keywords:    []string{"gsk_"},
			Pattern:     uniqueToken(`gsk_[A-Za-z0-9]{52}`, tokenChars),
			Group:       1,
			MinEntropy:  4.2,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: groq,
			TruePositives: []string{
				`GROQ_API_KEY=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`,
				`client = Groq(api_key="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")`,
				`  groq: { apiKey: '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' },`,
			},
			FalsePositives: []string{
				`GROQ_API_KEY=gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`GROQ_API_KEY=gsk_your_groq_api_key`,
				`GROQ_API_KEY=gsk_tR8eTgzZSb3gGXwfxQWNZC35RgXa7pMwRBRj`,
			},
		},
	}
}

// mistralRules returns the rules for Mistral AI.
func mistralRules() []Rule {
	mistral := Remediation{
		What:          "A Mistral AI API key: it calls La Plateforme's models billed to the workspace.",
		RevokeURL:     "https://console.mistral.ai/api-keys",
		Revoke:        "In the Mistral console open API Keys and delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key with an expiry date, store it as MISTRAL_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the console's Usage page for requests and spend you do not recognise.",
		DocsURL:       "https://docs.mistral.ai/getting-started/quickstart/",
	}

	return []Rule{
		{
			ID:          "mistral-api-key",
			Provider:    "Mistral AI",
			Description: "Mistral AI API key: 32 alphanumeric characters next to 'mistral'. Format: https://docs.mistral.ai/getting-started/quickstart/",
			Keywords:    []string{"mistral"},
			Pattern:     aiNear(`mistral`, `[A-Za-z0-9]{32}`),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: mistral,
			TruePositives: []string{
				`MISTRAL_API_KEY=TIz0lMKZIVvPZ25HBKRgOKeRXHAfC5zK`,
				`client = Mistral(api_key="tnXAi8VdznOy1v0fbkhjkxADMv1Zv2JE")`,
				`  mistral_key: 'x3v6yJ3A0AvzXV23iRUtLptkzlVeQALY'`,
			},
			FalsePositives: []string{
				`MISTRAL_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])`,
				`model = "mistralai/Mistral7BInstructV02ExtendedCtx"`,
				`MISTRAL_API_KEY=TIz0lMKZIVvPZ25HBKRgOKeRX`,
			},
		},
	}
}

// perplexityRules returns the rules for Perplexity.
func perplexityRules() []Rule {
	perplexity := Remediation{
		What:          "A Perplexity API key: it calls the Sonar API billed to the account's API credits.",
		RevokeURL:     "https://www.perplexity.ai/settings/api",
		Revoke:        "Open Settings → API, find the key in the API keys list and delete it.",
		RevokeCommand: "",
		Rotate:        "Generate a new key, store it as PERPLEXITY_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the usage and credit balance on the API settings page for consumption you do not recognise.",
		DocsURL:       "https://docs.perplexity.ai/guides/getting-started",
	}

	return []Rule{
		{
			ID:          "perplexity-api-key",
			Provider:    "Perplexity",
			Description: "Perplexity API key (pplx- followed by 48 alphanumeric characters). Format: https://docs.perplexity.ai/guides/getting-started",
			Keywords:    []string{"pplx-"},
			Pattern:     uniqueToken(`pplx-[A-Za-z0-9]{48}`, tokenChars),
			Group:       1,
			MinEntropy:  4,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: perplexity,
			TruePositives: []string{
				`PERPLEXITY_API_KEY=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`,
				`client = OpenAI(api_key="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", base_url="https://api.perplexity.ai")`,
				`curl https://api.perplexity.ai/chat/completions -H 'Authorization: Bearer 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'`,
			},
			FalsePositives: []string{
				`PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`PERPLEXITY_API_KEY=pplx-rOPrhG78tooOrEhtobMqKp8joDgSM7`,
				`PERPLEXITY_API_KEY=pplx-your-api-key-here`,
			},
		},
	}
}

// xAIRules returns the rules for xAI.
func xAIRules() []Rule {
	xai := Remediation{
		What:          "An xAI API key: it calls the Grok models billed to the team.",
		RevokeURL:     "https://console.x.ai",
		Revoke:        "In the xAI console open the team's API Keys page and delete (or disable) the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key limited to the models and endpoints needed, store it as XAI_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the console's Usage and billing pages for requests you do not recognise.",
		DocsURL:       "https://docs.x.ai/docs/overview",
	}

	return []Rule{
		{
			ID:          "xai-api-key",
			Provider:    "xAI",
			Description: "xAI (Grok) API key (xai- followed by 80 alphanumeric characters). Format: https://docs.x.ai/docs/overview",
			Keywords:    []string{"xai-"},
			Pattern:     uniqueToken(`xai-[A-Za-z0-9]{80}`, tokenChars),
			Group:       1,
			MinEntropy:  4.5,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: xai,
			TruePositives: []string{
				`XAI_API_KEY=xai-5zByS1pUx24Paxaf3AIVssVxRX8JTCw2qtGXyG99kUvoXRBmW5eOI7tuStwXWs7RSduo9ebvAQDdYOjR`,
				`client = Client(api_key="xai-nEzDT5EtMJBM7y0Sbb8kJhBk3khadTJMCvciYzUaS3nfrT20QcoUfvOWiQzyBwex1LmdD3WaX7dcU19O")`,
				`  "grok": {"apiKey": "xai-OiwVCW9fm7fyp6l5TMXBuWP7XfSu8xv1Bm8xK0d8sxPykMjNKqkp3o1XTYi2NR7KR9VCVzAUwgzOhf8x"}`,
			},
			FalsePositives: []string{
				`XAI_API_KEY=xai-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`XAI_API_KEY=xai-your-xai-api-key`,
				`XAI_API_KEY=xai-5zByS1pUx24Paxaf3AIVssVxRX8JTCw2qtGXyG99kUvo`,
			},
		},
	}
}

// deepSeekRules returns the rules for DeepSeek.
func deepSeekRules() []Rule {
	deepseek := Remediation{
		What:          "A DeepSeek API key: it calls the DeepSeek models billed to the account balance.",
		RevokeURL:     "https://platform.deepseek.com/api_keys",
		Revoke:        "On the DeepSeek platform open API keys and delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check https://platform.deepseek.com/usage for consumption you do not recognise.",
		DocsURL:       "https://api-docs.deepseek.com/",
	}

	return []Rule{
		{
			ID:            "deepseek-api-key",
			Provider:      "DeepSeek",
			Description:   "DeepSeek API key: sk- followed by 32 lower-case hex characters, within three lines of 'deepseek'. Format: https://api-docs.deepseek.com/",
			Keywords:      []string{"deepseek"},
			KeywordWindow: 3,
			Pattern:       uniqueToken(`sk-[a-f0-9]{32}`, tokenChars),
			Group:         1,
			MinEntropy:    3.2,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   deepseek,
			TruePositives: []string{
				`DEEPSEEK_API_KEY=sk-fcbd59ebc9085848246d7e26790af23b`,
				"client = OpenAI(\n    api_key=\"sk-596cc253689ace72bec9edc64f07627f\",\n    base_url=\"https://api.deepseek.com\",\n)",
				`deepseek: { key: 'sk-e799131f1da0b1d55032f6762d10b390' }`,
			},
			FalsePositives: []string{
				`DEEPSEEK_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`DEEPSEEK_API_KEY=sk-fcbd59ebc9085848246d7e26790af2`,
				`OTHER_API_KEY=sk-fcbd59ebc9085848246d7e26790af23b`,
				`DEEPSEEK_API_KEY=${DEEPSEEK_API_KEY}`,
			},
		},
	}
}

// togetherRules returns the rules for Together AI.
func togetherRules() []Rule {
	together := Remediation{
		What:          "A Together AI API key: it runs inference, fine-tuning and dedicated endpoints billed to the account.",
		RevokeURL:     "https://api.together.ai/settings/api-keys",
		Revoke:        "Open Settings → API Keys in the Together AI dashboard and revoke the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it as TOGETHER_API_KEY in your secret manager, redeploy, then revoke the old key.",
		Misuse:        "Check the dashboard's Billing/usage pages and the list of fine-tuning jobs and endpoints for activity you did not start.",
		DocsURL:       "https://docs.together.ai/docs/quickstart",
	}

	return []Rule{
		{
			ID:          "together-api-key",
			Provider:    "Together AI",
			Description: "Together AI API key (tgp_v1_ followed by 43 base64url characters). Format: https://docs.together.ai/docs/quickstart",
			Keywords:    []string{"tgp_v1_"},
			Pattern:     uniqueToken(`tgp_v1_[A-Za-z0-9_-]{43}`, tokenChars),
			Group:       1,
			MinEntropy:  4,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: together,
			TruePositives: []string{
				`TOGETHER_API_KEY=tgp_v1_ydVFHPUnFhc_SRoC8FoMTGYcbHdkfvP6x83SvcSmTbD`,
				`client = Together(api_key="tgp_v1_X50JDViUBJpZXinTpz5hX_0cmvdGums4qaOa5IwaFyo")`,
				`  together_key: tgp_v1_TFYVuzjkk8NW7H6RwBKo3vnjDtU3PBzvzIsKkXXGH_6`,
			},
			FalsePositives: []string{
				`TOGETHER_API_KEY=tgp_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`TOGETHER_API_KEY=tgp_v1_ydVFHPUnFhc_SRoC8FoMTGYc`,
				`TOGETHER_API_KEY=tgp_v1_your_together_api_key_goes_right_here_ok`,
			},
		},
		{
			ID:          "together-legacy-api-key",
			Provider:    "Together AI",
			Description: "Legacy Together AI API key: 64 lower-case hex characters next to 'together'. Format: https://docs.together.ai/docs/quickstart",
			Keywords:    []string{"together"},
			Pattern:     aiNear(`together`, `[a-f0-9]{64}`),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  Medium,
			Remediation: together,
			TruePositives: []string{
				`TOGETHER_API_KEY=62bfb1ee5bace6b6c0e3a2508b1d1fc4f138b077973747eefa9cca199f74284d`,
				`client = Together(api_key="e3e085ab3037c21ae2b22d48ee7f1e2c9bc9e8079c2bc1e7ca3a927638bfbe21")`,
				`together_api_key: '1bf21ad053162e9ceb8da08b23b1a9bdd18680b6f00a62d552c1e99914ab2ebe'`,
			},
			FalsePositives: []string{
				`TOGETHER_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`together_sha256: 62bfb1ee5bace6b6c0e3a2508b1d1fc4f138b077973747eefa9cca199f74284d`,
				`TOGETHER_API_KEY=62bfb1ee5bace6b6c0e3a2508b1d1fc4f138b077973747eefa9cca199f7428`,
			},
		},
	}
}

// fireworksRules returns the rules for Fireworks AI.
func fireworksRules() []Rule {
	fireworks := Remediation{
		What:          "A Fireworks AI API key: it runs inference and manages models and deployments of the account.",
		RevokeURL:     "https://app.fireworks.ai/settings/users/api-keys",
		Revoke:        "In the Fireworks dashboard open Settings → API Keys and delete the key.",
		RevokeCommand: "firectl delete api-key <KEY_ID>",
		Rotate:        "Create a new key (firectl create api-key), store it as FIREWORKS_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the dashboard's Usage/billing page and the deployments and models lists for activity you did not start.",
		DocsURL:       "https://docs.fireworks.ai/api-reference/introduction",
	}

	return []Rule{
		{
			ID:          "fireworks-api-key",
			Provider:    "Fireworks AI",
			Description: "Fireworks AI API key (fw_ followed by 24 to 40 alphanumeric characters). Format: https://docs.fireworks.ai/api-reference/introduction",
			Keywords:    []string{"fw_"},
			Pattern:     uniqueToken(`fw_[A-Za-z0-9]{24,40}`, tokenChars),
			Group:       1,
			MinEntropy:  3.8,
			Validators:  []Validator{HasLetterAndDigit, HasMixedCase},
			Confidence:  Medium,
			Remediation: fireworks,
			TruePositives: []string{
				`FIREWORKS_API_KEY=fw_vAOYDZpaGm2nhyp4E2btp6qa`,
				`llm = Fireworks(api_key="fw_dHhNG0VbMmvxClrpT6lXQVYL", model=model_id)`,
				`curl https://api.fireworks.ai/inference/v1/models -H "Authorization: Bearer fw_9nRSToBm9UWJi80j6VkdofSFa2Tq7"`,
			},
			FalsePositives: []string{
				`FIREWORKS_API_KEY=fw_xxxxxxxxxxxxxxxxxxxxxxxx`,
				`#define FW_THROTTLE_ALLOWED_REQ_STS_MASK 0x10`,
				`static int fw_sessionhairpinmodeenabled2 = 0;`,
				`FIREWORKS_API_KEY=fw_your_fireworks_key`,
			},
		},
	}
}

// elevenLabsRules returns the rules for ElevenLabs.
func elevenLabsRules() []Rule {
	eleven := Remediation{
		What:          "An ElevenLabs API key: it generates speech and clones voices billed to the account's character quota, and can read its voices and history.",
		RevokeURL:     "https://elevenlabs.io/app/settings/api-keys",
		Revoke:        "Open Settings → API Keys in ElevenLabs and delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key restricted to the endpoints needed and with a credit limit, store it in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the Usage analytics and the generation History for requests you did not make, and the Voices list for new clones.",
		DocsURL:       "https://elevenlabs.io/docs/api-reference/authentication",
	}

	return []Rule{
		{
			ID:            "elevenlabs-api-key",
			Provider:      "ElevenLabs",
			Description:   "ElevenLabs API key: sk_ followed by 48 lower-case hex characters, within three lines of 'elevenlabs' or 'xi-api-key'. Format: https://elevenlabs.io/docs/api-reference/authentication",
			Keywords:      []string{"elevenlabs", "eleven_labs", "xi-api-key", "xi_api_key"},
			KeywordWindow: 3,
			Pattern:       uniqueToken(`sk_[a-f0-9]{48}`, tokenChars),
			Group:         1,
			MinEntropy:    3.3,
			Validators:    []Validator{HasLetterAndDigit},
			Confidence:    Medium,
			Remediation:   eleven,
			TruePositives: []string{
				`ELEVENLABS_API_KEY=sk_64ad3d1e19c55bb941191253d0d5568568698a7a92f1184f`,
				`curl https://api.elevenlabs.io/v1/voices -H "xi-api-key: sk_3401f4f7a48825d39f2035bf678849a8d6113387705515c2"`,
				"from elevenlabs.client import ElevenLabs\n\nclient = ElevenLabs(api_key=\"sk_cf5d1a491578499e0e7b1713172df3b731b143f1de8cc3bd\")",
			},
			FalsePositives: []string{
				`ELEVENLABS_API_KEY=sk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`ELEVENLABS_API_KEY=sk_64ad3d1e19c55bb941191253d0d556856869`,
				`STRIPE_KEY=sk_64ad3d1e19c55bb941191253d0d5568568698a7a92f1184f`,
			},
		},
		{
			ID:          "elevenlabs-legacy-api-key",
			Provider:    "ElevenLabs",
			Description: "Legacy ElevenLabs API key: 32 lower-case hex characters next to 'elevenlabs' or 'xi-api-key'. Format: https://elevenlabs.io/docs/api-reference/authentication",
			Keywords:    []string{"elevenlabs", "eleven_labs", "xi-api-key", "xi_api_key"},
			Pattern:     aiNear(`elevenlabs|eleven_labs|xi[-_]api[-_]key`, `[a-f0-9]{32}`),
			Group:       1,
			MinEntropy:  3.2,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: eleven,
			TruePositives: []string{
				`ELEVENLABS_API_KEY=f91cbd146a4bd5f4ebe96442c6265329`,
				`headers = {"xi-api-key": "d965ee565847fd9277470d20439fd140"}`,
				`elevenlabs_key: 'a7c21805f7468fbfeef532f13a46e554'`,
			},
			FalsePositives: []string{
				`ELEVENLABS_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`headers = {"xi-api-key": os.getenv("ELEVENLABS_API_KEY")}`,
				`# md5 of elevenlabs sample.mp3: f91cbd146a4bd5f4ebe96442c6265329`,
				`ELEVENLABS_API_KEY=f91cbd146a4bd5f4ebe96442c62653`,
			},
		},
	}
}

// assemblyAIRules returns the rules for AssemblyAI.
func assemblyAIRules() []Rule {
	assembly := Remediation{
		What:          "An AssemblyAI API key: it submits transcription jobs billed to the account and reads its past transcripts.",
		RevokeURL:     "https://www.assemblyai.com/app/api-keys",
		Revoke:        "In the AssemblyAI dashboard open API Keys and delete (or regenerate) the key.",
		RevokeCommand: "",
		Rotate:        "Create a new key, store it as ASSEMBLYAI_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the dashboard's Usage page and transcript history for jobs you did not submit; transcripts may have been read.",
		DocsURL:       "https://www.assemblyai.com/docs/api-reference/overview",
	}

	return []Rule{
		{
			ID:          "assemblyai-api-key",
			Provider:    "AssemblyAI",
			Description: "AssemblyAI API key: 32 lower-case hex characters next to 'assemblyai'. Format: https://www.assemblyai.com/docs/api-reference/overview",
			Keywords:    []string{"assemblyai", "assembly_ai", "aai.settings.api_key"},
			Pattern:     aiNear(`assembly_?ai|aai\.settings\.api_key`, `[a-f0-9]{32}`),
			Group:       1,
			MinEntropy:  3.2,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: assembly,
			TruePositives: []string{
				`ASSEMBLYAI_API_KEY=da3b99454b26825b91970aa924af4ca8`,
				`aai.settings.api_key = "31d98e427589f8d669a9459303deae1a"`,
				`const client = new AssemblyAI({ apiKey: '67aaa7faca216c42aeebffc78bec6758' });`,
			},
			FalsePositives: []string{
				`ASSEMBLYAI_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`ASSEMBLYAI_API_KEY=your_assemblyai_api_key`,
				`assemblyai_checksum: da3b99454b26825b91970aa924af4ca8`,
			},
		},
	}
}

// deepgramRules returns the rules for Deepgram.
func deepgramRules() []Rule {
	deepgram := Remediation{
		What:          "A Deepgram API key: it transcribes and synthesises speech billed to the project and, with admin scopes, manages the project's keys and members.",
		RevokeURL:     "https://console.deepgram.com/",
		Revoke:        "In the Deepgram console open the project's Settings → API Keys and delete the key.",
		RevokeCommand: `curl -X DELETE https://api.deepgram.com/v1/projects/<PROJECT_ID>/keys/<KEY_ID> -H "Authorization: Token <ADMIN_KEY>"`,
		Rotate:        "Create a new key with the Member role and an expiry, store it as DEEPGRAM_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the project's Usage page and request logs for requests you do not recognise, and its API keys and members for changes.",
		DocsURL:       "https://developers.deepgram.com/docs/create-additional-api-keys",
	}

	return []Rule{
		{
			ID:          "deepgram-api-key",
			Provider:    "Deepgram",
			Description: "Deepgram API key: 40 lower-case hex characters next to 'deepgram'. Format: https://developers.deepgram.com/docs/create-additional-api-keys",
			Keywords:    []string{"deepgram"},
			Pattern:     aiNear(`deepgram`, `[a-f0-9]{40}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: deepgram,
			TruePositives: []string{
				`DEEPGRAM_API_KEY=b2a05c1f86cc9d48b5c9bd5da27f45bcd8bc125a`,
				`deepgram = DeepgramClient("5de24c4cf58c8426c75b736bce8964827b0b53a4")`,
				`  deepgram_token: '1e222ee21c29a9dcd7f1bb0e4af140b897b2e7ef'`,
			},
			FalsePositives: []string{
				`DEEPGRAM_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`deepgram-sdk @ git+https://github.com/deepgram/deepgram-python-sdk@b2a05c1f86cc9d48b5c9bd5da27f45bcd8bc125a # commit`,
				`DEEPGRAM_API_KEY=b2a05c1f86cc9d48b5c9bd5da27f45bcd8`,
			},
		},
	}
}

// pineconeRules returns the rules for Pinecone.
func pineconeRules() []Rule {
	pinecone := Remediation{
		What:          "A Pinecone API key: it reads, writes and deletes the vectors of every index in its project and manages the indexes.",
		RevokeURL:     "https://app.pinecone.io/",
		Revoke:        "In the Pinecone console select the project, open API keys and delete the key.",
		RevokeCommand: `curl -X DELETE https://api.pinecone.io/admin/api-keys/<KEY_ID> -H "Authorization: Bearer <ACCESS_TOKEN>" -H "X-Pinecone-Api-Version: 2025-04"`,
		Rotate:        "Create a new key with the narrowest role (ReadOnly or ReadWrite on data plane only), store it as PINECONE_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check the project's usage and index statistics (record counts) for unexpected reads, writes or deletions, and the audit logs on Enterprise plans.",
		DocsURL:       "https://docs.pinecone.io/guides/projects/manage-api-keys",
	}

	return []Rule{
		{
			ID:          "pinecone-api-key",
			Provider:    "Pinecone",
			Description: "Pinecone API key (pcsk_, a short key ID, _ and 63 alphanumeric characters). Format: https://docs.pinecone.io/guides/projects/manage-api-keys",
			Keywords:    []string{"pcsk_"},
			Pattern:     uniqueToken(`pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{55,70}`, tokenChars),
			Group:       1,
			MinEntropy:  4.3,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  High,
			Remediation: pinecone,
			TruePositives: []string{
				`PINECONE_API_KEY=pcsk_RxMMhT_zToF3NxgL2YhACdCRFzTUOEWeYNG2MMzh807ebiMI4FHwsQFmoohIqrZ2pJnkVw`,
				`pc = Pinecone(api_key="pcsk_fDQSHI_LpKToltUcKvs2jl3eY73KPh5pG690rzXxXVGvoyOoVlzrtwfI8TPmRpPD30beu7")`,
				`  pinecone: { apiKey: 'pcsk_08DdNf_5au8SyUrOOGg03gL3Y6ZEsFS0oiW0pVAAuPL7Sh4zDpVEl0dUvqdT4RMXizpqgL' },`,
			},
			FalsePositives: []string{
				`PINECONE_API_KEY=pcsk_...`,
				`PINECONE_API_KEY=pcsk_xxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`PINECONE_API_KEY=pcsk_RxMMhT_zToF3NxgL2YhACdCRFzTUOEWeYNG2MMzh`,
			},
		},
	}
}

// langSmithRules returns the rules for LangSmith.
func langSmithRules() []Rule {
	langsmith := Remediation{
		What:          "A LangSmith API key: it reads and writes the traces, datasets and prompts of the workspace (service keys act for the whole organization).",
		RevokeURL:     "https://smith.langchain.com/settings",
		Revoke:        "In LangSmith open Settings → API Keys and delete the key.",
		RevokeCommand: "",
		Rotate:        "Create a new personal access token or service key with an expiry, store it as LANGSMITH_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Traces can hold prompts and user data: check the workspace's projects, datasets and prompts for access or changes you did not make.",
		DocsURL:       "https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key",
	}

	return []Rule{
		{
			ID:          "langsmith-api-key",
			Provider:    "LangSmith",
			Description: "LangSmith personal access token (lsv2_pt_) or service key (lsv2_sk_): 32 hex characters, _ and 10 hex characters. Format: https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key",
			Keywords:    []string{"lsv2_pt_", "lsv2_sk_"},
			Pattern:     uniqueToken(`lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}`, tokenChars),
			Group:       1,
			MinEntropy:  3.3,
			Confidence:  High,
			Remediation: langsmith,
			TruePositives: []string{
				`LANGSMITH_API_KEY=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`,
				`os.environ["LANGCHAIN_API_KEY"] = "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"`,
				`  langsmith_key: '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'`,
			},
			FalsePositives: []string{
				`LANGSMITH_API_KEY=lsv2_pt_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxx`,
				`LANGSMITH_API_KEY=lsv2_pt_...`,
				`LANGSMITH_API_KEY=lsv2_pt_3c7ab4773eb5e5b94674efe4572f7db2`,
			},
		},
	}
}

// wandbRules returns the rules for Weights & Biases.
func wandbRules() []Rule {
	wandb := Remediation{
		What:          "A Weights & Biases API key: it acts as the user for every team the user belongs to: reads and writes runs, artifacts and models.",
		RevokeURL:     "https://wandb.ai/settings",
		Revoke:        "Open User settings → API keys in W&B and delete the key (or use 'Reset' on older accounts).",
		RevokeCommand: "",
		Rotate:        "Create a new key, update WANDB_API_KEY in CI and training environments (wandb login --relogin), then delete the old key.",
		Misuse:        "Check recent runs and artifact versions in your projects for entries you did not create, and the organization audit logs on Enterprise.",
		DocsURL:       "https://docs.wandb.ai/guides/track/environment-variables",
	}

	return []Rule{
		{
			ID:          "wandb-api-key",
			Provider:    "Weights & Biases",
			Description: "Weights & Biases API key: 40 lower-case hex characters next to 'wandb'. Format: https://docs.wandb.ai/guides/track/environment-variables",
			Keywords:    []string{"wandb"},
			Pattern:     aiNear(`wandb`, `[a-f0-9]{40}`),
			Group:       1,
			MinEntropy:  3.3,
			Validators:  []Validator{HasLetterAndDigit},
			Confidence:  Medium,
			Remediation: wandb,
			TruePositives: []string{
				`export WANDB_API_KEY=9eac6cc46641c09e128d5de7ed86019816ff5b12`,
				`wandb login 05d17e9a764c6721bbda1d118667ba84a18d6c6b`,
				`wandb.login(key="55a867ed428a4c849d6ca9a393827b8d4e070297")`,
			},
			FalsePositives: []string{
				`WANDB_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`wandb.login(key=os.environ["WANDB_API_KEY"])`,
				`wandb @ git+https://github.com/wandb/wandb@9eac6cc46641c09e128d5de7ed86019816ff5b12 # commit`,
				`WANDB_API_KEY=9eac6cc46641c09e128d5de7ed86019816ff`,
			},
		},
	}
}

// openRouterRules returns the rules for OpenRouter.
func openRouterRules() []Rule {
	openrouter := Remediation{
		What:          "An OpenRouter API key: it calls any model on OpenRouter billed to the account's credits.",
		RevokeURL:     "https://openrouter.ai/settings/keys",
		Revoke:        "Open Settings → Keys on OpenRouter and delete (or disable) the key.",
		RevokeCommand: `curl -X DELETE https://openrouter.ai/api/v1/keys/<KEY_HASH> -H "Authorization: Bearer <PROVISIONING_KEY>"`,
		Rotate:        "Create a new key with a credit limit, store it as OPENROUTER_API_KEY in your secret manager, redeploy, then delete the old key.",
		Misuse:        "Check https://openrouter.ai/activity for generations and spend you do not recognise.",
		DocsURL:       "https://openrouter.ai/docs/api-reference/authentication",
	}

	return []Rule{
		{
			ID:          "openrouter-api-key",
			Provider:    "OpenRouter",
			Description: "OpenRouter API key (sk-or-v1- followed by 64 hex characters). Format: https://openrouter.ai/docs/api-reference/authentication",
			Keywords:    []string{"sk-or-v1-"},
			Pattern:     uniqueToken(`sk-or-v1-[a-f0-9]{64}`, tokenChars),
			Group:       1,
			MinEntropy:  3.5,
			Confidence:  High,
			Remediation: openrouter,
			TruePositives: []string{
				`OPENROUTER_API_KEY=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`,
				`client = OpenAI(base_url="https://openrouter.ai/api/v1", api_key="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")`,
				`  "openrouter": { "key": "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" }`,
			},
			FalsePositives: []string{
				`OPENROUTER_API_KEY=sk-or-v1-...`,
				`OPENROUTER_API_KEY=sk-or-v1-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
				`OPENROUTER_API_KEY=sk-or-v1-cfc0ac5b73d387b42e8550ee57026b7d08c833d0df3ec2b1f97b77`,
			},
		},
	}
}

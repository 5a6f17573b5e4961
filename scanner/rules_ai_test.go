package scanner

// aiPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func aiPeerIDs() map[string][]string {
	return map[string][]string{
		"openai-api-key":                     {"openai-api-key", "openai-project-key", "openai-service-account-key", "openai-admin-key"},
		"anthropic-api-key":                  {"anthropic-api-key"},
		"anthropic-admin-api-key":            {"anthropic-admin-key"},
		"cohere-api-token":                   {"cohere-api-key"},
		"huggingface-access-token":           {"huggingface-access-token"},
		"huggingface-organization-api-token": {"huggingface-org-token"},
		"perplexity-api-key":                 {"perplexity-api-key"},
	}
}

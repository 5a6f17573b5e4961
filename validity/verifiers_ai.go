package validity

import "net/http"

// aiVerifiers check AI providers' keys by listing models: a GET that reads.
func aiVerifiers() []Verifier {
	return []Verifier{
		{
			// GET /v1/models lists the models the key may use.
			RuleIDs:  []string{"openai-api-key", "openai-project-key", "openai-service-account-key"},
			Provider: "OpenAI",
			Host:     "api.openai.com",
			Docs:     "https://platform.openai.com/docs/api-reference/models/list",
			Request:  bearerGET("/v1/models"),
			Judge:    judgeJSON("data", http.StatusUnauthorized),
		},
		{
			// GET /v1/models with x-api-key and anthropic-version.
			RuleIDs:  []string{"anthropic-api-key"},
			Provider: "Anthropic",
			Host:     "api.anthropic.com",
			Docs:     "https://docs.anthropic.com/en/api/models-list",
			Request:  anthropicRequest,
			Judge:    judgeJSON("data", http.StatusUnauthorized),
		},
		{
			// GET /api/whoami-v2 names the token's owner.
			RuleIDs:  []string{"huggingface-access-token", "huggingface-org-token"},
			Provider: "Hugging Face",
			Host:     "huggingface.co",
			Docs:     "https://huggingface.co/docs/hub/api#get-apiwhoami-v2",
			Request:  bearerGET("/api/whoami-v2"),
			Judge:    judgeJSON("name", http.StatusUnauthorized),
		},
		{
			// GET /openai/v1/models (OpenAI-compatible).
			RuleIDs:  []string{"groq-api-key"},
			Provider: "Groq",
			Host:     "api.groq.com",
			Docs:     "https://console.groq.com/docs/api-reference#models-list",
			Request:  bearerGET("/openai/v1/models"),
			Judge:    judgeJSON("data", http.StatusUnauthorized),
		},
		{
			// GET /v1/models.
			RuleIDs:  []string{"mistral-api-key"},
			Provider: "Mistral",
			Host:     "api.mistral.ai",
			Docs:     "https://docs.mistral.ai/api/#tag/models/operation/list_models_v1_models_get",
			Request:  bearerGET("/v1/models"),
			Judge:    judgeJSON("data", http.StatusUnauthorized),
		},
	}
}

func anthropicRequest(in Input) (*http.Request, error) {
	req, err := withHeader("/v1/models", "x-api-key", "")(in)
	if err != nil {
		return nil, err
	}
	req.Header.Set("anthropic-version", "2023-06-01")
	return req, nil
}

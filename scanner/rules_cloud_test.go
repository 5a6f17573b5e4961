package scanner

// cloudPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func cloudPeerIDs() map[string][]string {
	return map[string][]string{
		"aws-access-token":                       {"aws-access-key-id", "aws-temporary-access-key-id"},
		"aws-amazon-bedrock-api-key-long-lived":  {"aws-bedrock-api-key"},
		"aws-amazon-bedrock-api-key-short-lived": {"aws-bedrock-short-term-api-key"},
		"gcp-api-key":                            {"gcp-api-key"},
		"gcp-service-account":                    {"gcp-service-account-key-id"},
		"azure-ad-client-secret":                 {"azure-entra-client-secret"},
		"alibaba-access-key-id":                  {"alibaba-access-key-id"},
		"alibaba-secret-key":                     {"alibaba-access-key-secret"},
		"digitalocean-pat":                       {"digitalocean-pat"},
		"digitalocean-access-token":              {"digitalocean-oauth-token"},
		"digitalocean-refresh-token":             {"digitalocean-refresh-token"},
		"heroku-api-key":                         {"heroku-api-key"},
		"heroku-api-key-v2":                      {"heroku-api-key-v2"},
		"cloudflare-api-key":                     {"cloudflare-api-token-legacy", "cloudflare-api-token"},
		"cloudflare-global-api-key":              {"cloudflare-global-api-key-legacy", "cloudflare-global-api-key"},
		"cloudflare-origin-ca-key":               {"cloudflare-origin-ca-key"},
		"fastly-api-token":                       {"fastly-api-token"},
		"netlify-access-token":                   {"netlify-token-legacy", "netlify-token"},
		"databricks-api-token":                   {"databricks-api-token"},
		"flyio-access-token":                     {"flyio-access-token", "flyio-macaroon-token"},
		"planetscale-api-token":                  {"planetscale-service-token"},
		"planetscale-password":                   {"planetscale-password"},
		"planetscale-oauth-token":                {"planetscale-oauth-token"},
		"yandex-api-key":                         {"yandex-cloud-api-key"},
		"yandex-access-token":                    {"yandex-cloud-iam-token"},
		"yandex-aws-access-token":                {"yandex-cloud-static-key-secret"},
		"confluent-secret-key":                   {"confluent-api-secret"},
		"clickhouse-cloud-api-secret-key":        {"clickhouse-cloud-api-secret"},
		"openshift-user-token":                   {"openshift-oauth-token"},
	}
}

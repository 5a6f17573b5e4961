package scanner

import (
	"strings"
	"testing"
)

// assignmentForms renders a name N and a value V in every assignment form
// the shared grammar promises to understand.
var assignmentForms = []struct {
	form   string
	render func(n, v string) string
}{
	{"=", func(n, v string) string { return n + "=" + v }},
	{":=", func(n, v string) string { return n + ` := "` + v + `"` }},
	{":", func(n, v string) string { return n + ": " + v }},
	{"=>", func(n, v string) string { return `'` + n + `' => '` + v + `',` }},
	{"+=", func(n, v string) string { return n + ` += "` + v + `"` }},
	{"(", func(n, v string) string { return "    " + n + `("` + v + `")` }},
	{", in a call", func(n, v string) string { return `os.Setenv("` + n + `", "` + v + `")` }},
	{"JSON", func(n, v string) string { return `{"` + n + `": "` + v + `"}` }},
	{"YAML", func(n, v string) string { return "  " + n + ": '" + v + "'" }},
	{"TOML", func(n, v string) string { return n + ` = "` + v + `"` }},
	{"HCL", func(n, v string) string { return "  " + n + `      = "` + v + `"` }},
	{".env", func(n, v string) string { return n + "=" + v }},
	{"export", func(n, v string) string { return `export ` + n + `="` + v + `"` }},
	{"set", func(n, v string) string { return `set ` + n + `=` + v }},
	{"XML element", func(n, v string) string { return "<" + n + ">" + v + "</" + n + ">" }},
	{"XML attribute", func(n, v string) string { return `<add key="` + n + `" value="` + v + `" />` }},
	{"Java properties", func(n, v string) string { return n + " = " + v }},
	{"PowerShell", func(n, v string) string { return `$` + n + ` = "` + v + `"` }},
	{"shell flag", func(n, v string) string {
		return "deploy --" + strings.ToLower(strings.ReplaceAll(n, "_", "-")) + " " + v + " --verbose"
	}},
}

// grammarSamples are rules of every family file with a name their pattern
// needs (any name for a self-identifying token) and, when the secret alone is
// not what the rule's pattern matches, the value to assign.
var grammarSamples = []struct {
	file, rule, name, value string
}{
	{"rules_ai.go", "openai-project-key", "OPENAI_API_KEY", ""},
	{"rules_ai.go", "huggingface-access-token", "HF_TOKEN", ""},
	{"rules_ai.go", "cohere-api-key", "COHERE_API_KEY", ""},
	{"rules_ai.go", "mistral-api-key", "MISTRAL_API_KEY", ""},
	{"rules_cloud_aws.go", "aws-access-key-id", "AWS_ACCESS_KEY_ID", ""},
	{"rules_cloud_aws.go", "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY", ""},
	{"rules_cloud_aws.go", "aws-session-token-assignment", "AWS_SESSION_TOKEN", ""},
	{"rules_cloud_gcp_azure.go", "gcp-api-key", "GOOGLE_API_KEY", ""},
	{"rules_cloud_gcp_azure.go", "azure-cosmosdb-key-assignment", "COSMOS_KEY", ""},
	{"rules_cloud_gcp_azure.go", "azure-entra-client-secret", "AZURE_CLIENT_SECRET", ""},
	{"rules_cloud_platforms.go", "alibaba-access-key-secret", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", ""},
	{"rules_cloud_platforms.go", "heroku-api-key", "HEROKU_API_KEY", ""},
	{"rules_cloud_platforms.go", "cloudflare-api-token-legacy", "CLOUDFLARE_API_TOKEN", ""},
	{"rules_cloud_platforms.go", "digitalocean-pat", "DIGITALOCEAN_TOKEN", ""},
	{"rules_cloud_infra.go", "linode-api-token", "LINODE_TOKEN", ""},
	{"rules_cloud_infra.go", "hetzner-cloud-api-token", "HCLOUD_TOKEN", ""},
	{"rules_cloud_infra.go", "railway-api-token", "RAILWAY_TOKEN", ""},
	{"rules_cloud_infra.go", "flyio-access-token", "FLY_API_TOKEN", ""},
	{"rules_saas_apps.go", "zendesk-api-token", "ZENDESK_API_TOKEN", ""},
	{"rules_saas_apps.go", "facebook-app-secret", "FACEBOOK_APP_SECRET", ""},
	{"rules_saas_apps.go", "contentful-personal-access-token", "CONTENTFUL_TOKEN", ""},
	{"rules_saas_commerce.go", "stripe-secret-key", "STRIPE_SECRET_KEY", ""},
	{"rules_saas_commerce.go", "square-application-secret", "SQUARE_SECRET", ""},
	{"rules_saas_commerce.go", "shopify-access-token", "SHOPIFY_TOKEN", ""},
	{"rules_saas_email.go", "twilio-auth-token", "TWILIO_AUTH_TOKEN", ""},
	{"rules_saas_email.go", "postmark-api-token", "POSTMARK_SERVER_TOKEN", ""},
	{"rules_saas_email.go", "mailjet-secret-key", "MAILJET_SECRET_KEY", ""},
	{"rules_saas_email.go", "sendgrid-api-key", "SENDGRID_API_KEY", ""},
	{"rules_saas_messaging.go", "slack-bot-token", "SLACK_BOT_TOKEN", ""},
	{"rules_saas_messaging.go", "slack-app-token", "SLACK_APP_TOKEN", ""},
	{"rules_saas_messaging.go", "discord-bot-token", "DISCORD_BOT_TOKEN", ""},
	{"rules_saas_observability.go", "datadog-api-key", "DATADOG_API_KEY", ""},
	{"rules_saas_observability.go", "datadog-app-key", "DD_APP_KEY", ""},
	{"rules_saas_observability.go", "sentry-legacy-auth-token", "SENTRY_AUTH_TOKEN", ""},
	{"rules_saas_observability.go", "newrelic-user-api-key", "NEW_RELIC_API_KEY", ""},
	{"rules_devtools_ci.go", "snyk-api-token", "SNYK_TOKEN", ""},
	{"rules_devtools_ci.go", "codecov-upload-token", "CODECOV_TOKEN", ""},
	{"rules_devtools_ci.go", "drone-ci-token", "DRONE_TOKEN", ""},
	{"rules_devtools_ci.go", "buildkite-api-token", "BUILDKITE_TOKEN", ""},
	{"rules_devtools_collab.go", "atlassian-api-token-legacy", "JIRA_API_TOKEN", ""},
	{"rules_devtools_collab.go", "auth0-client-secret", "AUTH0_CLIENT_SECRET", ""},
	{"rules_devtools_collab.go", "okta-api-token", "OKTA_API_TOKEN", ""},
	{"rules_devtools_collab.go", "linear-api-key", "LINEAR_API_KEY", ""},
	{"rules_devtools_github.go", "github-pat", "GITHUB_TOKEN", ""},
	{"rules_devtools_github.go", "github-fine-grained-pat", "GH_TOKEN", ""},
	{"rules_devtools_github.go", "github-oauth-token", "GITHUB_OAUTH_TOKEN", ""},
	{"rules_devtools_gitlab.go", "gitlab-pat", "GITLAB_TOKEN", ""},
	{"rules_devtools_gitlab.go", "gitlab-runner-token", "RUNNER_TOKEN", ""},
	{"rules_devtools_gitlab.go", "gitlab-deploy-token", "DEPLOY_TOKEN", ""},
	{"rules_devtools_registries.go", "npm-access-token", "NPM_TOKEN", ""},
	{"rules_devtools_registries.go", "pypi-upload-token", "TWINE_PASSWORD", ""},
	{"rules_devtools_registries.go", "dockerhub-pat", "DOCKER_PASSWORD", ""},
	{"rules_devtools_secrets.go", "vault-service-token", "VAULT_TOKEN", ""},
	{"rules_devtools_secrets.go", "doppler-service-token", "DOPPLER_TOKEN", ""},
	{"rules_devtools_secrets.go", "pulumi-access-token", "PULUMI_ACCESS_TOKEN", ""},
	{"rules_connstr.go", "postgres-connection-uri", "DATABASE_URL", "postgres://app:Zq4vN8rT2pLx@db.internal:5432/app"},
	{"rules_connstr.go", "redis-connection-uri", "REDIS_URL", "redis://:Wm7kP2xR9qLz@cache.internal:6379/0"},
	{"rules_connstr.go", "amqp-connection-uri", "AMQP_URL", "amqps://svc:Hn3cV8tQ5wJy@mq.internal:5671/prod"},
	{"rules_generic.go", "generic-secret", "DB_PASSWORD", "Xq7vR2mLp9sKt4Wz"},
	{"rules_generic.go", "generic-secret-hex", "CLIENT_SECRET", ""},
	{"rules_generic.go", "generic-secret", "api_key", "Xq7vR2mLp9sKt4WzB3nH"},
}

// sampleSecret is the secret a rule reports in the first of its true
// positives that it finds alone on one line.
func sampleSecret(t *testing.T, rs *Ruleset, r Rule) string {
	t.Helper()
	for _, tp := range r.TruePositives {
		if strings.Contains(tp, "\n") {
			continue
		}
		if fs := scanText(t, rs, tp); len(fs) == 1 {
			return fs[0].Secret()
		}
	}
	t.Fatalf("no one-line true positive of %s gives a secret", r.ID)
	return ""
}

// TestGrammarAssignmentForms checks that a sample of rules of every family
// file (private keys excepted: they span lines) finds its secret in every
// assignment form of the shared grammar, exactly once.
func TestGrammarAssignmentForms(t *testing.T) {
	t.Parallel()
	all := defaultRules(t)
	perFile := map[string]int{}
	for _, s := range grammarSamples {
		perFile[s.file]++
		r, ok := all.Rule(s.rule)
		if !ok {
			t.Fatalf("no rule %q", s.rule)
		}
		alone := oneRule(t, r)
		v := s.value
		if v == "" {
			v = sampleSecret(t, alone, r)
		}
		for _, f := range assignmentForms {
			t.Run(s.rule+"/"+f.form, func(t *testing.T) {
				text := f.render(s.name, v)
				if n := countRule(scanText(t, alone, text), r.ID); n != 1 {
					t.Errorf("%d findings, want 1:\n%s", n, text)
				}
			})
		}
	}
	for _, f := range []string{"rules_ai.go", "rules_cloud_aws.go", "rules_cloud_gcp_azure.go", "rules_cloud_platforms.go",
		"rules_cloud_infra.go", "rules_saas_apps.go", "rules_saas_commerce.go", "rules_saas_email.go",
		"rules_saas_messaging.go", "rules_saas_observability.go", "rules_devtools_ci.go", "rules_devtools_collab.go",
		"rules_devtools_github.go", "rules_devtools_gitlab.go", "rules_devtools_registries.go",
		"rules_devtools_secrets.go", "rules_connstr.go", "rules_generic.go"} {
		if perFile[f] < 3 {
			t.Errorf("%s: %d sample rules, want at least 3", f, perFile[f])
		}
	}
}

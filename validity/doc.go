// Package validity asks a secret's provider whether the secret is live: one
// read-only call per secret to the provider's fixed official host, answered
// Live, NotLive or Unknown (network error, timeout, rate limit, redirect,
// an answer the verifier does not recognise, a companion secret missing).
//
// It is the first part of "close the loop" (issue 10) and is off by
// default; the caller decides when to check. The package imports none of
// ours but internal/logkey.
//
// Guarantees:
//   - Each provider's host is a constant in the verifier table (GitHub's is
//     the configured GITHUB_API_URL, so Enterprise Server works; Shopify's
//     is <shop>.myshopify.com, the shop one validated DNS label). Nothing
//     from a repository, a webhook or a diff can change it: companion
//     values are validated and only go into paths or headers, and the
//     Checker refuses any request that is not https to exactly that host.
//     Only Options.HTTPClient, which tests alone set, can dial elsewhere.
//   - Redirects are never followed (a 3xx is Unknown); 429 and 5xx are
//     Unknown; every check has a timeout, the checks in flight are bounded
//     and each provider has its own rate limit.
//   - Results are cached per rule and fingerprint for a short TTL; nothing
//     holds the secret. A Reason is a fixed text (never the provider's
//     body), and errors are scrubbed of the secret and its companions
//     before they are logged.
//
// What is read-only about each call:
//   - GET on the "who am I" or a list endpoint for GitHub (/user;
//     /installation/repositories for installation tokens), GitLab
//     (/personal_access_tokens/self), npm (/-/whoami), Postman (/me),
//     Notion (/users/me), Doppler (/v3/me), Sentry (/organizations/),
//     Asana (/users/me), DigitalOcean (/v2/account), Cloudflare
//     (/user/tokens/verify), Netlify (/user), OpenAI, Anthropic, Groq and
//     Mistral (/models), Hugging Face (/whoami-v2), Discord (/users/@me;
//     GET of a webhook, which does not post), Telegram (getMe), Twilio (the
//     account), SendGrid (/scopes), Mailgun (/domains), Stripe (/balance),
//     Shopify (/admin/oauth/access_scopes.json), Datadog (/validate) and
//     Grafana Cloud (/tokens list).
//   - POST, read-only by the provider's definition: AWS STS
//     GetCallerIdentity (needs no permission, returns the caller), Slack
//     auth.test, Linear GraphQL { viewer { id } } (a query, no mutation).
//   - PyPI has no read endpoint for tokens: the check POSTs an upload that
//     names no project, no version and no file, which PyPI refuses after
//     authenticating (400) or at authentication (403). Nothing can be
//     uploaded, but it is the one call on a write endpoint.
//
// Any authenticated call may update the credential's "last used" time at
// the provider; that is the only trace a check leaves.
package validity

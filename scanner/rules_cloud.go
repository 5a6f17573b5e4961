package scanner

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

// cloudAssign builds a pattern for a value assigned to a key whose name
// matches name (an RE2 fragment, matched case-insensitively): the name, up to
// 30 more identifier characters (AWS_SECRET_ACCESS_KEY, herokuToken), an
// optional closing quote and type ("var x string ="), an assignment operator
// of any common language or format (=, :, :=, =>, .=, ?=, ", " of a call,
// ">" of an XML element), an optional opening quote, and the value, which is
// capture group 1 and must end at a character outside base64/identifiers.
func cloudAssign(name, value string) string {
	return `(?i:` + name + `)[A-Za-z0-9_.-]{0,30}["'\x60\]]{0,2}(?:\s{1,3}[Ss]tr(?:ing)?)?\s{0,5}(?:=>|:::=|::=|:=|\?=|\.=|\+=|=|:|,|>)\s{0,5}(?:\\?["'\x60])?(` +
		value + `)(?:[^A-Za-z0-9_+/=-]|$)`
}

// cloudToken builds a pattern for a self-identifying token: token (an RE2
// fragment) as capture group 1, neither preceded nor followed by a character
// of class (the inside of a bracket expression), so that it never matches
// inside a longer string. An "=" may precede the token even when class holds
// it (as base64 padding): it is then an assignment.
func cloudToken(token, class string) string {
	return `(?:^|[^` + strings.ReplaceAll(class, "=", "") + `])(` + token + `)(?:[^` + class + `]|$)`
}

// validSASSignature accepts the sig= value of an Azure shared access
// signature: URL-encoded standard base64 of a 32-byte HMAC-SHA256.
func validSASSignature(s string) bool {
	dec, err := url.QueryUnescape(s)
	if err != nil {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(dec)
	return err == nil && len(b) == 32
}

// supabaseServiceRoleJWT accepts a Supabase legacy API key JWT for the
// service_role (which bypasses Row Level Security). The anon key is public by
// design and is rejected, as are the keys of the self-hosting demo
// configuration (issuer "supabase-demo"), which are published.
func supabaseServiceRoleJWT(s string) bool {
	return ValidJWT(s) && JWTClaim(s, "role") == "service_role" && JWTClaim(s, "iss") == "supabase"
}

// notSupabaseLocalSecret rejects the fixed secret key that the Supabase CLI
// prints for every local development stack (supabase start); it only works
// against 127.0.0.1.
func notSupabaseLocalSecret(s string) bool {
	return s != "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz"
}

// kubernetesServiceAccountJWT accepts a JWT issued to a Kubernetes service
// account, legacy secret-based or bound: its subject is
// system:serviceaccount:<namespace>:<name>.
func kubernetesServiceAccountJWT(s string) bool {
	return ValidJWT(s) && strings.HasPrefix(JWTClaim(s, "sub"), "system:serviceaccount:")
}

// notNetlifyPrefixed rejects values carrying a current Netlify token prefix,
// which the prefixed-token rule reports.
func notNetlifyPrefixed(s string) bool {
	return !(len(s) > 4 && s[0] == 'n' && s[1] == 'f' && s[3] == '_')
}

// cloudRules returns the rules for cloud and hosting providers.
func cloudRules() []Rule {
	return slices.Concat(
		awsRules(),
		gcpRules(),
		firebaseRules(),
		azureRules(),
		alibabaCloudRules(),
		digitaloceanRules(),
		herokuRules(),
		cloudflareRules(),
		fastlyRules(),
		vercelRules(),
		netlifyRules(),
		supabaseRules(),
		databricksRules(),
		linodeRules(),
		scalewayRules(),
		hetznerCloudRules(),
		ibmCloudRules(),
		flyIoRules(),
		planetscaleRules(),
		railwayRules(),
		yandexCloudRules(),
		tencentCloudRules(),
		backblazeRules(),
		confluentRules(),
		clickhouseCloudRules(),
		openShiftRules(),
		kubernetesRules(),
	)
}

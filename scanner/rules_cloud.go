package scanner

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

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

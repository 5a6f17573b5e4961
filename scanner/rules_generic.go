package scanner

import (
	"regexp"
	"strings"
)

// The generic detector: a high-entropy value assigned to a secret-like name.
// It is Low confidence, so any specific rule matching the same text wins.
//
// A match is built from:
//   - a name that contains a secret word (genWord) with at most a short,
//     known suffix ("_123", "String", "_value"): "DB_PASSWORD",
//     "client_secret", "mySecretString", but not "access_token_url" or
//     "credentialsId";
//   - an assignment in one of the usual forms: KEY=value, key: value,
//     "key": "value", key := "value", key => 'value', $key .= "value",
//     ("KEY", "value"), --password value, <password>value</password>;
//   - a value of 10 to 200 token characters that ends at a quote, space,
//     delimiter or end of line (so "p.next()" or "x[0]" never qualify).
//
// Names that carry a secret word but name something public or non-secret
// (public_key, csrf-token, next_token, page_token) are matched by a first
// alternative without a capture group, which wins (leftmost-first) and
// yields no finding.
const (
	genWord   = `(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?token|client[_.-]?secret|private[_.-]?key|credentials?|creds)`
	genSuffix = `(?:e?s)?(?:[_.-]?(?:[0-9]{1,4}|value|val|str|string|text|raw|b64|base64|key|prod|production|dev|staging|live|do[_-]?not[_-]?commit))?`
	genPrefix = `[A-Za-z0-9_.-]*?`
	// hexWord is generic-secret-hex's secret word.
	hexWord    = `(?:pass(?:word|wd|phrase)|(?:client|app|api|consumer|webhook|signing|session|jwt|cookie|hmac|oauth)[_.-]?secret|secret[_.-]?key|credentials?)`
	genNotSecr = `(?:public|pub|csrf|xsrf|next|page|continuation|cancel|cancellation|idempotency|sync|lexer|parser)`
	// genAssign is the shared grammar's operator (assignOp) after the
	// closing quotes and optional type word of an assignment; the name's
	// own tail is genSuffix, not assignNameTail.
	genAssign = `(?:\\?["'\x60\]]){0,2}` + assignType + assignOp
	genEnd    = `(?:["'` + "`" + `<\\;\s]|$)`
)

// genericPattern assembles the generic rule's expression for a value class.
func genericPattern(word, value string) string {
	name := genPrefix + word + genSuffix
	good := `(?:` + `(?i:` + name + `)` + genAssign +
		`|--(?i:[a-z0-9-]*?` + word + `)(?:=|\s+)["']?` +
		`|<(?i:` + name + `)>\s*` + `)`
	bad := `(?i:` + genPrefix + genNotSecr + `[_.-]?` + word + `)[^\r\n]*`
	return `(?:^|[^A-Za-z0-9_.-])(?:` + bad + `|` + good + `(` + value + `)` + genEnd + `)`
}

var (
	// genIdentifierRe: words with a few trailing digits ("tokenValue2"),
	// snake/kebab/dotted identifiers and constants ("K8S_CRED_NAME",
	// "prod-db-password-2", "config.Token2").
	genIdentifierRe = regexp.MustCompile(`^(?:[A-Za-z]+[0-9]{0,3}|[a-z0-9]+(?:[_.-][a-z0-9]+)+|[A-Z0-9]+(?:[_.-][A-Z0-9]+)+|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)$`)
	// genFileRe: file names and paths.
	genFileRe = regexp.MustCompile(`(?i)^(?:\.{0,2}/|~/)|\.(?:pem|key|p12|pfx|json|ya?ml|txt|crt|cer|der|keytab|jks|keystore|env|ini|conf|cfg|properties|xml|gpg|asc|go|py|js|ts|rb|java|sh|html?)$`)
	// genVersionRe: version strings ("1.2.3", "v0.13.0-rc1").
	genVersionRe = regexp.MustCompile(`[0-9]+\.[0-9]+\.[0-9]+`)
)

// genTestNameRe: Go test, benchmark and example names ("--- PASS: TestX/sub").
var genTestNameRe = regexp.MustCompile(`^(?:Test|Benchmark|Example|Fuzz)[A-Z0-9_]`)

// genValue rejects generic values that are identifiers, file names, paths,
// URLs, version strings, test names, elided ("abc...") or that spell out a
// secret word rather than being random secrets. A
// short value of only lower-case letters and digits must be 20 characters
// long: shorter ones are mostly slugs and test names.
func genValue(s string) bool {
	if genIdentifierRe.MatchString(s) || genFileRe.MatchString(s) || genVersionRe.MatchString(s) ||
		strings.Contains(s, "://") || strings.Contains(s, "...") || genTestNameRe.MatchString(s) {
		return false
	}
	// A value that names a secret ("testRSA2048PrivateKey", "myTokenValue")
	// is a variable, not a secret.
	lower := strings.ToLower(s)
	for _, w := range []string{"privatekey", "private_key", "password", "passwd", "secret", "token", "apikey", "api_key", "credential"} {
		if strings.Contains(lower, w) {
			return false
		}
	}
	return len(s) >= 20 || strings.ToLower(s) != s || strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789") != ""
}

// maxLen rejects values longer than n. Patterns use unbounded repetition and
// this check instead of {m,n}: Go compiles a counted repetition into n copies
// of its operand, and a program that large runs several times slower.
func maxLen(n int) Validator { return func(s string) bool { return len(s) <= n } }

// genericRules returns the rules for the generic detector.
func genericRules() []Rule {
	generic := Remediation{
		What:          "A value that looks like a randomly generated secret (password, token or API key) assigned to a secret-named setting; the service it belongs to is unknown.",
		RevokeURL:     "https://owasp.org/www-project-top-ten/2017/A3_2017-Sensitive_Data_Exposure",
		Revoke:        "Identify the service from the setting's name and where it is used, then revoke or change the credential there; if it is not a secret, allow it with an inline pushguard:allow comment.",
		RevokeCommand: "",
		Rotate:        "Issue a new credential, keep it in a secret manager or CI secret, read it from the environment at runtime, and remove the literal from the code.",
		Misuse:        "Check the owning service's access or audit logs for use of the credential since the commit was pushed.",
		DocsURL:       "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
	}
	return []Rule{
		{
			ID:          "generic-secret",
			Provider:    "Generic",
			Description: "High-entropy value (10-200 characters, letters and digits) assigned to a secret-like name such as password, secret, token, api_key, client_secret, private_key or credentials. Format: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
			Keywords:    []string{"pass", "pwd", "secret", "token", "api_key", "apikey", "api-key", "api.key", "access_key", "accesskey", "access-key", "private_key", "privatekey", "private-key", "credential", "creds"},
			Pattern:     genericPattern(genWord, `[A-Za-z0-9+/=_.~!@#%^-]{10,}`),
			nameTail:    genWord + genSuffix,
			Group:       1,
			MinEntropy:  3.5,
			Validators:  []Validator{maxLen(200), HasLetterAndDigit, NotHexOnly, genValue},
			Precheck:    HasMixedRun(10),
			Confidence:  Low,
			Remediation: generic,
			TruePositives: []string{
				`DB_PASSWORD=Xq7vR2mLp9sKt4Wz`,
				`<add key="DB_PASSWORD" value="Xq7vR2mLp9sKt4Wz" />`,
				`db_password += "Xq7vR2mLp9sKt4Wz"`,
				`  client_secret: "kT8fQ2xVn5LmR9pZc3Wy7HbJ"`,
				`const apiKey = 'aZ4kR9tQm2Xv7LpN5sWc8HyB';`,
				`mySecretString := "p4Rk9XmQ2vLt7Wz5NcJ8"`,
				`<add key="AuthToken" value="x" /><password>Hn3kT9vQx2LmR7pZ</password>`,
				`app --db-password Rt5yU8iO2pLk7JhG --verbose`,
				`System.setProperty("SERVICE_TOKEN", "Vb6Nm3Qw9Er2Ty7UiO4p")`,
			},
			FalsePositives: []string{
				`token := p.next()`,
				`token, err9Xq7vR2mLp := f()`,
				`func checkPassword(password string) error {`,
				`password = "changeme123"`,
				`api_key = ${API_KEY}`,
				`csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuyOuxm`,
				`public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"`,
				`access_token_url='https://github.com/login/oauth/access_token'`,
				`secret_file = "/etc/app/secrets/db-pass2.txt"`,
				`credentialsId: 'ff083f76-7804-4ef1-80e4-fe975bb9141b'`,
				`password: tokenValue2`,
				`next_token = "AAQA0Zx7Ktn3ZkRmQ8vLp2"`,
				`		PrivateKey: testP256PrivateKey,`,
				`			config.Certificates[0].PrivateKey = testRSA2048PrivateKey`,
				`    --- PASS: TestAddrStringAllocs/ipv4 (0.00s)`,
				`	tokens = 2*maxCompilerConcurrency + minTokens*cfg.BuildP`,
				`apiKey:"6fe4476ee5a1832882e326b506d14126",`,
			},
		},
		{
			ID:          "generic-secret-hex",
			Provider:    "Generic",
			Description: "Hex string of 32 to 128 characters assigned to a password, credentials or an application secret (client_secret, webhook_secret, secret_key); bare key, ID and test-vector names (private_key, shared_secret) are left out, as they are mostly public values or test vectors. Format: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
			Keywords:    []string{"secret", "pass", "credential"},
			Pattern:     genericPattern(hexWord, `[0-9a-fA-F]{32,}`),
			nameTail:    hexWord + genSuffix,
			Group:       1,
			MinEntropy:  3,
			Validators:  []Validator{maxLen(128), HasLetterAndDigit},
			Precheck:    HasMixedRun(32),
			Confidence:  Low,
			Remediation: generic,
			TruePositives: []string{
				`"client_secret" : "3f9c1a7e5b2d8046c9e1f3a75d2b8c40e6f1a9d3",`,
				`WEBHOOK_SECRET=8e2f6c1b9a4d7e3f5c0b2a8d6e4f1c9b`,
				`credentials = '5d41c8e2a9b7f3064e1d8c2b7a9f5e3d1c6b8a2f4e7d9c1b3a5f8e2d6c4b9a71'`,
			},
			FalsePositives: []string{
				`apiKey:"6fe4476ee5a1832882e326b506d14126",`,
				`secret_sha256: 8e2f6c1b9a4d7e3f5c0b2a8d6e4f1c9b8e2f6c1b9a4d7e3f5c0b2a8d6e4f1c9b`,
				`WEBHOOK_SECRET=0000000000000000000000000000000000`,
				`client_secret_id = "8e2f6c1b9a4d7e3f5c0b2a8d6e4f1c9b"`,
				`    "shared_secret": "2fc9533e0ba8e59f0753280bc099674320bae39a0d4f817b6271789b2f4aef33",`,
				`		PrivateKey: "7d7dc5f71eb29ddaf80d6214632eeae03d9058af1fb6d22ed80badb62bc1a534",`,
			},
		},
	}
}

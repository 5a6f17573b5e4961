package scanner

import (
	"regexp"
	"strings"
)

// Decoy names one check of the shared false-positive filter. Rules exempt
// themselves from checks that do not fit their format with Rule.Exempt.
type Decoy uint32

// The shared decoy checks. Every rule gets all of them unless it exempts some.
const (
	// DecoyPlaceholder: documentation examples and placeholders
	// ("AKIAIOSFODNN7EXAMPLE", "<your-key>", "changeme", "xxxx").
	DecoyPlaceholder Decoy = 1 << iota
	// DecoyRepeated: long runs of one character or too few distinct ones.
	DecoyRepeated
	// DecoySequential: runs such as "123456" or "abcdef".
	DecoySequential
	// DecoyReference: variable and template references (${VAR},
	// {{ .Values.x }}, os.Getenv(...), process.env.X).
	DecoyReference
	// DecoyDigest: hex digests and integrity strings in their usual
	// settings (sha256 sums, go.sum h1: lines, sha512- integrity, git SHAs).
	DecoyDigest
	// DecoyUUID: values shaped like a UUID.
	DecoyUUID
	// DecoyPublicKey: public keys and certificates, which are not secret.
	DecoyPublicKey
	// DecoyPublishable: keys that are public by design (Stripe pk_).
	DecoyPublishable
)

// allowMarker on a line suppresses every finding on it; so does
// gitleaksAllowMarker, so that lines annotated for gitleaks keep working.
const (
	allowMarker         = "pushguard:allow"
	gitleaksAllowMarker = "gitleaks:allow"
)

var (
	placeholderWords = regexp.MustCompile(`(?i)example|placeholder|changeme|change_me|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|dummy|redacted|replace[_-]?me|insert[_-]?|fake|foobar|lorem|notreal|not[_-]a[_-]real|xxxxx|\*\*\*\*|\.\.\.\.|<[a-z_ -]+>`)
	referenceRe      = regexp.MustCompile(`^(?:\$\{|\$\(|\$[A-Za-z_]|\{\{|\{%|%\(|%[A-Za-z_]+%|#\{|<%|@\{|\[\[)|(?i)(?:getenv|environ|process\.env|env\(|env\[|secrets\.|vault\(|ENV\.fetch)`)
	hexOnlyRe        = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	uuidRe           = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	digestContextRe  = regexp.MustCompile(`(?i)sha[-_]?(?:1|256|384|512)|\bmd5|digest|checksum|integrity|\bhash|\bh1:|\bcommit|\brev(?:ision)?\b|etag|\bsum\b|\.sum\b|-lock|lock\.|fingerprint|object[_ ]?id|\boid\b`)
	publicKeyRe      = regexp.MustCompile(`ssh-(?:rsa|ed25519|dss) AAAA|ecdsa-sha2-nistp\d+ AAAA|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com AAAA|-----BEGIN (?:RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----|-----BEGIN PGP PUBLIC KEY BLOCK-----`)
	publishableRe    = regexp.MustCompile(`^(?:pk_(?:live|test)_|pub[_-]|publishable)`)
)

// decoyReason returns why a candidate secret on a line looks like a decoy, or
// "" when it does not. checks is the set of checks that apply.
func decoyReason(secret string, line []byte, checks Decoy) string {
	switch {
	case checks&DecoyPlaceholder != 0 && placeholderWords.MatchString(secret):
		return "placeholder"
	case checks&DecoyReference != 0 && referenceRe.MatchString(secret):
		return "reference"
	case checks&DecoyRepeated != 0 && repetitive(secret):
		return "repeated characters"
	case checks&DecoySequential != 0 && sequential(secret):
		return "sequential characters"
	case checks&DecoyUUID != 0 && uuidRe.MatchString(secret):
		return "uuid"
	case checks&DecoyDigest != 0 && looksLikeDigest(secret, line):
		return "digest"
	case checks&DecoyPublicKey != 0 && publicKeyRe.Match(line):
		return "public key"
	case checks&DecoyPublishable != 0 && publishableRe.MatchString(secret):
		return "publishable key"
	}
	return ""
}

// repetitive reports a run of six or more identical characters, or a value of
// twelve or more characters drawn from at most three distinct ones.
func repetitive(s string) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			run++
			if run >= 6 {
				return true
			}
		} else {
			run = 1
		}
	}
	if len(s) < 12 {
		return false
	}
	var seen [256]bool
	distinct := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			distinct++
		}
	}
	return distinct <= 3
}

// sequential reports a run of six or more consecutive ascending or
// descending characters ("123456", "abcdef", "987654").
func sequential(s string) bool {
	up, down := 1, 1
	for i := 1; i < len(s); i++ {
		if isAlnum(s[i]) && s[i] == s[i-1]+1 {
			up++
		} else {
			up = 1
		}
		if isAlnum(s[i]) && s[i] == s[i-1]-1 {
			down++
		} else {
			down = 1
		}
		if up >= 6 || down >= 6 {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// looksLikeDigest reports hex strings of digest length (32, 40, 64, 96 or 128
// characters) on a line that talks about hashes, and integrity strings.
func looksLikeDigest(secret string, line []byte) bool {
	if strings.HasPrefix(secret, "sha512-") || strings.HasPrefix(secret, "sha256-") || strings.HasPrefix(secret, "sha1-") {
		return true
	}
	switch len(secret) {
	case 32, 40, 64, 96, 128:
	default:
		return false
	}
	return hexOnlyRe.MatchString(secret) && digestContextRe.Match(line)
}

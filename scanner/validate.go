package scanner

import (
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"math"
	"strings"
)

// entropy is the Shannon entropy of s in bits per character.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62CRC32 encodes the CRC-32 (IEEE) of s in base62, left-padded with '0'
// to six characters: the checksum scheme of GitHub's and npm's tokens.
func base62CRC32(s string) string {
	v := crc32.ChecksumIEEE([]byte(s))
	out := []byte("000000")
	for i := 5; i >= 0 && v > 0; i-- {
		out[i] = base62Alphabet[v%62]
		v /= 62
	}
	return string(out)
}

// CRC32Token returns prefix, body and body's six-character base62 CRC-32:
// a token ValidCRC32Token accepts when body is 30 base62 characters (tests
// build their planted tokens with it, at run time, so that no whole token
// sits in the repository).
func CRC32Token(prefix, body string) string { return prefix + body + base62CRC32(body) }

// ValidCRC32Token accepts a token of the form PREFIX + 30 random base62
// characters + their six-character base62 CRC-32, as GitHub (ghp_, gho_, ghu_,
// ghs_, ghr_) and npm (npm_) issue them. The prefix is everything up to and
// including the last underscore.
func ValidCRC32Token(token string) bool {
	i := strings.LastIndexByte(token, '_')
	body := token[i+1:]
	if len(body) != 36 {
		return false
	}
	return base62CRC32(body[:30]) == body[30:]
}

// HasLetterAndDigit accepts values that mix letters and digits, as randomly
// generated keys of any length almost always do.
func HasLetterAndDigit(s string) bool {
	var letter, digit bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		}
	}
	return letter && digit
}

// HasMixedCase accepts values with both upper- and lower-case letters.
func HasMixedCase(s string) bool {
	return strings.ToLower(s) != s && strings.ToUpper(s) != s
}

// NotHexOnly rejects values made only of hex digits: in a slot where a
// provider's key is base62 or base64, a hex string is a digest.
func NotHexOnly(s string) bool { return !hexOnlyRe.MatchString(s) }

// ValidJWT accepts a JSON Web Token whose header and payload are base64url
// JSON objects and whose header names an algorithm.
func ValidJWT(token string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if !decodeJSONSegment(parts[0], &header) || header.Alg == "" {
		return false
	}
	var payload map[string]any
	return decodeJSONSegment(parts[1], &payload)
}

func decodeJSONSegment(seg string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return false
	}
	return json.Unmarshal(raw, v) == nil
}

// JWTClaim returns a top-level string claim of a JWT's payload, or "".
func JWTClaim(token, claim string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	var payload map[string]any
	if !decodeJSONSegment(parts[1], &payload) {
		return ""
	}
	s, _ := payload[claim].(string)
	return s
}

// ValidBase64 accepts standard or URL-safe base64, padded or not, that
// decodes to at least min bytes.
func ValidBase64(min int) Validator {
	return func(s string) bool {
		t := strings.TrimRight(s, "=")
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(t); err == nil && len(b) >= min {
				return true
			}
		}
		return false
	}
}

// HasMixedRun is a Precheck for rules whose secret is a run of at least n
// token characters (letters, digits and +/=_.~!@#%^-) mixing letters and
// digits: it finds such a run with one pass over the line and no regexp.
func HasMixedRun(n int) func(line []byte) bool {
	return func(line []byte) bool {
		run, letter, digit := 0, false, false
		for _, c := range line {
			switch {
			case c >= '0' && c <= '9':
				digit = true
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				letter = true
			case strings.IndexByte("+/=_.~!@#%^-", c) >= 0:
			default:
				run, letter, digit = 0, false, false
				continue
			}
			run++
			if run >= n && letter && digit {
				return true
			}
		}
		return false
	}
}

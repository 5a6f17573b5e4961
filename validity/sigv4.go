package validity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
)

// sigV4 holds what AWS Signature Version 4 signs with.
type sigV4 struct {
	keyID, secret, token string
	region, service      string
}

// sign signs req, whose body is body, at t: it sets X-Amz-Date (and
// X-Amz-Security-Token for temporary credentials), then Authorization over
// the host and every header already set. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
func (s sigV4) sign(req *http.Request, body []byte, t time.Time) {
	amzDate := t.UTC().Format("20060102T150405Z")
	day := amzDate[:8]
	req.Header.Set("X-Amz-Date", amzDate)
	if s.token != "" {
		req.Header.Set("X-Amz-Security-Token", s.token)
	}
	signed, headers := canonicalHeaders(req)
	canonical := strings.Join([]string{
		req.Method, canonicalPath(req), canonicalQuery(req), headers, signed, hexSHA256(body),
	}, "\n")
	scope := day + "/" + s.region + "/" + s.service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hexSHA256([]byte(canonical))
	key := hmacSHA256([]byte("AWS4"+s.secret), day)
	for _, part := range []string{s.region, s.service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	sig := hex.EncodeToString(hmacSHA256(key, toSign))
	req.Header.Set("Authorization", fmt.Sprintf(
		"AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s", s.keyID, scope, signed, sig))
}

// canonicalHeaders returns the signed header names and the canonical header
// block (each "name:value\n", sorted by name).
func canonicalHeaders(req *http.Request) (signed, block string) {
	vals := map[string]string{"host": req.URL.Host}
	if req.Host != "" {
		vals["host"] = req.Host
	}
	for name, v := range req.Header {
		trimmed := make([]string, len(v))
		for i, x := range v {
			trimmed[i] = strings.Join(strings.Fields(x), " ")
		}
		vals[strings.ToLower(name)] = strings.Join(trimmed, ",")
	}
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + ":" + vals[n] + "\n")
	}
	return strings.Join(names, ";"), b.String()
}

// canonicalPath is the URI-encoded path, "/" when empty.
func canonicalPath(req *http.Request) string {
	if p := req.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// canonicalQuery sorts the query by name then value, AWS-encoding both.
func canonicalQuery(req *http.Request) string {
	q := req.URL.Query()
	var pairs []string
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, awsEscape(k)+"="+awsEscape(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

// awsEscape percent-encodes every byte but the unreserved A-Z a-z 0-9 - _ . ~
func awsEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func hexSHA256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

package app

import (
	"bytes"
	"context"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// githubToken builds a GitHub classic personal access token with a valid
// checksum: "ghp_", 30 base62 characters and the base62 CRC-32 of those (see
// scanner.ValidCRC32Token). It is assembled at run time so that no whole
// token sits in the repository for a scanner to flag.
func githubToken(t testing.TB) string {
	t.Helper()
	token := githubTokenFrom(t, "R2u9Xq7LmKc4Tz8VbN1pW6hJ3sD5fG")
	requireGitHubRule(t, token)
	return token
}

// githubTokenFrom builds a classic token from 30 base62 characters.
func githubTokenFrom(t testing.TB, body string) string {
	t.Helper()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	sum := []byte("000000")
	for i, v := 5, crc32.ChecksumIEEE([]byte(body)); i >= 0 && v > 0; i-- {
		sum[i] = alphabet[v%62]
		v /= 62
	}
	token := "ghp_" + body + string(sum)
	if !scanner.ValidCRC32Token(token) {
		t.Fatal("test token has a bad checksum")
	}
	return token
}

// requireGitHubRule stops a test early, with a plain message, when the
// built-in rules do not catch the token: every CLI test below relies on it.
func requireGitHubRule(t testing.TB, token string) {
	t.Helper()
	rules, err := scanner.Default()
	if err != nil {
		t.Fatalf("built-in rules: %v", err)
	}
	res, err := scanner.New(rules, []byte("k")).ScanFile(context.Background(), "t.env", "", strings.NewReader("GITHUB_TOKEN="+token+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.RuleID, "github-") {
			return
		}
	}
	t.Fatalf("the built-in rules report no github- finding for a GitHub classic token (got %v)", res.Findings)
}

// result is what one in-process run of pushguard produced.
type result struct {
	code   int
	stdout string
	stderr string
}

// run runs app.Main in-process with stdin and args.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

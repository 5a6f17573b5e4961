package app

import (
	"bytes"
	"context"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// githubTokenFrom builds a GitHub classic personal access token with a
// valid checksum from 30 base62 characters: "ghp_", those, and their base62
// CRC-32 (see scanner.ValidCRC32Token). It is assembled at run time so that
// no whole token sits in the repository for a scanner to flag.
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

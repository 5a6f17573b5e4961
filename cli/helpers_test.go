package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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

// githubTokenFrom builds a checksummed GitHub classic token from 30 base62
// characters, at run time, so that no whole token sits in the repository.
func githubTokenFrom(t testing.TB, body string) string {
	t.Helper()
	token := scanner.CRC32Token("ghp_", body)
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

// run runs `pushguard scan` in-process with stdin and args (args[0] is
// "scan"), and reports its error on stderr as app's Main does, with the
// same exit statuses.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	if len(args) == 0 || args[0] != "scan" {
		t.Fatalf("run %q: the cli tests run the scan command only", args)
	}
	var stdout, stderr bytes.Buffer
	e := Env{Stdin: strings.NewReader(stdin), Stdout: &stdout, Stderr: &stderr, Getenv: os.Getenv, Version: "dev"}
	err := Scan(context.Background(), e, args[1:])
	var ue *UsageError
	code := 2
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		code = 0
	case errors.Is(err, ErrFindings):
		code = 1
	case errors.As(err, &ue):
		fmt.Fprintf(&stderr, "pushguard: scan: %s (see 'pushguard scan --help')\n", ue.Msg)
	default:
		fmt.Fprintf(&stderr, "pushguard: scan: %s\n", strings.Join(strings.Fields(err.Error()), " "))
	}
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// checkNoSecret fails when the secret appears in any output. It never
// prints the secret itself.
func checkNoSecret(t *testing.T, secret string, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		if strings.Contains(out, secret) {
			t.Errorf("output contains the planted secret (%s)", scanner.Redact(secret))
		}
	}
}

// jsonFinding is the part of a JSON finding the tests look at.
type jsonFinding struct {
	RuleID      string `json:"rule_id"`
	Path        string `json:"path"`
	Line        int    `json:"line"`
	Commit      string `json:"commit"`
	Redacted    string `json:"redacted"`
	Fingerprint string `json:"fingerprint"`
}

func parseFindings(t *testing.T, out string) []jsonFinding {
	t.Helper()
	var fs []jsonFinding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("output is not a JSON array of findings: %v", err)
	}
	return fs
}

// fixture reads testdata/name with the planted token in place of
// {{GITHUB_TOKEN}}.
func fixture(t *testing.T, name, token string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "{{GITHUB_TOKEN}}", token)
}

// writeFile writes a file under dir, creating its directories.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeBlock returns the README's fenced block whose first line is first.
func readmeBlock(t *testing.T, first string) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n"+first+"\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatalf("README has no block starting %q", first)
	}
	return first + "\n" + block
}

// TestReadmeConfigExample runs the built binary with the README's example
// configuration: it parses, and its custom rule finds its key.
func TestReadmeConfigExample(t *testing.T) {
	t.Parallel()
	exe := buildPushguard(t)
	dir := t.TempDir()
	writeFile(t, dir, ".github/pushguard.yml", []byte(readmeBlock(t, "# .github/pushguard.yml")))
	writeFile(t, dir, "app.env", []byte("ACME="+acmeKey+"\n"))
	writeFile(t, dir, "pkg/testdata/leak.env", []byte("aws = \""+awsKeyID+"\"\n"))
	got := runExe(t, exe, dir, nil, "scan", ".", "--format", "json")
	fs := parseFindings(t, got.stdout)
	if got.code != 1 || len(fs) != 1 || fs[0].RuleID != "custom-acme-api-key" {
		t.Errorf("exit %d, findings %+v, stderr %q; want 1 and the custom rule's finding only", got.code, fs, got.stderr)
	}
}

// TestReadmeIgnoreExample parses the README's example ignore file.
func TestReadmeIgnoreExample(t *testing.T) {
	t.Parallel()
	list, err := parseIgnoreFile(".pushguardignore", []byte(readmeBlock(t, "# fingerprint (12 to 64 hex characters, as the report shows it)  reason")), func(s string) string { return s })
	if err != nil || len(list.entries) != 2 || list.entries[1].reason != "revoked 2026-11-02 (INC-4412); still in history" {
		t.Errorf("README example: %+v, %v", list, err)
	}
}

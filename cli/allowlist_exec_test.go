package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/repoconfig"
	"github.com/pushguard/pushguard/scanner"
)

// TestScanAllowlistExec runs the built binary in a repository whose
// .github/pushguard.yml allowlists a key by expression and a commit by id:
// the allowed findings are gone from the report and counted on stderr and
// in the text report's summary, never shown.
func TestScanAllowlistExec(t *testing.T) {
	exe := buildPushguard(t)
	token := githubToken(t)
	r := newGitRepo(t)
	writeFile(t, r.dir, "README.md", []byte("# demo\n"))
	base := r.commit("initial")
	writeFile(t, r.dir, "app/aws.env", []byte("aws_access_key_id = "+awsKeyID+"\n"))
	r.commit("aws key")
	writeFile(t, r.dir, "app/gh.env", []byte("GITHUB_TOKEN="+token+"\n"))
	tokenCommit := r.commit("github token")
	writeFile(t, r.dir, ".github/pushguard.yml", []byte("allowlist:\n  regexes: ['^"+awsKeyID[:10]+"']\n  stopwords: [notinanykey]\n  commits: ["+tokenCommit+"]\n"))
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantRules  string
		wantStderr string
	}{
		{"--git: the expression and the commit", []string{"scan", "--git", base + "..HEAD", "--format", "json"}, 0, "",
			"pushguard: 2 findings allowed by .github/pushguard.yml allowlist\n"},
		{"paths: no commit to allow", []string{"scan", "app", "--format", "json"}, 1, "github-pat",
			"pushguard: 1 finding allowed by .github/pushguard.yml allowlist\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runExe(t, exe, r.dir, nil, tt.args...)
			checkNoSecret(t, token, got.stdout, got.stderr)
			checkNoSecret(t, awsKeyID, got.stdout, got.stderr)
			var rules []string
			for _, f := range parseFindings(t, got.stdout) {
				rules = append(rules, f.RuleID)
			}
			if got.code != tt.wantCode || strings.Join(rules, " ") != tt.wantRules || !strings.HasPrefix(got.stderr, tt.wantStderr) {
				t.Errorf("exit %d, rules %q, stderr %q; want %d, %q, %q", got.code, rules, got.stderr, tt.wantCode, tt.wantRules, tt.wantStderr)
			}
		})
	}
	t.Run("text summary", func(t *testing.T) {
		got := runExe(t, exe, r.dir, nil, "scan", "--git", base+"..HEAD")
		if got.code != 0 || !strings.Contains(got.stdout, "2 allowed by the configuration's allowlist") {
			t.Errorf("exit %d, stdout %q", got.code, got.stdout)
		}
	})
	t.Run("counted once on stderr", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out.txt")
		modes := []struct {
			name string
			args []string
		}{
			{"json to stdout", []string{"--format", "json"}},
			{"text to stdout", nil},
			{"text to -o", []string{"-o", out}},
			{"json to --output", []string{"--format", "json", "--output", out}},
		}
		for _, m := range modes {
			t.Run(m.name, func(t *testing.T) {
				got := runExe(t, exe, r.dir, nil, append([]string{"scan", "--git", base + "..HEAD"}, m.args...)...)
				if got.code != 0 || strings.Count(got.stderr, "allowed") != 1 || !strings.Contains(got.stderr, "2 findings allowed by .github/pushguard.yml allowlist") {
					t.Errorf("exit %d, stderr %q; want 0 and the allowed count once", got.code, got.stderr)
				}
			})
		}
	})
	t.Run("without the allowlist", func(t *testing.T) {
		got := runExe(t, exe, r.dir, nil, "scan", "--git", base+"..HEAD", "--format", "json", "--config", writeFile(t, t.TempDir(), "empty.yml", nil))
		if n := len(parseFindings(t, got.stdout)); n != 2 || strings.Contains(got.stderr, "allowed") {
			t.Errorf("%d findings, stderr %q; want 2 and no allowed count", n, got.stderr)
		}
	})
}

// TestReadmeAllowlistExample: the README's allowlist example parses and
// allows what it says.
func TestReadmeAllowlistExample(t *testing.T) {
	t.Parallel()
	rs, err := scanner.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := repoconfig.Parse("README.md", []byte(readmeBlock(t, "allowlist:")), rs)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	a := cfg.Allowlist()
	if len(a.Regexes) != 1 || len(a.Stopwords) != 2 || !cfg.CommitAllowed("0123456789abcdef0123456789abcdef01234567") {
		t.Errorf("allowlist %+v, commits %q", a, cfg.AllowlistCommits())
	}
}

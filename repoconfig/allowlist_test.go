package repoconfig

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

const (
	shaA = "0123456789abcdef0123456789abcdef01234567"
	shaB = "89abcdef0123456789abcdef0123456789abcdef"
)

func TestParseAllowlist(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    []byte
		regexes []scanner.AllowRegex
		stop    []string
		commits []string
	}{
		{"regexes default to the secret", yml("allowlist:", "  regexes: ['^AKIAEXAMPLE', 'x{3}']"),
			[]scanner.AllowRegex{{Pattern: "^AKIAEXAMPLE", Target: "secret"}, {Pattern: "x{3}", Target: "secret"}}, nil, nil},
		{"target line", yml("allowlist:", "  target: line", "  regexes: ['# test fixture']"),
			[]scanner.AllowRegex{{Pattern: "# test fixture", Target: "line"}}, nil, nil},
		{"stopwords lower-cased, deduplicated", yml("allowlist:", "  stopwords: [Example, EXAMPLE, ' dummy ']"),
			nil, []string{"example", "dummy"}, nil},
		{"commits lower-cased", yml("allowlist:", "  commits: ["+strings.ToUpper(shaA)+", "+shaB+"]"),
			nil, nil, []string{shaA, shaB}},
		{"empty section", yml("allowlist: {}"), nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse(testPath, tt.file, builtin(t))
			if len(problems) > 0 {
				t.Fatal(problemStrings(problems))
			}
			a := c.Allowlist()
			if !slices.Equal(a.Regexes, tt.regexes) || !slices.Equal(a.Stopwords, tt.stop) || !slices.Equal(c.AllowlistCommits(), tt.commits) {
				t.Errorf("allowlist = %+v, commits %q", a, c.AllowlistCommits())
			}
		})
	}
}

func TestParseAllowlistProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file []byte
		want []string
	}{
		{"unknown key", yml("allowlist:", "  paths: [x]"),
			[]string{`:2:3: unknown key "paths" in allowlist (want one of: regexes, target, stopwords, commits)`}},
		{"regex does not compile", yml("allowlist:", "  regexes: ['(abc']"),
			[]string{`:2:13: allowlist.regexes: "(abc" does not compile (Go RE2 syntax: no lookaround, no backreferences): error parsing regexp: missing closing ): ` + "`(abc`"}},
		{"regex matches empty", yml("allowlist:", "  regexes: ['.*']"),
			[]string{`:2:13: allowlist.regexes: ".*" matches the empty string, so it would allow every finding`}},
		{"regex too long", yml("allowlist:", "  regexes: ['"+strings.Repeat("a", maxPatternLen+1)+"']"),
			[]string{`:2:13: allowlist.regexes: expression is 1025 bytes; the limit is 1024`}},
		{"bad target", yml("allowlist:", "  target: path"),
			[]string{`:2:11: allowlist.target: want secret or line, found "path"`}},
		{"short stopword", yml("allowlist:", "  stopwords: [ab]"),
			[]string{`:2:15: allowlist.stopwords: "ab" is shorter than 3 characters, so it would allow most secrets`}},
		{"abbreviated commit", yml("allowlist:", "  commits: [0123abc]"),
			[]string{`:2:13: allowlist.commits: "0123abc" is not a full commit id (40 hexadecimal digits; abbreviated ids are refused)`}},
		{"regexes as scalar", yml("allowlist:", "  regexes: abc"),
			[]string{`:2:12: allowlist.regexes: want a list of strings, found "abc"`}},
		{"too many regexes", yml("allowlist:", "  regexes: ["+strings.Repeat("a1, ", maxAllowRegexes)+"b2]"),
			[]string{`:2:` + "413" + `: allowlist.regexes: more than 100 expressions`}},
		{"too many stopwords", yml("allowlist:", "  stopwords: ["+strings.Repeat("abc, ", maxStopwords)+"abd]"),
			[]string{`:2:` + "515" + `: allowlist.stopwords: more than 100 entries`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse(testPath, tt.file, builtin(t))
			got := problemStrings(problems)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = testPath + w
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n got %q\nwant %q", got, want)
			}
			if a := c.Allowlist(); !a.Empty() || len(c.AllowlistCommits()) > 0 {
				t.Errorf("a broken file kept its allowlist: %+v", a)
			}
		})
	}
}

func TestMergeAllowlist(t *testing.T) {
	t.Parallel()
	org := parse(t, "allowlist:", "  regexes: ['^EXAMPLE']", "  stopwords: [dummy]", "  commits: ["+shaA+"]")
	repo := parse(t, "allowlist:", "  target: line", "  regexes: ['^EXAMPLE']", "  stopwords: [dummy, fake]", "  commits: ["+shaB+"]")
	m := Merge(org, repo)
	a := m.Allowlist()
	wantRe := []scanner.AllowRegex{{Pattern: "^EXAMPLE", Target: "secret"}, {Pattern: "^EXAMPLE", Target: "line"}}
	if !slices.Equal(a.Regexes, wantRe) || !slices.Equal(a.Stopwords, []string{"dummy", "fake"}) {
		t.Errorf("merged allowlist = %+v", a)
	}
	if !m.CommitAllowed(shaA) || !m.CommitAllowed(strings.ToUpper(shaB)) || m.CommitAllowed("") || m.CommitAllowed(shaA[:12]) {
		t.Errorf("merged commits = %q", m.AllowlistCommits())
	}
}

func TestRulesetAllowlist(t *testing.T) {
	t.Parallel()
	base := builtin(t)
	key := "AKIA" + "QYLPMN5HKQ3JTR7W"
	file := "aws_access_key_id = " + key + "\n"
	scan := func(t *testing.T, c *Config) (*scanner.Ruleset, *scanner.Result) {
		t.Helper()
		rs, err := c.Ruleset(base)
		if err != nil {
			t.Fatal(err)
		}
		res, err := scanner.New(rs, []byte("k")).ScanFile(context.Background(), "a.env", "", strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		return rs, res
	}
	_, plain := scan(t, &Config{})
	if len(plain.Findings) == 0 {
		t.Fatal("the planted key is not found without an allowlist")
	}
	for name, c := range map[string]*Config{
		"regex":                parse(t, "allowlist:", "  regexes: ['^AKIAQYLPMN']"),
		"stopword":             parse(t, "allowlist:", "  stopwords: [qylpmn]"),
		"with a disabled rule": parse(t, "rules: {disable: [generic-secret]}", "allowlist: {stopwords: [qylpmn]}"),
		"line regex":           parse(t, "allowlist:", "  target: line", "  regexes: ['^aws_access']"),
	} {
		t.Run(name, func(t *testing.T) {
			rs, res := scan(t, c)
			if len(res.Findings) != 0 || res.Allowed != len(plain.Findings) {
				t.Errorf("findings %d, allowed %d; want 0, %d", len(res.Findings), res.Allowed, len(plain.Findings))
			}
			if rs.Version() == base.Version() {
				t.Error("the allowlist left the ruleset version unchanged, so cached results would be reused")
			}
		})
	}
}

func TestDropAllowedCommits(t *testing.T) {
	t.Parallel()
	c := parse(t, "allowlist: {commits: ["+shaA+"]}")
	fs := []scanner.Finding{{RuleID: "a", Commit: shaA}, {RuleID: "b", Commit: shaB}, {RuleID: "c"}}
	rest, n := c.DropAllowedCommits(fs)
	if n != 1 || len(rest) != 2 || rest[0].RuleID != "b" || rest[1].RuleID != "c" {
		t.Errorf("rest %+v, dropped %d", rest, n)
	}
	if got := AllowedSummary(2, testPath); got != "2 findings allowed by .github/pushguard.yml allowlist" {
		t.Errorf("summary %q", got)
	}
}

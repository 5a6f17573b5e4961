package repoconfig

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/internal/golden"
	"github.com/pushguard/pushguard/scanner"
)

// TestParseExample checks the documented example: it must parse cleanly and
// mean what its comments say.
func TestParseExample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/pushguard.yml")
	if err != nil {
		t.Fatal(err)
	}
	c, problems := Parse(testPath, data, builtin(t))
	if len(problems) > 0 {
		t.Fatalf("problems in the example: %v", problemStrings(problems))
	}
	if got, want := c.IgnorePatterns(), []string{"**/testdata/**", "docs/*.md", "vendor/**", "**/*.{png,jpg,svg}"}; !slices.Equal(got, want) {
		t.Errorf("ignore = %q, want %q", got, want)
	}
	if c.RuleEnabled("generic-secret-hex") || !c.RuleEnabled("aws-access-key-id") {
		t.Errorf("disable: generic-secret-hex enabled %v, aws-access-key-id enabled %v", c.RuleEnabled("generic-secret-hex"), c.RuleEnabled("aws-access-key-id"))
	}
	rules := c.CustomRules()
	if len(rules) != 1 || rules[0].ID != "custom-acme-api-key" || rules[0].Group != 1 || rules[0].MinEntropy != 3.5 || rules[0].Confidence != scanner.High {
		t.Errorf("custom rules = %+v", rules)
	}
	if !c.CommentsEnabled() || c.FailOn() != scanner.Low {
		t.Errorf("comments %v, fail_on %v", c.CommentsEnabled(), c.FailOn())
	}
	if allowed, restricted := c.BypassAllowed(); !restricted || !slices.Equal(allowed, []string{"octo-org/security", "octocat"}) {
		t.Errorf("bypass = %q restricted %v", allowed, restricted)
	}
	a := c.Allowlist()
	if len(a.Regexes) != 1 || a.Regexes[0].Target != scanner.AllowSecret || !slices.Equal(a.Stopwords, []string{"dummy"}) || !c.CommitAllowed("0123456789abcdef0123456789abcdef01234567") {
		t.Errorf("allowlist = %+v, commits %q", a, c.AllowlistCommits())
	}
}

// TestParseKeys checks each key on its own.
func TestParseKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		file  []byte
		check func(t *testing.T, c *Config)
	}{
		{"empty file", nil, func(t *testing.T, c *Config) {
			if c.Ignored("a.md") || !c.CommentsEnabled() || c.FailOn() != DefaultFailOn || !c.MayBypass("anyone", nil) {
				t.Error("empty file is not the default")
			}
		}},
		{"only comments", yml("# nothing yet"), func(t *testing.T, c *Config) {
			if c.CommentsEnabled() != DefaultComments {
				t.Error("not the default")
			}
		}},
		{"paths.ignore", yml("paths:", "  ignore: ['docs/', ' ./*.md ', '*.md']"), func(t *testing.T, c *Config) {
			if got, want := c.IgnorePatterns(), []string{"docs/**", "*.md"}; !slices.Equal(got, want) {
				t.Errorf("ignore = %q, want %q", got, want)
			}
		}},
		{"rules.disable", yml("rules:", "  disable: [generic-secret, custom-from-org]"), func(t *testing.T, c *Config) {
			if c.RuleEnabled("generic-secret") || c.RuleEnabled("custom-from-org") || !c.RuleEnabled("private-key-rsa") {
				t.Errorf("disabled = %q", c.DisabledRules())
			}
		}},
		{"comments false", yml("comments: false"), func(t *testing.T, c *Config) {
			if c.CommentsEnabled() {
				t.Error("comments enabled")
			}
		}},
		{"comments yes (YAML 1.1)", yml("comments: yes"), func(t *testing.T, c *Config) {
			if !c.CommentsEnabled() {
				t.Error("comments disabled")
			}
		}},
		{"fail_on", yml("fail_on: HIGH"), func(t *testing.T, c *Config) {
			if c.FailOn() != scanner.High || c.Fails(scanner.Medium) || !c.Fails(scanner.High) {
				t.Errorf("fail_on = %v", c.FailOn())
			}
		}},
		{"bypass.allowed", yml("bypass:", "  allowed: ['@Octo-Org/Security', '@Hubot', monalisa]"), func(t *testing.T, c *Config) {
			if got, r := c.BypassAllowed(); !r || !slices.Equal(got, []string{"octo-org/security", "hubot", "monalisa"}) {
				t.Errorf("bypass = %q, %v", got, r)
			}
		}},
		{"bypass.allowed empty", yml("bypass:", "  allowed: []"), func(t *testing.T, c *Config) {
			if _, r := c.BypassAllowed(); r || !c.MayBypass("anyone", nil) {
				t.Error("empty list restricts bypass")
			}
		}},
		{"flow style", yml("{paths: {ignore: ['*.lock']}, comments: false}"), func(t *testing.T, c *Config) {
			if !c.Ignored("go.lock") || c.CommentsEnabled() {
				t.Error("flow style not read")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, problems := Parse(testPath, tt.file, builtin(t))
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problemStrings(problems))
			}
			if c == nil {
				t.Fatal("nil config")
			}
			tt.check(t, c)
		})
	}
}

// TestParseCustomDefaults checks what a custom rule gets when keys are left out.
func TestParseCustomDefaults(t *testing.T) {
	t.Parallel()
	c, problems := Parse(testPath, yml(
		"rules:",
		"  custom:",
		"    - id: zz9",
		"      pattern: 'zz9_[a-z0-9]{24}'",
		"      keywords: [ZZ9_, zz9_]",
	), builtin(t))
	if len(problems) > 0 {
		t.Fatal(problemStrings(problems))
	}
	r := c.CustomRules()[0]
	if r.ID != "custom-zz9" || r.Confidence != scanner.Medium || r.Provider == "" || !slices.Equal(r.Keywords, []string{"zz9_"}) {
		t.Errorf("rule = %+v", r)
	}
	if !strings.Contains(r.Description, "custom-zz9") || r.Remediation.Revoke == "" || r.Remediation.Misuse == "" ||
		!strings.Contains(r.Remediation.Rotate, testPath) {
		t.Errorf("description %q, remediation %+v", r.Description, r.Remediation)
	}
}

// TestParseProblems checks that each mistake is reported, once, at its line
// and column.
func TestParseProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file []byte
		want []string
	}{
		{"unknown top-level key", yml("comments: true", "", "rule:", "  disable: [x]"),
			[]string{`:3:1: unknown key "rule" (want one of: paths, rules, comments, fail_on, bypass, validity, allowlist)`}},
		{"unknown nested key", yml("rules:", "  disabled: [x]"),
			[]string{`:2:3: unknown key "disabled" in rules (want one of: disable, custom)`}},
		{"unknown key in a custom rule", yml("rules:", "  custom:", "    - id: a", "      patern: 'x'"),
			[]string{`:4:7: unknown key "patern" in rules.custom[0] (want one of: id, description, pattern, keywords, secret_group, min_entropy, confidence)`}},
		{"unknown key under paths", yml("paths:", "  include: [a]"),
			[]string{`:2:3: unknown key "include" in paths (want one of: ignore)`}},
		{"bool as string", yml("comments: maybe"),
			[]string{`:1:11: comments: want true or false, found "maybe"`}},
		{"list as scalar", yml("paths:", "  ignore: '*.md'"),
			[]string{`:2:11: paths.ignore: want a list of strings, found "*.md"`}},
		{"mapping as scalar", yml("rules: all"),
			[]string{`:1:8: rules: want a mapping of keys, found "all"`}},
		{"list item as mapping", yml("rules:", "  disable:", "    - {id: x}"),
			[]string{`:3:7: rules.disable[0]: want a string, found a mapping`}},
		{"number as string", yml("rules:", "  custom:", "    - id: a", "      min_entropy: high"),
			[]string{`:4:20: rules.custom[0].min_entropy: want a number, found "high"`}},
		{"fail_on unknown", yml("fail_on: critical"),
			[]string{`:1:10: fail_on: want low, medium, high, any or live, found "critical"`}},
		{"fail_on live misspelt", yml("fail_on: Lives"),
			[]string{`:1:10: fail_on: want low, medium, high, any or live, found "Lives"`}},
		{"validity not a bool", yml("validity: live"),
			[]string{`:1:11: validity: want true or false, found "live"`}},
		{"fail_on list", yml("fail_on: [high]"),
			[]string{`:1:10: fail_on: want low, medium, high, any or live, found a list`}},
		{"duplicate key", yml("comments: true", "comments: false"),
			[]string{`:2:1: duplicate key "comments" (first on line 1)`}},
		{"disable unknown rule", yml("rules:", "  disable:", "    - generic-secret", "    - not-a-rule"),
			[]string{`:4:7: rules.disable: no built-in rule has the id "not-a-rule" (ids are shown in the check run next to each finding)`}},
		{"bad glob", yml("paths:", "  ignore: ['docs/[a-']"),
			[]string{`:2:12: paths.ignore: malformed glob "docs/[a-" (check brackets and braces)`}},
		{"glob ignoring everything", yml("paths:", "  ignore:", "    - '**'"),
			[]string{`:3:7: paths.ignore: glob "**" ignores every file, which would turn scanning off; uninstall the App on this repository instead`}},
		{"bad bypass entry", yml("bypass:", "  allowed: [octocat, 'not a user']"),
			[]string{`:2:22: bypass.allowed: "not a user" is neither a user login nor a team ("@org/team")`}},
		{"top level list", yml("- comments"),
			[]string{`:1:1: the file must be a mapping of keys (paths, rules, comments, fail_on, bypass, validity, allowlist)`}},
		{"syntax error", yml("comments: true", "paths:", "  ignore: [a", "rules: {}"),
			[]string{`:3: YAML syntax: did not find expected ',' or ']'`}},
		{"bad indentation", yml("a:", "  - b", " c: d"),
			[]string{`:3: YAML syntax: did not find expected key`}},
		{"syntax error on line 1", yml("a: b: c"),
			[]string{`:1: YAML syntax: mapping values are not allowed in this context`}},
		{"tab indentation", yml("paths:", "\tignore: []"),
			[]string{`:2: YAML syntax: found character that cannot start any token`}},
		{"two documents", yml("comments: true", "---", "comments: false"),
			[]string{`:2:1: only one YAML document is allowed; remove the "---" and what follows`}},
		{"several problems, in line order", yml("fail_on: urgent", "comment: false", "paths: {ignore: [x]}", "rules: {disable: [nope]}"),
			[]string{
				`:1:10: fail_on: want low, medium, high, any or live, found "urgent"`,
				`:2:1: unknown key "comment" (want one of: paths, rules, comments, fail_on, bypass, validity, allowlist)`,
				`:4:19: rules.disable: no built-in rule has the id "nope" (ids are shown in the check run next to each finding)`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Parse(testPath, tt.file, builtin(t))
			got := problemStrings(problems)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = testPath + w
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestParseSizeCap(t *testing.T) {
	t.Parallel()
	big := append(yml("paths:", "  ignore: ['**/*.md']"), strings.Repeat("# padding\n", MaxFileSize/10)...)
	c, problems := Parse(testPath, big, builtin(t))
	if len(problems) != 1 || problems[0].Line != 0 || !strings.Contains(problems[0].Message, "limit is 65536") {
		t.Fatalf("problems = %v", problemStrings(problems))
	}
	if c == nil || c.Ignored("README.md") {
		t.Error("an oversized file was read")
	}
	if _, problems := Parse(testPath, big[:MaxFileSize], builtin(t)); len(problems) != 0 {
		t.Errorf("a file of exactly the limit: %v", problemStrings(problems))
	}
}

// TestParseBrokenKeepsOnlyScrutiny checks the broken-file rule: built-in
// rules keep running and failing the check, only what adds scrutiny
// survives.
func TestParseBrokenKeepsOnlyScrutiny(t *testing.T) {
	t.Parallel()
	c, problems := Parse(testPath, yml(
		"paths: {ignore: ['**/*.md']}",
		"rules:",
		"  disable: [generic-secret]",
		"  custom:",
		"    - id: good",
		"      pattern: 'good_[a-z0-9]{24}'",
		"      keywords: [good_]",
		"    - id: bad",
		"      pattern: '.*'",
		"      keywords: [bad_]",
		"comments: false",
		"fail_on: high",
		"bypass: {allowed: ['@octo-org/security']}",
		"typo: 1",
	), builtin(t))
	if len(problems) != 2 {
		t.Fatalf("problems = %v", problemStrings(problems))
	}
	if c.Ignored("README.md") || !c.RuleEnabled("generic-secret") || !c.CommentsEnabled() || !c.Fails(scanner.Low) {
		t.Error("a broken file weakened scanning")
	}
	if got := c.CustomRules(); len(got) != 1 || got[0].ID != "custom-good" {
		t.Errorf("custom rules = %+v, want only custom-good", got)
	}
	if c.MayBypass("octocat", nil) || !c.MayBypass("octocat", []string{"octo-org/security"}) {
		t.Error("a valid bypass list was dropped")
	}
}

func TestParseBrokenBypassCloses(t *testing.T) {
	t.Parallel()
	for name, file := range map[string][]byte{
		"bad entry":     yml("bypass:", "  allowed: ['@octo-org/security', 'two words']"),
		"unknown key":   yml("bypass:", "  allow: ['@octo-org/security']"),
		"not a list":    yml("bypass:", "  allowed: '@octo-org/security'"),
		"not a mapping": yml("bypass: '@octo-org/security'"),
	} {
		t.Run(name, func(t *testing.T) {
			c, problems := Parse(testPath, file, builtin(t))
			if len(problems) == 0 {
				t.Fatal("no problem reported")
			}
			if c.MayBypass("octocat", []string{"other/team"}) {
				t.Error("a broken bypass section let an unlisted user bypass")
			}
		})
	}
	// A problem elsewhere leaves an unset bypass unset.
	c, _ := Parse(testPath, yml("typo: 1"), builtin(t))
	if !c.MayBypass("octocat", nil) {
		t.Error("a problem outside bypass closed it")
	}
}

// TestParseGolden parses a file with many mistakes and compares the
// problems with a golden file (go test -update rewrites it).
func TestParseGolden(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/broken.yml")
	if err != nil {
		t.Fatal(err)
	}
	_, problems := Parse(testPath, data, builtin(t))
	got := strings.Join(problemStrings(problems), "\n") + "\n"
	golden.Check(t, "testdata/broken.golden", []byte(got))
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "f.yml", Line: 7, Column: 3, Message: "m"}, "f.yml:7:3: m"},
		{Problem{Path: "f.yml", Line: 7, Message: "m"}, "f.yml:7: m"},
		{Problem{Path: "f.yml", Message: "m"}, "f.yml: m"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

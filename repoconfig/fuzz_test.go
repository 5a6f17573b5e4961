package repoconfig

import (
	"os"
	"testing"
)

// FuzzParse checks that Parse never panics and always returns a Config, and
// that a Config from a file with problems is never weaker than the default.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/pushguard.yml", "testdata/broken.yml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{"", "a: b: c", "- x", "comments: [", "fail_on: live\nvalidity: false\n", "allowlist: {regexes: ['^EX'], target: line, stopwords: [dummy], commits: [0123456789abcdef0123456789abcdef01234567]}", "validity: [x]", "paths: {ignore: [&a x, *a]}", "rules:\n  custom:\n    - {id: a, pattern: 'a+', keywords: [aaa]}\n"} {
		f.Add([]byte(s))
	}
	rs := builtin(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, problems := Parse(testPath, data, rs)
		if c == nil {
			t.Fatal("nil Config")
		}
		for _, p := range problems {
			if p.Message == "" || p.Path != testPath || p.Line < 0 || p.Column < 0 {
				t.Errorf("bad problem %#v", p)
			}
		}
		if len(problems) > 0 {
			if len(c.IgnorePatterns()) > 0 || len(c.DisabledRules()) > 0 || !c.CommentsEnabled() || c.FailOn() != DefaultFailOn ||
				!c.Allowlist().Empty() || len(c.AllowlistCommits()) > 0 {
				t.Errorf("broken file weakened scanning: %+v", c)
			}
		}
		if _, err := c.Ruleset(rs); err != nil {
			t.Errorf("Ruleset: %v", err)
		}
	})
}

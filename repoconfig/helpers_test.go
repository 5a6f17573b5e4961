package repoconfig

import (
	"strings"
	"sync"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

const testPath = ".github/pushguard.yml"

var builtinOnce = sync.OnceValues(scanner.Default)

// builtin returns the compiled built-in rules, shared by the tests.
func builtin(t testing.TB) *scanner.Ruleset {
	t.Helper()
	rs, err := builtinOnce()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// yml joins lines into a file, so that tests can count lines.
func yml(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// problemStrings renders problems for comparison.
func problemStrings(ps []Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

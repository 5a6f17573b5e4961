package repoconfig

import (
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Glob syntax is doublestar's, the same as GitHub Actions' paths filters: a
// pattern matches the whole path; "*" and "?" stay within one segment; "**"
// as a whole segment matches any number of directories, including none;
// "{a,b}" and "[a-z]" as usual. So "*.md" is Markdown at the root only and
// "**/*.md" is Markdown anywhere. A trailing "/" means everything under the
// directory ("vendor/" is "vendor/**").

// normalizeGlob cleans a paths.ignore pattern and checks it. It returns the
// stored pattern, or a message saying what is wrong.
func normalizeGlob(p string) (string, string) {
	g := normalizePath(strings.TrimSpace(p))
	if strings.HasSuffix(g, "/") {
		g += "**"
	}
	switch {
	case g == "":
		return "", "empty pattern"
	case len(g) > maxGlobLen:
		return "", "pattern longer than 1024 bytes"
	case !doublestar.ValidatePattern(g):
		return "", "malformed glob " + strconv.Quote(p) + " (check brackets and braces)"
	}
	// A glob matching paths of all these shapes would ignore everything.
	for _, path := range []string{"main.go", "a/b/c.txt", ".env", "x/.github/y"} {
		if !globMatch(g, path) {
			return g, ""
		}
	}
	return "", "glob " + strconv.Quote(p) + " ignores every file, which would turn scanning off; uninstall the App on this repository instead"
}

// normalizePath strips what a path may carry before its first segment.
func normalizePath(p string) string {
	for {
		switch {
		case strings.HasPrefix(p, "./"):
			p = p[2:]
		case strings.HasPrefix(p, "/"):
			p = p[1:]
		default:
			return p
		}
	}
}

// globMatch reports whether a validated pattern matches a path.
func globMatch(pattern, path string) bool {
	ok, err := doublestar.Match(pattern, path)
	return err == nil && ok
}

package repoconfig

import "testing"

func TestIgnored(t *testing.T) {
	t.Parallel()
	tests := []struct {
		glob string
		path string
		want bool
	}{
		{"**/testdata/**", "testdata/a.txt", true},
		{"**/testdata/**", "pkg/testdata/a.txt", true},
		{"**/testdata/**", "pkg/x/testdata/deep/a.txt", true},
		{"**/testdata/**", "pkg/testdata.go", false},
		{"**/testdata/**", "mytestdata/a.txt", false},
		{"*.md", "README.md", true},
		{"*.md", "docs/README.md", false},
		{"**/*.md", "docs/README.md", true},
		{"**/*.md", "README.md", true},
		{"docs/*", "docs/a.md", true},
		{"docs/*", "docs/sub/a.md", false},
		{"docs/*", "src/docs/a.md", false},
		{"docs/", "docs/sub/a.md", true},
		{"vendor/**", "vendor/github.com/x/y.go", true},
		{"vendor/**", "vendor/modules.txt", true},
		{"vendor/**", "src/vendor/x.go", false},
		{"vendor/**", "vendored.go", false},
		{"/vendor/**", "vendor/x.go", true},
		{"./docs/*", "docs/a.md", true},
		{"docs/*", "./docs/a.md", true},
		{"**/*.{png,jpg}", "img/a.jpg", true},
		{"**/*.{png,jpg}", "img/a.jpeg", false},
		{"test_[0-9].txt", "test_7.txt", true},
		{"?.txt", "a.txt", true},
		{"?.txt", "ab.txt", false},
		{".env.*", ".env.local", true},
	}
	for _, tt := range tests {
		t.Run(tt.glob+" "+tt.path, func(t *testing.T) {
			g, msg := normalizeGlob(tt.glob)
			if msg != "" {
				t.Fatal(msg)
			}
			c := &Config{ignore: []string{g}}
			if got := c.Ignored(tt.path); got != tt.want {
				t.Errorf("Ignored(%q) with %q = %v, want %v", tt.path, tt.glob, got, tt.want)
			}
		})
	}
}

func TestNormalizeGlobRefuses(t *testing.T) {
	t.Parallel()
	for _, g := range []string{"", "  ", "/", "**", "**/*", "*/**", "**/**", "{**,x}", "[a-", "a{b", strings1025()} {
		if got, msg := normalizeGlob(g); msg == "" {
			t.Errorf("normalizeGlob(%q) = %q, want a problem", g, got)
		}
	}
}

func strings1025() string {
	b := make([]byte, maxGlobLen+1)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}

func TestIgnoredNil(t *testing.T) {
	t.Parallel()
	var c *Config
	if c.Ignored("a.go") {
		t.Error("nil config ignores")
	}
}

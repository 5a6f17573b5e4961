package scanner

import (
	"context"
	"strings"
	"testing"
)

func TestAllowlist(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	file := "a = " + tokA + "\n" + "b = " + tokB + " # fixture\n" + "c = tok_Kq8NOVA5a9Xb3Lm7Qp2Z\n"
	tests := []struct {
		name    string
		allow   Allowlist
		want    []string // secrets still reported
		allowed int
	}{
		{"none", Allowlist{}, []string{tokA, tokB, "tok_Kq8NOVA5a9Xb3Lm7Qp2Z"}, 0},
		{"secret regex allows a test key", Allowlist{Regexes: []AllowRegex{{Pattern: `^tok_Kq8NOVA`}}}, []string{tokA, tokB}, 1},
		{"secret regex does not see the line", Allowlist{Regexes: []AllowRegex{{Pattern: `fixture`}}}, []string{tokA, tokB, "tok_Kq8NOVA5a9Xb3Lm7Qp2Z"}, 0},
		{"line regex", Allowlist{Regexes: []AllowRegex{{Pattern: `# fixture$`, Target: AllowLine}}}, []string{tokA, "tok_Kq8NOVA5a9Xb3Lm7Qp2Z"}, 1},
		{"stopword, any case", Allowlist{Stopwords: []string{"nova"}}, []string{tokA, tokB}, 1},
		{"stopword not in a secret", Allowlist{Stopwords: []string{"fixture"}}, []string{tokA, tokB, "tok_Kq8NOVA5a9Xb3Lm7Qp2Z"}, 0},
		{"both", Allowlist{Regexes: []AllowRegex{{Pattern: tokA}}, Stopwords: []string{"NoVa"}}, []string{tokB}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ars, err := rs.WithAllowlist(tt.allow)
			if err != nil {
				t.Fatal(err)
			}
			res, err := New(ars, testKey).ScanFile(context.Background(), "f.txt", "", strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Secret())
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || res.Allowed != tt.allowed {
				t.Errorf("found %v, %d allowed; want %v, %d allowed", got, res.Allowed, tt.want, tt.allowed)
			}
		})
	}
}

func TestAllowlistEncoded(t *testing.T) {
	t.Parallel()
	rs, err := engineRules(t).WithAllowlist(Allowlist{Stopwords: []string{"nova"}})
	if err != nil {
		t.Fatal(err)
	}
	// base64 of "token: tok_Kq8NOVA5a9Xb3Lm7Qp2Z\n"
	file := "data: dG9rZW46IHRva19LcThOT1ZBNWE5WGIzTG03UXAyWgo=\n"
	res, err := New(rs, testKey).ScanFile(context.Background(), "s.yaml", "", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Allowed != 1 {
		t.Errorf("findings %v, %d allowed; want none, 1 allowed", locs(res.Findings), res.Allowed)
	}
}

func TestAllowlistVersion(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	same, err := rs.WithAllowlist(Allowlist{})
	if err != nil || same != rs {
		t.Fatalf("empty allowlist: got %p, %v; want the ruleset itself", same, err)
	}
	seen := map[string]string{rs.Version(): "none"}
	for name, a := range map[string]Allowlist{
		"regex":     {Regexes: []AllowRegex{{Pattern: "x+"}}},
		"line":      {Regexes: []AllowRegex{{Pattern: "x+", Target: AllowLine}}},
		"other":     {Regexes: []AllowRegex{{Pattern: "y+"}}},
		"stopword":  {Stopwords: []string{"x+"}},
		"stopword2": {Stopwords: []string{"abc"}},
	} {
		ars, err := rs.WithAllowlist(a)
		if err != nil {
			t.Fatal(err)
		}
		if prev, dup := seen[ars.Version()]; dup {
			t.Errorf("%s: version %s is also %s's", name, ars.Version(), prev)
		}
		seen[ars.Version()] = name
	}
}

func TestAllowlistErrors(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]Allowlist{
		"bad regex":  {Regexes: []AllowRegex{{Pattern: "(x"}}},
		"bad target": {Regexes: []AllowRegex{{Pattern: "x", Target: "path"}}},
		"empty stop": {Stopwords: []string{""}},
	} {
		if _, err := engineRules(t).WithAllowlist(a); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

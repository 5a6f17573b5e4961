package revoke

import (
	"slices"
	"testing"
)

func TestParsePrefixes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"ghp_,github_pat_", []string{"ghp_", "github_pat_"}, false},
		{" ghp_ , gho_,ghp_ ", []string{"ghp_", "gho_"}, false},
		{"ghp_,xoxb-", nil, true},
		{" , ", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParsePrefixes(tc.in)
			if (err != nil) != tc.wantErr || !slices.Equal(got, tc.want) {
				t.Errorf("ParsePrefixes(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestDefaultPrefixesByHost(t *testing.T) {
	t.Parallel()
	for url, want := range map[string][]string{
		"https://api.github.com/":         DotComPrefixes(),
		"https://ghe.example.com/api/v3/": EnterprisePrefixes(),
	} {
		c, err := New(Options{APIURL: url})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Prefixes(); !slices.Equal(got, want) {
			t.Errorf("%s: prefixes %v, want %v", url, got, want)
		}
	}
}

package ghapp

import "testing"

// TestParseAPIURL: github.com's and a GitHub Enterprise Server's API URLs
// are taken with a trailing slash; anything else is refused, naming the
// variable.
func TestParseAPIURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{DefaultAPIURL, DefaultAPIURL, true},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/", true},
		{"ftp://x", "", false},
		{"api.github.com", "", false},
		{"https://", "", false},
	}
	for _, tc := range tests {
		got, err := ParseAPIURL(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseAPIURL(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

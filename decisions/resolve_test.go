package decisions_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/decisions"
)

// fp pads a start into a whole fingerprint.
func fp(start string) string { return start + strings.Repeat("0", 64-len(start)) }

func TestResolve(t *testing.T) {
	t.Parallel()
	fps := []string{
		fp("3fa2b1c9aa"),
		fp("3fa2b1c9ab"), // shares 9 characters with the one above
		fp("3fa2b1c9ab"), // the same secret in another file
		fp("77e0d1"),
		fp("77e0d2ffff"),
		fp("c0ffee"),
	}
	tests := []struct {
		name    string
		prefix  string
		want    string
		err     error
		matches int
		need    int
	}{
		{name: "unique", prefix: "c0ffee", want: fp("c0ffee")},
		{name: "upper case", prefix: "C0FFEE", want: fp("c0ffee")},
		{name: "duplicates count once", prefix: "3fa2b1c9ab", want: fp("3fa2b1c9ab")},
		{name: "whole fingerprint", prefix: fp("77e0d1"), want: fp("77e0d1")},
		{name: "none", prefix: "deadbeef", err: decisions.ErrNoMatch},
		{name: "neighbour differs in the last character", prefix: "77e0d1", want: fp("77e0d1")},
		{name: "none among neighbours", prefix: "77e0d0", err: decisions.ErrNoMatch},
		{name: "five characters are too few", prefix: "77e0d", err: decisions.ErrInvalidPrefix},
		{name: "ambiguous needs 10", prefix: "3fa2b1", err: decisions.ErrAmbiguous, matches: 2, need: 10},
		{name: "ambiguous needs 10 from 9", prefix: "3fa2b1c9a", err: decisions.ErrAmbiguous, matches: 2, need: 10},
		{name: "all is the caller's", prefix: "all", err: decisions.ErrInvalidPrefix},
		{name: "not hex", prefix: "ghp_abcdef", err: decisions.ErrInvalidPrefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decisions.Resolve(tt.prefix, fps)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("Resolve(%q) error = %v, want %v", tt.prefix, err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.prefix, got, tt.want)
			}
			var amb *decisions.AmbiguousError
			if errors.As(err, &amb) && (amb.Matches != tt.matches || amb.Need != tt.need) {
				t.Errorf("ambiguous: %d matches, need %d; want %d, %d", amb.Matches, amb.Need, tt.matches, tt.need)
			}
		})
	}
}

func TestAmbiguousErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := decisions.Resolve("abcdef", []string{fp("abcdef12"), fp("abcdef13"), fp("abcdef2")})
	want := "fingerprint abcdef matches 3 findings: give at least 8 characters (2 more)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

func TestUniquePrefixLen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fps  []string
		want int
	}{
		{"none", nil, decisions.MinPrefixLen},
		{"one", []string{fp("ab")}, decisions.MinPrefixLen},
		{"differ early", []string{fp("a"), fp("b")}, decisions.MinPrefixLen},
		{"duplicates", []string{fp("abcdef1"), fp("ABCDEF1")}, decisions.MinPrefixLen},
		{"share eight", []string{fp("1234567890"), fp("12345678ff"), fp("9")}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decisions.UniquePrefixLen(tt.fps); got != tt.want {
				t.Errorf("UniquePrefixLen = %d, want %d", got, tt.want)
			}
		})
	}
}

package decisions

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Resolution errors. An ambiguous prefix is an *AmbiguousError.
var (
	ErrNoMatch   = errors.New("no finding has a fingerprint starting with it")
	ErrAmbiguous = errors.New("several findings have a fingerprint starting with it")
)

// AmbiguousError is a prefix that starts several fingerprints. It unwraps to
// ErrAmbiguous.
type AmbiguousError struct {
	Prefix  string // the prefix given
	Matches int    // how many distinct fingerprints it starts
	Need    int    // the prefix length that tells each of them apart
}

// Error says how many findings match and how many characters tell them apart.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("fingerprint %s matches %d findings: give at least %d characters (%d more)",
		e.Prefix, e.Matches, e.Need, e.Need-len(e.Prefix))
}

// Unwrap lets callers test for ErrAmbiguous.
func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

// Resolve returns the one fingerprint among fingerprints that starts with
// prefix (case-insensitive; duplicates count once). No match is ErrNoMatch,
// several an *AmbiguousError saying how long the prefix must be, and a
// prefix that ValidPrefix refuses (such as TargetAll, which is the caller's
// to expand) an ErrInvalidPrefix.
func Resolve(prefix string, fingerprints []string) (string, error) {
	prefix = strings.ToLower(prefix)
	if !ValidPrefix(prefix) {
		return "", badPrefix()
	}
	var matches []string
	for _, fp := range fingerprints {
		fp = strings.ToLower(fp)
		if fp == prefix {
			return fp, nil // the whole fingerprint
		}
		if strings.HasPrefix(fp, prefix) {
			matches = append(matches, fp)
		}
	}
	matches = distinct(matches)
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("fingerprint %s: %w", prefix, ErrNoMatch)
	case 1:
		return matches[0], nil
	}
	return "", &AmbiguousError{Prefix: prefix, Matches: len(matches), Need: distinguishingLen(matches)}
}

// UniquePrefixLen returns the shortest prefix length, at least MinPrefixLen,
// at which the given fingerprints all differ: the length to show them at.
func UniquePrefixLen(fingerprints []string) int {
	lower := make([]string, len(fingerprints))
	for i, fp := range fingerprints {
		lower[i] = strings.ToLower(fp)
	}
	return max(MinPrefixLen, distinguishingLen(distinct(lower)))
}

// distinct sorts fps and drops duplicates, in place.
func distinct(fps []string) []string {
	slices.Sort(fps)
	return slices.Compact(fps)
}

// distinguishingLen returns the shortest prefix length at which the sorted,
// distinct fps all differ: one more than the longest prefix two neighbours
// share. Only neighbours need comparing, since sorting puts the strings
// sharing the longest prefix next to each other.
func distinguishingLen(fps []string) int {
	n := 0
	for i := 1; i < len(fps); i++ {
		n = max(n, commonPrefixLen(fps[i-1], fps[i])+1)
	}
	return n
}

// commonPrefixLen returns how many leading bytes a and b share.
func commonPrefixLen(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

package scanner

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// hunkHeaderRe is the regular expression parseHunkHeader replaced, kept as
// its oracle.
var hunkHeaderRe = regexp.MustCompile(`^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))? @{2,}`)

// oracleHunkHeader parses s with hunkHeaderRe, as the parser once did.
func oracleHunkHeader(s string) (hunkHeader, bool) {
	m := hunkHeaderRe.FindStringSubmatch(s)
	if m == nil {
		return hunkHeader{}, false
	}
	h := hunkHeader{ats: len(m[1]), newStart: m[3], newLen: m[4]}
	for _, om := range regexp.MustCompile(`-\d+(?:,(\d+))?`).FindAllStringSubmatch(m[2], -1) {
		h.oldLeft = append(h.oldLeft, rangeLen(om[1]))
	}
	return h, true
}

// checkHunkHeader fails t when parseHunkHeader and the oracle disagree on s.
func checkHunkHeader(t *testing.T, s string) {
	t.Helper()
	got, gotOK := parseHunkHeader(s, nil)
	want, wantOK := oracleHunkHeader(s)
	if gotOK != wantOK || gotOK && (got.ats != want.ats || got.newStart != want.newStart || got.newLen != want.newLen || !slices.Equal(got.oldLeft, want.oldLeft)) {
		t.Fatalf("parseHunkHeader(%q) = %+v, %v; the regexp gives %+v, %v", s, got, gotOK, want, wantOK)
	}
}

// TestParseHunkHeaderMatchesRegexp checks the hand-written hunk header
// parser against the regular expression it replaced: on the headers git
// writes, on their edges, and on random strings of their alphabet.
func TestParseHunkHeaderMatchesRegexp(t *testing.T) {
	t.Parallel()
	cases := []string{
		"@@ -1 +1 @@", "@@ -0,0 +1,3 @@", "@@ -12,5 +12,7 @@ func main() {", "@@@ -1,2 -3,4 +5,6 @@@",
		"@@@@ -1 -2 -3 +4 @@@@ x", "@@ -1,2 +3,4 @", "@@ -1,2 +3,4@@", "@@ -1, +3 @@", "@@ -,1 +3 @@",
		"@@ +1 @@", "@@  -1 +1 @@", "@ -1 +1 @@", "@@ -1 -2 @@", "@@ -1 +1, @@", "@@ -1 +1 @@@", "@@ -99999999999999999999 +1 @@",
		"@@ -1 +99999999999999999999 @@", "", "@@", "@@ ", "@@ -1 +1 ", "@@ -1 +1 @", "@@ -1\t+1 @@", "@@ -٣ +1 @@",
	}
	for _, s := range cases {
		checkHunkHeader(t, s)
	}
	pieces := []string{"@", "@@", " ", "-", "+", ",", "1", "23", "0", "x", "\t"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		if rng.IntN(2) == 0 {
			b.WriteString("@@ -")
		}
		for k := rng.IntN(14); k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkHunkHeader(t, b.String())
	}
}

// FuzzParseHunkHeader checks the parser against the regexp on any input.
func FuzzParseHunkHeader(f *testing.F) {
	for _, s := range []string{"@@ -1 +1 @@", "@@@ -1,2 -3,4 +5,6 @@@", "@@ -1, +3 @@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkHunkHeader(t, s) })
}

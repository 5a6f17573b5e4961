package scanner

import (
	"fmt"
	"strings"
	"testing"
)

// TestLeadRange checks where leadRange places a keyword in a pattern's
// matches, and that it refuses when a keyword can be outside a match or at
// an unbounded distance from its start.
func TestLeadRange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pattern  string
		keywords []string
		lo, hi   int
		ok       bool
	}{
		{"word token", uniqueToken(`ghp_[A-Za-z0-9]{36}`, wordChars), []string{"ghp_"}, 0, 0, true},
		{"boundary character", uniqueToken(`shpat_[a-fA-F0-9]{32}`, b64TokenChars), []string{"shpat_"}, 0, 4, true}, // the boundary may be a 4-byte rune
		{"factored alternation", `(?:AIDA|AROA|AGPA)[A-Z2-7]{16}`, []string{"aida", "aroa", "agpa"}, 0, 0, true},
		{"class then literal", `[12]/[0-9]{12,19}`, []string{"1/", "2/"}, 0, 0, true},
		{"keyword after a bounded part", `[a-z0-9]{36}NRAL`, []string{"nral"}, 36, 36, true},
		{"keyword in a later group", `(?:^|[^a-z])([a-z0-9]{4,6}NRAL)`, []string{"nral"}, 4, 10, true},
		{"case folded name", `(?i:api[_-]?key)\s*=\s*([a-z]{8})`, []string{"api"}, 0, 0, true},
		{"keyword outside the match", `sk-[a-f0-9]{32}`, []string{"deepseek"}, 0, 0, false},
		{"unbounded before the keyword", `[a-z]+token=\w+`, []string{"token"}, 0, 0, false},
		{"a branch without the keyword", `token=\w+|secret\w+`, []string{"token"}, 0, 0, false},
		{"optional keyword", `(?:key-)?[0-9a-f]{32}`, []string{"key-"}, 0, 0, false},
		{"keyword only in a repeated part", `(?:ab)*xyz`, []string{"ab"}, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := leadRange(tc.pattern, tc.keywords)
			if ok != tc.ok || ok && (lo != tc.lo || hi != tc.hi) {
				t.Errorf("leadRange = %d, %d, %v; want %d, %d, %v", lo, hi, ok, tc.lo, tc.hi, tc.ok)
			}
		})
	}
}

// TestLeadRangeHoldsOnTruePositives checks leadRange's answer for every
// built-in rule against the rule's own true positives: each match holds one
// of the rule's keywords within the range.
func TestLeadRangeHoldsOnTruePositives(t *testing.T) {
	rs := defaultRules(t)
	anchored := 0
	for _, r := range rs.rules {
		if !r.leadOK || r.startsAtName {
			continue
		}
		if r.anchored {
			anchored++
		}
		for _, tp := range r.TruePositives {
			low := strings.ToLower(tp)
			for _, m := range r.pattern().FindAllStringIndex(tp, -1) {
				if !keywordWithin(low, r.Keywords, m[0]+r.leadLo, m[0]+r.leadHi) {
					t.Errorf("%s: match %q holds no keyword %d to %d bytes in", r.ID, tp[m[0]:m[1]], r.leadLo, r.leadHi)
				}
			}
		}
	}
	if anchored < len(rs.rules)/2 {
		t.Errorf("only %d of %d rules anchored", anchored, len(rs.rules))
	}
}

func keywordWithin(text string, keywords []string, from, to int) bool {
	for _, k := range keywords {
		for i := from; i <= to && i < len(text); i++ {
			if strings.HasPrefix(text[i:], k) {
				return true
			}
		}
	}
	return false
}

// TestNameStarts checks where a generic rule is tried: before the name run
// holding each keyword (and before a '<' ahead of it), once per run, and
// not at all when the run does not end with a reported name before an
// operator.
func TestNameStarts(t *testing.T) {
	rs := defaultRules(t)
	r := rs.byID["generic-secret"]
	for _, tc := range []struct {
		text string
		want []int
	}{
		{`x DB_PASSWORD=abc`, []int{1}},
		{`DB_PASSWORD=abc`, []int{0}},
		{`x <password>abc</password>`, []int{1, 2, 16}},
		{`x tokentoken_secret: abc`, []int{1}},
		{`x password_url=abc`, nil},
		{`x passwordStrength(abc)`, nil},
		{`x DOMTokenList.prototype.add=f`, nil},
		{`x password`, nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			var hits []int
			low := strings.ToLower(tc.text)
			for i := range low {
				for _, k := range r.Keywords {
					if strings.HasPrefix(low[i:], k) {
						hits = append(hits, i)
						break
					}
				}
			}
			got := nameStarts(nil, []byte(tc.text), hits, r.nameEnd)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("nameStarts = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLongLineFalsePositives buries every single-line false positive of
// every built-in rule in a long line: the rule reports nothing there, as on
// the short line.
func TestLongLineFalsePositives(t *testing.T) {
	all := defaultRules(t)
	for _, r := range Builtin() {
		t.Run(r.ID, func(t *testing.T) {
			for _, fp := range r.FalsePositives {
				if strings.Contains(fp, "\n") || countRule(scanText(t, all, fp), r.ID) > 0 {
					continue // multi-line, or reported by another rule's overlap rules only when short
				}
				text := longFiller + " " + fp + " " + longFiller
				if n := countRule(scanText(t, all, text), r.ID); n != 0 {
					t.Errorf("%d findings in a long line holding false positive %q", n, fp)
				}
			}
		})
	}
}

// TestLongLineAnchoredLikeWholeLine compares, for every anchored rule, the
// matches found at its keywords' occurrences on a long line with those of
// its pattern run over the whole line: the same, so anchoring loses nothing.
func TestLongLineAnchoredLikeWholeLine(t *testing.T) {
	rs := defaultRules(t)
	for _, r := range rs.rules {
		if !r.anchored || r.startsAtName {
			continue
		}
		var b strings.Builder
		for i, tp := range append(append([]string{}, r.TruePositives...), r.FalsePositives...) {
			if strings.Contains(tp, "\n") {
				continue
			}
			b.WriteString(longFiller[:200+i*37%500])
			b.WriteString([]string{" ", "", "=", "\t", "x"}[i%5])
			b.WriteString(tp)
		}
		b.WriteString(longFiller)
		text := []byte(b.String())
		want := r.pattern().FindAllSubmatchIndex(text, -1)
		f := newFileScan(rs, testKey, func(Finding) {})
		f.reset("x", "")
		f.collectLong(1, text)
		starts, ok := f.anchorStarts(r, text)
		if !ok {
			if r.anchorIdx == nil {
				t.Errorf("%s: not anchored", r.ID)
			}
			continue // its anchors are too frequent in the filler: it runs in windows
		}
		var got [][]int
		done := 0
		for _, s := range starts {
			if s < done {
				continue
			}
			m, base := matchAt(r, text, s)
			if m == nil {
				continue
			}
			abs := make([]int, len(m))
			for i, v := range m {
				abs[i] = v
				if v >= 0 {
					abs[i] = v + base
				}
			}
			got = append(got, abs)
			done = abs[1]
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: anchored matches %v, whole line %v", r.ID, got, want)
		}
	}
}

package scanner

import (
	"strings"
	"testing"
)

// longFiller is minified-looking code without secrets, to bury a secret in
// a line far longer than longLine.
var longFiller = strings.Repeat(`function(a,b){return a.map(function(c){return c+b})};var key=e.keys,n=t.length;`, 120)

// TestLongLineTruePositives buries every single-line true positive of every
// built-in rule in the middle, at the start and at the end of a line tens of
// kilobytes long (scanned in windows around keywords): each is still found
// exactly once, as on its own line.
func TestLongLineTruePositives(t *testing.T) {
	t.Parallel()
	all := defaultRules(t)
	for _, r := range Builtin() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			for _, tp := range r.TruePositives {
				if strings.Contains(tp, "\n") {
					continue
				}
				for name, text := range map[string]string{
					"middle": longFiller + " " + tp + " " + longFiller,
					"start":  tp + " " + longFiller + longFiller,
					"end":    longFiller + longFiller + " " + tp,
				} {
					if len(text) <= longLine {
						t.Fatalf("filler too short")
					}
					fs := scanText(t, all, text)
					if n := countRule(fs, r.ID); n != 1 {
						t.Errorf("%s of a long line: %d findings of the rule, want 1 (%v):\n%s", name, n, locs(fs), tp)
					}
				}
			}
		})
	}
}

// TestLongLineColumns checks columns on a long line with multi-byte runes
// before the secret, and a secret far longer than a window.
func TestLongLineColumns(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	prefix := strings.Repeat("é", 3000) + " " + strings.Repeat("x", 5000) + " "
	text := prefix + tokA + " " + strings.Repeat("y", 9000)
	fs := scanText(t, rs, text)
	want := 3000 + 1 + 5000 + 1 + 1
	if len(fs) != 1 || fs[0].StartColumn != want || fs[0].EndColumn != want+len(tokA)-1 {
		t.Fatalf("got %v, want test-token at column %d", locs(fs), want)
	}
}

// TestLongLineKeywordFarFromSecret checks rules whose keyword is not part of
// their match (a provider's name on the line or a line nearby): on a long
// line the secret is found however far it lies from the keyword, as on a
// short line.
func TestLongLineKeywordFarFromSecret(t *testing.T) {
	all := defaultRules(t)
	for _, tc := range []struct {
		name, rule, text string
	}{
		{"same line, secret after", "deepseek-api-key", "DEEPSEEK_API_KEY is set below " + longFiller + " sk-fcbd59ebc9085848246d7e26790af23b " + longFiller},
		{"same line, secret before", "deepseek-api-key", longFiller + " sk-fcbd59ebc9085848246d7e26790af23b " + longFiller + " for deepseek"},
		{"keyword on the line above", "mailgun-api-key", "mailgun:\n" + longFiller + " key-f7a6ee1f04be8d51aa70321af6cf739d " + longFiller},
		{"keyword on the line below", "mailgun-api-key", longFiller + " key-f7a6ee1f04be8d51aa70321af6cf739d " + longFiller + "\nmailgun:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := scanText(t, all, tc.text)
			if n := countRule(fs, tc.rule); n != 1 {
				t.Errorf("%d findings of %s, want 1 (%v)", n, tc.rule, locs(fs))
			}
		})
	}
}

package scanner

import (
	"bytes"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// found lists the keywords a keywordSet reports in text, sorted, once each.
func found(k *keywordSet, keywords []string, text []byte) []string {
	seen := map[string]bool{}
	k.match(text, func(id int32) { seen[keywords[id]] = true })
	var out []string
	for kw := range seen {
		out = append(out, kw)
	}
	sort.Strings(out)
	return out
}

// contained lists the keywords strings.Contains finds in lower(text).
func contained(keywords []string, text []byte) []string {
	lower := strings.ToLower(string(text))
	var out []string
	for _, kw := range keywords {
		if strings.Contains(lower, kw) {
			out = append(out, kw)
		}
	}
	sort.Strings(out)
	return uniq(out)
}

func uniq(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func builtinKeywords() []string {
	var kws []string
	for _, r := range Builtin() {
		kws = append(kws, r.Keywords...)
	}
	sort.Strings(kws)
	return uniq(kws)
}

func TestKeywordSetMatchesContains(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		keywords []string
		text     string
	}{
		{"overlapping", []string{"he", "she", "his", "hers"}, "ushers"},
		{"nested suffix", []string{"a", "aa", "aaa"}, "xaaay"},
		{"case folded", []string{"ghp_", "akia"}, "export GHP_x AkIa"},
		{"failure chain", []string{"abcd", "bcx", "cd"}, "abcx abcd"},
		{"no match", []string{"token"}, "tokes tok en"},
		{"repeated", []string{"key"}, "key key KEY"},
		{"non-ascii", []string{"clé"}, "une CLé et une clé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeywordSet(tt.keywords)
			got, want := found(k, tt.keywords, []byte(tt.text)), contained(tt.keywords, []byte(tt.text))
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	t.Run("builtin keywords on random text", func(t *testing.T) {
		kws := builtinKeywords()
		k := newKeywordSet(kws)
		r := rand.New(rand.NewSource(1))
		alphabet := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/ "
		for i := 0; i < 2000; i++ {
			var b bytes.Buffer
			for j := r.Intn(200); j > 0; j-- {
				if r.Intn(20) == 0 {
					b.WriteString(kws[r.Intn(len(kws))])
				} else {
					b.WriteByte(alphabet[r.Intn(len(alphabet))])
				}
			}
			got, want := found(k, kws, b.Bytes()), contained(kws, b.Bytes())
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("text %q: got %v, want %v", b.String(), got, want)
			}
		}
	})
}

// FuzzKeywordSet checks the automaton against strings.Contains.
func FuzzKeywordSet(f *testing.F) {
	kws := builtinKeywords()
	k := newKeywordSet(kws)
	f.Add([]byte("AWS_ACCESS_KEY_ID=AKIA ghp_ xoxb- sk_live_"))
	f.Fuzz(func(t *testing.T, text []byte) {
		got, want := found(k, kws, text), contained(kws, text)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}

// BenchmarkKeywords measures the prefilter alone over the Go-sources corpus.
func BenchmarkKeywords(b *testing.B) {
	diff := goSourceDiff(b, 16<<20)
	k := newKeywordSet(builtinKeywords())
	b.SetBytes(int64(len(diff)))
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		k.match(diff, func(int32) { n++ })
	}
}

package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestParseIgnoreFile checks the ignore file's grammar line by line.
func TestParseIgnoreFile(t *testing.T) {
	t.Parallel()
	fp := strings.Repeat("0123456789abcdef", 4)
	upper := strings.ToUpper(fp[:16])
	tests := []struct {
		name    string
		in      string
		want    string // "fingerprint=reason|..." or the error's substring
		wantErr bool
	}{
		{"empty", "", "", false},
		{"comments and blanks", "# a\n\n   # b\n", "", false},
		{"space", fp + " old key\n", fp + "=old key", false},
		{"tab and spaces", fp[:12] + "\t  revoked   today  \n", fp[:12] + "=revoked   today", false},
		{"upper case", upper + " x", strings.ToLower(upper) + "=x", false},
		{"CRLF", fp + " x\r\n" + fp[:13] + " y\r\n", fp + "=x|" + fp[:13] + "=y", false},
		{"no reason", fp + "\n", "a.ignore:1: fingerprint " + fp + " has no reason", true},
		{"too short", fp[:11] + " x\n", "a.ignore:1: ", true},
		{"not hex", "xyz0123456789 x\n", "a.ignore:1: ", true},
		{"indented comment only counts at line start", "  " + fp + " # reason\n", fp + "=# reason", false},
		{"line 3", "# h\n" + fp + " a\nnope\n", "a.ignore:3: ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := parseIgnoreFile("a.ignore", []byte(tt.in), func(s string) string { return s })
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %v, want one with %q", err, tt.want)
				}
				return
			}
			var got []string
			for _, e := range list.entries {
				got = append(got, e.fingerprint+"="+e.reason)
			}
			if err != nil || strings.Join(got, "|") != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestIgnoreMatch checks that an entry matches the finding whose fingerprint
// it is or begins, and no other.
func TestIgnoreMatch(t *testing.T) {
	t.Parallel()
	fp := strings.Repeat("0123456789abcdef", 4)
	list, err := parseIgnoreFile("x", []byte(fp[:12]+" short\n"+fp[:16]+" longer\n"+strings.Repeat("f", 64)+" whole\n"), func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ fingerprint, want string }{
		{fp, "short"},
		{strings.Repeat("f", 64), "whole"},
		{strings.Repeat("f", 63) + "e", ""},
		{fp[:11] + "f" + fp[12:], ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := list.match(scanner.Finding{Fingerprint: tt.fingerprint})
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("match(%q) = %q, %v; want %q", tt.fingerprint, got, ok, tt.want)
		}
	}
}

// FuzzParseIgnoreFile checks that any input is either an error or entries
// each with a hexadecimal fingerprint and a reason.
func FuzzParseIgnoreFile(f *testing.F) {
	f.Add([]byte("# c\n0123456789abcdef reason\n"))
	f.Add([]byte("0123456789ab\n"))
	f.Add([]byte("0123456789AB\tx y\r\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := parseIgnoreFile("f", data, func(s string) string { return s })
		if err != nil {
			return
		}
		for _, e := range list.entries {
			if !isHex(e.fingerprint) || len(e.fingerprint) < minIgnoreFingerprint || e.reason == "" {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}

// BenchmarkTriage measures sorting 5,000 findings against a 1,000-line
// ignore file and a 5,000-finding baseline, none of which match.
// Fingerprints are HMACs, as real ones are.
func BenchmarkTriage(b *testing.B) {
	fp := func(kind string, i int) string { return scanner.Fingerprint(nil, kind, fmt.Sprint(i)) }
	var lines strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&lines, "%s reason %d\n", fp("ignore", i), i)
	}
	list, err := parseIgnoreFile("x", []byte(lines.String()), func(s string) string { return s })
	if err != nil {
		b.Fatal(err)
	}
	base := baseline{}
	findings := make([]scanner.Finding, 5000)
	for i := range findings {
		findings[i].Fingerprint = fp("finding", i)
		base[fp("baseline", i)] = true
	}
	b.ReportAllocs()
	for b.Loop() {
		res := &scanner.Result{Findings: findings}
		if s, _ := triage(res, list, base); len(s.Result.Findings) != len(findings) {
			b.Fatal("something matched")
		}
	}
}

package scanner

import (
	"strings"
	"testing"
)

// crcToken builds a checksummed GitHub classic token from 30 base62
// characters, at run time, so that no whole token sits in the repository.
func crcToken(t testing.TB, body string) string {
	t.Helper()
	token := CRC32Token("ghp_", body)
	if !ValidCRC32Token(token) {
		t.Fatal("test token has a bad checksum")
	}
	return token
}

func TestRedactText(t *testing.T) {
	t.Parallel()
	sc := New(defaultRules(t), testKey)
	gh := crcToken(t, "Qw3rTy7UiOp9AsDfGhJkL2zXcVbNm4")
	aws := "AKIA" + "QX7RZ2MWK4TYB6NP"
	tests := []struct {
		name    string
		text    string
		secrets []string // must not survive
		want    string   // "" when only the absence of secrets is checked
	}{
		{"ordinary text is unchanged", "it is a fixture, rotated on Monday (see #42)", nil, "it is a fixture, rotated on Monday (see #42)"},
		{"empty", "", nil, ""},
		{"a GitHub token", "revoked " + gh + " already", []string{gh}, "revoked " + Redact(gh) + " already"},
		{"a token and an AWS key", "old token " + gh + " and key " + aws + ", both rotated", []string{gh, aws}, "old token " + Redact(gh) + " and key " + Redact(aws) + ", both rotated"},
		{"the same secret twice", gh + " " + gh, []string{gh}, Redact(gh) + " " + Redact(gh)},
		{"several lines", "first line\nTOKEN=" + gh + "\r\nlast", []string{gh}, "first line\nTOKEN=" + Redact(gh) + "\r\nlast"},
		{"unscannable text is dropped", "nul\x00" + gh, []string{gh}, unscannableText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sc.RedactText(tc.text)
			for _, s := range tc.secrets {
				if strings.Contains(got, s) {
					t.Errorf("RedactText kept the secret %s: %q", Redact(s), got)
				}
			}
			if tc.want != "" && got != tc.want {
				t.Errorf("RedactText(%q)\n got %q\nwant %q", tc.name, got, tc.want)
			}
			if tc.want == "" && tc.text == "" && got != "" {
				t.Errorf("RedactText(\"\") = %q", got)
			}
			if again := sc.RedactText(got); again != got {
				t.Errorf("RedactText is not stable: %q then %q", got, again)
			}
		})
	}
}

func TestRedactTextPrivateKey(t *testing.T) {
	t.Parallel()
	sc := New(defaultRules(t), testKey)
	body := strings.Repeat("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n", 6)
	pem := "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----"
	if len(scanText(t, sc.Rules(), pem)) == 0 {
		t.Fatal("the test key is not found by the built-in rules")
	}
	got := sc.RedactText("my key:\n" + pem + "\nthanks")
	if strings.Contains(got, "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun") {
		t.Errorf("the private key survived: %q", got)
	}
	if !strings.HasPrefix(got, "my key:\n") || !strings.HasSuffix(got, "\nthanks") {
		t.Errorf("the text around the key changed: %q", got)
	}
}

func BenchmarkRedactText(b *testing.B) {
	sc := New(defaultRules(b), testKey)
	note := strings.Repeat("it is a fixture, rotated on Monday ", 14) // about MaxNoteLen
	b.SetBytes(int64(len(note)))
	for b.Loop() {
		sc.RedactText(note)
	}
}

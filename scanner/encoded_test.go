package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Real-format secrets the encoded fixtures under testdata/encoded hold.
const (
	encGitHubPAT = "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"
	encAWSSecret = "9lMR4pAwBp3GVy1PixOqoRGrB5Vpg5C6QsyHZytf"
)

func scanFileText(t *testing.T, rs *Ruleset, path, text string) *Result {
	t.Helper()
	res, err := New(rs, testKey).ScanFile(context.Background(), path, "", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// encodedLocs renders findings as "rule line:start-end encoding".
func encodedLocs(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %d:%d-%d %s", f.RuleID, f.Line, f.StartColumn, f.EndColumn, f.Encoding))
	}
	return out
}

// TestEncodedTruePositives scans the files of testdata/encoded/tp: each
// encoded key is found once, at the encoded text's line and columns, with the
// decoded secret's rule, and says how it was encoded.
func TestEncodedTruePositives(t *testing.T) {
	t.Parallel()
	rs := defaultRules(t)
	tests := []struct {
		file string
		want []string
	}{
		{"k8s-secret.yaml", []string{
			"aws-secret-access-key 8:26-79 base64",
			"github-pat 9:17-70 base64",
			"private-key-ec 10:12-313 base64",
			"postgres-connection-uri 11:41-70 base64",
		}},
		{"dockerconfig-secret.yaml", []string{"github-pat 7:70-145 base64+base64"}},
		{"docker-config.json", []string{"github-pat 4:24-79 base64"}},
		{"npmrc", []string{"npm-access-token 2:37-91 base64", "github-pat 3:34-87 base64"}},
		{"urlencoded.env", []string{"postgres-connection-uri 2:50-69 percent", "url-basic-auth 3:68-83 percent"}},
		{"hexdump.env", []string{"aws-secret-access-key 2:25-104 hex"}},
		{"serviceaccount-secret.yaml", []string{"kubernetes-service-account-token 8:10-1156 base64"}},
		{"two-layers.yaml", []string{"url-basic-auth 2:93-115 base64+percent", "github-pat 3:12-119 hex+base64"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "encoded", "tp", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := scanFileText(t, rs, tt.file, string(data))
			if got := encodedLocs(res.Findings); !slices.Equal(got, tt.want) {
				t.Fatalf("findings\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			lines := strings.Split(string(data), "\n")
			for _, f := range res.Findings {
				checkEncodedFinding(t, f, lines[f.Line-1])
			}
		})
	}
}

// checkEncodedFinding: the secret is the decoded one; its redaction and fingerprint are the decoded secret's.
func checkEncodedFinding(t *testing.T, f Finding, line string) {
	t.Helper()
	// Percent-encoding leaves letters and digits as they are: only the
	// structure around such a secret (://, :, @) is encoded.
	if f.Encoding != EncodingPercent && strings.Contains(line, f.Secret()) {
		t.Errorf("%s: the secret is in the line as written; want it found only after decoding", f.RuleID)
	}
	if f.Redacted != Redact(f.Secret()) || strings.Contains(f.Redacted, f.Secret()) {
		t.Errorf("%s: redacted %q is not the decoded secret's redaction", f.RuleID, f.Redacted)
	}
	if f.Fingerprint != Fingerprint(testKey, f.RuleID, f.Secret()) {
		t.Errorf("%s: fingerprint is not the decoded secret's", f.RuleID)
	}
	if !strings.Contains(f.String(), "encoded ("+f.Encoding+")") {
		t.Errorf("%s: String() %q does not say how it was encoded", f.RuleID, f)
	}
}

// TestEncodedFalsePositives: encoded things that are not secrets (text,
// hashes, integrity strings, images, JWTs with ordinary claims, go.sum,
// placeholders, URL-encoded queries) give no finding, encoded or not.
func TestEncodedFalsePositives(t *testing.T) {
	t.Parallel()
	rs := defaultRules(t)
	paths, err := filepath.Glob(filepath.Join("testdata", "encoded", "fp", "*"))
	if err != nil || len(paths) < 8 {
		t.Fatalf("false-positive fixtures: %d, %v", len(paths), err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if res := scanFileText(t, rs, filepath.Base(p), string(data)); len(res.Findings) > 0 {
				t.Errorf("findings %v, want none", res.Findings)
			}
		})
	}
}

// TestEncodedSameIncident: a key encoded or not is one incident (same rule,
// same fingerprint), in every encoding.
func TestEncodedSameIncident(t *testing.T) {
	t.Parallel()
	rs := defaultRules(t)
	plain := scanFileText(t, rs, "a.env", "GITHUB_TOKEN="+encGitHubPAT+"\n").Findings
	if len(plain) != 1 {
		t.Fatalf("plain: %v", plain)
	}
	for _, tt := range []struct{ enc, text string }{
		{EncodingBase64, base64.StdEncoding.EncodeToString([]byte(encGitHubPAT))},
		{EncodingBase64, base64.RawURLEncoding.EncodeToString([]byte(encGitHubPAT))},
		{EncodingHex, hex.EncodeToString([]byte(encGitHubPAT))},
		{EncodingPercent, url.QueryEscape("https://x.test/?t=" + encGitHubPAT)},
	} {
		t.Run(tt.enc+" "+tt.text[:8], func(t *testing.T) {
			t.Parallel()
			got := scanFileText(t, rs, "a.env", "GITHUB_TOKEN="+tt.text+"\n").Findings
			if len(got) != 1 || got[0].Encoding != tt.enc || got[0].RuleID != plain[0].RuleID || got[0].Fingerprint != plain[0].Fingerprint {
				t.Fatalf("encoded: %v, want one %s finding with the plain key's fingerprint", encodedLocs(got), tt.enc)
			}
		})
	}
}

// TestEncodedClaims: the encoded pass never duplicates a direct finding, and
// stops where the rules say so.
func TestEncodedClaims(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, text string
		want       []string
	}{
		{"encoded token", "v: " + b64("t = "+tokA) + "\n", []string{"test-token 1:8-41 base64"}},
		{"direct beats encoded at equal confidence", "x=" + tokA + "%20y\n", []string{"test-token 1:3-26 "}},
		{"a direct and an encoded key in one run", "x=" + tokA + "%20" + tokB + "\n", []string{"test-token 1:3-26 ", "test-token 1:30-53 percent"}},
		{"specific encoded beats generic direct", `secret = "` + b64(tokA) + "\"\n", []string{"test-token 1:11-42 base64"}},
		{"decoded text without a secret clears a generic finding", `secret = "` + b64("just a sentence, really") + "\"\n", nil},
		{"two keys in one decoded file", "v: " + b64("a "+tokA+"\nb "+tokB+"\n") + "\n", []string{"test-token 1:4-38 base64", "test-token 1:40-74 base64"}},
		{"encoded block is one finding", "key: " + b64("-----BEGIN TEST KEY-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\nYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4\n-----END TEST KEY-----\n") + "\n",
			[]string{"test-block 1:6-156 base64"}},
		{"two layers", "v: " + b64(b64(tokA)) + "\n", []string{"test-token 1:4-46 base64+base64"}},
		{"URL-safe base64", "v: " + base64.RawURLEncoding.EncodeToString([]byte("t = "+tokA+" ???")) + "\n", []string{"test-token 1:8-41 base64"}},
		{"three layers are not decoded", "v: " + b64(b64(b64(tokA))) + "\n", nil},
		{"allow marker", "v: " + b64(tokA) + " # pushguard:allow\n", nil},
		{"binary is not text", "v: " + base64.StdEncoding.EncodeToString(append([]byte{0x89, 'P', 'N', 'G', 0, 1}, tokA...)) + "\n", nil},
		{"short runs are not decoded", "v: " + b64("tok_Q7fk2") + "\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := encodedLocs(scanFileText(t, rs, "x", tt.text).Findings); !slices.Equal(got, tt.want) {
				t.Fatalf("findings %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEncodedLongLines: a key deep inside a long base64 line is found once,
// including across decode chunks and in a later piece of a line too long to
// read whole, where the run's quantum alignment is unknown.
func TestEncodedLongLines(t *testing.T) {
	t.Parallel()
	rs := engineRules(t)
	filler := strings.Repeat("lorem ipsum dolor sit amet ", 1<<10)
	for _, tt := range []struct {
		name   string
		prefix int // bytes of encoded filler before the key's text
	}{
		{"first chunk", 0},
		{"straddling a chunk edge", decodeChunk*3/4 - 20},
		{"later piece of a huge line", maxLine + 4097},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pre := strings.Repeat(filler, tt.prefix/len(filler)+1)[:tt.prefix]
			text := "blob: " + base64.StdEncoding.EncodeToString([]byte(pre+" t = "+tokA+" "+filler)) + "\n"
			got := scanFileText(t, rs, "x", text).Findings
			if len(got) != 1 || got[0].RuleID != "test-token" || got[0].Encoding != EncodingBase64 || got[0].Secret() != tokA {
				t.Fatalf("findings %v, want the token once", encodedLocs(got))
			}
		})
	}
}

// TestFindRuns checks which stretches of a line are decoded, and how.
func TestFindRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want []string
	}{
		{"k: " + strings.Repeat("QUJD", 5) + "==;", []string{"QUJDQUJDQUJDQUJDQUJD== base64"}},
		{"k: " + strings.Repeat("QUJD", 5) + "===", []string{"QUJDQUJDQUJDQUJDQUJD== base64"}},
		{"id " + strings.Repeat("ab", 16) + "f", []string{strings.Repeat("ab", 16) + " hex"}},
		{"mixed alphabets a+b/c-d_eFGHIJKLMNOPQRSTU", nil},
		{"short QUJDQUJD", nil},
		{"u=https%3A%2F%2Fa.test%2F x", []string{"u=https%3A%2F%2Fa.test%2F percent"}},
		{"printf(\"%s\", x) 100%", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range findRuns(nil, []byte(tt.line), naiveShape([]byte(tt.line))) {
				got = append(got, tt.line[r.s:r.e]+" "+r.enc)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("runs %q, want %q", got, tt.want)
			}
		})
	}
}

// TestIsText: what counts as decoded text.
func TestIsText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   []byte
		want bool
	}{
		{[]byte("user:pässword\r\n\tok"), true},
		{[]byte{}, false},
		{[]byte("abc\x00def"), false},
		{[]byte("abc\x7fdef"), false},
		{[]byte{'a', 0xff, 'b'}, false},
	} {
		if got := isText(tt.in); got != tt.want {
			t.Errorf("isText(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !bytes.Equal(decodedOnly(percentDecode(nil, nil, []byte("a%41%zz%4"))), []byte("aA%zz%4")) {
		t.Error("percentDecode must decode valid escapes and keep the rest")
	}
}

// decodedOnly drops percentDecode's positions.
func decodedOnly(b []byte, _ []int32) []byte { return b }

// TestRunClass checks the class table against the alphabets it encodes.
func TestRunClass(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := 0
		if isAlnum(b) || strings.IndexByte("+/-_", b) >= 0 {
			want |= clBase64
		}
		if strings.IndexByte("0123456789abcdefABCDEF", b) >= 0 {
			want |= clHex
		}
		if b == '+' || b == '/' {
			want |= clStd
		}
		if b == '-' || b == '_' {
			want |= clURL
		}
		if b == '%' {
			want |= clPct
		}
		if int(runClass[c]) != want {
			t.Errorf("runClass[%q] = %#x, want %#x", b, runClass[c], want)
		}
	}
}

// TestFindRunsMatchesScan compares findRuns' skipping search with a plain
// byte-by-byte one on random lines of alphabet runs, padding and separators.
func TestFindRunsMatchesScan(t *testing.T) {
	t.Parallel()
	pieces := []string{"QUJD", "ab12", "+/", "-_", "==", "=", " ", ": ", ".", "deadbeef", "x"}
	rng := uint64(1)
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for k := 0; k < 30; k++ {
			rng = rng*6364136223846793005 + 1442695040888963407
			b.WriteString(pieces[(rng>>33)%uint64(len(pieces))])
		}
		line := []byte(b.String())
		if got, want := findRuns(nil, line, naiveShape(line)), naiveRuns(line); !slices.Equal(got, want) {
			t.Fatalf("%q: runs %v, want %v", line, got, want)
		}
	}
}

// TestKeywordPassShape checks the encoded shape the keyword pass notes
// (match and matchAt) against one computed byte by byte, on random lines and
// on the edges: a run one short of long enough, exactly long enough, cut by
// a separator, and a percent sign alone.
func TestKeywordPassShape(t *testing.T) {
	t.Parallel()
	k := newKeywordSet([]string{"key", "token"})
	lines := []string{
		"", "%", "x%", strings.Repeat("a", minBase64Run-1), strings.Repeat("a", minBase64Run),
		strings.Repeat("a", minBase64Run-1) + " " + strings.Repeat("b", minBase64Run-1),
		"token=" + strings.Repeat("Q", minBase64Run) + "%",
	}
	pieces := []string{"QUJD", "ab12", "+/", "-_", "==", "=", " ", "%2F", ".", "token", "é"}
	rng := uint64(7)
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for k := 0; k < 1+n%40; k++ {
			rng = rng*6364136223846793005 + 1442695040888963407
			b.WriteString(pieces[(rng>>33)%uint64(len(pieces))])
		}
		lines = append(lines, b.String())
	}
	for _, line := range lines {
		want := naiveShape([]byte(line))
		if got := k.match([]byte(line), func(int32) {}); got != want {
			t.Fatalf("match(%q) shape %b, want %b", line, got, want)
		}
		if got := k.matchAt([]byte(line), func(int32, int) {}); got != want {
			t.Fatalf("matchAt(%q) shape %b, want %b", line, got, want)
		}
	}
}

// naiveShape is the encoded shape of text, found byte by byte.
func naiveShape(text []byte) encodedShape {
	var sh encodedShape
	if bytes.IndexByte(text, '%') >= 0 {
		sh |= shapePercent
	}
	run := 0
	for _, c := range text {
		run++
		if !isAlnum(c) && strings.IndexByte("+/-_", c) < 0 {
			run = 0
		}
		if run >= minBase64Run {
			sh |= shapeLongRun
		}
	}
	return sh
}

// naiveRuns is findRuns without skipping (and without percent runs).
func naiveRuns(text []byte) []encodedRun {
	var runs []encodedRun
	for i := 0; i < len(text); {
		if runClass[text[i]]&clBase64 == 0 {
			i++
			continue
		}
		s, hexOnly, std, url := i, true, false, false
		for ; i < len(text) && runClass[text[i]]&clBase64 != 0; i++ {
			hexOnly = hexOnly && isHexChar(text[i])
			std = std || text[i] == '+' || text[i] == '/'
			url = url || text[i] == '-' || text[i] == '_'
		}
		switch n := i - s; {
		case hexOnly && n >= minHexRun:
			runs = append(runs, encodedRun{s: s, e: s + n&^1, enc: EncodingHex})
		case n >= minBase64Run && !(std && url):
			for k := 0; k < 2 && i < len(text) && text[i] == '='; k++ {
				i++
			}
			runs = append(runs, encodedRun{s: s, e: i, enc: EncodingBase64, url: url})
		}
	}
	return runs
}

// TestASCIILead: the pre-check agrees with decoding on text and rejects the
// usual non-text runs without decoding them.
func TestASCIILead(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"\tuser:pass", "-----BEGIN", "{\"auths\":{}}", "~~~~~~~~~~~~", "\n\nx"} {
		if !asciiLead(EncodingBase64, []byte(base64.StdEncoding.EncodeToString([]byte(s)))) {
			t.Errorf("base64 of %q rejected", s)
		}
		if !asciiLead(EncodingHex, []byte(hex.EncodeToString([]byte(s)))) {
			t.Errorf("hex of %q rejected", s)
		}
	}
	for _, tt := range []struct{ enc, s string }{
		{EncodingBase64, "errInvalidCookieValue"},
		{EncodingBase64, "http2FrameContinuation"},
		{EncodingBase64, base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G'})},
		{EncodingHex, "ffffffffffffffffffffffffffffffff"},
		{EncodingHex, "80a8cf39317f7d0be0e24972c51ac152"},
	} {
		if asciiLead(tt.enc, []byte(tt.s)) {
			t.Errorf("%s %q accepted", tt.enc, tt.s)
		}
	}
}

// TestEncodedClaimedSpan: text a format-specific rule claims (its pattern
// matched, its checks rejected the value) is that format's or nothing, and is
// not decoded either.
func TestEncodedClaimedSpan(t *testing.T) {
	t.Parallel()
	fix := Remediation{What: "w", RevokeURL: "https://example.test", Revoke: "r", Rotate: "r", Misuse: "m"}
	rules := append(engineRules(t).Rules(), Rule{
		ID: "test-claim", Provider: "Test", Keywords: []string{"clm:"}, Pattern: `\b(clm:[A-Za-z0-9+/=]{20,})`, Group: 1,
		Validators: []Validator{func(string) bool { return false }}, Confidence: High, Remediation: fix,
	}, Rule{ // a claiming rule too: its encoded finding must still yield to the claim
		ID: "test-checked", Provider: "Test", Keywords: []string{"chk_"}, Pattern: `\b(chk_[A-Za-z0-9]{20})\b`, Group: 1,
		Validators: []Validator{func(string) bool { return true }}, Confidence: High, Remediation: fix,
	})
	rs, err := NewRuleset(rules)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString([]byte("t = chk_" + tokA[4:]))
	if got := scanFileText(t, rs, "x", "v: "+enc+"\n").Findings; len(got) != 1 || got[0].RuleID != "test-checked" {
		t.Fatalf("unclaimed: %v, want the encoded token", encodedLocs(got))
	}
	if got := scanFileText(t, rs, "x", "v: clm:"+enc+"\n").Findings; len(got) != 0 {
		t.Fatalf("claimed: %v, want none", encodedLocs(got))
	}
}

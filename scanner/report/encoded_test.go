package report

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

// TestEncodedFinding: a secret found after decoding says so in every format,
// and no format shows the decoded secret.
func TestEncodedFinding(t *testing.T) {
	t.Parallel()
	rs := testRules(t)
	s := scanner.New(rs, []byte("report-test-key"))
	text := "data:\n  token: " + base64.StdEncoding.EncodeToString([]byte(testToken)) + "\n"
	res, err := s.ScanFile(context.Background(), "k8s/secret.yaml", "", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Encoding != scanner.EncodingBase64 {
		t.Fatalf("findings %v, want one found encoded (base64)", res.Findings)
	}
	tests := []struct {
		name   string
		render func(w *bytes.Buffer) error
		want   string
	}{
		{"text", func(w *bytes.Buffer) error { return Text(w, Scan{Result: res}, rs) }, "encoded (base64)"},
		{"json", func(w *bytes.Buffer) error { return JSON(w, Scan{Result: res}) }, `"encoding": "base64"`},
		{"sarif", func(w *bytes.Buffer) error { return SARIF(w, Scan{Result: res}, rs, "1.2.3") }, "encoded (base64)"},
		{"junit", func(w *bytes.Buffer) error { return JUnit(w, Scan{Result: res}) }, "encoded (base64)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tt.render(&buf); err != nil {
				t.Fatal(err)
			}
			checkNoSecret(t, buf.Bytes())
			if !bytes.Contains(buf.Bytes(), []byte(tt.want)) {
				t.Errorf("%s output lacks %q:\n%s", tt.name, tt.want, buf.String())
			}
		})
	}
}

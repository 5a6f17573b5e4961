package validity

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSigV4Vectors signs requests of AWS's published SigV4 test suite
// (aws-sig-v4-test-suite: get-vanilla, get-vanilla-query-order-key-case,
// post-vanilla) and compares the signatures.
func TestSigV4Vectors(t *testing.T) {
	s := sigV4{keyID: "AKIDEXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "service"}
	at := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	const prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature="
	cases := []struct{ name, method, url, sig string }{
		{"get-vanilla", http.MethodGet, "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"get-vanilla-query-order-key-case", http.MethodGet, "https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{"post-vanilla", http.MethodPost, "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, c.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			s.sign(req, nil, at)
			if got, want := req.Header.Get("Authorization"), prefix+c.sig; got != want {
				t.Errorf("Authorization\n got %s\nwant %s", got, want)
			}
			if got := req.Header.Get("X-Amz-Date"); got != "20150830T123600Z" {
				t.Errorf("X-Amz-Date = %s", got)
			}
		})
	}
}

// TestSigV4SessionToken signs the session token header of temporary
// credentials.
func TestSigV4SessionToken(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://example.amazonaws.com/", nil)
	sigV4{keyID: "ASIAEXAMPLE", secret: "s", token: "tok", region: "us-east-1", service: "sts"}.sign(req, nil, time.Unix(0, 0))
	if !strings.Contains(req.Header.Get("Authorization"), "SignedHeaders=host;x-amz-date;x-amz-security-token,") {
		t.Errorf("session token not signed: %s", req.Header.Get("Authorization"))
	}
}

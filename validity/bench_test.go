package validity

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"
)

// BenchmarkSigV4 signs one STS request.
func BenchmarkSigV4(b *testing.B) {
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	s := sigV4{keyID: plantedAWSKeyID, secret: plantedAWSSecret, region: "us-east-1", service: "sts"}
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", bytes.NewReader(body))
		s.sign(req, body, time.Unix(0, 0))
	}
}

// BenchmarkCheckCached answers from the cache.
func BenchmarkCheckCached(b *testing.B) {
	c, err := New(Options{CacheTTL: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	c.cache.put("github-pat\x00fp", Result{Status: Live, Checked: time.Now()}, time.Now())
	for b.Loop() {
		c.Check(context.Background(), "github-pat", "fp", ghToken, nil)
	}
}

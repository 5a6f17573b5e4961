package app

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue"
	"github.com/pushguard/pushguard/queue/queuetest"
	"github.com/pushguard/pushguard/store"
)

// startupConfig is a valid configuration against the fake GitHub gh.
func startupConfig(gh *fakegithub.Server) Config {
	return Config{AppID: gh.AppID(), PrivateKey: gh.PrivateKeyPEM(), WebhookSecret: []byte("s"), APIURL: gh.URL(),
		Redis: store.Redis{URL: "redis://unused"}, Workers: 1, FingerprintKey: []byte("0123456789abcdef0123"), MaxCommits: 10, LogFormat: "json"}
}

// serveResult runs serve until it returns, within a bounded wait.
func serveResult(t *testing.T, cfg Config, opts serviceOptions) (logs string, err error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	buf := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, newLogger(cfg, buf), ln, opts) }()
	select {
	case err := <-done:
		return buf.String(), err
	case <-time.After(60 * time.Second):
		cancel()
		<-done
		t.Fatalf("serve kept running; logs:\n%s", buf.String())
		return "", nil
	}
}

func otherKeyPEM(t *testing.T) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

// TestServeRefusesRejectedCredentials: a made-up App ID, or another App's
// key, stops serve at start with an error naming the App ID, before it logs
// "serving".
func TestServeRefusesRejectedCredentials(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	tests := []struct {
		name   string
		change func(*Config)
		appID  string
	}{
		{"made-up App ID", func(c *Config) { c.AppID = 123456 }, "123456"},
		{"another App's key", func(c *Config) { c.PrivateKey = otherKeyPEM(t) }, "App " + strconv.FormatInt(gh.AppID(), 10) + "'s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := startupConfig(gh)
			tc.change(&cfg)
			mr := miniredis.RunT(t)
			rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
			t.Cleanup(func() { rdb.Close() })
			logs, err := serveResult(t, cfg, serviceOptions{rdb: rdb})
			t.Logf("serve: %v", err)
			if err == nil || !strings.Contains(err.Error(), "rejected") || !strings.Contains(err.Error(), tc.appID) ||
				!strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "GITHUB_APP_ID") {
				t.Errorf("serve returned %v, want GitHub's rejection naming %s", err, tc.appID)
			}
			if strings.Contains(logs, `"msg":"serving"`) {
				t.Errorf("serve logged serving with rejected credentials:\n%s", logs)
			}
		})
	}
}

// TestServeRedisFailsFast: a Redis that cannot be used stops serve at start
// with a message that says why, before it logs "serving". rediss:// against
// a plain-text Redis says that the server may not speak TLS.
func TestServeRedisFailsFast(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	plain := miniredis.RunT(t)
	// Port 1 (tcpmux) is below the ephemeral range: no parallel test's
	// listener can take it, as one could take a port a closed server freed.
	const closedAddr = "127.0.0.1:1"
	tests := []struct {
		name  string
		redis store.Redis
		want  []string
	}{
		{"rediss:// against plain Redis", store.Redis{URL: "rediss://" + plain.Addr() + "/0"}, []string{"REDIS_URL", "may not speak TLS", "redis://"}},
		{"nothing listening", store.Redis{URL: "redis://" + closedAddr + "/0"}, []string{"REDIS_URL", closedAddr}},
		{"no sentinel listening", store.Redis{SentinelAddrs: []string{closedAddr}, MasterName: "main"},
			[]string{"REDIS_SENTINEL_ADDRS", `master "main"`, closedAddr}},
		{"no cluster node listening", store.Redis{ClusterAddrs: []string{closedAddr}}, []string{"REDIS_CLUSTER_ADDRS", closedAddr}},
		{"REDIS_TLS against plain cluster nodes", store.Redis{ClusterAddrs: []string{plain.Addr()}, TLS: true},
			[]string{"REDIS_CLUSTER_ADDRS", "may not speak TLS", "REDIS_TLS"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := startupConfig(gh)
			cfg.Redis = tc.redis
			logs, err := serveResult(t, cfg, serviceOptions{})
			t.Logf("serve: %v", err)
			for _, w := range tc.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("serve returned %v, want it to say %q", err, w)
				}
			}
			if strings.Contains(logs, `"msg":"serving"`) {
				t.Errorf("serve logged serving without a usable Redis:\n%s", logs)
			}
		})
	}
}

// failingApp fails GET /app with a 502 while down is set: GitHub is
// unreachable for a while.
type failingApp struct {
	base http.RoundTripper
	down atomic.Bool
}

func (f *failingApp) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.down.Load() && strings.HasSuffix(r.URL.Path, "/app") {
		return &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway", Header: http.Header{},
			Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	}
	return f.base.RoundTrip(r)
}

// TestReadyzWaitsForVerifiedCredentials: when GitHub cannot be reached at
// start, serve starts but /readyz says not ready, naming the credentials,
// until a retry verifies them.
func TestReadyzWaitsForVerifiedCredentials(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, fakegithub.Options{})
	rt := &failingApp{base: http.DefaultTransport}
	rt.down.Store(true)
	rdb := queuetest.Redis(t)
	qname := queuetest.Name(t, rdb)
	cfg := startupConfig(gh)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	opts := serviceOptions{rdb: rdb, transport: rt, queue: queue.Options{Name: qname, KeyPrefix: qname + ":"}, credentialRetry: 20 * time.Millisecond}
	go func() { done <- serve(ctx, cfg, newLogger(cfg, io.Discard), ln, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	status, body := waitStatus(t, url+"/readyz", func(status int) bool { return status == http.StatusServiceUnavailable })
	if !strings.Contains(body, "credentials") {
		t.Errorf("/readyz %d %q, want not ready naming the credentials", status, body)
	}
	rt.down.Store(false)
	waitStatus(t, url+"/readyz", func(status int) bool { return status == http.StatusOK })
}

// waitStatus polls url until ok accepts its status, and fails the test at
// its deadline.
func waitStatus(t *testing.T, url string, ok func(int) bool) (int, string) {
	t.Helper()
	var status int
	var body, last string
	answered := func() bool {
		resp, err := http.Get(url)
		if err != nil {
			last = err.Error()
			return false
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		status, body, last = resp.StatusCode, string(b), resp.Status+" "+string(b)
		return ok(status)
	}
	if !poll.Wait(20*time.Second, answered) {
		t.Fatalf("GET %s never answered as expected; last: %s", url, last)
	}
	return status, body
}

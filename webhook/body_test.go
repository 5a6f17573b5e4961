package webhook

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushguard/pushguard/internal/poll"
)

// outcomes records the outcome of every delivery, as the metrics see it.
type outcomes struct {
	mu  sync.Mutex
	got []string
}

func (o *outcomes) observe(_, outcome string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, outcome)
}

func (o *outcomes) list() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.got...)
}

// rawDelivery writes a signed push delivery's head and then body bytes on a
// fresh connection to addr, optionally closes its writing half, and returns
// the status the server answered. Content-Length is given by the caller, so
// it may lie.
func rawDelivery(t *testing.T, addr string, head string, body []byte, closeWrite bool) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body); err != nil {
		t.Fatal(err)
	}
	if closeWrite {
		_ = conn.(*net.TCPConn).CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// head returns a delivery's request head, signed over full.
func head(full []byte, framing string) string {
	return "POST /webhook HTTP/1.1\r\nHost: pushguard\r\nContent-Type: application/json\r\n" +
		"X-GitHub-Event: push\r\nX-GitHub-Delivery: d-body\r\nX-Hub-Signature-256: " + sign(full) + "\r\n" +
		framing + "\r\n"
}

// TestBodyReadErrors: a body that cannot be read whole is a malformed (400)
// or timed-out (408) delivery, never a bad signature (401), which tells
// operators their secret is wrong. Issue 8, defect 8.
func TestBodyReadErrors(t *testing.T) {
	t.Parallel()
	full := payload(t, "push/with-new-branch.payload.json")
	cl := "Content-Length: " + strconv.Itoa(len(full)) + "\r\n"
	tests := []struct {
		name       string
		head       string
		body       []byte
		closeWrite bool
		status     int
		outcome    string
	}{
		{"truncated body", head(full, cl), full[:len(full)/2], true, 400, OutcomeBodyError},
		{"content length past the body", head(full, "Content-Length: "+strconv.Itoa(len(full)+100)+"\r\n"), full, true, 400, OutcomeBodyError},
		{"truncated chunked body", head(full, "Transfer-Encoding: chunked\r\n"),
			[]byte(fmt.Sprintf("%x\r\n%s\r\n", 100, full[:100])), true, 400, OutcomeBodyError},
		{"slow body", head(full, cl), full[:100], false, 408, OutcomeBodyTimeout},
		{"whole body", head(full, cl), full, false, 202, OutcomeAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen outcomes
			h, err := New([]byte(testSecret), &fakeQueue{}, nil, seen.observe)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewUnstartedServer(h)
			// The slow body's timeout is shortened; the others keep a long
			// one, so a busy machine cannot turn them into timeouts.
			srv.Config.ReadTimeout = 30 * time.Second
			if tt.outcome == OutcomeBodyTimeout {
				srv.Config.ReadTimeout = 300 * time.Millisecond
			}
			srv.Start()
			defer srv.Close()
			if got := rawDelivery(t, srv.Listener.Addr().String(), tt.head, tt.body, tt.closeWrite); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
			if got := seen.list(); len(got) != 1 || got[0] != tt.outcome {
				t.Errorf("outcomes %v, want [%s]", got, tt.outcome)
			}
		})
	}
}

// gatedBody is a request body of size bytes of bogus JSON that sends its
// first KiB at once and the rest only once gate is closed.
// atGate, when set, counts the bodies that have sent their first KiB.
type gatedBody struct {
	left   int64
	sent   int64
	gate   <-chan struct{}
	atGate *atomic.Int32
	waited bool
}

func (b *gatedBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	if b.sent >= 1024 {
		if !b.waited && b.atGate != nil {
			b.atGate.Add(1)
		}
		b.waited = true
		<-b.gate
	}
	n := int64(len(p))
	n = min(n, b.left)
	for i := range p[:n] {
		p[i] = ' '
	}
	b.left -= n
	b.sent += n
	return int(n), nil
}

// TestUnverifiedBodiesAreBounded sends many large bodies with a bogus
// signature at once: the bytes held for them never pass the handler's
// budget, and the requests past it are answered 503 with Retry-After
// without being read. Issue 8, defect 7 (16 such bodies of 24 MiB took the
// process from 38 MB to 666 MB).
func TestUnverifiedBodiesAreBounded(t *testing.T) {
	t.Parallel()
	const (
		size   = 8 << 20
		budget = 20 << 20 // room for two
		n      = 10
	)
	tests := []struct {
		name          string
		contentLength bool
	}{
		{"with content length", true},
		{"chunked", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandler(t, &fakeQueue{})
			h.budget = newBodyBudget(budget)
			srv := httptest.NewServer(h)
			defer srv.Close()
			gate := make(chan struct{})
			openGate := sync.OnceFunc(func() { close(gate) })
			var refused, atGate atomic.Int32
			statuses := make([]int, n)
			var wg sync.WaitGroup
			defer wg.Wait()
			defer openGate() // before wg.Wait and srv.Close, when a wait below fails
			for i := range n {
				wg.Go(func() {
					body := &gatedBody{left: size, gate: gate, atGate: &atGate}
					req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhook", body)
					if tt.contentLength {
						req.ContentLength = size
					}
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-GitHub-Event", "push")
					req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("d-%d", i))
					req.Header.Set("X-Hub-Signature-256", sign([]byte("something else")))
					resp, err := srv.Client().Do(req)
					if err != nil {
						statuses[i] = -1 // the server may close on a body it did not read
						refused.Add(1)
						return
					}
					resp.Body.Close()
					statuses[i] = resp.StatusCode
					if resp.StatusCode == http.StatusServiceUnavailable {
						if resp.Header.Get("Retry-After") == "" {
							t.Errorf("503 without Retry-After")
						}
						refused.Add(1)
					}
				})
			}
			// With a Content-Length, the requests past the budget are
			// refused before their body is read; open the gate once they
			// are. Chunked requests grow as they read: open it once every
			// body has sent its first KiB and the server holds some of them.
			wantRefused := int32(n - budget/size)
			if tt.contentLength {
				poll.Until(t, 10*time.Second, func() bool { return refused.Load() >= wantRefused },
					fmt.Sprintf("%d requests to be refused", wantRefused))
			} else {
				poll.Until(t, 10*time.Second, func() bool {
					return atGate.Load() == n && (h.budget.Held() > 0 || refused.Load() > 0)
				}, "every body to send its first KiB and the server to hold some")
			}
			openGate()
			wg.Wait()

			if peak := h.budget.Peak(); peak > budget {
				t.Errorf("peak bytes held %d, over the budget %d", peak, budget)
			}
			if held := h.budget.Held(); held != 0 {
				t.Errorf("%d bytes still held after every request ended", held)
			}
			unauthorized := 0
			for _, s := range statuses {
				if s == http.StatusUnauthorized {
					unauthorized++
				}
			}
			// Chunked bodies compete for the budget as they grow, so they may
			// all be refused; bodies with a Content-Length never are.
			if (tt.contentLength && unauthorized == 0) || unauthorized > budget/size || unauthorized+int(refused.Load()) != n {
				t.Errorf("statuses %v: want at most %d answered 401 and the rest refused", statuses, budget/size)
			}
			if tt.contentLength && refused.Load() != wantRefused {
				t.Errorf("%d refused, want %d", refused.Load(), wantRefused)
			}
		})
	}
}

// Package redistest starts real redis-server processes for tests: one
// server, a Sentinel group (a master, a replica and three sentinels) and a
// Redis Cluster. Every process listens on loopback ports picked free, keeps
// its files in the test's temporary directory and is killed when the test
// ends. Tests skip, saying why, when redis-server is not installed (CI has
// it; Sentinel is redis-server --sentinel, no other package).
package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/poll"
)

// startTimeout bounds how long a process may take to answer, a cluster to
// form and sentinels to find each other, on a busy CI machine.
const startTimeout = 20 * time.Second

// Server is one redis-server process.
type Server struct {
	// Addr is its host:port on loopback.
	Addr string
	cmd  *exec.Cmd
	log  string
}

// Require skips the test when redis-server is not installed.
func Require(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed (Debian: apt-get install redis-server); this test starts real Redis processes")
	}
}

// Start starts a redis-server with no persistence on a free loopback port,
// with extra arguments (e.g. "--replicaof", host, port), and waits until it
// answers PING.
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	Require(t)
	port := FreePort(t)
	dir := t.TempDir()
	base := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir}
	s := spawn(t, dir, "redis-server", append(base, args...)...)
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.waitPing(t)
	return s
}

// spawn starts name with args, its output in dir/redis.log, and kills it
// (SIGKILL) when the test ends.
func spawn(t testing.TB, dir, name string, args ...string) *Server {
	t.Helper()
	logPath := filepath.Join(dir, "redis.log")
	out, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		t.Fatalf("redistest: start %s: %v", name, err)
	}
	s := &Server{cmd: cmd, log: logPath}
	t.Cleanup(func() {
		s.Kill()
		out.Close()
	})
	return s
}

// Kill stops the process at once (SIGKILL), as a crash would, and waits for
// it to exit. It is safe to call more than once.
func (s *Server) Kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// Log is what the process wrote so far, for failure messages.
func (s *Server) Log() string {
	b, _ := os.ReadFile(s.log)
	return string(b)
}

// waitPing waits until the server answers PING.
func (s *Server) waitPing(t testing.TB) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer c.Close()
	waitFor(t, s, "PING", func(ctx context.Context) bool { return c.Ping(ctx).Err() == nil })
}

// waitFor polls ok until it holds, or fails the test with s's log.
func waitFor(t testing.TB, s *Server, what string, ok func(ctx context.Context) bool) {
	t.Helper()
	if poll.Wait(startTimeout, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return ok(ctx)
	}) {
		return
	}
	t.Fatalf("redistest: %s did not %s within %v; its log:\n%s", s.Addr, what, startTimeout, s.Log())
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// infoField reads one field of INFO section from c ("" when missing).
func infoField(ctx context.Context, c *redis.Client, section, field string) string {
	info, err := c.Info(ctx, section).Result()
	if err != nil {
		return ""
	}
	return parseInfo(info)[field]
}

// parseInfo splits INFO's "field:value" lines.
func parseInfo(info string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(info, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			out[k] = v
		}
	}
	return out
}

// String names the server for messages.
func (s *Server) String() string { return fmt.Sprintf("redis-server %s", s.Addr) }

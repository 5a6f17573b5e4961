package app

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
	"github.com/pushguard/pushguard/queue/queuetest"
)

// loadRedisDB is the Redis database the load benchmark's processes use
// (PUSHGUARD_LOAD_REDIS_DB overrides it): the binary's queue and key names
// are fixed, so the benchmark needs a database of its own, empty at start.
const loadRedisDB = 14

// buildBinary builds pushguard into a temporary directory.
func buildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "pushguard")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/pushguard/pushguard").CombinedOutput()
	if err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// loadBenchRedis returns the URL of an empty Redis database for the benchmark
// and deletes what the run stored there when it ends. It skips without
// REDIS_URL.
func loadBenchRedis(b *testing.B) string {
	b.Helper()
	base := os.Getenv(queuetest.EnvRedisURL)
	if base == "" {
		b.Skip("the load benchmark needs a real Redis: set REDIS_URL")
	}
	opts, err := redis.ParseURL(base)
	if err != nil {
		b.Fatal(err)
	}
	opts.DB = loadRedisDB
	if v := os.Getenv("PUSHGUARD_LOAD_REDIS_DB"); v != "" {
		if opts.DB, err = strconv.Atoi(v); err != nil {
			b.Fatalf("PUSHGUARD_LOAD_REDIS_DB: %v", err)
		}
	}
	rdb := redis.NewClient(opts)
	ctx := context.Background()
	if n, err := rdb.DBSize(ctx).Result(); err != nil || n != 0 {
		rdb.Close()
		b.Skipf("Redis database %d is not empty (%d keys, %v): set PUSHGUARD_LOAD_REDIS_DB to an empty one", opts.DB, n, err)
	}
	b.Cleanup(func() {
		defer rdb.Close()
		iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			rdb.Del(ctx, keys[:n]...)
			keys = keys[n:]
		}
	})
	u := *opts
	return fmt.Sprintf("redis://%s/%d", u.Addr, u.DB)
}

// process is a pushguard subprocess.
type process struct {
	cmd *exec.Cmd
	url string
}

// startProcess runs bin with args and the App's environment against gh
// and redisURL, on a free loopback port, until the benchmark ends.
func startProcess(b *testing.B, bin, redisURL string, gh *fakegithub.Server, env []string, args ...string) *process {
	b.Helper()
	return startWrapped(b, nil, bin, redisURL, gh, env, args...)
}

// startWrapped is startProcess run through wrapper (a command and its
// arguments, such as nice -n 10 or taskset -c 0), which sets the priority
// or CPUs before bin starts, so that every thread of bin inherits them.
func startWrapped(b *testing.B, wrapper []string, bin, redisURL string, gh *fakegithub.Server, env []string, args ...string) *process {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, args...)
	if len(wrapper) > 0 {
		cmd = exec.Command(wrapper[0], slices.Concat(wrapper[1:], []string{bin}, args)...)
	}
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"GITHUB_APP_ID=" + strconv.FormatInt(gh.AppID(), 10),
		"GITHUB_PRIVATE_KEY=" + string(gh.PrivateKeyPEM()),
		"GITHUB_WEBHOOK_SECRET=" + e2eWebhookKey,
		"GITHUB_API_URL=" + gh.URL(),
		"REDIS_URL=" + redisURL,
		"PUSHGUARD_ADDR=" + addr,
		"PUSHGUARD_FINGERPRINT_KEY=load benchmark fingerprint key",
		"PUSHGUARD_SWEEP_INTERVAL=0",
		"LOG_LEVEL=warn",
	}, env...)
	logf, err := os.Create(filepath.Join(b.TempDir(), args[0]+".log"))
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p := &process{cmd: cmd, url: "http://" + addr}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		logf.Close()
	})
	poll.Until(b, 30*time.Second, func() bool {
		resp, err := http.Get(p.url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, args[0]+" to be ready")
	return p
}

// procStats is what /proc says of a process.
type procStats struct {
	peakRSSMB float64       // VmHWM
	cpu       time.Duration // user + system time so far
}

// stats reads p's peak resident memory and CPU time from /proc.
func (p *process) stats(b *testing.B) procStats {
	b.Helper()
	pid := strconv.Itoa(p.cmd.Process.Pid)
	var st procStats
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			st.peakRSSMB = kb / 1024
		}
	}
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name, which ends with ")": utime and stime
	// are the 12th and 13th, in clock ticks (100 a second on Linux).
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	st.cpu = time.Duration(utime+stime) * 10 * time.Millisecond
	return st
}

// latencies collects durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.d = append(l.d, d)
}

// quantile returns the q-quantile (0 < q ≤ 1) in milliseconds.
func (l *latencies) quantile(q float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), l.d...)
	slices.Sort(s)
	i := min(int(q*float64(len(s))+0.5), len(s)) - 1
	return float64(s[max(i, 0)].Microseconds()) / 1000
}

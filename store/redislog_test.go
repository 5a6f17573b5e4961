package store

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/pushguard/pushguard/queue/queuetest"
)

// TestRedisLogsAreStructured: go-redis's own log lines (a failed dial, say)
// come out through the process's slog logger, so LOG_FORMAT=json stays
// JSON, one object a line.
func TestRedisLogsAreStructured(t *testing.T) {
	logs := &syncBuffer{}
	RouteRedisLogs(slog.New(slog.NewJSONHandler(logs, nil)))
	t.Cleanup(func() { RouteRedisLogs(slog.New(slog.NewTextHandler(os.Stderr, nil))) })
	rdb := queuetest.Unreachable(t)
	for i := 0; i < 50 && !strings.Contains(logs.String(), "redis"); i++ {
		_ = rdb.Ping(context.Background()).Err() // each failed dial may log
	}
	out := strings.TrimSpace(logs.String())
	if out == "" {
		t.Fatal("go-redis logged nothing through slog")
	}
	for _, line := range strings.Split(out, "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("not a JSON line: %q", line)
			continue
		}
		if v["component"] != "go-redis" || v["level"] != "WARN" || !strings.Contains(v["msg"].(string), "redis") {
			t.Errorf("line %q", line)
		}
	}
}

// syncBuffer is a log destination that go-redis's goroutines and the test
// may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

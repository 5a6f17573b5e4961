package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/queue/queuetest"
)

// TestRedisLogsAreStructured: go-redis's own log lines (a failed dial, say)
// come out through the process's slog logger, so LOG_FORMAT=json stays
// JSON, one object a line.
func TestRedisLogsAreStructured(t *testing.T) {
	logs := &syncBuffer{}
	routeRedisLogs(newLogger(Config{LogFormat: "json"}, logs))
	t.Cleanup(func() { routeRedisLogs(slog.New(slog.NewTextHandler(os.Stderr, nil))) })
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

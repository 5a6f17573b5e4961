package wait

import (
	"context"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	live := context.Background()
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want bool
	}{
		{"whole wait", live, time.Millisecond, true},
		{"no wait, live context", live, 0, true},
		{"negative wait, live context", live, -time.Second, true},
		{"ended context, long wait", ended, time.Hour, false},
		{"ended context, no wait", ended, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sleep(tt.ctx, tt.d); got != tt.want {
				t.Errorf("Sleep(%s) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

package ghapp

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptedVerify answers GET /app with its errors in turn, then with the
// last one forever; calls counts the questions.
type scriptedVerify struct {
	mu      sync.Mutex
	answers []error
	calls   int
}

func (s *scriptedVerify) verify(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("verify called without a deadline")
	}
	s.calls++
	if len(s.answers) > 1 {
		err := s.answers[0]
		s.answers = s.answers[1:]
		return err
	}
	return s.answers[0]
}

var (
	errUnreachable = errors.New("dial tcp: connection refused")
	errRejected    = &RejectedError{Msg: "GitHub rejected App 1's credentials (401)"}
)

// TestCredentialCheck: Check refuses only a rejection; GitHub out of reach
// leaves the check unverified (naming why) for Retry to settle.
func TestCredentialCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		answer     error
		wantCheck  error
		wantErr    error // errors.Is of Err after Check; nil: verified
		wantErrMsg string
	}{
		{name: "accepted"},
		{name: "rejected", answer: errRejected, wantCheck: errRejected, wantErr: errRejected},
		{name: "unreachable", answer: errUnreachable, wantErr: ErrUnverified, wantErrMsg: "connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := &scriptedVerify{answers: []error{tc.answer}}
			c := NewCredentialCheck(v.verify, slog.New(slog.DiscardHandler), time.Millisecond)
			if !errors.Is(c.Err(), ErrUnverified) {
				t.Fatalf("Err before Check = %v, want ErrUnverified", c.Err())
			}
			if err := c.Check(context.Background()); !errors.Is(err, tc.wantCheck) {
				t.Errorf("Check = %v, want %v", err, tc.wantCheck)
			}
			got := c.Err()
			if !errors.Is(got, tc.wantErr) {
				t.Errorf("Err = %v, want %v", got, tc.wantErr)
			}
			if tc.wantErrMsg != "" && (got == nil || !strings.Contains(got.Error(), tc.wantErrMsg)) {
				t.Errorf("Err = %v, want it to name %q", got, tc.wantErrMsg)
			}
		})
	}
}

// TestCredentialCheckRetry: after GitHub was out of reach at start, Retry
// asks again until GitHub accepts or rejects the credentials, and then
// stops; a rejection keeps the check not verified.
func TestCredentialCheckRetry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		answers   []error
		wantErr   error
		wantCalls int
	}{
		{"accepted after two failures", []error{errUnreachable, errUnreachable, errUnreachable, nil}, nil, 4},
		{"rejected after a failure", []error{errUnreachable, errUnreachable, errRejected}, errRejected, 3},
		{"accepted at start: no retry", []error{nil}, nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := &scriptedVerify{answers: tc.answers}
			c := NewCredentialCheck(v.verify, slog.New(slog.DiscardHandler), time.Millisecond)
			if err := c.Check(context.Background()); err != nil {
				t.Fatalf("Check = %v", err)
			}
			done := make(chan struct{})
			go func() { defer close(done); c.Retry(context.Background()) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("Retry did not return")
			}
			if got := c.Err(); !errors.Is(got, tc.wantErr) {
				t.Errorf("Err = %v, want %v", got, tc.wantErr)
			}
			if v.calls != tc.wantCalls {
				t.Errorf("GitHub asked %d times, want %d", v.calls, tc.wantCalls)
			}
		})
	}
}

// TestCredentialCheckRetryStops: Retry returns when its context ends while
// GitHub is still out of reach, leaving the check unverified.
func TestCredentialCheckRetryStops(t *testing.T) {
	t.Parallel()
	v := &scriptedVerify{answers: []error{errUnreachable}}
	c := NewCredentialCheck(v.verify, slog.New(slog.DiscardHandler), time.Millisecond)
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Retry(ctx) }()
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Retry did not stop when its context ended")
	}
	if !errors.Is(c.Err(), ErrUnverified) {
		t.Errorf("Err = %v, want ErrUnverified", c.Err())
	}
}

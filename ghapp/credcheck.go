package ghapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pushguard/pushguard/internal/logkey"
)

// Limits of the credential check.
const (
	// verifyTimeout bounds one GET /app.
	verifyTimeout = 10 * time.Second
	// DefaultCredentialRetry is the first wait before GET /app is tried
	// again after GitHub could not be reached; it doubles up to
	// maxCredentialRetry.
	DefaultCredentialRetry = time.Second
	maxCredentialRetry     = 2 * time.Minute
)

// ErrUnverified is what a CredentialCheck reports until GitHub has accepted
// the App's credentials.
var ErrUnverified = errors.New("github credentials not verified yet")

// CredentialCheck asks GitHub whether it accepts the App's credentials, at
// start and, while GitHub cannot be reached, again with backoff; Err is
// the answer so far, for a readiness probe. A made-up App ID or another
// App's key is refused at once (a *RejectedError) instead of failing
// every job later.
type CredentialCheck struct {
	verify     func(context.Context) error
	log        *slog.Logger
	firstRetry time.Duration

	mu  sync.Mutex
	err error
}

// NewCredentialCheck checks with verify (App.Verify, or a test's fake);
// firstRetry (DefaultCredentialRetry when not positive) is the first wait
// before asking again. Until a check succeeds, Err is ErrUnverified.
func NewCredentialCheck(verify func(context.Context) error, log *slog.Logger, firstRetry time.Duration) *CredentialCheck {
	if firstRetry <= 0 {
		firstRetry = DefaultCredentialRetry
	}
	return &CredentialCheck{verify: verify, log: log, firstRetry: firstRetry, err: ErrUnverified}
}

// Check asks GitHub once. It returns the *RejectedError when GitHub refused
// the credentials, and nil otherwise: when GitHub could not be reached, Err
// stays not nil and Retry (run it in a goroutine) keeps asking.
func (c *CredentialCheck) Check(ctx context.Context) error {
	err := c.ask(ctx)
	switch {
	case err == nil:
		c.set(nil)
		return nil
	case rejected(err):
		c.set(err)
		return err
	}
	c.log.Warn("cannot reach GitHub to check the App's credentials; starting not ready, and retrying", logkey.Error, err)
	c.set(fmt.Errorf("%w: %w", ErrUnverified, err))
	return nil
}

// Retry asks GitHub again, backing off, until it accepts or rejects the
// credentials or ctx ends; it returns at once when they are verified
// already. A rejection keeps Err not nil: the readiness probe and the log
// say why.
func (c *CredentialCheck) Retry(ctx context.Context) {
	for wait := c.firstRetry; c.Err() != nil; wait = min(2*wait, maxCredentialRetry) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := c.ask(ctx)
		switch {
		case err == nil:
			c.set(nil)
			c.log.Info("GitHub accepted the App's credentials; ready")
			return
		case rejected(err):
			c.set(err)
			c.log.Error("GitHub rejected the App's credentials; staying not ready", logkey.Error, err)
			return
		case ctx.Err() != nil:
			return
		}
		c.set(fmt.Errorf("%w: %w", ErrUnverified, err))
		c.log.Warn("cannot reach GitHub to check the App's credentials; retrying", logkey.Error, err, "retry_in", wait.String())
	}
}

// Err is nil once GitHub accepted the credentials; else why not (wrapping
// ErrUnverified, or a *RejectedError).
func (c *CredentialCheck) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *CredentialCheck) set(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// ask runs one bounded verification.
func (c *CredentialCheck) ask(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, verifyTimeout)
	defer cancel()
	return c.verify(ctx)
}

// rejected reports whether err is GitHub's refusal of the credentials.
func rejected(err error) bool {
	_, ok := errors.AsType[*RejectedError](err)
	return ok
}

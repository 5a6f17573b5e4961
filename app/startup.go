package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pushguard/pushguard/ghapp"
	"github.com/pushguard/pushguard/internal/logkey"
	"github.com/pushguard/pushguard/store"
)

// Start-up checks: serve and worker ping Redis and ask GitHub who the App
// is before they log "serving", so that a configuration that looks fine and
// is not (rediss:// against a plain-text Redis, a made-up App ID, another
// App's key) stops the process at once with a message that says why.
const (
	// redisStartTimeout bounds the ping of Redis at start.
	redisStartTimeout = 5 * time.Second
	// credentialsCheckTimeout bounds one GET /app.
	credentialsCheckTimeout = 10 * time.Second
	// defaultCredentialRetry is the first wait before GET /app is tried
	// again after GitHub could not be reached; it doubles up to
	// maxCredentialRetry.
	defaultCredentialRetry = time.Second
	maxCredentialRetry     = 2 * time.Minute
)

// errCredentialsUnverified is /readyz's answer until GitHub has accepted
// the App's credentials.
var errCredentialsUnverified = errors.New("github credentials not verified yet")

// rejected reports whether err is GitHub's refusal of the credentials.
func rejected(err error) bool {
	_, ok := errors.AsType[*ghapp.RejectedError](err)
	return ok
}

// checkRedis pings Redis with a short deadline and explains a failure.
func (s *service) checkRedis(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, redisStartTimeout)
	defer cancel()
	if err := s.queue.Ping(ctx); err != nil {
		return store.StartError(s.rdb, s.cfg.RedisURL, s.cfg.Embedded(), err)
	}
	return nil
}

// verifyCredentials asks GitHub whether it accepts the App's credentials
// (ghapp.App.Verify).
func (s *service) verifyCredentials(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, credentialsCheckTimeout)
	defer cancel()
	return s.gh.Verify(ctx)
}

// credentialStatus is what /readyz knows of the App's credentials: nil once
// GitHub accepted them.
type credentialStatus struct {
	mu  sync.Mutex
	err error
}

func (c *credentialStatus) set(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

func (c *credentialStatus) get() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// checkStart runs the start-up checks: Redis must answer, and GitHub must
// not reject the App's credentials. When GitHub cannot be reached, the
// process starts not ready and retry (run it in a goroutine) keeps asking.
func (s *service) checkStart(ctx context.Context) (retry func(context.Context), err error) {
	if err := s.checkRedis(ctx); err != nil {
		return nil, err
	}
	err = s.verifyCredentials(ctx)
	switch {
	case err == nil:
		s.creds.set(nil)
		return nil, nil
	case rejected(err):
		return nil, err
	}
	s.log.Warn("cannot reach GitHub to check the App's credentials; starting not ready, and retrying", logkey.Error, err)
	s.creds.set(fmt.Errorf("%w: %w", errCredentialsUnverified, err))
	return s.retryCredentials, nil
}

// retryCredentials asks GitHub again, backing off, until it accepts or
// rejects the credentials or ctx ends. A rejection keeps the process not
// ready: /readyz and the log say why.
func (s *service) retryCredentials(ctx context.Context) {
	wait := s.credentialRetry
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := s.verifyCredentials(ctx)
		switch {
		case err == nil:
			s.creds.set(nil)
			s.log.Info("GitHub accepted the App's credentials; ready")
			return
		case rejected(err):
			s.creds.set(err)
			s.log.Error("GitHub rejected the App's credentials; staying not ready", logkey.Error, err)
			return
		case ctx.Err() != nil:
			return
		}
		s.creds.set(fmt.Errorf("%w: %w", errCredentialsUnverified, err))
		s.log.Warn("cannot reach GitHub to check the App's credentials; retrying", logkey.Error, err, "retry_in", wait.String())
		wait = min(2*wait, maxCredentialRetry)
	}
}

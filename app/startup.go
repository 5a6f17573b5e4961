package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/internal/logkey"
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

// rejectedError is GitHub's refusal of the App's credentials (or of the API
// URL): no retry can fix it.
type rejectedError struct{ msg string }

func (e *rejectedError) Error() string { return e.msg }

// rejected reports whether err is GitHub's refusal of the credentials.
func rejected(err error) bool {
	var r *rejectedError
	return errors.As(err, &r)
}

// checkRedis pings Redis with a short deadline and explains a failure.
func (s *service) checkRedis(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, redisStartTimeout)
	defer cancel()
	if err := s.queue.Ping(ctx); err != nil {
		return redisStartError(s.cfg, redisAddr(s.rdb), err)
	}
	return nil
}

// redisAddr is the address the client dials, for messages.
func redisAddr(rdb redis.UniversalClient) string {
	if c, ok := rdb.(interface{ Options() *redis.Options }); ok {
		return c.Options().Addr
	}
	return "(unknown address)"
}

// redisStartError says why Redis cannot be used. With rediss://, a failure
// after the TCP connection was made is most often a server that does not
// speak TLS.
func redisStartError(cfg Config, addr string, err error) error {
	if cfg.Embedded() {
		return fmt.Errorf("the embedded Redis at %s does not answer: %w", addr, err)
	}
	var op *net.OpError
	dialFailed := errors.As(err, &op) && op.Op == "dial"
	if tlsURL(cfg.RedisURL) && !dialFailed {
		return fmt.Errorf("REDIS_URL: the Redis at %s did not complete a TLS connection; the server may not speak TLS "+
			"(rediss:// needs TLS; use redis:// for a plain-text Redis): %w", addr, err)
	}
	return fmt.Errorf("REDIS_URL: cannot use the Redis at %s (check the host, port, password and network): %w", addr, err)
}

// tlsURL reports whether a REDIS_URL asks for TLS.
func tlsURL(u string) bool { return len(u) >= 9 && u[:9] == "rediss://" }

// verifyCredentials asks GitHub for the App (GET /app, authenticated with
// the App's JWT). It returns nil when GitHub accepted the credentials, an
// *rejectedError when it refused them, and any other
// error when it could not be asked.
func (s *service) verifyCredentials(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, credentialsCheckTimeout)
	defer cancel()
	_, _, err := s.gh.App().Apps.Get(ctx, "")
	var er *github.ErrorResponse
	if err == nil || !errors.As(err, &er) || er.Response == nil {
		return err
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized:
		return &rejectedError{fmt.Sprintf("GitHub rejected App %d's credentials (401): check GITHUB_APP_ID and the private key (GitHub says: %s)",
			s.cfg.AppID, er.Message)}
	case http.StatusNotFound:
		return &rejectedError{fmt.Sprintf("GitHub at %s has no App API (404 on GET /app): check GITHUB_API_URL", s.cfg.APIURL)}
	}
	return err
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

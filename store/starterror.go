package store

import (
	"errors"
	"fmt"
	"net"

	"github.com/redis/go-redis/v9"
)

// addrOf is the address the client dials, for messages.
func addrOf(rdb redis.UniversalClient) string {
	if c, ok := rdb.(interface{ Options() *redis.Options }); ok {
		return c.Options().Addr
	}
	return "(unknown address)"
}

// StartError says why the Redis rdb (at url, or embedded) cannot be used,
// given the error of its first ping. With rediss://, a failure after the
// TCP connection was made is most often a server that does not speak TLS.
func StartError(rdb redis.UniversalClient, url string, embedded bool, err error) error {
	addr := addrOf(rdb)
	if embedded {
		return fmt.Errorf("the embedded Redis at %s does not answer: %w", addr, err)
	}
	var op *net.OpError
	dialFailed := errors.As(err, &op) && op.Op == "dial"
	if tlsURL(url) && !dialFailed {
		return fmt.Errorf("REDIS_URL: the Redis at %s did not complete a TLS connection; the server may not speak TLS "+
			"(rediss:// needs TLS; use redis:// for a plain-text Redis): %w", addr, err)
	}
	return fmt.Errorf("REDIS_URL: cannot use the Redis at %s (check the host, port, password and network): %w", addr, err)
}

// tlsURL reports whether a REDIS_URL asks for TLS.
func tlsURL(u string) bool { return len(u) >= 9 && u[:9] == "rediss://" }

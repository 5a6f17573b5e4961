package store

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/redis/go-redis/v9"
)

// addrOf is the address the client dials, for messages.
func addrOf(rdb redis.UniversalClient) string {
	if c, ok := rdb.(interface{ Options() *redis.Options }); ok {
		return c.Options().Addr
	}
	return "(unknown address)"
}

// StartError says why the Redis rdb (named by r) cannot be used, given the
// error of its first ping. With TLS, a failure after the TCP connection was
// made is most often a server that does not speak TLS.
func StartError(rdb redis.UniversalClient, r Redis, err error) error {
	var where, variable string
	switch r.Topology() {
	case TopologyEmbedded:
		return fmt.Errorf("the embedded Redis at %s does not answer: %w", addrOf(rdb), err)
	case TopologySentinel:
		where = fmt.Sprintf("the master %q of the sentinels at %s", r.MasterName, strings.Join(r.SentinelAddrs, ","))
		variable = "REDIS_SENTINEL_ADDRS"
	case TopologyCluster:
		where = "the Redis Cluster at " + strings.Join(r.ClusterAddrs, ",")
		variable = "REDIS_CLUSTER_ADDRS"
	default:
		where, variable = "the Redis at "+addrOf(rdb), "REDIS_URL"
	}
	var op *net.OpError
	dialFailed := errors.As(err, &op) && op.Op == "dial"
	switch {
	case tlsURL(r.URL) && !dialFailed:
		return fmt.Errorf("REDIS_URL: %s did not complete a TLS connection; the server may not speak TLS "+
			"(rediss:// needs TLS; use redis:// for a plain-text Redis): %w", where, err)
	case r.TLS && !dialFailed:
		return fmt.Errorf("%s: %s did not complete a TLS connection; the servers may not speak TLS "+
			"(unset REDIS_TLS for plain-text Redis): %w", variable, where, err)
	}
	return fmt.Errorf("%s: cannot use %s (check the hosts, ports, passwords and network): %w", variable, where, err)
}

// tlsURL reports whether a REDIS_URL asks for TLS.
func tlsURL(u string) bool { return strings.HasPrefix(u, "rediss://") }

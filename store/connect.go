package store

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/queue"
)

// DefaultKeyPrefix prefixes every key pushguard keeps in Redis.
const DefaultKeyPrefix = "pushguard:"

// Redis names the Redis pushguard uses, in one of three topologies: one
// server (URL), a master watched by Redis Sentinel (SentinelAddrs and
// MasterName), or a Redis Cluster (ClusterAddrs). Its zero value is the
// embedded in-memory Redis. Check says what is wrong with it.
type Redis struct {
	// URL is one server: redis:// or rediss:// (TLS), with its password
	// and DB.
	URL string
	// SentinelAddrs are the sentinels (host:port) that know MasterName.
	SentinelAddrs []string
	MasterName    string
	// SentinelPassword is the sentinels' own password, if they have one.
	SentinelPassword string
	// ClusterAddrs are some nodes (host:port) of a Redis Cluster; the
	// client learns the others from them.
	ClusterAddrs []string
	// Password, TLS and DB are the data nodes' (Sentinel's master and
	// replicas, or the Cluster's nodes); a URL carries its own. TLS is the
	// sentinels' too (go-redis dials them alike). A Cluster has only DB 0.
	Password string
	TLS      bool
	DB       int
}

// The topologies, as Topology names them.
const (
	TopologyEmbedded = "embedded"
	TopologySingle   = "single"
	TopologySentinel = "sentinel"
	TopologyCluster  = "cluster"
)

// Topology is which of the topologies r names.
func (r Redis) Topology() string {
	switch {
	case len(r.ClusterAddrs) > 0:
		return TopologyCluster
	case len(r.SentinelAddrs) > 0:
		return TopologySentinel
	case r.URL != "":
		return TopologySingle
	}
	return TopologyEmbedded
}

// Embedded reports whether r is the embedded in-memory Redis.
func (r Redis) Embedded() bool { return r.Topology() == TopologyEmbedded }

// Check is r's Problems as one error (one problem a line), nil when r is
// valid.
func (r Redis) Check() error {
	return errors.Join(r.Problems()...)
}

// Problems lists what is wrong with r: more than one topology, a URL that
// is not redis:// or rediss://, Sentinel without a master name, an address
// that is not host:port, or settings that do not apply to its topology.
func (r Redis) Problems() []error {
	var errs []error
	named := 0
	for _, set := range []bool{r.URL != "", len(r.SentinelAddrs) > 0, len(r.ClusterAddrs) > 0} {
		if set {
			named++
		}
	}
	if named > 1 {
		errs = append(errs, errors.New("set one of REDIS_URL, REDIS_SENTINEL_ADDRS and REDIS_CLUSTER_ADDRS, not several"))
	}
	errs = append(errs, CheckURL(r.URL), checkAddrs("REDIS_SENTINEL_ADDRS", r.SentinelAddrs), checkAddrs("REDIS_CLUSTER_ADDRS", r.ClusterAddrs))
	topology := r.Topology()
	if topology == TopologySentinel && r.MasterName == "" {
		errs = append(errs, errors.New("REDIS_MASTER_NAME is required with REDIS_SENTINEL_ADDRS"))
	}
	if topology != TopologySentinel && (r.MasterName != "" || r.SentinelPassword != "") {
		errs = append(errs, errors.New("REDIS_MASTER_NAME and REDIS_SENTINEL_PASSWORD go with REDIS_SENTINEL_ADDRS"))
	}
	if (topology == TopologySingle || topology == TopologyEmbedded) && (r.Password != "" || r.TLS || r.DB != 0) {
		errs = append(errs, errors.New("REDIS_PASSWORD, REDIS_TLS and REDIS_DB go with REDIS_SENTINEL_ADDRS or REDIS_CLUSTER_ADDRS; REDIS_URL carries its own"))
	}
	if topology == TopologyCluster && r.DB != 0 {
		errs = append(errs, errors.New("REDIS_DB must be 0 with REDIS_CLUSTER_ADDRS: a Redis Cluster has only DB 0"))
	}
	return slices.DeleteFunc(errs, func(err error) bool { return err == nil })
}

// checkAddrs checks a list of host:port addresses.
func checkAddrs(name string, addrs []string) error {
	for _, a := range addrs {
		if _, port, err := net.SplitHostPort(a); err != nil || port == "" {
			return fmt.Errorf("%s must be a comma-separated list of host:port, not %q", name, a)
		}
	}
	return nil
}

// Connect opens the Redis r names (go-redis honours the context's
// deadlines in every topology), or, when r is zero, starts an embedded
// in-memory Redis and says loudly that nothing will survive a restart.
// closeFn closes the client (and stops the embedded server); call it last.
func Connect(ctx context.Context, r Redis, log *slog.Logger) (rdb redis.UniversalClient, closeFn func(), err error) {
	if !r.Embedded() {
		if err := r.Check(); err != nil {
			return nil, nil, err
		}
		c, err := r.client()
		if err != nil {
			return nil, nil, err
		}
		return c, func() { c.Close() }, nil
	}
	mr, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	log.WarnContext(ctx, "REDIS_URL is not set: running on an embedded in-memory Redis. "+
		"Queued jobs, scan results and maintainers' decisions are lost when this process stops. "+
		"Set REDIS_URL (or REDIS_SENTINEL_ADDRS, or REDIS_CLUSTER_ADDRS) for production.")
	c := redis.NewClient(&redis.Options{Addr: mr.Addr(), ContextTimeoutEnabled: true})
	return c, func() { c.Close(); mr.Close() }, nil
}

// client builds the go-redis client of a topology other than embedded:
// redis.NewClient, NewFailoverClient (which follows Sentinel's failovers)
// or NewClusterClient (which follows the Cluster's slots and redirects).
func (r Redis) client() (redis.UniversalClient, error) {
	switch r.Topology() {
	case TopologySentinel:
		return redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName: r.MasterName, SentinelAddrs: r.SentinelAddrs, SentinelPassword: r.SentinelPassword,
			Password: r.Password, DB: r.DB, TLSConfig: r.tlsConfig(), ContextTimeoutEnabled: true,
		}), nil
	case TopologyCluster:
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: r.ClusterAddrs, Password: r.Password, TLSConfig: r.tlsConfig(), ContextTimeoutEnabled: true,
		}), nil
	}
	opt, err := queue.RedisOptions(r.URL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return redis.NewClient(opt), nil
}

// tlsConfig is the TLS of Sentinel's or the Cluster's connections, nil
// without REDIS_TLS. Each node's certificate is checked against the host
// it is dialled as (go-redis fills in the server name).
func (r Redis) tlsConfig() *tls.Config {
	if !r.TLS {
		return nil
	}
	return &tls.Config{MinVersion: tls.VersionTLS12}
}

// CheckURL checks a REDIS_URL when set: redis:// or rediss:// (TLS).
func CheckURL(v string) error {
	if v == "" {
		return nil
	}
	if u, err := url.Parse(v); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return errors.New("REDIS_URL must be a redis:// or rediss:// URL")
	}
	return nil
}

// SplitAddrs splits a comma-separated list of addresses, dropping blanks.
func SplitAddrs(v string) []string {
	var out []string
	for _, a := range strings.Split(v, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

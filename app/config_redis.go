package app

import (
	"github.com/pushguard/pushguard/store"
)

// loadRedis reads the Redis for a command that works on the App's Redis
// and cannot run on an embedded one (audit, jobs): required, and checked
// as serve checks it. what says what lives there.
func loadRedis(getenv func(string) string, what string) (store.Redis, error) {
	r := envReader{getenv: getenv}
	v := r.redis()
	r.check(!v.Embedded(), "REDIS_URL is required (or REDIS_SENTINEL_ADDRS, or REDIS_CLUSTER_ADDRS): %s", what)
	return v, r.err()
}

// redis reads which Redis to use: REDIS_URL (one server), Sentinel
// (REDIS_SENTINEL_ADDRS, REDIS_MASTER_NAME, REDIS_SENTINEL_PASSWORD) or
// Cluster (REDIS_CLUSTER_ADDRS), the last two with the data nodes'
// REDIS_PASSWORD, REDIS_TLS and REDIS_DB.
func (r *envReader) redis() store.Redis {
	v := store.Redis{
		URL:              r.str("REDIS_URL", ""),
		SentinelAddrs:    store.SplitAddrs(r.str("REDIS_SENTINEL_ADDRS", "")),
		MasterName:       r.str("REDIS_MASTER_NAME", ""),
		SentinelPassword: string(r.secret("REDIS_SENTINEL_PASSWORD", false)),
		ClusterAddrs:     store.SplitAddrs(r.str("REDIS_CLUSTER_ADDRS", "")),
		Password:         string(r.secret("REDIS_PASSWORD", false)),
		DB:               r.int("REDIS_DB", -1, 0, 1<<20), // -1: not set, which is not a problem
	}
	v.DB = max(v.DB, 0)
	v.TLS = r.bool("REDIS_TLS", []string{"1", "true", "on"}, []string{"0", "false", "off"})
	for _, err := range v.Problems() {
		r.problem("%s", err)
	}
	return v
}

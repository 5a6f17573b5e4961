// Package store owns every Redis key the App keeps outside the queue and
// the decisions packages: the per-commit scan cache, the per-head-SHA
// leases and their busy counts, the annotations posted on each check run,
// the commits each run covers, the results of maintainers' commands, and
// the redelivery sweeper's state and lock. Nothing it stores holds a raw
// secret. It also holds the one constructor of Redis clients (Connect, for
// the three topologies a Redis names: one server, Sentinel, Cluster), the
// diagnosis of a Redis that fails at start (StartError), and the adapter
// that sends go-redis's own log lines to slog (RouteRedisLogs).
//
// # Redis Cluster
//
// Every script and transaction here touches one key, so each runs on a
// Redis Cluster whatever slot its key hashes to; no key needs a hash tag,
// and none was renamed for the cluster (keys written by earlier versions
// are read as they are). A new operation on several keys must give them
// one hash tag ("{...}"), as the alert queue's keys share "{alert}";
// TestStoreOnCluster runs the multi-command operations on a real cluster.
//
// It imports only queue (its REDIS_URL parsing) and internal/logkey of
// ours: never the worker, the sweeper, the webhook or GitHub's API.
package store

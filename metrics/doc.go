// Package metrics owns the App's Prometheus registry and its typed
// recording methods, used by the webhook's observer, the worker, the
// sweeper and the GitHub transports. Metrics count; they never carry a
// secret or a finding's value.
//
// It imports queue (for the jobs and the queue's depth) and webhook (for
// its delivery outcomes) of ours, nothing else: not the worker, the store
// or GitHub's API.
package metrics

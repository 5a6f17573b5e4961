// Package sweeper owns the redelivery sweeper. GitHub does not retry a
// webhook delivery that failed, so every interval one replica reads the
// App's delivery log and asks GitHub to redeliver each delivery none of
// whose attempts got a 2xx. Its state (a mark, the pending set, a pause, a
// per-GUID throttle and its lock) lives in store: it never writes Redis
// keys itself.
//
// It imports store and ghapp (and internal/logkey) of ours; never the
// worker, the queue or the webhook.
package sweeper

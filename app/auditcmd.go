package app

import (
	"context"
	"flag"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/store"
)

const auditUsage = `Usage:
  pushguard audit --installation ID [--cursor C] [--limit N] [--format text|json]

Lists maintainers' decisions (dismissals and undos) of an installation,
newest first, reading the Redis named by REDIS_URL (or REDIS_SENTINEL_ADDRS,
or REDIS_CLUSTER_ADDRS; see the README).
`

// operatorRedis connects an operator's command (audit, jobs) to the App's
// Redis, which it requires (what says what lives there); go-redis's and
// the command's own logs go to stderr as text.
func operatorRedis(ctx context.Context, e cli.Env, what string) (redis.UniversalClient, func(), error) {
	r, err := loadRedis(e.Getenv, what)
	if err != nil {
		return nil, nil, err
	}
	return store.Connect(ctx, r, slog.New(slog.NewTextHandler(e.Stderr, nil)))
}

// runAudit is the audit command: app reads which Redis and builds the Redis
// client; adminapi lists the audit trail.
func runAudit(ctx context.Context, e cli.Env, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	q := adminapi.ListQuery{}
	fs.Int64Var(&q.Installation, "installation", 0, "the installation's ID")
	fs.StringVar(&q.Cursor, "cursor", "", "continue after this entry (the next_cursor of a previous page)")
	fs.IntVar(&q.Limit, "limit", 50, "entries per page")
	fs.StringVar(&q.Format, "format", "text", "text or json")
	if _, err := cli.ParseFlags(e, fs, auditUsage, args); err != nil {
		return err
	}
	if q.Installation <= 0 || (q.Format != "text" && q.Format != "json") {
		return cli.Usagef("--installation is required and --format must be text or json")
	}
	rdb, closeRedis, err := operatorRedis(ctx, e, "the audit trail lives in the App's Redis")
	if err != nil {
		return err
	}
	defer closeRedis()
	return adminapi.List(ctx, e.Stdout, decisions.NewStore(rdb, store.DefaultKeyPrefix), q)
}

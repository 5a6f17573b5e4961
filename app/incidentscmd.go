package app

import (
	"context"
	"flag"
	"log/slog"

	"github.com/pushguard/pushguard/adminapi"
	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/incident"
	"github.com/pushguard/pushguard/store"
)

const incidentsUsage = `Usage:
  pushguard incidents [--installation ID] [--state open|revoked|resolved|dismissed] [--format text|json]

Lists leaked-secret incidents (one per leaked value per installation) in the
order they were first seen, reading the Redis named by REDIS_URL. Without
--installation, every installation's.
`

// runIncidents is the incidents command: app reads REDIS_URL and builds the
// Redis client; adminapi lists the incidents.
func runIncidents(ctx context.Context, e cli.Env, args []string) error {
	fs := flag.NewFlagSet("incidents", flag.ContinueOnError)
	var inst int64
	var state, format string
	fs.Int64Var(&inst, "installation", 0, "the installation's ID (default: all)")
	fs.StringVar(&state, "state", "", "open, revoked, resolved or dismissed (default: all)")
	fs.StringVar(&format, "format", "text", "text or json")
	if _, err := cli.ParseFlags(e, fs, incidentsUsage, args); err != nil {
		return err
	}
	q, err := adminapi.ParseIncidentQuery("", state)
	if err != nil || inst < 0 || (format != "text" && format != "json") {
		return cli.Usagef("--installation must be positive, --state open, revoked, resolved or dismissed, and --format text or json")
	}
	q.Installation, q.Format = inst, format
	url, err := loadRedisURL(e.Getenv)
	if err != nil {
		return err
	}
	rdb, closeRedis, err := store.Connect(ctx, url, slog.New(slog.NewTextHandler(e.Stderr, nil)))
	if err != nil {
		return err
	}
	defer closeRedis()
	incs, err := incident.New(incident.Config{Redis: rdb, Prefix: store.DefaultKeyPrefix})
	if err != nil {
		return err
	}
	return adminapi.ListIncidents(ctx, e.Stdout, incs, q)
}

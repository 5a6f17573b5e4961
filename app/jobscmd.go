package app

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/queue"
)

const jobsUsage = `Usage:
  pushguard jobs [--format text|json]                      count the jobs in each state
  pushguard jobs STATE [--limit N] [--format text|json]    list the jobs in STATE:
                                                           pending, active, scheduled, retry or dead
  pushguard jobs retry ID                                  run a dead job again with all its retries,
                                                           or a retry or scheduled job now
  pushguard jobs retry --all-dead                          run every dead job again
  pushguard jobs delete ID                                 delete a dead job for good

Reads the App's queue in the Redis named by REDIS_URL (or REDIS_SENTINEL_ADDRS,
or REDIS_CLUSTER_ADDRS; see the README). A job holds IDs, names and SHAs,
never a secret; its last error is shown as the worker stored it.
`

// jobsFlags are the jobs command's flags.
type jobsFlags struct {
	format  string
	limit   int
	allDead bool
}

// runJobs is the jobs command: app reads which Redis and builds the
// client; the queue package (the only one that knows asynq) lists, retries
// and deletes jobs through asynq's Inspector.
func runJobs(ctx context.Context, e cli.Env, args []string) error {
	fs := flag.NewFlagSet("jobs", flag.ContinueOnError)
	var f jobsFlags
	fs.StringVar(&f.format, "format", "text", "text or json")
	fs.IntVar(&f.limit, "limit", 100, "jobs to list at most")
	fs.BoolVar(&f.allDead, "all-dead", false, "with retry: run every dead job again")
	pos, err := cli.ParseFlags(e, fs, jobsUsage, args)
	if err != nil {
		return err
	}
	if err := f.check(pos); err != nil {
		return err
	}
	rdb, closeRedis, err := operatorRedis(ctx, e, "the App's queue lives in its Redis")
	if err != nil {
		return err
	}
	defer closeRedis()
	q := queue.New(rdb, queue.Options{Logger: slog.New(slog.NewTextHandler(e.Stderr, nil))})
	return jobsAction(ctx, e.Stdout, q, f, pos)
}

// check reports a usage error in the flags and arguments.
func (f jobsFlags) check(pos []string) error {
	switch {
	case f.format != "text" && f.format != "json":
		return cli.Usagef("--format must be text or json, not %q", f.format)
	case f.limit < 1 || f.limit > 10000:
		return cli.Usagef("--limit must be from 1 to 10000")
	case len(pos) > 0 && pos[0] == "retry" && f.allDead != (len(pos) == 1):
		return cli.Usagef("retry takes one job ID or --all-dead")
	case len(pos) > 0 && pos[0] == "delete" && len(pos) != 2:
		return cli.Usagef("delete takes one job ID")
	case len(pos) > 0 && pos[0] != "retry" && pos[0] != "delete" && (len(pos) > 1 || !slices.Contains(queue.States(), queue.State(pos[0]))):
		return cli.Usagef("unknown jobs argument %q: a state (pending, active, scheduled, retry, dead), retry or delete", strings.Join(pos, " "))
	case f.allDead && (len(pos) == 0 || pos[0] != "retry"):
		return cli.Usagef("--all-dead goes with retry")
	}
	return nil
}

// jobsAction does what the arguments ask.
func jobsAction(ctx context.Context, w io.Writer, q *queue.Queue, f jobsFlags, pos []string) error {
	switch {
	case len(pos) == 0:
		st, err := q.Stats(ctx)
		if err != nil {
			return err
		}
		return writeStats(w, f.format, st)
	case pos[0] == "retry" && f.allDead:
		n, err := q.RequeueDead(ctx)
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(w, "requeued %d dead job%s\n", n, plural)
		return err
	case pos[0] == "retry":
		if err := q.Retry(ctx, pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(w, "job %s will run again\n", pos[1])
		return nil
	case pos[0] == "delete":
		if err := q.Delete(ctx, pos[1]); err != nil {
			return err
		}
		fmt.Fprintf(w, "deleted dead job %s\n", pos[1])
		return nil
	}
	state := queue.State(pos[0])
	jobs, err := q.List(ctx, state, f.limit)
	if err != nil {
		return err
	}
	st, err := q.Stats(ctx)
	if err != nil {
		return err
	}
	return writeJobs(w, f.format, state, jobs, stateCounts(st)[state])
}

// stateCounts maps each state to its count.
func stateCounts(st queue.Stats) map[queue.State]int {
	return map[queue.State]int{queue.StatePending: st.Pending, queue.StateActive: st.Active,
		queue.StateScheduled: st.Scheduled, queue.StateRetry: st.Retry, queue.StateDead: st.Dead}
}

// writeStats writes the counts of jobs by state.
func writeStats(w io.Writer, format string, st queue.Stats) error {
	counts := stateCounts(st)
	if format == "json" {
		return json.NewEncoder(w).Encode(counts)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range queue.States() {
		fmt.Fprintf(tw, "%s\t%d\n", s, counts[s])
	}
	return tw.Flush()
}

// jobJSON is one job in --format json.
type jobJSON struct {
	ID             string      `json:"id"`
	State          queue.State `json:"state"`
	Kind           queue.Kind  `json:"kind"`
	Intent         string      `json:"intent,omitempty"`
	InstallationID int64       `json:"installation_id,omitempty"`
	Repo           string      `json:"repo,omitempty"`
	HeadSHA        string      `json:"head_sha,omitempty"`
	PR             int         `json:"pr,omitempty"`
	Attempts       int         `json:"attempts"`
	MaxRetry       int         `json:"max_retry"`
	LastError      string      `json:"last_error,omitempty"`
	LastFailedAt   *time.Time  `json:"last_failed_at,omitempty"`
	NextRunAt      *time.Time  `json:"next_run_at,omitempty"`
	Invalid        string      `json:"invalid,omitempty"`
}

// toJSON is the listed form of a job: its fields, never its payload.
func toJSON(j queue.JobInfo) jobJSON {
	out := jobJSON{ID: j.ID, State: j.State, Kind: j.Job.Kind, InstallationID: j.Job.InstallationID,
		HeadSHA: j.Job.HeadSHA, PR: j.Job.PR, Attempts: attempts(j), MaxRetry: j.MaxRetry, LastError: j.LastError,
		LastFailedAt: timeOrNil(j.LastFailedAt), NextRunAt: timeOrNil(j.NextRunAt), Invalid: j.Invalid}
	if j.Invalid == "" {
		out.Intent, out.Repo = string(j.Job.Intention()), j.Job.Repository()
	}
	return out
}

// attempts is how many tries of the job failed: its retries, and for a
// dead job its last try too.
func attempts(j queue.JobInfo) int {
	if j.State == queue.StateDead {
		return j.Retried + 1
	}
	return j.Retried
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// writeJobs writes a list of jobs, out of total in their state, as a table
// or as JSON.
func writeJobs(w io.Writer, format string, state queue.State, jobs []queue.JobInfo, total int) error {
	list := make([]jobJSON, len(jobs))
	for i, j := range jobs {
		list[i] = toJSON(j)
	}
	if format == "json" {
		return json.NewEncoder(w).Encode(map[string]any{"state": state, "total": max(total, len(list)), "jobs": list})
	}
	if len(list) == 0 {
		_, err := fmt.Fprintf(w, "no %s jobs\n", state)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tINTENT\tINSTALLATION\tREPO\tSHA\tATTEMPTS\tWHEN\tLAST ERROR")
	for _, j := range list {
		repo := j.Repo
		if j.PR > 0 {
			repo += fmt.Sprintf("#%d", j.PR)
		}
		lastErr := j.LastError
		if j.Invalid != "" {
			lastErr = j.Invalid + "; " + lastErr
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%d/%d\t%s\t%s\n", j.ID, j.Kind, j.Intent, j.InstallationID, repo,
			j.HeadSHA[:min(12, len(j.HeadSHA))], j.Attempts, j.MaxRetry+1, when(j), short(oneLine(lastErr), 100))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > len(list) {
		_, err := fmt.Fprintf(w, "%d of %d %s jobs shown (--limit)\n", len(list), total, state)
		return err
	}
	return nil
}

// when is the time that matters in a job's state: when a dead job last
// failed, when a waiting one runs next.
func when(j jobJSON) string {
	t := j.NextRunAt
	if j.State == queue.StateDead {
		t = j.LastFailedAt
	}
	if t == nil || j.State == queue.StatePending || j.State == queue.StateActive {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// short cuts s to n characters, marking the cut.
func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// oneLine puts an error on one line of the table.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

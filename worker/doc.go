// Package worker owns the job pipeline: Worker.Handle runs one queued job.
// A scan plans the commits (plan.go), fetches and scans each one's added
// lines within the job's time budget (commit.go, budget.go), locates each
// finding at the head (locate.go), applies the repository's configuration
// (repoconfig.go) and maintainers' decisions, and publishes the check run
// and the pull request's comment (job.go). Maintainers' comment commands
// (commands.go, decide.go), check-run buttons (buttons.go) and the
// permission checks they need (permissions.go) run here too; OnDead
// concludes a scan that failed for good.
//
// After a scan, closeloop.go checks each key's validity with its provider
// (when the installation and the repository turn checks on), records every
// finding on its incident and queues the alerts the alert level asks for.
//
// It imports scanner, checks, queue, decisions, repoconfig, store, metrics,
// validity, incident, alert and internal/logkey of ours; never the webhook,
// the sweeper, the command line or app.
package worker

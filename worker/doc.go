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
// Revocation (revoke.go, revoke_commands.go): `/pushguard revoke`, the
// Revoke GitHub tokens button and auto-revoke on public repositories read
// each GitHub token again from GitHub at its finding's commit, hand it to
// the revoke package for the one call and drop it; the outcome is audited,
// shown on the run and the comment, and closes the incident.
// `/pushguard resolve` records a maintainer's own revocation or rotation.
//
// It imports scanner, checks, queue, decisions, repoconfig, store, metrics,
// validity, incident, alert, revoke and internal/logkey of ours; never the
// webhook, the sweeper, the command line or app.
package worker

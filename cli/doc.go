// Package cli is the `pushguard scan` command: its flags, its inputs (a
// unified diff with --diff, a git history range with --git, files and
// directories, stdin), byte sizes, and writing the report in text, JSON or
// SARIF. It also holds what every command shares for exit statuses and flag
// parsing (Env, ParseFlags, UsageError, ErrFindings, ExitStatus), which
// app's command table reuses.
//
// cli imports scanner and scanner/report (and repoconfig, logkey) of ours,
// never the App's packages (queue, webhook, worker, store, ...): the
// command line runs without Redis or GitHub. app maps its errors to exit
// statuses.
package cli

// Package cli is the `pushguard scan` command: its flags, its inputs (a
// unified diff with --diff, a git history range with --git, files and
// directories, stdin), byte sizes, what the report keeps (the repository's
// .github/pushguard.yml read with repoconfig's parser, the .pushguardignore
// file, a --baseline of a previous report), and writing the report in text,
// JSON, SARIF, JUnit or CSV. It also holds what every command shares for
// exit statuses and flag parsing (Env, ParseFlags, UsageError, ErrFindings,
// FindingsError, ExitStatus), which app's command table reuses.
//
// cli imports scanner, scanner/report and repoconfig (and logkey) of ours,
// never the App's packages (queue, webhook, worker, store, ...): the
// command line runs without Redis or GitHub. app maps its errors to exit
// statuses.
package cli

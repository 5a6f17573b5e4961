// Package app is pushguard's composition root: it parses the command line,
// builds what each command needs (rulesets, scanners, clients) and runs it.
// Other packages receive what they need as arguments; only app reads the
// environment and talks to the operating system on their behalf.
package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/pushguard/pushguard/cli"
)

// command is one subcommand. Adding a command is adding one entry to
// commands.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e cli.Env, args []string) error
}

// commands lists the subcommands in the order usage shows them.
func commands() []command {
	return []command{
		{name: "scan", summary: "scan a diff, a git history range, or files for leaked secrets", run: cli.Scan},
		{name: "serve", summary: "run the GitHub App: webhook server and workers", run: runServe},
		{name: "worker", summary: "run GitHub App workers only, against a shared Redis", run: runWorkerCmd},
		{name: "audit", summary: "list maintainers' dismissals and undos of an installation", run: runAudit},
		{name: "incidents", summary: "list leaked-secret incidents: where first seen, validity, state", run: runIncidents},
		{name: "version", summary: "print the version of pushguard and of its rules", run: runVersion},
	}
}

// Main runs pushguard with args (the command line without the program name)
// and returns the process's exit status: 0 on success (for scan: nothing
// found), 1 when scan found secrets, 2 on a usage error or a failure.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := cli.Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, Version: Version}
	if len(args) == 0 {
		writeUsage(e.Stderr)
		return cli.ExitError
	}
	name, rest := args[0], args[1:]
	if name == "--version" || name == "-version" {
		name = "version"
	}
	if isHelp(name) {
		if len(rest) == 0 {
			writeUsage(e.Stdout)
			return cli.ExitOK
		}
		name, rest = rest[0], []string{"--help"} // "help scan" is "scan --help"
	}
	for _, c := range commands() {
		if c.name == name {
			return cli.ExitStatus(e.Stderr, name, c.run(ctx, e, rest))
		}
	}
	fmt.Fprintf(e.Stderr, "pushguard: unknown command %q\n\n", name)
	writeUsage(e.Stderr)
	return cli.ExitError
}

func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

func writeUsage(w io.Writer) {
	fmt.Fprint(w, "pushguard finds leaked API keys and other credentials.\n\nUsage:\n  pushguard <command> [flags] [arguments]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, "\nRun 'pushguard <command> --help' for a command's flags.\n")
}

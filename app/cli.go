// Package app is pushguard's composition root: it parses the command line,
// builds what each command needs (rulesets, scanners, clients) and runs it.
// Other packages receive what they need as arguments; only app reads the
// environment and talks to the operating system on their behalf.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/pushguard/pushguard/cli"
)

// Exit statuses of every command.
const (
	exitOK       = 0 // success; for scan, nothing found
	exitFindings = 1 // scan found secrets
	exitError    = 2 // bad usage or a failure
)

// env is what a command may touch of the process that runs it.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// cli is e as the cli package's commands take it.
func (e *env) cli() cli.Env {
	return cli.Env{Stdin: e.stdin, Stdout: e.stdout, Stderr: e.stderr, Getenv: e.getenv, Version: Version}
}

// command is one subcommand. Adding a command is adding one entry to
// commands.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists the subcommands in the order usage shows them.
func commands() []command {
	return []command{
		{name: "scan", summary: "scan a diff, a git history range, or files for leaked secrets", run: runScan},
		{name: "serve", summary: "run the GitHub App: webhook server and workers", run: runServe},
		{name: "worker", summary: "run GitHub App workers only, against a shared Redis", run: runWorkerCmd},
		{name: "audit", summary: "list maintainers' dismissals and undos of an installation", run: runAudit},
		{name: "version", summary: "print the version of pushguard and of its rules", run: runVersion},
	}
}

// Main runs pushguard with args (the command line without the program name)
// and returns the process's exit status: 0 on success (for scan: nothing
// found), 1 when scan found secrets, 2 on a usage error or a failure.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	return e.main(ctx, args)
}

func (e *env) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		writeUsage(e.stderr)
		return exitError
	}
	name, rest := args[0], args[1:]
	if isHelp(name) {
		if len(rest) == 0 {
			writeUsage(e.stdout)
			return exitOK
		}
		name, rest = rest[0], []string{"--help"} // "help scan" is "scan --help"
	}
	for _, c := range commands() {
		if c.name == name {
			return exitStatus(e.stderr, name, c.run(ctx, e, rest))
		}
	}
	fmt.Fprintf(e.stderr, "pushguard: unknown command %q\n\n", name)
	writeUsage(e.stderr)
	return exitError
}

func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// exitStatus maps a command's error to the exit status, and reports it on
// stderr in one line.
func exitStatus(stderr io.Writer, name string, err error) int {
	var ue *cli.UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, cli.ErrFindings):
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "pushguard: %s: %s (see 'pushguard %s --help')\n", name, ue.Msg, name)
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "pushguard: %s: interrupted\n", name)
	default:
		fmt.Fprintf(stderr, "pushguard: %s: %s\n", name, oneLine(err.Error()))
	}
	return exitError
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

// runScan is the scan command, which the cli package implements.
func runScan(ctx context.Context, e *env, args []string) error {
	return cli.Scan(ctx, e.cli(), args)
}

// parseFlags parses a command's flags as the scan command does (see
// cli.ParseFlags).
func parseFlags(e *env, fs *flag.FlagSet, usage string, args []string) ([]string, error) {
	return cli.ParseFlags(e.cli(), fs, usage, args)
}

// usagef is a mistake on the command line (a *cli.UsageError).
func usagef(format string, args ...any) error { return cli.Usagef(format, args...) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

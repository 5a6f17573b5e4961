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
)

// Exit statuses of every command.
const (
	exitOK       = 0 // success; for scan, nothing found
	exitFindings = 1 // scan found secrets
	exitError    = 2 // bad usage or a failure
)

// errFindings is returned by a command that ran fine and found secrets.
var errFindings = errors.New("secrets found")

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// env is what a command may touch of the process that runs it.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
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
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "pushguard: %s: %s (see 'pushguard %s --help')\n", name, ue.msg, name)
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

// parseFlags parses args with fs, letting flags and positional arguments mix
// ("scan . --format json"); everything after "--" is positional. On --help
// it writes the command's usage to stdout and returns flag.ErrHelp.
func parseFlags(e *env, fs *flag.FlagSet, usage string, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, usage)
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
			return nil, flag.ErrHelp
		}
		if err != nil {
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

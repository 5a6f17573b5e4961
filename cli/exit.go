package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit statuses of every pushguard command.
const (
	ExitOK       = 0 // success; for scan, nothing found
	ExitFindings = 1 // scan found secrets
	ExitError    = 2 // bad usage or a failure
)

// ExitStatus maps the error of the command name to the process's exit
// status, and reports it on stderr in one line: nothing for success, --help
// and findings; a pointer to --help for a *UsageError.
func ExitStatus(stderr io.Writer, name string, err error) int {
	var ue *UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.Is(err, ErrFindings):
		return findingsStatus(err)
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "pushguard: %s: %s (see 'pushguard %s --help')\n", name, ue.Msg, name)
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "pushguard: %s: interrupted\n", name)
	default:
		fmt.Fprintf(stderr, "pushguard: %s: %s\n", name, oneLine(err.Error()))
	}
	return ExitError
}

// oneLine joins a multi-line message into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// FindingsError is ErrFindings with the exit status the user chose for it
// (scan --exit-code).
type FindingsError struct {
	// Code is the process's exit status.
	Code int
}

// Error says that secrets were found.
func (e *FindingsError) Error() string { return ErrFindings.Error() }

// Is makes errors.Is(err, ErrFindings) true.
func (e *FindingsError) Is(target error) bool { return target == ErrFindings }

// findingsStatus is the exit status of an error that is ErrFindings: its
// FindingsError's code, or ExitFindings.
func findingsStatus(err error) int {
	var fe *FindingsError
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ExitFindings
}

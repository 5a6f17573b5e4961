package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ErrFindings is returned by a command that ran fine and found secrets: the
// caller exits with the "findings" status, not the failure one.
var ErrFindings = errors.New("secrets found")

// UsageError is a mistake on the command line: the caller points the user
// at the command's --help.
type UsageError struct {
	// Msg says what is wrong, in one line.
	Msg string
}

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with the formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Env is what a command may touch of the process that runs it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (os.Getenv in the process).
	Getenv func(string) string
	// Version is pushguard's version, written into SARIF reports.
	Version string
}

// ParseFlags parses args with fs, letting flags and positional arguments mix
// ("scan . --format json"); everything after "--" is positional. On --help
// it writes the command's usage to e.Stdout and returns flag.ErrHelp; a bad
// flag is a *UsageError.
func ParseFlags(e Env, fs *flag.FlagSet, usage string, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.Stdout, usage)
			fs.SetOutput(e.Stdout)
			fs.PrintDefaults()
			return nil, flag.ErrHelp
		}
		if err != nil {
			return nil, Usagef("%v", err)
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

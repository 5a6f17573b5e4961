package app

import (
	"context"
	"flag"
	"fmt"

	"github.com/pushguard/pushguard/cli"
	"github.com/pushguard/pushguard/scanner"
)

// Version is pushguard's version. Release builds set it with
//
//	go build -ldflags "-X github.com/pushguard/pushguard/app.Version=v1.2.3"
//
// It is a variable only so the linker can set it; nothing assigns it at run
// time.
var Version = "dev"

const versionUsage = `Usage: pushguard version

Print pushguard's version and the version and size of its built-in ruleset.
The rules' version changes whenever a rule's behaviour does.
`

func runVersion(_ context.Context, e cli.Env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	rest, err := cli.ParseFlags(e, fs, versionUsage, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return cli.Usagef("unexpected argument %q", rest[0])
	}
	rules, err := scanner.Default()
	if err != nil {
		return fmt.Errorf("built-in rules: %w", err)
	}
	_, err = fmt.Fprintf(e.Stdout, "pushguard %s (rules %s, %d rules)\n", Version, rules.Version(), rules.Len())
	return err
}

// Command pushguard finds leaked API keys: in diffs, git history and files
// from the command line, and in pushes and pull requests as a GitHub App.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pushguard/pushguard/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

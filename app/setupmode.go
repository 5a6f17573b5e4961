package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/pushguard/pushguard/setup"
)

// serveSetup serves the setup flow (the setup package) on ln until the App
// is created, then serves the App with its new credentials on the same
// address, without a restart. It returns when ctx ends, as serve does.
func serveSetup(ctx context.Context, getenv func(string) string, cfg Config, log *slog.Logger, ln net.Listener, opts serviceOptions) error {
	err := setup.Serve(ctx, ln, setup.Options{APIURL: cfg.APIURL, CredentialsFile: cfg.CredentialsFile, Log: log, Transport: opts.transport})
	if err != nil || ctx.Err() != nil {
		return err
	}
	if cfg, err = loadConfig(getenv, true); err != nil {
		return fmt.Errorf("after setup: %w", err)
	}
	addr := ln.Addr()
	if ln, err = net.Listen(addr.Network(), addr.String()); err != nil {
		return fmt.Errorf("after setup, listen again on %s: %w", addr, err)
	}
	log.Info("setup done: serving the GitHub App", "app_id", cfg.AppID)
	return serve(ctx, cfg, log, ln, opts)
}

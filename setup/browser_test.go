package setup

import (
	"context"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// chromium finds Debian's chromium, or skips the test: a machine with only
// Go must pass go test ./... (.ci/run installs chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipping the browser test of the setup flow")
	return ""
}

// browser starts headless Chromium for the test, with its own profile and
// nothing that calls home; listen sees the tab's events.
func browser(t *testing.T, ctx context.Context, listen func(ev any)) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium(t)), chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true))
	t.Cleanup(cancelAlloc)
	bctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(listen))
	t.Cleanup(cancel)
	return bctx
}

// TestSetupInBrowser drives the setup flow in headless Chromium against the
// fake GitHub: the setup page, its form (an organisation), the page that
// posts the manifest to GitHub by itself, GitHub's redirect back, and the
// final page with the install link. Then Serve returns, for the App to be
// served (app's setup-mode test serves it).
func TestSetupInBrowser(t *testing.T) {
	chromium(t)
	gh := fakegithub.New(t, fakegithub.Options{})
	file := filepath.Join(t.TempDir(), "pushguard-credentials.json")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	serveCtx, stopServe := context.WithCancel(ctx)
	defer stopServe()
	logs := &syncBuffer{}
	served := make(chan error, 1)
	go func() {
		served <- Serve(serveCtx, ln, Options{APIURL: gh.URL(), CredentialsFile: file, Log: slog.New(slog.NewJSONHandler(logs, nil))})
	}()
	base := "http://" + ln.Addr().String()

	var mu sync.Mutex
	var console []string
	bctx := browser(t, ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && e.Entry.Level == log.EntryLevelError {
			mu.Lock()
			console = append(console, e.Entry.Text)
			mu.Unlock()
		}
	})
	err = chromedp.Do(bctx,
		chromedp.Navigate(base+"/setup"),
		chromedp.WaitVisible(chromedp.CSS("#owner-org")),
		chromedp.Click(chromedp.CSS("#owner-org")),
		chromedp.SendKeys(chromedp.CSS("#org"), "octo-org"),
		chromedp.Click(chromedp.CSS("#create")),
		// The next page posts the manifest to GitHub by itself; GitHub
		// sends the browser back to the callback.
		chromedp.WaitVisible(chromedp.CSS("#install")),
	)
	if err != nil {
		t.Fatalf("browser: %v; logs:\n%s", err, logs)
	}
	install, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS("#install"), "href"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	location, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if want := gh.WebURL() + "apps/pushguard/installations/new"; install.Value != want {
		t.Errorf("install link %q, want %q", install.Value, want)
	}
	if !strings.HasPrefix(location, base+"/setup/callback?") || !strings.Contains(text, "no restart needed") {
		t.Errorf("final page %s:\n%s", location, text)
	}
	if flows := gh.ManifestFlows(); len(flows) != 1 || flows[0].Org != "octo-org" || !flows[0].Converted {
		t.Errorf("GitHub saw %+v", flows)
	}
	info, err := os.Stat(file)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v, %v", info, err)
	}
	mu.Lock()
	if len(console) > 0 {
		t.Errorf("the browser reported errors (a content security policy violation?): %q", console)
	}
	mu.Unlock()

	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after the App was created: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Serve did not return once the App was created")
	}
}

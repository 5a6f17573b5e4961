package ghapp

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/internal/fakegithub"
	"github.com/pushguard/pushguard/internal/poll"
)

// TestNoGoroutineLeftAfterNotFound: go-github reads an error answer's body
// and swaps it for a copy, so the http.Client's body that stops its timeout
// timer was never closed: each 404 kept goroutines alive for the client's
// 60 s timeout. After a burst of 404s the count must be back at the
// baseline at once (well inside the timeout).
func TestNoGoroutineLeftAfterNotFound(t *testing.T) {
	gh := fakegithub.New(t, fakegithub.Options{})
	repo := gh.AddRepo("octo", "leak", 7)
	repo.Commit("first", map[string]string{"README.md": "hi\n"})
	app, err := New(gh.AppID(), gh.PrivateKeyPEM(), gh.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c := app.Installation(7)
	ctx := context.Background()
	get := func() error {
		_, _, _, err := c.Repositories.GetContents(ctx, "octo", "leak", ".github/pushguard.yml", nil)
		return err
	}
	// Warm up: the installation token and a kept-alive connection exist
	// before the baseline is taken.
	var er *github.ErrorResponse
	if err := get(); !errors.As(err, &er) || er.Response.StatusCode != http.StatusNotFound {
		t.Fatalf("warm-up: got %v, want a 404", err)
	}
	baseline := poll.Settle(runtime.NumGoroutine)
	const requests = 50
	for range requests {
		if err := get(); !errors.As(err, &er) || er.Response.StatusCode != http.StatusNotFound {
			t.Fatalf("got %v, want a 404", err)
		}
	}
	poll.Until(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= baseline },
		"the goroutine count to return to its baseline after 404s")
}

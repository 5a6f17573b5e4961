package fakegithub

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestCommentsReactionsAndPermissions(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	r.Commit("base", map[string]string{"a.txt": "a\n"})
	r.Branch("feature")
	s.AddPullRequest(r, 3, r, "feature", "main")
	cmd := s.AddComment(r, 3, "maintainer", "/pushguard dismiss abc false-positive")
	s.SetPermission("octo", "hello", "maintainer", "maintain")
	c, _ := installationClient(t, s, 7)

	mine, _, err := c.Issues.CreateComment(ctx(t), "octo", "hello", 3, &github.IssueComment{Body: github.String("scan: clean")})
	if err != nil {
		t.Fatal(err)
	}
	if mine.GetUser().GetLogin() != "pushguard[bot]" || mine.GetUser().GetType() != "Bot" {
		t.Errorf("comment author %v, want the App's bot", mine.GetUser())
	}
	if _, _, err := c.Issues.EditComment(ctx(t), "octo", "hello", mine.GetID(), &github.IssueComment{Body: github.String("scan: 1 finding")}); err != nil {
		t.Fatal(err)
	}
	if _, resp, err := c.Issues.EditComment(ctx(t), "octo", "hello", cmd.ID, &github.IssueComment{Body: github.String("x")}); err == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("editing a person's comment: err %v, want 403", err)
	}
	list, _, err := c.Issues.ListComments(ctx(t), "octo", "hello", 3, nil)
	if err != nil || len(list) != 2 || list[1].GetBody() != "scan: 1 finding" {
		t.Errorf("list comments: %v, %v", list, err)
	}
	for want, status := range []int{http.StatusCreated, http.StatusOK} { // new, then existing
		_, resp, err := c.Reactions.CreateIssueCommentReaction(ctx(t), "octo", "hello", cmd.ID, "+1")
		if err != nil || resp.StatusCode != status {
			t.Errorf("reaction %d: status %v, err %v; want %d", want, resp.StatusCode, err, status)
		}
	}
	got := s.Comments("octo", "hello", 3)
	if len(got) != 2 || len(got[0].Reactions) != 1 || got[0].Reactions[0].Content != "+1" || len(got[1].Bodies) != 2 {
		t.Errorf("recorded comments %+v", got)
	}
	for user, want := range map[string]string{"maintainer": "write", "octo": "admin", "stranger": "read"} {
		p, _, err := c.Repositories.GetPermissionLevel(ctx(t), "octo", "hello", user)
		if err != nil || p.GetPermission() != want {
			t.Errorf("permission of %s: %v, %v; want %s", user, p.GetPermission(), err, want)
		}
	}
}

func TestDeliveriesAndRevocations(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	var ids []int64
	for i := range 5 {
		d := s.AddDelivery(Delivery{Event: "push", StatusCode: map[bool]int{true: 503, false: 202}[i%2 == 0]})
		ids = append(ids, d.ID)
	}
	c := appClient(t, s)
	var seen []int64
	opts := &github.ListCursorOptions{PerPage: 2}
	for {
		page, resp, err := c.Apps.ListHookDeliveries(ctx(t), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page {
			seen = append(seen, d.GetID())
		}
		if resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
		t.Errorf("deliveries %v, want all 5 newest first (%v)", seen, ids)
	}
	// GitHub answers 202, which go-github reports as *github.AcceptedError.
	var accepted *github.AcceptedError
	if _, _, err := c.Apps.RedeliverHookDelivery(ctx(t), ids[0]); !errors.As(err, &accepted) {
		t.Fatalf("redeliver: err %v, want 202 Accepted", err)
	}
	if got := s.Redeliveries(); len(got) != 1 || got[0] != ids[0] {
		t.Errorf("redeliveries %v", got)
	}
	if _, resp, err := c.Apps.RedeliverHookDelivery(ctx(t), 999999); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown delivery: err %v, want 404", err)
	}
	anon := clientFor(t, s, http.DefaultClient)
	req, _ := anon.NewRequest(http.MethodPost, "credentials/revoke", map[string][]string{"credentials": {"ghp_leaked"}})
	if resp, err := anon.Do(ctx(t), req, nil); !errors.As(err, &accepted) || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("revoke: %v", err)
	}
	if got := s.RevokedCredentials(); len(got) != 1 || got[0] != "ghp_leaked" {
		t.Errorf("revoked %v", got)
	}
}

package fakegithub

import (
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestPullRequestFromFork(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	base := s.AddRepo("octo", "hello", 7)
	base.Commit("base", map[string]string{"a.txt": "a\n"})
	fork := base.Fork("contributor")
	fork.Branch("patch-1")
	fork.Checkout("patch-1")
	h1 := fork.Commit("leak", map[string]string{"secret.env": "TOKEN=x\n"})
	pr := s.AddPullRequest(base, 1, fork, "patch-1", "main")
	c, _ := installationClient(t, s, 7)

	got, _, err := c.PullRequests.Get(ctx(t), "octo", "hello", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.GetHead().GetSHA() != h1 || got.GetHead().GetRepo().GetFullName() != "contributor/hello" ||
		got.GetBase().GetRef() != "main" || got.GetCommits() != 1 || got.GetChangedFiles() != 1 {
		t.Errorf("pull request %+v", got)
	}
	// The fork's commit is readable from the base repository.
	cm, _, err := c.Repositories.GetCommit(ctx(t), "octo", "hello", h1, nil)
	if err != nil || len(cm.Files) != 1 || cm.Files[0].GetFilename() != "secret.env" {
		t.Fatalf("fork commit through base repo: %v, %v", cm, err)
	}

	h2 := fork.Commit("fix", map[string]string{"secret.env": "TOKEN=${TOKEN}\n"})
	commits, _, err := c.PullRequests.ListCommits(ctx(t), "octo", "hello", pr.Number, &github.ListOptions{PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != 1 || commits[0].GetSHA() != h1 {
		t.Errorf("page 1 of commits: %v, want [%s]", commits, h1)
	}
	commits, resp, err := c.PullRequests.ListCommits(ctx(t), "octo", "hello", pr.Number, &github.ListOptions{PerPage: 1, Page: 2})
	if err != nil || len(commits) != 1 || commits[0].GetSHA() != h2 || resp.NextPage != 0 {
		t.Errorf("page 2 of commits: %v, err %v, want [%s]", commits, err, h2)
	}
	files, _, err := c.PullRequests.ListFiles(ctx(t), "octo", "hello", 1, nil)
	if err != nil || len(files) != 1 || files[0].GetPatch() != "@@ -0,0 +1 @@\n+TOKEN=${TOKEN}" {
		t.Errorf("files %v, err %v", files, err)
	}
	if _, resp, err := c.PullRequests.Get(ctx(t), "octo", "hello", 2); err == nil || resp.StatusCode != 404 {
		t.Errorf("unknown pull request: err %v, want 404", err)
	}
}

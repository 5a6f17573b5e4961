package fakegithub

import (
	"testing"
)

func TestCompareCommits(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	base := r.Commit("base", map[string]string{"a.txt": "a\n"})
	r.Branch("feature")
	r.Checkout("feature")
	c1 := r.Commit("add key", map[string]string{"key.txt": "AKIA...\n"})
	c2 := r.Commit("remove key", nil, "key.txt")
	c3 := r.Commit("more", map[string]string{"a.txt": "a\nb\n"})
	c, _ := installationClient(t, s, 7)

	cmp, _, err := c.Repositories.CompareCommits(ctx(t), "octo", "hello", "main", "feature", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.GetStatus() != "ahead" || cmp.GetAheadBy() != 3 || cmp.GetBehindBy() != 0 || cmp.GetTotalCommits() != 3 {
		t.Errorf("status %s ahead %d behind %d total %d; want ahead 3 0 3", cmp.GetStatus(), cmp.GetAheadBy(), cmp.GetBehindBy(), cmp.GetTotalCommits())
	}
	var shas []string
	for _, cm := range cmp.Commits {
		shas = append(shas, cm.GetSHA())
	}
	if want := []string{c1, c2, c3}; len(shas) != 3 || shas[0] != want[0] || shas[1] != want[1] || shas[2] != want[2] {
		t.Errorf("commits %v, want oldest first %v", shas, want)
	}
	if cmp.GetMergeBaseCommit().GetSHA() != base || cmp.GetBaseCommit().GetSHA() != base {
		t.Errorf("merge base %s, want %s", cmp.GetMergeBaseCommit().GetSHA(), base)
	}
	// The net diff no longer has key.txt: only a.txt changed.
	if len(cmp.Files) != 1 || cmp.Files[0].GetFilename() != "a.txt" || cmp.Files[0].GetPatch() != "@@ -1 +1,2 @@\n a\n+b" {
		t.Errorf("files %v, want a.txt with one added line", cmp.Files)
	}

	r.Checkout("main")
	r.Commit("main moves", map[string]string{"m.txt": "m\n"})
	cmp, _, err = c.Repositories.CompareCommits(ctx(t), "octo", "hello", "main", "feature", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.GetStatus() != "diverged" || cmp.GetAheadBy() != 3 || cmp.GetBehindBy() != 1 {
		t.Errorf("after main moved: status %s ahead %d behind %d; want diverged 3 1", cmp.GetStatus(), cmp.GetAheadBy(), cmp.GetBehindBy())
	}
	cmp, _, err = c.Repositories.CompareCommits(ctx(t), "octo", "hello", c3, c3, nil)
	if err != nil || cmp.GetStatus() != "identical" {
		t.Errorf("identical compare: %v %v", cmp.GetStatus(), err)
	}
	if _, resp, err := c.Repositories.CompareCommits(ctx(t), "octo", "hello", "main", "nope", nil); err == nil || resp.StatusCode != 404 {
		t.Errorf("unknown head: err %v, want 404", err)
	}
}

func TestRefsWithSlashes(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	r.Commit("base", map[string]string{"a.txt": "a\n"})
	r.Branch("feature/x")
	r.Checkout("feature/x")
	sha := r.Commit("on feature", map[string]string{"b/c.txt": "c\n"})
	c, _ := installationClient(t, s, 7)
	got, _, err := c.Repositories.GetCommit(ctx(t), "octo", "hello", "heads/feature/x", nil)
	if err != nil || got.GetSHA() != sha {
		t.Errorf("commit of heads/feature/x: %v, %v", got.GetSHA(), err)
	}
	if _, _, err := c.Checks.ListCheckRunsForRef(ctx(t), "octo", "hello", "feature/x", nil); err != nil {
		t.Errorf("check runs for feature/x: %v", err)
	}
	cmp, _, err := c.Repositories.CompareCommits(ctx(t), "octo", "hello", "octo:main", "octo:feature/x", nil)
	if err != nil || cmp.GetAheadBy() != 1 || cmp.Files[0].GetFilename() != "b/c.txt" {
		t.Errorf("compare with owner prefixes and a slash: %v, %v", cmp, err)
	}
}

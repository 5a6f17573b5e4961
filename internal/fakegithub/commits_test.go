package fakegithub

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

// gitShowPatch is the hunks `git show` prints for path in commit sha.
func gitShowPatch(t *testing.T, r *Repo, sha, path string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", r.Dir(), "show", "--no-color", "-M", "--format=", sha, "--", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	return strings.TrimSuffix(s[strings.Index(s, "@@"):], "\n")
}

func TestGetCommitMatchesGitShow(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	lines := make([]string, 20)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d", i+1)
	}
	first := r.Commit("first", map[string]string{"config.go": strings.Join(lines, "\n") + "\n"})
	lines[14] = `token := "ghp_secret"`
	sha := r.Commit("second", map[string]string{
		"config.go":  strings.Join(lines, "\n") + "\n",
		"new.txt":    "hello\nworld\n",
		"docs/a.md":  "# A\n",
		"no-newline": "x",
	})
	c, _ := installationClient(t, s, 7)
	got, _, err := c.Repositories.GetCommit(ctx(t), "octo", "hello", sha, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.GetSHA() != sha || len(got.Parents) != 1 || got.Parents[0].GetSHA() != first {
		t.Fatalf("sha %s parents %v, want %s with parent %s", got.GetSHA(), got.Parents, sha, first)
	}
	files := map[string]*github.CommitFile{}
	for _, f := range got.Files {
		files[f.GetFilename()] = f
	}
	want := map[string][3]any{"config.go": {"modified", 1, 1}, "new.txt": {"added", 2, 0},
		"docs/a.md": {"added", 1, 0}, "no-newline": {"added", 1, 0}}
	if len(files) != len(want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	for name, w := range want {
		f := files[name]
		if f == nil || f.GetStatus() != w[0] || f.GetAdditions() != w[1] || f.GetDeletions() != w[2] ||
			f.GetChanges() != f.GetAdditions()+f.GetDeletions() {
			t.Errorf("%s: %v, want status/additions/deletions %v", name, f, w)
			continue
		}
		if got, want := f.GetPatch(), gitShowPatch(t, r, sha, name); got != want {
			t.Errorf("%s patch:\n%s\nwant (git show):\n%s", name, got, want)
		}
		blob := strings.TrimSpace(r.mustGit("rev-parse", sha+":"+name))
		if f.GetSHA() != blob {
			t.Errorf("%s sha %s, want blob %s", name, f.GetSHA(), blob)
		}
	}
	if p := files["config.go"].GetPatch(); !strings.HasPrefix(p, "@@ -12,7 +12,7 @@") || !strings.Contains(p, "\n+"+lines[14]+"\n") {
		t.Errorf("config.go patch does not put the change on line 15:\n%s", p)
	}
	if p := files["no-newline"].GetPatch(); !strings.HasSuffix(p, "\\ No newline at end of file") {
		t.Errorf("no-newline patch %q lacks git's marker", p)
	}
	if got.GetStats().GetAdditions() != 5 || got.GetStats().GetDeletions() != 1 {
		t.Errorf("stats %v, want +5 -1", got.GetStats())
	}
}

func TestGetCommitRenameBinaryAndDroppedPatch(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	body := strings.Repeat("same content line\n", 20)
	r.Commit("first", map[string]string{"old.txt": body, "big.txt": "a\n"})
	sha := r.Commit("second", map[string]string{"new.txt": body + "one more\n", "img.png": "\x89PNG\x00\x01\x02", "big.txt": "b\n"}, "old.txt")
	s.DropPatch("big.txt")
	c, _ := installationClient(t, s, 7)
	got, _, err := c.Repositories.GetCommit(ctx(t), "octo", "hello", sha, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got.Files {
		switch f.GetFilename() {
		case "new.txt":
			if f.GetStatus() != "renamed" || f.GetPreviousFilename() != "old.txt" || f.GetAdditions() != 1 {
				t.Errorf("rename: %v", f)
			}
		case "img.png":
			if f.Patch != nil || f.GetStatus() != "added" {
				t.Errorf("binary file: %v, want added without patch", f)
			}
		case "big.txt":
			if f.Patch != nil || f.GetAdditions() != 1 {
				t.Errorf("dropped patch: %v, want counts without patch", f)
			}
		default:
			t.Errorf("unexpected file %v", f)
		}
	}
}

func TestGetCommitPaginatesFiles(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "many", 7)
	files := map[string]string{}
	for i := range 305 {
		files[fmt.Sprintf("f%03d.txt", i)] = "x\n"
	}
	sha := r.Commit("many files", files)
	c, _ := installationClient(t, s, 7)
	got, resp, err := c.Repositories.GetCommit(ctx(t), "octo", "many", sha, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 300 || resp.NextPage != 2 {
		t.Fatalf("page 1: %d files, next page %d; want 300 and 2", len(got.Files), resp.NextPage)
	}
	got, resp, err = c.Repositories.GetCommit(ctx(t), "octo", "many", sha, &github.ListOptions{Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != 5 || resp.NextPage != 0 || got.GetStats().GetTotal() != 305 {
		t.Errorf("page 2: %d files, next %d, total %d; want 5, 0, 305", len(got.Files), resp.NextPage, got.GetStats().GetTotal())
	}
}

func TestListCommitsContentsAndBlob(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	first := r.Commit("first", map[string]string{".github/pushguard.yml": "ignore: []\n"})
	second := r.Commit("second", map[string]string{"b.txt": "b\n"})
	c, _ := installationClient(t, s, 7)
	list, _, err := c.Repositories.ListCommits(ctx(t), "octo", "hello", &github.CommitsListOptions{SHA: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].GetSHA() != second || list[1].GetSHA() != first {
		t.Errorf("list commits: %v, want newest first", list)
	}
	file, _, _, err := c.Repositories.GetContents(ctx(t), "octo", "hello", ".github/pushguard.yml", &github.RepositoryContentGetOptions{Ref: first})
	if err != nil {
		t.Fatal(err)
	}
	if content, _ := file.GetContent(); content != "ignore: []\n" {
		t.Errorf("contents %q", content)
	}
	b, _, err := c.Git.GetBlob(ctx(t), "octo", "hello", file.GetSHA())
	if err != nil {
		t.Fatal(err)
	}
	if b.GetEncoding() != "base64" || b.GetSize() != len("ignore: []\n") {
		t.Errorf("blob %v", b)
	}
	if _, _, resp, err := c.Repositories.GetContents(ctx(t), "octo", "hello", "missing.yml", nil); err == nil || resp.StatusCode != 404 {
		t.Errorf("missing file: err %v, want 404", err)
	}
	repo, _, err := c.Repositories.Get(ctx(t), "octo", "hello")
	if err != nil || repo.GetDefaultBranch() != "main" || repo.GetFullName() != "octo/hello" {
		t.Errorf("repo %v, err %v", repo, err)
	}
}

package fakegithub

import (
	"reflect"
	"strings"
	"testing"
)

func TestCommitsFromCatFileMatchGitLog(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "objects", 0)
	r.SetAuthor("Zoë <Q> d'Arc", "zoe@example.com")
	root := r.Commit("root\n\nwith a body\n\n  indented line\n", map[string]string{"a.txt": "a\n"})
	r.Branch("side")
	r.Checkout("side")
	side := r.Commit("side", map[string]string{"b.txt": "b\n"})
	r.Checkout("main")
	r.Commit("main", map[string]string{"c.txt": "c\n"})
	r.Git("merge", "-q", "--no-edit", "side")
	r.Git("commit", "-q", "--allow-empty", "--date=2024-05-01T10:00:00+05:30", "-m", "dated in India")
	shas := strings.Fields(r.mustGit("rev-list", "HEAD"))
	if len(shas) != 5 {
		t.Fatalf("%d commits, want 5", len(shas))
	}
	fromObjects, err := r.commits(shas...)
	if err != nil {
		t.Fatal(err)
	}
	fromLog, err := r.logCommits(shas)
	if err != nil {
		t.Fatal(err)
	}
	for i := range fromLog {
		fromLog[i].authorDate, fromLog[i].commitDate = fromLog[i].authorDate.UTC(), fromLog[i].commitDate.UTC()
	}
	for i := range fromLog {
		if !reflect.DeepEqual(fromObjects[i], fromLog[i]) {
			t.Errorf("from cat-file:\n%#v\nfrom git log:\n%#v", fromObjects[i], fromLog[i])
		}
	}
	if len(fromObjects[1].parents) != 2 {
		t.Errorf("merge commit parents %v, want two", fromObjects[1].parents)
	}

	r.Git("tag", "-a", "-m", "annotated", "v1", side)
	tree := strings.TrimSpace(r.mustGit("rev-parse", root+"^{tree}"))
	tag := strings.TrimSpace(r.mustGit("rev-parse", "v1"))
	tests := []struct {
		name, ref, want string
		ok              bool
	}{
		{"commit SHA", root, root, true},
		{"annotated tag SHA", tag, side, true},
		{"tree SHA", tree, "", false},
		{"missing SHA", strings.Repeat("0", 40), "", false},
		{"branch", "side", side, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := r.resolve(tc.ref)
			if got != tc.want || ok != tc.ok {
				t.Errorf("resolve(%s) = %q, %v, want %q, %v", tc.ref, got, ok, tc.want, tc.ok)
			}
		})
	}
}

package fakegithub

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiffCountsMatchNumstat(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "counts", 0)
	lines := strings.Repeat("line\n", 30)
	base := r.Commit("base", map[string]string{"text.txt": "a\nb\nc\n", "bin.dat": "bin\x00ary", "old name.txt": lines,
		"mode.sh": "echo\n", "gone.txt": "x\ny\n", "plus.txt": "+++ not a header\n"})
	if err := os.Chmod(filepath.Join(r.Dir(), "mode.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	r.mustGit("mv", "old name.txt", "new\tname.txt")
	head := r.Commit("head", map[string]string{"text.txt": "a\nB\nc\nd", "bin.dat": "bin\x00ary2", "new\tname.txt": lines + "more\n",
		"empty.txt": "", "plus.txt": "--- minus\n+++ plus\n"}, "gone.txt")
	files, err := r.diff(base, head)
	if err != nil {
		t.Fatal(err)
	}
	num := strings.Split(strings.TrimSuffix(r.mustGit("diff", "-M", "--numstat", "-z", base, head), "\x00"), "\x00")
	want := map[string]string{} // path → "additions\tdeletions" as --numstat -z prints it
	for i := 0; i < len(num); i++ {
		a, rest, _ := strings.Cut(num[i], "\t")
		d, p, _ := strings.Cut(rest, "\t")
		if p == "" { // a rename: the old and the new path follow
			p, i = num[i+2], i+2
		}
		want[p] = a + "\t" + d
	}
	if len(files) != len(want) || len(files) != 7 {
		t.Fatalf("%d files, numstat lists %d (%v), want 7", len(files), len(want), want)
	}
	for _, f := range files {
		t.Run(f.filename, func(t *testing.T) {
			got := fmt.Sprintf("%d\t%d", f.additions, f.deletions)
			if f.binary {
				got = "-\t-"
			}
			if got != want[f.filename] {
				t.Errorf("additions/deletions %q, git diff --numstat says %q", got, want[f.filename])
			}
		})
	}
}

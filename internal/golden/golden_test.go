package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, want, got, diff string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", "@@ line 1\n  a\n- b\n+ B\n  c\n"},
		{"added at end", "a\n", "a\nb\n", "@@ line 1\n  a\n+ b\n"},
		{"removed first", "a\nb\n", "b\n", "@@ line 1\n- a\n  b\n"},
		{"missing final newline", "a\n", "a", "@@ line 1\n- a\n+ a (no newline at end)\n"},
		{"from empty", "", "x\n", "@@ line 1\n+ x\n"},
		{"far apart changes", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "X\n2\n3\n4\n5\n6\n7\n8\nY\n",
			"@@ line 1\n- 1\n+ X\n  2\n  3\n@@ line 7\n  7\n  8\n- 9\n+ Y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff([]byte(tt.want), []byte(tt.got)); got != tt.diff {
				t.Errorf("Diff(%q, %q) =\n%s\nwant\n%s", tt.want, tt.got, got, tt.diff)
			}
		})
	}
}

func TestDiffLargeShowsFirstChange(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "line %d\n", i)
		if i == 1234 {
			b.WriteString("changed\n")
		} else {
			fmt.Fprintf(&b, "line %d\n", i)
		}
	}
	got := Diff([]byte(a.String()), []byte(b.String()))
	want := "@@ line 1235 (first difference; files too large to diff: 3000 and 3000 lines)\n- line 1234\n+ changed\n"
	if got != want {
		t.Errorf("Diff = %q, want %q", got, want)
	}
}

func TestDiffIsCut(t *testing.T) {
	t.Parallel()
	got := Diff(nil, []byte(strings.Repeat("x\n", 500)))
	if n := strings.Count(got, "\n+ x"); n != diffMaxLines {
		t.Errorf("diff shows %d added lines, want %d", n, diffMaxLines)
	}
	if !strings.Contains(got, "diff cut after") {
		t.Errorf("a cut diff does not say so:\n%s", got)
	}
}

// recordingTB records failures instead of failing the test.
type recordingTB struct {
	testing.TB
	errors, fatals []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func TestCheck(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "out.golden")
	if err := os.WriteFile(path, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	same := &recordingTB{TB: t}
	Check(same, path, []byte("one\ntwo\n"))
	if len(same.errors)+len(same.fatals) != 0 {
		t.Errorf("equal output failed: %q %q", same.errors, same.fatals)
	}

	differ := &recordingTB{TB: t}
	Check(differ, path, []byte("one\n2\n"))
	if len(differ.errors) != 1 || !strings.Contains(differ.errors[0], "- two\n+ 2\n") || !strings.Contains(differ.errors[0], "-update") {
		t.Errorf("different output: errors %q, want one with the diff and how to update", differ.errors)
	}

	missing := &recordingTB{TB: t}
	Check(missing, path+".none", []byte("x"))
	if len(missing.fatals) != 1 || !strings.Contains(missing.fatals[0], "-update") {
		t.Errorf("missing golden file: fatals %q, want one saying how to create it", missing.fatals)
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "testdata", "new.golden")
	write(t, path, []byte("fresh\n"))
	if got, err := os.ReadFile(path); err != nil || string(got) != "fresh\n" {
		t.Errorf("written file = %q, %v; want fresh", got, err)
	}
}

package scanner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// TestParseDiffAgainstGoGitdiff checks our streaming parser against
// bluekeyes/go-gitdiff, a well-kept parser, on every single-commit fixture
// it accepts: both must report the same added lines at the same numbers.
func TestParseDiffAgainstGoGitdiff(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob(filepath.Join("testdata", "diffs", "*.diff"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		name := filepath.Base(p)
		if name == "log_p.diff" || name == "format_patch.diff" || name == "combined_merge.diff" {
			continue // several commits or a combined diff: go-gitdiff reads neither
		}
		if strings.HasPrefix(name, "noprefix") || name == "color.diff" {
			continue // go-gitdiff strips a first directory as if it were a/ or b/, and reads no colour
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files, _, err := gitdiff.Parse(bytes.NewReader(data))
			if err != nil {
				t.Skipf("go-gitdiff rejects it: %v", err)
			}
			var want []string
			for _, f := range files {
				for _, frag := range f.TextFragments {
					n := frag.NewPosition
					for _, l := range frag.Lines {
						if l.Op == gitdiff.OpAdd {
							want = append(want, fmt.Sprintf("%s:%d:%s", f.NewName, n, strings.TrimSuffix(strings.TrimSuffix(l.Line, "\n"), "\r")))
						}
						if l.New() {
							n++
						}
					}
				}
			}
			var rec lineListSink
			if err := parseDiff(context.Background(), bytes.NewReader(data), &rec, ""); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rec.lines, want) {
				t.Errorf("ours %q\ngo-gitdiff %q", rec.lines, want)
			}
		})
	}
}

// lineListSink lists added lines as path:line:text.
type lineListSink struct {
	path  string
	lines []string
}

func (s *lineListSink) commit(string)            {}
func (s *lineListSink) file(path string, _ bool) { s.path = path }
func (s *lineListSink) endFile()                 {}
func (s *lineListSink) unreadableHunk()          {}
func (s *lineListSink) added(num, _ int, text []byte) {
	s.lines = append(s.lines, fmt.Sprintf("%s:%d:%s", s.path, num, text))
}

type nopSink struct{}

func (nopSink) commit(string)          {}
func (nopSink) file(string, bool)      {}
func (nopSink) added(int, int, []byte) {}
func (nopSink) endFile()               {}
func (nopSink) unreadableHunk()        {}

// BenchmarkParseDiff measures our parser alone on the Go-sources corpus.
func BenchmarkParseDiff(b *testing.B) {
	diff := goSourceDiff(b, 16<<20)
	b.SetBytes(int64(len(diff)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := parseDiff(context.Background(), bytes.NewReader(diff), nopSink{}, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGoGitdiffParse measures go-gitdiff on the same corpus, the
// measured reason we stream with our own parser (see diff.go).
func BenchmarkGoGitdiffParse(b *testing.B) {
	diff := goSourceDiff(b, 16<<20)
	b.SetBytes(int64(len(diff)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := gitdiff.Parse(bytes.NewReader(diff)); err != nil {
			b.Fatal(err)
		}
	}
}

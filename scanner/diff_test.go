package scanner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// recordSink records what the diff parser reports, one string per event.
type recordSink struct{ events []string }

func (r *recordSink) commit(sha string) { r.events = append(r.events, "commit "+sha[:7]) }
func (r *recordSink) file(path string, binary bool) {
	r.events = append(r.events, fmt.Sprintf("file %q binary=%v", path, binary))
}
func (r *recordSink) added(num, col int, text []byte) {
	r.events = append(r.events, fmt.Sprintf("+%d:%d %q", num, col, text))
}
func (r *recordSink) endFile() {}

func parseFixture(t *testing.T, name, patchPath string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "diffs", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rec recordSink
	if err := parseDiff(context.Background(), f, &rec, patchPath); err != nil {
		t.Fatalf("parse: %v", err)
	}
	return rec.events
}

// TestParseDiff maps every fixture's added lines to their new-file numbers.
func TestParseDiff(t *testing.T) {
	tests := []struct {
		fixture string
		patch   string // path of a hunk-only patch
		want    []string
	}{
		{"multi_file_hunks.diff", "", []string{
			`file "a.txt" binary=false`, `+3:1 "line3 changed"`, `+5:1 "added after 4"`, `+14:1 "added before 13"`,
			`file "b.txt" binary=false`, `+2:1 "beta inserted"`, `+5:1 "delta"`,
		}},
		{"new_file.diff", "", []string{`file "new.txt" binary=false`, `+1:1 "brand new 1"`, `+2:1 "brand new 2"`}},
		{"deleted_file.diff", "", []string{`file "" binary=false`}},
		{"rename.diff", "", []string{`file "renamed.txt" binary=false`, `+5:1 "renamed addition"`}},
		{"copy.diff", "", []string{`file "copied.txt" binary=false`, `+5:1 "copy addition"`}},
		{"binary.diff", "", []string{`file "blob.bin" binary=true`}},
		{"mode_change.diff", "", nil},
		{"no_newline.diff", "", []string{`file "nonl.txt" binary=false`, `+1:1 "no newline at end"`, `+2:1 "now with more"`}},
		{"crlf.diff", "", []string{`file "crlf.txt" binary=false`, `+1:1 "first"`, `+2:1 "second crlf line"`}},
		{"non_utf8.diff", "", []string{`file "latin1.txt" binary=false`, `+1:1 "caf\xe9 latin1 line"`, `+2:1 "plain"`}},
		{"quoted_path.diff", "", []string{`file "tést file.txt" binary=false`, `+1:1 "unicode path line"`}},
		{"header_like_lines.diff", "", []string{`file "tricky.txt" binary=false`, `+3:1 "+++ added header-like"`}},
		{"github_patch.patch", "tricky.txt", []string{`file "tricky.txt" binary=false`, `+1:1 "-- a"`, `+2:1 "++ b"`, `+3:1 "plain"`}},
		{"combined_merge.diff", "", []string{`file "m.txt" binary=false`, `+2:1 "resolved by hand"`, `+3:1 "main change"`}},
		{"plain_unified.diff", "", []string{`file "/tmp/u2" binary=false`, `+2:1 "new y"`}},
		{"log_p.diff", "", []string{
			"commit 424b665", `file "latin1.txt" binary=false`, `+1:1 "caf\xe9 latin1 line"`, `+2:1 "plain"`,
			"commit 39c7c1c", `file "tést file.txt" binary=false`, `+1:1 "unicode path line"`,
			"commit 1fd6184", `file "tricky.txt" binary=false`, `+1:1 "-- a"`, `+2:1 "++ b"`, `+3:1 "plain"`,
			"commit 32db937", `file "tricky.txt" binary=false`, `+3:1 "+++ added header-like"`,
		}},
		{"show.diff", "", []string{"commit 32db937", `file "tricky.txt" binary=false`, `+3:1 "+++ added header-like"`}},
		{"format_patch.diff", "", []string{
			"commit 1fd6184", `file "tricky.txt" binary=false`, `+1:1 "-- a"`, `+2:1 "++ b"`, `+3:1 "plain"`,
			"commit 32db937", `file "tricky.txt" binary=false`, `+3:1 "+++ added header-like"`,
		}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.fixture, filepath.Ext(tt.fixture)), func(t *testing.T) {
			got := parseFixture(t, tt.fixture, tt.patch)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

package scanner

import (
	"context"
	"errors"
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
func (r *recordSink) endFile()        {}
func (r *recordSink) unreadableHunk() {}

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
	t.Parallel()
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
		// git -c color.ui=always: every line wrapped in SGR sequences, trailing
		// whitespace highlighted.
		{"color.diff", "", []string{
			`file "b/keys.env" binary=false`, `+2:1 "token = TOKENHERE"`, `+3:1 "line  "`,
			`file "deploy/config.env" binary=false`, `+3:1 "GITHUB_TOKEN=TOKENHERE"`, `+4:1 "PORT=8080"`,
		}},
		// diff.noprefix: "b/keys.env" is the file's real path, not a prefix.
		{"noprefix.diff", "", []string{
			`file "b/keys.env" binary=false`, `+2:1 "token = TOKENHERE"`, `+3:1 "line  "`,
			`file "deploy/config.env" binary=false`, `+3:1 "GITHUB_TOKEN=TOKENHERE"`, `+4:1 "PORT=8080"`,
		}},
		{"noprefix_rename.diff", "", []string{`file "a/keys.env" binary=false`, `+4:1 "more = 1"`}},
		// diff.mnemonicPrefix with --cached: c/ and i/.
		{"mnemonic_prefix.diff", "", []string{
			`file "b/keys.env" binary=false`, `+2:1 "token = TOKENHERE"`, `+3:1 "line  "`,
			`file "deploy/config.env" binary=false`, `+3:1 "GITHUB_TOKEN=TOKENHERE"`, `+4:1 "PORT=8080"`,
		}},
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

// TestParseDiffNotDiff checks that input with no diff header is an error,
// and that empty input, or input with headers but nothing added, is not.
func TestParseDiffNotDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   string
		wantErr bool
	}{
		{"empty", "", false},
		{"blank lines", "\n\n  \n", false},
		{"plain text", "aws_access_key_id = AKIAUJZDEGXDNCF32EPF\n", true},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00\x00\x00aws AKIAUJZDEGXDNCF32EPF", true},
		{"prose with a --- rule", "Title\n--- \ntext\n", true},
		{"mode change only", "diff --git a/x b/x\nold mode 100644\nnew mode 100755\n", false},
		{"log of an empty commit", "commit " + strings.Repeat("a", 40) + "\n\n    empty\n", false},
		{"hunk-less plain diff header", "--- a\n+++ b\n", true},
		{"plain diff -u", "--- a\t2024-01-01\n+++ b\t2024-01-01\n@@ -1 +1 @@\n-x\n+y\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recordSink
			err := parseDiff(context.Background(), strings.NewReader(tt.input), &rec, "")
			if gotErr := errors.Is(err, ErrNotDiff); gotErr != tt.wantErr || (err != nil && !gotErr) {
				t.Errorf("error %v, want ErrNotDiff: %v", err, tt.wantErr)
			}
		})
	}
}

// TestScanDiffLimit checks that a file whose added text in one commit
// exceeds the cap is listed as too large with its commit, and that the
// others are scanned as ScanDiff scans them.
func TestScanDiffLimit(t *testing.T) {
	t.Parallel()
	sha := strings.Repeat("ab", 20)
	diff := "commit " + sha + "\n" +
		"diff --git a/big.env b/big.env\n--- a/big.env\n+++ b/big.env\n@@ -1,0 +2,2 @@\n+token = " + tokA + "\n+more\n" +
		"diff --git a/small.env b/small.env\n--- a/small.env\n+++ b/small.env\n@@ -0,0 +1 @@\n+" + tokA + "\n"
	sc := New(engineRules(t), testKey)
	full, err := sc.ScanDiff(context.Background(), strings.NewReader(diff))
	if err != nil || len(full.Findings) != 2 {
		t.Fatalf("ScanDiff: %d findings, error %v; want 2", len(full.Findings), err)
	}
	limit := int64(len(tokA) + 2)
	res, err := sc.ScanDiffLimit(context.Background(), strings.NewReader(diff), limit)
	if err != nil {
		t.Fatal(err)
	}
	want := []Skipped{{Path: "big.env", Commit: sha, Reason: SkipTooLarge}}
	if !reflect.DeepEqual(res.Skipped, want) || res.Files != 2 {
		t.Errorf("skipped %+v, files %d; want %+v and 2", res.Skipped, res.Files, want)
	}
	if len(res.Findings) != 1 || !reflect.DeepEqual(res.Findings[0], full.Findings[1]) {
		t.Errorf("findings %+v, want only %+v", res.Findings, full.Findings[1])
	}
}

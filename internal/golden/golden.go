// Package golden compares a test's output with a golden file in its
// package's testdata/, and rewrites the file when the tests run with
// -update (go test ./pkg -run TestX -update; review the change with git
// diff). A mismatch fails the test with a line diff of the file against
// the output. Tests of any package may use it; it imports none of ours.
//
// Importing the package registers the -update flag, so a test binary that
// uses it must not define its own.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is the -update flag: rewrite golden files instead of comparing.
var update = flag.Bool("update", false, "rewrite golden files with the tests' output")

// Check compares got with the golden file at path (relative to the test's
// package, usually testdata/NAME.golden). With -update it writes got to
// path instead, creating testdata/ when needed. A mismatch or a missing file
// fails the test (t.Errorf and t.Fatalf respectively).
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		write(t, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (- golden file, + output; go test -update rewrites the file after you check the change):\n%s",
			path, Diff(want, got))
	}
}

// write stores got as the golden file at path.
func write(t testing.TB, path string, got []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatalf("update golden file: %v", err)
	}
	if err := os.WriteFile(path, got, 0o644); err != nil {
		t.Fatalf("update golden file: %v", err)
	}
}

package scanner

import (
	"context"
	"strings"
	"testing"
)

// TestUnreadableHunkIsNamed: a hunk whose header git would never write is
// skipped, and the file is listed as partly not scanned instead of passing
// in silence; the readable hunks of the file are still scanned.
func TestUnreadableHunkIsNamed(t *testing.T) {
	t.Parallel()
	key := "AKIA" + "QYLPMN5HKQ3JTR7W"
	manyParents := strings.Repeat("@", 66) + " " + strings.Repeat("-1,1 ", 65) + "+1,1 " + strings.Repeat("@", 66)
	cases := map[string]string{
		"too many parents":          manyParents,
		"impossible line":           "@@ -1,1 +99999999999999 @@",
		"parents and ranges differ": "@@@ -1,1 +1,1 @@@",
	}
	for name, header := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			diff := "diff --git a/x.env b/x.env\n--- a/x.env\n+++ b/x.env\n" + header + "\n+aws_key=" + key + "\n" +
				"@@ -10,0 +11,1 @@\n+ok=1\n"
			res, err := New(defaultRules(t), nil).ScanDiff(context.Background(), strings.NewReader(diff))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Skipped) != 1 || res.Skipped[0].Reason != SkipUnreadableHunk || res.Skipped[0].Path != "x.env" {
				t.Errorf("skipped %+v, want x.env listed as %q", res.Skipped, SkipUnreadableHunk)
			}
		})
	}
}

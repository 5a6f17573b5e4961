package worker

import "testing"

// TestSafePath: a file path from GitHub's answer goes into a contents URL
// only when it cannot climb out of the repository.
func TestSafePath(t *testing.T) {
	for p, want := range map[string]bool{
		"a.txt": true, "dir/a.txt": true, ".github/pushguard.yml": true, "a..b": true,
		"": false, "/etc/passwd": false, "..": false, "../x": false, "a/../../x": false, "a//b": false, "a/./b": false,
	} {
		if got := safePath(p); got != want {
			t.Errorf("safePath(%q) = %v, want %v", p, got, want)
		}
	}
}

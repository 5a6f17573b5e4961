package app

import (
	"regexp"
	"strings"
	"testing"
)

func TestMainDispatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // substring
		wantStderr string // substring
	}{
		{"no command", nil, 2, "", "Commands:"},
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"-h", []string{"-h"}, 0, "Commands:", ""},
		{"--help", []string{"--help"}, 0, "Commands:", ""},
		{"help scan", []string{"help", "scan"}, 0, "pushguard scan --diff FILE", ""},
		{"scan --help", []string{"scan", "--help"}, 0, "-max-file-size", ""},
		{"version --help", []string{"version", "-h"}, 0, "Usage: pushguard version", ""},
		{"help unknown", []string{"help", "nope"}, 2, "", `unknown command "nope"`},
		{"unknown command", []string{"serve-all"}, 2, "", `pushguard: unknown command "serve-all"`},
		{"version extra argument", []string{"version", "now"}, 2, "", `pushguard: version: unexpected argument "now"`},
		{"--version", []string{"--version"}, 0, "pushguard ", ""},
		{"-version", []string{"-version"}, 0, "pushguard ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, "", tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", got.code, tt.wantCode, got.stderr)
			}
			if !strings.Contains(got.stdout, tt.wantStdout) {
				t.Errorf("stdout %q lacks %q", got.stdout, tt.wantStdout)
			}
			if !strings.Contains(got.stderr, tt.wantStderr) {
				t.Errorf("stderr %q lacks %q", got.stderr, tt.wantStderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	got := run(t, "", "version")
	want := regexp.MustCompile(`^pushguard dev \(rules [0-9a-f]{16}, \d+ rules\)\n$`)
	if got.code != 0 || !want.MatchString(got.stdout) {
		t.Errorf("exit %d, stdout %q, want 0 and %v", got.code, got.stdout, want)
	}
}

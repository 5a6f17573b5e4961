package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"testing"
)

// TestExitStatus: success, --help and findings say nothing; a usage error
// points at --help; any other failure is reported in one line.
func TestExitStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantCode   int
		wantStderr string
	}{
		{"success", nil, ExitOK, ""},
		{"help", flag.ErrHelp, ExitOK, ""},
		{"findings", fmt.Errorf("scan: %w", ErrFindings), ExitFindings, ""},
		{"findings, --exit-code 3", fmt.Errorf("scan: %w", &FindingsError{Code: 3}), 3, ""},
		{"findings, --exit-code 0", &FindingsError{Code: 0}, 0, ""},
		{"usage", Usagef("bad flag %q", "-x"), ExitError, "pushguard: scan: bad flag \"-x\" (see 'pushguard scan --help')\n"},
		{"interrupted", fmt.Errorf("read: %w", context.Canceled), ExitError, "pushguard: scan: interrupted\n"},
		{"failure on two lines", errors.New("open x:\n  no such file"), ExitError, "pushguard: scan: open x: no such file\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			if got := ExitStatus(&stderr, "scan", tc.err); got != tc.wantCode {
				t.Errorf("ExitStatus = %d, want %d", got, tc.wantCode)
			}
			if got := stderr.String(); got != tc.wantStderr {
				t.Errorf("stderr %q, want %q", got, tc.wantStderr)
			}
		})
	}
}

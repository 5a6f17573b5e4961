package report

import (
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

func TestResultSummary(t *testing.T) {
	t.Parallel()
	one := scanner.Finding{Path: "a"}
	tests := []struct {
		name     string
		findings []scanner.Finding
		skipped  []scanner.Skipped
		files    int
		want     string
	}{
		{"nothing", nil, nil, 0, "nothing to scan"},
		{"clean", nil, nil, 2, "no secrets found"},
		{"clean with skipped", nil, []scanner.Skipped{{Path: "x", Reason: "binary"}}, 3, "no secrets in the 2 files scanned; 1 file not scanned"},
		{"everything skipped", nil, []scanner.Skipped{{Path: "x", Reason: "binary"}, {Path: "y", Reason: "too large"}}, 2, "nothing scanned: 2 files not scanned"},
		{"one", []scanner.Finding{one}, nil, 1, "1 finding in 1 file"},
		{"one and skipped", []scanner.Finding{one}, []scanner.Skipped{{Path: "x", Reason: "binary"}}, 2, "1 finding in 1 file (1 file not scanned)"},
		{"two in one file", []scanner.Finding{one, one}, nil, 1, "2 findings in 1 file"},
		{"two files", []scanner.Finding{one, {Path: "b"}}, nil, 2, "2 findings in 2 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ResultSummary(&scanner.Result{Findings: tt.findings, Skipped: tt.skipped, Files: tt.files}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	one := scanner.Finding{Path: "a"}
	tests := []struct {
		name string
		in   Scan
		want string
	}{
		{"nil result", Scan{}, "nothing to scan"},
		{"plain", Scan{Result: &scanner.Result{Findings: []scanner.Finding{one}, Files: 1}}, "1 finding in 1 file"},
		{"ignored", Scan{Result: &scanner.Result{Files: 1}, Ignored: []Ignored{{Finding: one, Reason: "r"}}}, "no secrets found; 1 ignored"},
		{"baselined", Scan{Result: &scanner.Result{Findings: []scanner.Finding{one}, Files: 1}, Baselined: 3}, "1 finding in 1 file; 3 hidden by the baseline"},
		{"both", Scan{Result: &scanner.Result{Files: 2, Skipped: []scanner.Skipped{{Path: "x"}}}, Ignored: []Ignored{{}, {}}, Baselined: 1},
			"no secrets in the 1 file scanned; 1 file not scanned; 2 ignored, 1 hidden by the baseline"},
		{"allowed", Scan{Result: &scanner.Result{Files: 1, Allowed: 2}, Baselined: 1},
			"no secrets found; 1 hidden by the baseline, 2 allowed by the configuration's allowlist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDescribeSkipped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   scanner.Skipped
		want string
	}{
		{"file", scanner.Skipped{Path: "logo.png", Reason: "binary"}, "logo.png (binary)"},
		{"commit", scanner.Skipped{Path: "a.bin", Commit: "0123456789abcdef0123", Reason: "binary"}, "a.bin (binary, commit 0123456789ab)"},
		{"control characters", scanner.Skipped{Path: "evil\x1b[2J.txt", Reason: "too large"}, `"evil\x1b[2J.txt" (too large)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DescribeSkipped(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

package report

import (
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

func TestSummary(t *testing.T) {
	one := scanner.Finding{Path: "a"}
	tests := []struct {
		name     string
		findings []scanner.Finding
		skipped  []scanner.Skipped
		want     string
	}{
		{"clean", nil, nil, "no secrets found"},
		{"clean with skipped", nil, []scanner.Skipped{{Path: "x", Reason: "binary"}}, "no secrets found (1 file not scanned)"},
		{"one", []scanner.Finding{one}, nil, "1 finding in 1 file"},
		{"two in one file", []scanner.Finding{one, one}, nil, "2 findings in 1 file"},
		{"two files", []scanner.Finding{one, {Path: "b"}}, nil, "2 findings in 2 files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summary(tt.findings, tt.skipped); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDescribeSkipped(t *testing.T) {
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

package repoconfig

import (
	"testing"

	"github.com/pushguard/pushguard/scanner"
)

func TestFailOnAndValidity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		file      []byte
		failLive  bool
		failOn    scanner.Confidence
		validity  bool
		wantFails bool // does a low-confidence finding fail?
	}{
		{"defaults", yml("comments: true"), false, scanner.Low, true, true},
		{"fail_on live", yml("fail_on: live"), true, scanner.Low, true, true},
		{"fail_on any", yml("fail_on: any"), false, scanner.Low, true, true},
		{"fail_on high", yml("fail_on: high"), false, scanner.High, true, false},
		{"validity off", yml("validity: false"), false, scanner.Low, false, true},
		{"broken file drops fail_on live and validity off", yml("fail_on: live", "validity: false", "bogus: 1"), false, scanner.Low, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := Parse(testPath, tc.file, builtin(t))
			if c.FailOnLive() != tc.failLive || c.FailOn() != tc.failOn || c.ValidityEnabled() != tc.validity || c.Fails(scanner.Low) != tc.wantFails {
				t.Errorf("FailOnLive %v FailOn %v Validity %v Fails(low) %v; want %v %v %v %v",
					c.FailOnLive(), c.FailOn(), c.ValidityEnabled(), c.Fails(scanner.Low), tc.failLive, tc.failOn, tc.validity, tc.wantFails)
			}
		})
	}
}

// TestFailOnSpellings: fail_on takes any/live in any case and with spaces
// around, as it takes the confidences, and none of them is a problem.
func TestFailOnSpellings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value    string
		failLive bool
		failOn   scanner.Confidence
	}{
		{"live", true, scanner.Low},
		{"Live", true, scanner.Low},
		{"LIVE", true, scanner.Low},
		{"' live '", true, scanner.Low},
		{"any", false, scanner.Low},
		{"Any", false, scanner.Low},
		{"ANY", false, scanner.Low},
		{"' Any '", false, scanner.Low},
		{"High", false, scanner.High},
		{"' medium '", false, scanner.Medium},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			c, problems := Parse(testPath, yml("fail_on: "+tc.value), builtin(t))
			if len(problems) != 0 {
				t.Errorf("problems %v", problems)
			}
			if c.FailOnLive() != tc.failLive || c.FailOn() != tc.failOn {
				t.Errorf("FailOnLive %v FailOn %v; want %v %v", c.FailOnLive(), c.FailOn(), tc.failLive, tc.failOn)
			}
		})
	}
}

func TestMergeFailOnAndValidity(t *testing.T) {
	t.Parallel()
	parse := func(lines ...string) *Config {
		c, problems := Parse(testPath, yml(lines...), builtin(t))
		if len(problems) > 0 {
			t.Fatalf("problems: %v", problems)
		}
		return c
	}
	tests := []struct {
		name      string
		org, repo *Config
		failLive  bool
		failOn    scanner.Confidence
		validity  bool
	}{
		{"org live, repo silent", parse("fail_on: live", "validity: false"), parse("comments: true"), true, scanner.Low, false},
		{"org live, repo high", parse("fail_on: live"), parse("fail_on: high"), false, scanner.High, true},
		{"org high, repo live", parse("fail_on: high"), parse("fail_on: live"), true, scanner.Low, true},
		{"org off, repo on", parse("validity: false"), parse("validity: true"), false, scanner.Low, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Merge(tc.org, tc.repo)
			if m.FailOnLive() != tc.failLive || m.FailOn() != tc.failOn || m.ValidityEnabled() != tc.validity {
				t.Errorf("FailOnLive %v FailOn %v Validity %v; want %v %v %v", m.FailOnLive(), m.FailOn(), m.ValidityEnabled(), tc.failLive, tc.failOn, tc.validity)
			}
		})
	}
}

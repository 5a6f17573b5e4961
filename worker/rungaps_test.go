package worker

import (
	"reflect"
	"testing"

	"github.com/pushguard/pushguard/checks"
)

// TestRunGapsKeptAcrossJobs: a job that reuses a check run keeps naming the
// commits an earlier job left out (a trimmed push, then its pull request on
// the same head), minus those it scanned itself, and adds its own.
func TestRunGapsKeptAcrossJobs(t *testing.T) {
	trimmed := checks.CommitGap{Count: 2, SHAs: []string{"a1", "a2"}, Reason: "first push trimmed"}
	capped := checks.CommitGap{Count: 2048, AtLeast: true, Reason: "payload cap"}
	own := checks.CommitGap{Count: 1, SHAs: []string{"b1"}, Reason: "compare fallback"}
	cases := []struct {
		name    string
		earlier []checks.CommitGap
		scanned []string
		current []checks.CommitGap
		want    []checks.CommitGap
	}{
		{"earlier gap kept", []checks.CommitGap{trimmed}, []string{"c1"}, nil, []checks.CommitGap{trimmed}},
		{"earlier and own", []checks.CommitGap{trimmed}, nil, []checks.CommitGap{own}, []checks.CommitGap{trimmed, own}},
		{"same gap once", []checks.CommitGap{trimmed}, nil, []checks.CommitGap{trimmed}, []checks.CommitGap{trimmed}},
		{"scanned since: shrinks", []checks.CommitGap{trimmed}, []string{"a1"}, nil,
			[]checks.CommitGap{{Count: 1, SHAs: []string{"a2"}, Reason: "first push trimmed"}}},
		{"scanned since: gone", []checks.CommitGap{trimmed}, []string{"a1", "a2"}, nil, nil},
		{"open-ended gap stays", []checks.CommitGap{capped}, []string{"a1"}, nil, []checks.CommitGap{capped}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := unionGaps(stillUnscanned(tc.earlier, tc.scanned), tc.current)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

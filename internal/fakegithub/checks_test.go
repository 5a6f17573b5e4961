package fakegithub

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

// annotations makes n failure annotations on path, from line first.
func annotations(path string, first, n int) []*github.CheckRunAnnotation {
	var out []*github.CheckRunAnnotation
	for i := range n {
		out = append(out, &github.CheckRunAnnotation{Path: github.String(path), StartLine: github.Int(first + i),
			EndLine: github.Int(first + i), AnnotationLevel: github.String("failure"), Message: github.String(fmt.Sprintf("finding %d", first+i))})
	}
	return out
}

func TestCheckRunAnnotationsAppend(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "hello", 7)
	sha := r.Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	cr, _, err := c.Checks.CreateCheckRun(ctx(t), "octo", "hello", github.CreateCheckRunOptions{
		Name: "pushguard", HeadSHA: sha, Status: github.String("in_progress")})
	if err != nil {
		t.Fatal(err)
	}
	for i, level := range []string{"", "completed"} {
		opts := github.UpdateCheckRunOptions{Name: "pushguard", Output: &github.CheckRunOutput{
			Title: github.String("2 secrets"), Summary: github.String(fmt.Sprintf("part %d", i)),
			Annotations: annotations("a.txt", 1+50*i, 50)}}
		if level != "" {
			opts.Conclusion = github.String("failure")
			opts.Actions = []*github.CheckRunAction{{Label: "Re-scan", Description: "Scan again", Identifier: "rescan"}}
		}
		if _, _, err := c.Checks.UpdateCheckRun(ctx(t), "octo", "hello", cr.GetID(), opts); err != nil {
			t.Fatal(err)
		}
	}
	runs := s.CheckRuns("octo", "hello")
	if len(runs) != 1 {
		t.Fatalf("%d check runs, want 1", len(runs))
	}
	run := runs[0]
	if len(run.Annotations) != 100 || run.Annotations[99].StartLine != 100 {
		t.Errorf("%d annotations recorded, want 100 appended in order", len(run.Annotations))
	}
	if run.Status != "completed" || run.Conclusion != "failure" || run.Output.Summary != "part 1" ||
		len(run.Actions) != 1 || len(run.Updates) != 3 || run.HeadSHA != sha {
		t.Errorf("run %+v", run)
	}
	got, _, err := c.Checks.GetCheckRun(ctx(t), "octo", "hello", cr.GetID())
	if err != nil || got.GetOutput().GetAnnotationsCount() != 100 || got.GetConclusion() != "failure" {
		t.Errorf("GET check run: %v, %v", got, err)
	}
	list, _, err := c.Checks.ListCheckRunsForRef(ctx(t), "octo", "hello", "main", &github.ListCheckRunsOptions{CheckName: github.String("pushguard")})
	if err != nil || list.GetTotal() != 1 || list.CheckRuns[0].GetID() != cr.GetID() {
		t.Errorf("list for ref: %v, %v", list, err)
	}
	list, _, err = c.Checks.ListCheckRunsForRef(ctx(t), "octo", "hello", sha, &github.ListCheckRunsOptions{CheckName: github.String("other")})
	if err != nil || list.GetTotal() != 0 {
		t.Errorf("list for another name: %v, %v", list, err)
	}
}

func TestCheckRunLimitsAnswer422(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		opts   github.UpdateCheckRunOptions
		reason string
	}{
		{"51 annotations", github.UpdateCheckRunOptions{Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: annotations("a.txt", 1, 51)}}, "maximum number of items is 50"},
		{"summary over 65535", github.UpdateCheckRunOptions{Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String(long(65536))}}, "summary"},
		{"four actions", github.UpdateCheckRunOptions{Actions: []*github.CheckRunAction{{Label: "a", Description: "d", Identifier: "1"}, {Label: "b", Description: "d", Identifier: "2"}, {Label: "c", Description: "d", Identifier: "3"}, {Label: "d", Description: "d", Identifier: "4"}}}, "actions"},
		{"label over 20", github.UpdateCheckRunOptions{Actions: []*github.CheckRunAction{{Label: long(21), Description: "d", Identifier: "1"}}}, "label"},
		{"annotation title over 255", github.UpdateCheckRunOptions{Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"),
			Annotations: []*github.CheckRunAnnotation{{Path: github.String("a"), StartLine: github.Int(1), EndLine: github.Int(1), AnnotationLevel: github.String("failure"), Message: github.String("m"), Title: github.String(long(256))}}}}, "title"},
		{"columns on multi-line annotation", github.UpdateCheckRunOptions{Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"),
			Annotations: []*github.CheckRunAnnotation{{Path: github.String("a"), StartLine: github.Int(1), EndLine: github.Int(2), StartColumn: github.Int(1), EndColumn: github.Int(3), AnnotationLevel: github.String("failure"), Message: github.String("m")}}}}, "start_column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ftb := newObserved(t, Options{})
			r := s.AddRepo("octo", "hello", 7)
			sha := r.Commit("first", map[string]string{"a.txt": "a\n"})
			c, _ := installationClient(t, s, 7)
			cr, _, err := c.Checks.CreateCheckRun(ctx(t), "octo", "hello", github.CreateCheckRunOptions{Name: "pushguard", HeadSHA: sha})
			if err != nil {
				t.Fatal(err)
			}
			tt.opts.Name = "pushguard"
			_, resp, err := c.Checks.UpdateCheckRun(ctx(t), "octo", "hello", cr.GetID(), tt.opts)
			if err == nil || resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("err %v, want 422", err)
			}
			if runs := s.CheckRuns("octo", "hello"); len(runs[0].Annotations) != 0 || len(runs[0].Updates) != 1 {
				t.Errorf("rejected update was recorded: %+v", runs[0])
			}
			errs := ftb.finish()
			if len(errs) != 1 || !strings.Contains(errs[0], tt.reason) {
				t.Errorf("violations %q, want one about %s", errs, tt.reason)
			}
		})
	}
}

func TestCheckRunUnknownHeadSHA(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	s.AddRepo("octo", "hello", 7).Commit("first", map[string]string{"a.txt": "a\n"})
	c, _ := installationClient(t, s, 7)
	_, resp, err := c.Checks.CreateCheckRun(ctx(t), "octo", "hello", github.CreateCheckRunOptions{Name: "pushguard", HeadSHA: strings.Repeat("ab", 20)})
	if err == nil || resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("err %v, want 422", err)
	}
}

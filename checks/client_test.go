package checks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"
)

// Unit tests of the check-run calls of Client against an httptest mux (see
// setup_test.go). The same calls run on the fake GitHub, validated against
// GitHub's REST description, in client_e2e_test.go.

const (
	muxSHA   = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
	muxRunID = 42
	muxAppID = 1234
)

// Check-run endpoints of o/r.
const (
	checkRunsPath = "/repos/o/r/check-runs"
	checkRunPath  = "/repos/o/r/check-runs/42"
	listRunsPath  = "/repos/o/r/commits/" + muxSHA + "/check-runs"
)

// checkRunBody is every field Client may send to checks/create or
// checks/update; decodeBody rejects any other. Pointers tell a field left
// out from a zero one.
type checkRunBody struct {
	Name        *string                  `json:"name"`
	HeadSHA     *string                  `json:"head_sha"`
	ExternalID  *string                  `json:"external_id"`
	Status      *string                  `json:"status"`
	Conclusion  *string                  `json:"conclusion"`
	StartedAt   *time.Time               `json:"started_at"`
	CompletedAt *time.Time               `json:"completed_at"`
	Output      *outputBody              `json:"output"`
	Actions     []*github.CheckRunAction `json:"actions"`
}

// outputBody is a check run's output as sent.
type outputBody struct {
	Title       *string                      `json:"title"`
	Summary     *string                      `json:"summary"`
	Annotations []*github.CheckRunAnnotation `json:"annotations"`
}

// GetTitle is the title sent, or "" (also when no output was sent).
func (o *outputBody) GetTitle() string {
	if o == nil {
		return ""
	}
	return deref(o.Title)
}

// GetSummary is the summary sent, or "" (also when no output was sent).
func (o *outputBody) GetSummary() string {
	if o == nil {
		return ""
	}
	return deref(o.Summary)
}

// GetAnnotations are the annotations sent (none when no output was sent).
func (o *outputBody) GetAnnotations() []*github.CheckRunAnnotation {
	if o == nil {
		return nil
	}
	return o.Annotations
}

// deref is *s, or "" when s is nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// testRecent fails the test unless ts is set and within a minute of now.
func testRecent(t *testing.T, field string, ts *time.Time) {
	t.Helper()
	if ts == nil || time.Since(*ts).Abs() > time.Minute {
		t.Errorf("%s = %v, want about now", field, ts)
	}
}

// checkRunAnswer is GitHub's answer to a check-run write, as far as Client
// reads it.
func checkRunAnswer(status string) map[string]any {
	return map[string]any{"id": muxRunID, "name": Name, "head_sha": muxSHA, "status": status}
}

func TestStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		externalID string
		wantExtID  *string
	}{
		{"with the delivery ID", "delivery-1", github.String("delivery-1")},
		{"without one, external_id is left out", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			calls := 0
			mux.HandleFunc(checkRunsPath, func(w http.ResponseWriter, r *http.Request) {
				calls++
				testMethod(t, r, http.MethodPost)
				var got checkRunBody
				decodeBody(t, r, &got)
				testRecent(t, "started_at", got.StartedAt)
				if got.Output == nil || got.Output.GetTitle() == "" || got.Output.GetSummary() == "" {
					t.Errorf("output %+v, want a title and a summary saying the scan runs", got.Output)
				}
				got.StartedAt, got.Output = nil, nil
				want := checkRunBody{Name: github.String(Name), HeadSHA: github.String(muxSHA),
					ExternalID: tt.wantExtID, Status: github.String("in_progress")}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("body %s, want %s", jsonOf(got), jsonOf(want))
				}
				writeJSON(t, w, http.StatusCreated, checkRunAnswer("in_progress"))
			})
			run, err := c.Start(testCtx(t), muxSHA, tt.externalID)
			if err != nil {
				t.Fatal(err)
			}
			want := Run{ID: muxRunID, HeadSHA: muxSHA, Status: "in_progress", ExternalID: tt.externalID}
			if run != want || calls != 1 {
				t.Errorf("Start = %+v after %d calls, want %+v after 1", run, calls, want)
			}
		})
	}
}

// jsonOf renders v for a failure message.
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return string(b)
}

func TestFind(t *testing.T) {
	t.Parallel()
	run := func(id int64, name, status, extID string) map[string]any {
		return map[string]any{"id": id, "name": name, "status": status, "external_id": extID, "head_sha": muxSHA}
	}
	tests := []struct {
		name      string
		appID     int64
		runs      []map[string]any
		wantQuery url.Values
		want      Run
		wantFound bool
	}{
		{name: "none", appID: muxAppID,
			wantQuery: url.Values{"check_name": {Name}, "filter": {"latest"}, "app_id": {"1234"}}},
		{name: "one", appID: muxAppID, runs: []map[string]any{run(7, Name, "completed", "d-7")},
			wantQuery: url.Values{"check_name": {Name}, "filter": {"latest"}, "app_id": {"1234"}},
			want:      Run{ID: 7, HeadSHA: muxSHA, Status: "completed", ExternalID: "d-7"}, wantFound: true},
		{name: "the newest of several", appID: muxAppID,
			runs: []map[string]any{run(5, Name, "completed", "d-5"), run(9, Name, "in_progress", "d-9"),
				run(12, "lint", "queued", ""), run(7, Name, "completed", "d-7")},
			wantQuery: url.Values{"check_name": {Name}, "filter": {"latest"}, "app_id": {"1234"}},
			want:      Run{ID: 9, HeadSHA: muxSHA, Status: "in_progress", ExternalID: "d-9"}, wantFound: true},
		{name: "another check's name is not ours", appID: muxAppID, runs: []map[string]any{run(3, "lint", "queued", "")},
			wantQuery: url.Values{"check_name": {Name}, "filter": {"latest"}, "app_id": {"1234"}}},
		{name: "any app when appID is 0", appID: 0, runs: []map[string]any{run(4, Name, "queued", "")},
			wantQuery: url.Values{"check_name": {Name}, "filter": {"latest"}},
			want:      Run{ID: 4, HeadSHA: muxSHA, Status: "queued"}, wantFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc(listRunsPath, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodGet)
				testQuery(t, r, tt.wantQuery)
				runs := tt.runs
				if runs == nil {
					runs = []map[string]any{}
				}
				writeJSON(t, w, http.StatusOK, map[string]any{"total_count": len(runs), "check_runs": runs})
			})
			got, found, err := c.Find(testCtx(t), muxSHA, tt.appID)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || found != tt.wantFound {
				t.Errorf("Find = %+v, %v; want %+v, %v", got, found, tt.want, tt.wantFound)
			}
		})
	}
}

// leakAnnotations returns n distinct failure annotations.
func leakAnnotations(n int) []*github.CheckRunAnnotation {
	out := make([]*github.CheckRunAnnotation, n)
	for i := range out {
		out[i] = &github.CheckRunAnnotation{Path: github.String(fmt.Sprintf("src/f%03d.env", i)),
			StartLine: github.Int(i + 1), EndLine: github.Int(i + 1), AnnotationLevel: github.String("failure"),
			Message: github.String("Acme Cloud API key acme_Ab… (37 chars)"), Title: github.String("Leaked secret")}
	}
	return out
}

// recordPatches registers checks/update of run 42, answering each PATCH
// with answer(i) (i counts from 0) and recording the bodies as sent.
func recordPatches(t *testing.T, mux *http.ServeMux, answer func(i int, w http.ResponseWriter)) *[]sentPatch {
	var sent []sentPatch
	mux.HandleFunc(checkRunPath, func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPatch)
		var p sentPatch
		p.keys = decodeBody(t, r, &p.body)
		sent = append(sent, p)
		answer(len(sent)-1, w)
	})
	return &sent
}

// sentPatch is one checks/update request: its fields, and which were sent.
type sentPatch struct {
	body checkRunBody
	keys map[string]json.RawMessage
}

// okPatch answers every PATCH with the run.
func okPatch(t *testing.T) func(int, http.ResponseWriter) {
	return func(_ int, w http.ResponseWriter) { writeJSON(t, w, http.StatusOK, checkRunAnswer("completed")) }
}

func TestCompleteBatchesAnnotations(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 49, 50, 51, 100, 120} {
		t.Run(strconv.Itoa(n)+" annotations", func(t *testing.T) {
			c, mux := setup(t)
			sent := recordPatches(t, mux, okPatch(t))
			out := Output{Title: "1 leaked secret", Summary: "## Findings", Conclusion: ConclusionFailure, Annotations: leakAnnotations(n)}
			if err := c.Complete(testCtx(t), Run{ID: muxRunID, HeadSHA: muxSHA}, out); err != nil {
				t.Fatal(err)
			}
			if got, want := len(*sent), max(1, (n+49)/50); got != want {
				t.Fatalf("%d PATCHes, want %d", got, want)
			}
			var all []*github.CheckRunAnnotation
			for i, p := range *sent {
				last := i == len(*sent)-1
				testBatch(t, i, p, out, last)
				if want := min(MaxAnnotationsPerCall, n-i*MaxAnnotationsPerCall); len(p.body.Output.GetAnnotations()) != want {
					t.Errorf("PATCH %d: %d annotations, want %d", i+1, len(p.body.Output.GetAnnotations()), want)
				}
				all = append(all, p.body.Output.GetAnnotations()...)
			}
			if len(all) != n || (n > 0 && !reflect.DeepEqual(all, out.Annotations)) {
				t.Errorf("annotations sent %s, want %s in order", jsonOf(all), jsonOf(out.Annotations))
			}
		})
	}
}

// testBatch checks PATCH i: every PATCH names the run and carries the
// output; only the last completes it, with the conclusion and the buttons,
// so the run never looks complete before all its annotations are in.
func testBatch(t *testing.T, i int, p sentPatch, out Output, last bool) {
	t.Helper()
	if got := deref(p.body.Name); got != Name {
		t.Errorf("PATCH %d: name %q, want %q (go-github always sends it)", i+1, got, Name)
	}
	if p.body.Output == nil || p.body.Output.GetTitle() != out.Title || p.body.Output.GetSummary() != out.Summary {
		t.Errorf("PATCH %d: output %s, want title %q and summary %q", i+1, jsonOf(p.body.Output), out.Title, out.Summary)
	}
	if len(out.Annotations) == 0 && p.body.Output.GetAnnotations() != nil {
		t.Errorf("PATCH %d: annotations sent with none to send", i+1)
	}
	if !last {
		for _, k := range []string{"status", "conclusion", "completed_at", "actions"} {
			if _, ok := p.keys[k]; ok {
				t.Errorf("PATCH %d is not the last but sends %s", i+1, k)
			}
		}
		return
	}
	if deref(p.body.Status) != "completed" || deref(p.body.Conclusion) != out.Conclusion {
		t.Errorf("last PATCH: status %q, conclusion %q; want completed, %q", deref(p.body.Status), deref(p.body.Conclusion), out.Conclusion)
	}
	testRecent(t, "completed_at", p.body.CompletedAt)
}

func TestCompleteActions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		actions []*github.CheckRunAction
		want    []*github.CheckRunAction
	}{
		{"the rendered buttons", buttons(true), buttons(true)},
		{"Re-scan when none are rendered", nil, buttons()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			sent := recordPatches(t, mux, okPatch(t))
			out := Output{Title: "t", Summary: "s", Conclusion: ConclusionFailure, Actions: tt.actions, Annotations: leakAnnotations(60)}
			if err := c.Complete(testCtx(t), Run{ID: muxRunID}, out); err != nil {
				t.Fatal(err)
			}
			if len(*sent) != 2 {
				t.Fatalf("%d PATCHes, want 2", len(*sent))
			}
			if got := (*sent)[1].body.Actions; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("actions %s, want %s", jsonOf(got), jsonOf(tt.want))
			}
		})
	}
}

func TestCompleteTruncatesOutput(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	sent := recordPatches(t, mux, okPatch(t))
	out := Output{Title: strings.Repeat("é", MaxTitle), Summary: strings.Repeat("€", MaxSummary),
		Conclusion: ConclusionFailure, Annotations: leakAnnotations(51)}
	if err := c.Complete(testCtx(t), Run{ID: muxRunID}, out); err != nil {
		t.Fatal(err)
	}
	if len(*sent) != 2 {
		t.Fatalf("%d PATCHes, want 2", len(*sent))
	}
	for i, p := range *sent {
		title, summary := p.body.Output.GetTitle(), p.body.Output.GetSummary()
		for _, f := range []struct {
			name, got string
			max       int
		}{{"title", title, MaxTitle}, {"summary", summary, MaxSummary}} {
			if len(f.got) > f.max || !utf8.ValidString(f.got) || !strings.HasSuffix(f.got, "_(truncated to GitHub's limit)_") {
				t.Errorf("PATCH %d: %s of %d bytes (valid UTF-8: %v), want at most %d, cut on a rune and marked",
					i+1, f.name, len(f.got), utf8.ValidString(f.got), f.max)
			}
		}
	}
}

func TestCompleteStopsAtTheFailedBatch(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	sent := recordPatches(t, mux, func(i int, w http.ResponseWriter) {
		if i == 1 {
			writeJSON(t, w, http.StatusInternalServerError, map[string]any{"message": "Server Error"})
			return
		}
		writeJSON(t, w, http.StatusOK, checkRunAnswer("in_progress"))
	})
	out := Output{Title: "t", Summary: "s", Conclusion: ConclusionFailure, Annotations: leakAnnotations(120)}
	err := c.Complete(testCtx(t), Run{ID: muxRunID}, out)
	var ge *github.ErrorResponse
	if !errors.As(err, &ge) || ge.Response.StatusCode != http.StatusInternalServerError {
		t.Fatalf("err %v, want a wrapped *github.ErrorResponse with status 500", err)
	}
	if want := "update check run 42 (batch 2 of 3): "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err %q, want it to start with %q", err, want)
	}
	if len(*sent) != 2 {
		t.Errorf("%d PATCHes, want 2: none after the failed one", len(*sent))
	}
	for i, p := range *sent {
		if p.body.Conclusion != nil || p.body.Status != nil {
			t.Errorf("PATCH %d completes the run before all its annotations are in", i+1)
		}
	}
}

func TestIncomplete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
	}{
		{"short reason", "fetch commit 1234: 502 Bad Gateway after 5 attempts"},
		{"reason past the summary limit", strings.Repeat("ü", MaxSummary)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			sent := recordPatches(t, mux, okPatch(t))
			if err := c.Incomplete(testCtx(t), Run{ID: muxRunID, HeadSHA: muxSHA}, tt.reason); err != nil {
				t.Fatal(err)
			}
			if len(*sent) != 1 {
				t.Fatalf("%d PATCHes, want 1", len(*sent))
			}
			got := (*sent)[0].body
			testRecent(t, "completed_at", got.CompletedAt)
			summary := got.Output.GetSummary()
			if got.Output.GetTitle() == "" || len(summary) > MaxSummary || !utf8.ValidString(summary) ||
				!strings.Contains(summary, tt.reason[:min(len(tt.reason), 200)]) || got.Output.GetAnnotations() != nil {
				t.Errorf("output: title %q, summary of %d bytes; want a title, and the reason within %d bytes, no annotations",
					got.Output.GetTitle(), len(summary), MaxSummary)
			}
			got.CompletedAt, got.Output = nil, nil
			want := checkRunBody{Name: github.String(Name), Status: github.String("completed"),
				Conclusion: github.String(ConclusionActionRequired), Actions: buttons()}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("body %s, want %s", jsonOf(got), jsonOf(want))
			}
		})
	}
}

// clientCall is one method of Client, called on run 42 of muxSHA.
type clientCall struct {
	name   string
	method string
	path   string
	prefix string // how the method's error starts
	call   func(ctx context.Context, c *Client) error
}

// checkRunCalls are the check-run methods of Client.
var checkRunCalls = []clientCall{
	{"Start", http.MethodPost, checkRunsPath, "create check run on " + muxSHA + ": ", func(ctx context.Context, c *Client) error {
		_, err := c.Start(ctx, muxSHA, "d")
		return err
	}},
	{"Find", http.MethodGet, listRunsPath, "list check runs on " + muxSHA + ": ", func(ctx context.Context, c *Client) error {
		_, _, err := c.Find(ctx, muxSHA, muxAppID)
		return err
	}},
	{"Complete", http.MethodPatch, checkRunPath, "update check run 42 (batch 1 of 1): ", func(ctx context.Context, c *Client) error {
		return c.Complete(ctx, Run{ID: muxRunID, HeadSHA: muxSHA}, Output{Title: "t", Summary: "s", Conclusion: ConclusionSuccess})
	}},
	{"Incomplete", http.MethodPatch, checkRunPath, "conclude check run 42 as incomplete: ", func(ctx context.Context, c *Client) error {
		return c.Incomplete(ctx, Run{ID: muxRunID, HeadSHA: muxSHA}, "boom")
	}},
}

// apiFailure is an error answer of GitHub's, and how a caller must be able
// to recognise it through the wrapping (the worker retries, gives up or
// reschedules on these).
type apiFailure struct {
	name    string
	status  int
	header  map[string]string
	message string
	docURL  string
	check   func(t *testing.T, err error)
}

// apiFailures are the answers every call must return wrapped.
var apiFailures = []apiFailure{
	{name: "404 not found", status: http.StatusNotFound, message: "Not Found", check: wantErrorResponse(http.StatusNotFound)},
	{name: "422 unprocessable", status: http.StatusUnprocessableEntity, message: "Validation Failed", check: wantErrorResponse(http.StatusUnprocessableEntity)},
	{name: "500 server error", status: http.StatusInternalServerError, message: "Server Error", check: wantErrorResponse(http.StatusInternalServerError)},
	{name: "429 too many requests", status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "30"},
		message: "Too Many Requests", check: wantErrorResponse(http.StatusTooManyRequests)},
	{name: "403 primary rate limit", status: http.StatusForbidden,
		header:  map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "5000", "X-RateLimit-Reset": "4102444800"},
		message: "API rate limit exceeded", check: func(t *testing.T, err error) {
			var rl *github.RateLimitError
			if !errors.As(err, &rl) || rl.Rate.Reset.Unix() != 4102444800 {
				t.Errorf("err %v, want a wrapped *github.RateLimitError with the reset time", err)
			}
		}},
	{name: "403 secondary rate limit", status: http.StatusForbidden, header: map[string]string{"Retry-After": "60"},
		message: "You have exceeded a secondary rate limit",
		docURL:  "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		check: func(t *testing.T, err error) {
			var ab *github.AbuseRateLimitError
			if !errors.As(err, &ab) || ab.GetRetryAfter() != time.Minute {
				t.Errorf("err %v, want a wrapped *github.AbuseRateLimitError retrying after a minute", err)
			}
		}},
}

// wantErrorResponse checks that err wraps GitHub's error answer.
func wantErrorResponse(status int) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ge *github.ErrorResponse
		if !errors.As(err, &ge) || ge.Response.StatusCode != status || ge.Message == "" {
			t.Errorf("err %v, want a wrapped *github.ErrorResponse with status %d and GitHub's message", err, status)
		}
	}
}

// answer writes f as GitHub does.
func (f apiFailure) answer(t *testing.T, w http.ResponseWriter) {
	for k, v := range f.header {
		w.Header().Set(k, v)
	}
	body := map[string]any{"message": f.message}
	if f.docURL != "" {
		body["documentation_url"] = f.docURL
	}
	writeJSON(t, w, f.status, body)
}

func TestCheckRunErrorsAreWrapped(t *testing.T) {
	t.Parallel()
	for _, call := range checkRunCalls {
		for _, f := range apiFailures {
			t.Run(call.name+"/"+f.name, func(t *testing.T) {
				c, mux := setup(t)
				mux.HandleFunc(call.path, func(w http.ResponseWriter, r *http.Request) {
					testMethod(t, r, call.method)
					f.answer(t, w)
				})
				err := call.call(testCtx(t), c)
				if err == nil || !strings.HasPrefix(err.Error(), call.prefix) {
					t.Fatalf("err %v, want it to start with %q", err, call.prefix)
				}
				f.check(t, err)
			})
		}
	}
}

func TestCheckRunCallsStopWithTheContext(t *testing.T) {
	t.Parallel()
	for _, call := range checkRunCalls {
		t.Run(call.name, func(t *testing.T) {
			c, mux := setup(t)
			ctx, cancel := context.WithCancel(context.Background())
			mux.HandleFunc(call.path, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body) // the server sees a hang-up only once the body is read
				cancel()                           // the caller gives up while GitHub answers
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
					t.Error("the client did not hang up on a cancelled context")
				}
			})
			err := call.call(ctx, c)
			if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), call.prefix) {
				t.Errorf("err %v, want context.Canceled wrapped as %q…", err, call.prefix)
			}
		})
	}
}

func TestButtonsFitGitHubLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		decisions bool
		want      []string
	}{
		{"Re-scan only", false, []string{ActionRescan}},
		{"with the decisions", true, []string{ActionRescan, ActionDismissRevoked, ActionDismissTestData}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := buttons(tt.decisions)
			var ids []string
			for _, a := range b {
				ids = append(ids, a.Identifier)
				if utf8.RuneCountInString(a.Label) > 20 || utf8.RuneCountInString(a.Description) > 40 ||
					utf8.RuneCountInString(a.Identifier) > 20 || a.Label == "" || a.Description == "" {
					t.Errorf("action %+v: GitHub wants a label ≤ 20, a description ≤ 40 and an identifier ≤ 20 characters", a)
				}
			}
			if len(b) > 3 || !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("actions %v, want %v (GitHub allows 3)", ids, tt.want)
			}
		})
	}
}

func TestBatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want []int
	}{
		{0, []int{0}}, // one empty batch still carries the conclusion
		{1, []int{1}},
		{50, []int{50}},
		{51, []int{50, 1}},
		{150, []int{50, 50, 50}},
		{151, []int{50, 50, 50, 1}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.n), func(t *testing.T) {
			in := leakAnnotations(tt.n)
			var got []int
			var all []*github.CheckRunAnnotation
			for _, b := range batch(in, MaxAnnotationsPerCall) {
				got = append(got, len(b))
				all = append(all, b...)
			}
			if !reflect.DeepEqual(got, tt.want) || len(all) != tt.n || (tt.n > 0 && !reflect.DeepEqual(all, in)) {
				t.Errorf("batch sizes %v, want %v, all annotations in order", got, tt.want)
			}
		})
	}
}

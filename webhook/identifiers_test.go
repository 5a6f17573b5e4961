package webhook

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// mutate returns a real payload with one field (a dotted path into the
// JSON objects) set to value.
func mutate(t *testing.T, file, path string, value any) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(payload(t, file), &doc); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	obj := doc
	for _, k := range keys[:len(keys)-1] {
		next, ok := obj[k].(map[string]any)
		if !ok {
			t.Fatalf("%s: no object at %q", file, k)
		}
		obj = next
	}
	obj[keys[len(keys)-1]] = value
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIdentifiersFromPayloadsAreValidated: a signed payload whose SHAs,
// refs, owner or repository names could reach an API path as anything but
// one path segment is refused with 400, for every event kind. Issue 8,
// defect 9: after "../../../app/x" made pushguard call
// GET /repos/app/x/check-runs with the installation token.
func TestIdentifiersFromPayloadsAreValidated(t *testing.T) {
	t.Parallel()
	const (
		push    = "push/with-new-branch.payload.json"
		pr      = "pull_request/opened.payload.json"
		suite   = "check_suite/requested.payload.json"
		run     = "check_run/rerequested.payload.json"
		action  = "check_run/requested_action.payload.json"
		install = "installation/created.payload.json"
	)
	tests := []struct {
		file, path string
		value      any
	}{
		{push, "after", "../../../app/x"},
		{push, "after", "abc123"},
		{push, "after", strings.Repeat("g", 40)},
		{push, "before", "../../../app/x"},
		{push, "ref", "refs/heads/../../x"},
		{push, "ref", "main"},
		{push, "ref", "refs/heads/a b"},
		{push, "repository.name", "x/../../app"},
		{push, "repository.name", ".."},
		{push, "repository.name", "a/b"},
		{push, "repository.owner.login", "app/x"},
		{push, "repository.owner.login", "../app"},
		{pr, "pull_request.head.sha", "../../../app/x"},
		{pr, "pull_request.base.sha", "HEAD"},
		{pr, "repository.name", "a/b"},
		{pr, "repository.owner.login", "app/x"},
		{pr, "pull_request.head.repo.full_name", "evil/../../x"},
		{suite, "check_suite.head_sha", "../../../app/x"},
		{suite, "check_suite.head_branch", "a..b"},
		{suite, "repository.name", ".."},
		{run, "check_run.head_sha", "0123/../x"},
		{run, "repository.owner.login", "a/b"},
		{action, "requested_action.identifier", "../../x"},
		{action, "repository.name", "a?b"},
		{install, "installation.account.login", "app/x"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.path+"="+strings.ReplaceAll(tt.value.(string), "/", "∕"), func(t *testing.T) {
			q := &fakeQueue{}
			event := strings.SplitN(tt.file, "/", 2)[0]
			if got := serve(newHandler(t, q), delivery(event, "d-bad-id", mutate(t, tt.file, tt.path, tt.value))); got != http.StatusBadRequest {
				t.Errorf("status %d, want 400", got)
			}
			if len(q.jobs) != 0 {
				t.Errorf("enqueued %+v", q.jobs)
			}
		})
	}
}

package checks

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Unit tests of the pull-request comment calls of Client (comment.go)
// against an httptest mux (see setup_test.go). They run on the fake GitHub,
// validated against GitHub's REST description, in client_e2e_test.go.

const muxPR = 3

// Issue-comment endpoints of o/r.
const (
	prCommentsPath = "/repos/o/r/issues/3/comments"
	commentPath    = "/repos/o/r/issues/comments/11"
	reactionsPath  = "/repos/o/r/issues/comments/11/reactions"
)

// commentBody is the body of issues/create-comment and update-comment.
type commentBody struct {
	Body *string `json:"body"`
}

// issueComment is a comment as GitHub lists it, by a bot or a person.
func issueComment(id int64, userType, body string) map[string]any {
	login := "someone"
	if userType == "Bot" {
		login = "pushguard[bot]"
	}
	return map[string]any{"id": id, "body": body, "user": map[string]any{"login": login, "type": userType}}
}

// ours is pushguard's comment with id, as a bot wrote it.
func ours(id int64, text string) map[string]any {
	return issueComment(id, "Bot", CommentMarker+"\n"+text)
}

// listComments registers issues/list-comments of pull request 3 answering
// with pages (one page when pages is empty), with GitHub's Link header, and
// returns the page numbers asked for ("" for the first).
func listComments(t *testing.T, mux *http.ServeMux, pages ...[]map[string]any) *[]string {
	var asked []string
	if len(pages) == 0 {
		pages = [][]map[string]any{{}}
	}
	mux.HandleFunc(prCommentsPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			testMethod(t, r, http.MethodGet)
			return
		}
		page := r.URL.Query().Get("page")
		asked = append(asked, page)
		want := url.Values{"per_page": {"100"}}
		if page != "" {
			want.Set("page", page)
		}
		testQuery(t, r, want)
		n := 1
		if page != "" {
			n, _ = strconv.Atoi(page)
		}
		if n < 1 || n > len(pages) {
			t.Errorf("page %q asked for, there are %d", page, len(pages))
			writeJSON(t, w, http.StatusOK, []any{})
			return
		}
		if n < len(pages) {
			w.Header().Set("Link", fmt.Sprintf(`<https://api.github.com/repositories/1/issues/3/comments?per_page=100&page=%d>; rel="next", `+
				`<https://api.github.com/repositories/1/issues/3/comments?per_page=100&page=%d>; rel="last"`, n+1, len(pages)))
		}
		writeJSON(t, w, http.StatusOK, pages[n-1])
	})
	return &asked
}

func TestFindComment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		pages     [][]map[string]any
		wantID    int64
		wantFound bool
		wantAsked []string
	}{
		{name: "no comments", wantAsked: []string{""}},
		{name: "ours", pages: [][]map[string]any{{issueComment(1, "User", "hi"), ours(11, "x")}},
			wantID: 11, wantFound: true, wantAsked: []string{""}},
		{name: "the oldest of two", pages: [][]map[string]any{{ours(11, "x"), ours(12, "y")}},
			wantID: 11, wantFound: true, wantAsked: []string{""}},
		{name: "after blank lines", pages: [][]map[string]any{{issueComment(11, "Bot", "\r\n \t"+CommentMarker+"\nx")}},
			wantID: 11, wantFound: true, wantAsked: []string{""}},
		{name: "a person quoting the marker", pages: [][]map[string]any{{issueComment(11, "User", CommentMarker+"\nfake")}},
			wantAsked: []string{""}},
		{name: "a bot quoting it inside", pages: [][]map[string]any{{issueComment(11, "Bot", "> "+CommentMarker)}},
			wantAsked: []string{""}},
		{name: "on the third page", pages: [][]map[string]any{{issueComment(1, "User", "a")}, {issueComment(2, "Bot", "b")}, {ours(11, "x")}},
			wantID: 11, wantFound: true, wantAsked: []string{"", "2", "3"}},
		{name: "on no page", pages: [][]map[string]any{{issueComment(1, "User", "a")}, {issueComment(2, "User", "b")}},
			wantAsked: []string{"", "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			asked := listComments(t, mux, tt.pages...)
			id, found, err := c.FindComment(testCtx(t), muxPR)
			if err != nil {
				t.Fatal(err)
			}
			if id != tt.wantID || found != tt.wantFound || !reflect.DeepEqual(*asked, tt.wantAsked) {
				t.Errorf("FindComment = %d, %v after pages %q; want %d, %v after pages %q",
					id, found, *asked, tt.wantID, tt.wantFound, tt.wantAsked)
			}
		})
	}
}

func TestFindCommentRefusesAnInvalidPR(t *testing.T) {
	t.Parallel()
	for _, pr := range []int{0, -1} {
		c, _ := setup(t) // no endpoint: number 0 would list the whole repository's comments
		if _, _, err := c.FindComment(testCtx(t), pr); err == nil || !strings.Contains(err.Error(), "invalid pull request number") {
			t.Errorf("FindComment(%d): err %v, want an invalid number", pr, err)
		}
		if _, _, err := c.UpsertComment(testCtx(t), pr, "x"); err == nil {
			t.Errorf("UpsertComment(%d): no error", pr)
		}
	}
}

func TestUpsertComment(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ß", MaxComment)
	tests := []struct {
		name        string
		existing    []map[string]any
		body        string
		wantMethod  string // "" when nothing is written
		wantSent    string
		wantID      int64
		wantCreated bool
	}{
		{name: "creates it with the marker", body: "hello", wantMethod: http.MethodPost,
			wantSent: CommentMarker + "\nhello", wantID: 21, wantCreated: true},
		{name: "keeps a marker already there", body: CommentMarker + "\nhello", wantMethod: http.MethodPost,
			wantSent: CommentMarker + "\nhello", wantID: 21, wantCreated: true},
		{name: "edits ours in place", existing: []map[string]any{issueComment(5, "User", "lgtm"), ours(11, "old")},
			body: "new", wantMethod: http.MethodPatch, wantSent: CommentMarker + "\nnew", wantID: 11},
		{name: "sends nothing when unchanged", existing: []map[string]any{ours(11, "same")}, body: "same", wantID: 11},
		{name: "does not edit a person's comment quoting the marker", existing: []map[string]any{issueComment(5, "User", CommentMarker+"\nold")},
			body: "new", wantMethod: http.MethodPost, wantSent: CommentMarker + "\nnew", wantID: 21, wantCreated: true},
		{name: "truncates to GitHub's limit", body: long, wantMethod: http.MethodPost,
			wantSent: truncate(CommentMarker+"\n"+long, MaxComment), wantID: 21, wantCreated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			var writes []string
			listComments(t, mux, tt.existing)
			write := func(w http.ResponseWriter, r *http.Request, status int, id int64) {
				var got commentBody
				decodeBody(t, r, &got)
				writes = append(writes, r.Method)
				if deref(got.Body) != tt.wantSent {
					t.Errorf("%s body of %d bytes %.60q…, want %d bytes %.60q…", r.Method, len(deref(got.Body)), deref(got.Body), len(tt.wantSent), tt.wantSent)
				}
				writeJSON(t, w, status, map[string]any{"id": id, "body": deref(got.Body)})
			}
			mux.HandleFunc("POST "+prCommentsPath, func(w http.ResponseWriter, r *http.Request) { write(w, r, http.StatusCreated, 21) })
			mux.HandleFunc(commentPath, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPatch)
				write(w, r, http.StatusOK, 11)
			})
			id, created, err := c.UpsertComment(testCtx(t), muxPR, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if tt.wantMethod != "" {
				want = []string{tt.wantMethod}
			}
			if id != tt.wantID || created != tt.wantCreated || !reflect.DeepEqual(writes, want) {
				t.Errorf("UpsertComment = %d, %v with writes %v; want %d, %v with %v", id, created, writes, tt.wantID, tt.wantCreated, want)
			}
			if len(tt.wantSent) > MaxComment || !utf8.ValidString(tt.wantSent) {
				t.Errorf("%d bytes sent (valid UTF-8: %v), GitHub allows %d", len(tt.wantSent), utf8.ValidString(tt.wantSent), MaxComment)
			}
		})
	}
}

func TestReplyCommentBody(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("€", MaxComment)
	tests := []struct {
		name, body, wantSent string
	}{
		{"as written", "Only maintainers can dismiss findings.", "Only maintainers can dismiss findings."},
		{"without the marker", "a" + CommentMarker + "b", "ab"},
		{"without a marker formed by removing one", "x<!-- pushguard:" + CommentMarker + "comment -->y", "xy"},
		{"truncated to GitHub's limit", long, truncate(long, MaxComment)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc(prCommentsPath, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				var got commentBody
				decodeBody(t, r, &got)
				if deref(got.Body) != tt.wantSent {
					t.Errorf("body %.80q (%d bytes), want %.80q (%d bytes)", deref(got.Body), len(deref(got.Body)), tt.wantSent, len(tt.wantSent))
				}
				writeJSON(t, w, http.StatusCreated, map[string]any{"id": 31, "body": deref(got.Body)})
			})
			id, err := c.ReplyComment(testCtx(t), muxPR, tt.body)
			if err != nil || id != 31 {
				t.Errorf("ReplyComment = %d, %v; want 31", id, err)
			}
		})
	}
}

func TestReactContent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		content string
		status  int // 200 when the reaction was already there
	}{
		{ReactionReceived, http.StatusCreated},
		{ReactionDone, http.StatusCreated},
		{ReactionRefused, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.content, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc(reactionsPath, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, http.MethodPost)
				var got struct {
					Content *string `json:"content"`
				}
				decodeBody(t, r, &got)
				if deref(got.Content) != tt.content {
					t.Errorf("content %q, want %q", deref(got.Content), tt.content)
				}
				writeJSON(t, w, tt.status, map[string]any{"id": 1, "content": tt.content})
			})
			if err := c.React(testCtx(t), 11, tt.content); err != nil {
				t.Error(err)
			}
		})
	}
}

// commentCalls are the comment methods of Client, each with the endpoint
// that fails in the error test and the ones answered before it.
var commentCalls = []struct {
	clientCall
	before func(t *testing.T, mux *http.ServeMux)
}{
	{clientCall{"FindComment", http.MethodGet, prCommentsPath, "list comments on #3 (page 1): ", func(ctx context.Context, c *Client) error {
		_, _, err := c.FindComment(ctx, muxPR)
		return err
	}}, nil},
	{clientCall{"UpsertComment create", http.MethodPost, prCommentsPath, "create comment on #3: ", func(ctx context.Context, c *Client) error {
		_, _, err := c.UpsertComment(ctx, muxPR, "new")
		return err
	}}, func(t *testing.T, mux *http.ServeMux) { listComments(t, mux) }},
	{clientCall{"UpsertComment edit", http.MethodPatch, commentPath, "edit comment 11 on #3: ", func(ctx context.Context, c *Client) error {
		_, _, err := c.UpsertComment(ctx, muxPR, "new")
		return err
	}}, func(t *testing.T, mux *http.ServeMux) { listComments(t, mux, []map[string]any{ours(11, "old")}) }},
	{clientCall{"ReplyComment", http.MethodPost, prCommentsPath, "reply on #3: ", func(ctx context.Context, c *Client) error {
		_, err := c.ReplyComment(ctx, muxPR, "hi")
		return err
	}}, nil},
	{clientCall{"React", http.MethodPost, reactionsPath, `react "eyes" to comment 11: `, func(ctx context.Context, c *Client) error {
		return c.React(ctx, 11, ReactionReceived)
	}}, nil},
}

func TestCommentErrorsAreWrapped(t *testing.T) {
	t.Parallel()
	for _, call := range commentCalls {
		for _, f := range apiFailures {
			t.Run(call.name+"/"+f.name, func(t *testing.T) {
				c, mux := setup(t)
				if call.before != nil {
					call.before(t, mux)
				}
				mux.HandleFunc(call.method+" "+call.path, func(w http.ResponseWriter, r *http.Request) { f.answer(t, w) })
				err := call.call(testCtx(t), c)
				if err == nil || !strings.HasPrefix(err.Error(), call.prefix) {
					t.Fatalf("err %v, want it to start with %q", err, call.prefix)
				}
				f.check(t, err)
			})
		}
	}
}

func TestFindCommentNamesTheFailedPage(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc(prCommentsPath, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			writeJSON(t, w, http.StatusBadGateway, map[string]any{"message": "Bad Gateway"})
			return
		}
		w.Header().Set("Link", `<https://api.github.com/repositories/1/issues/3/comments?per_page=100&page=2>; rel="next"`)
		writeJSON(t, w, http.StatusOK, []any{issueComment(1, "User", "a")})
	})
	_, _, err := c.FindComment(testCtx(t), muxPR)
	if err == nil || !strings.HasPrefix(err.Error(), "list comments on #3 (page 2): ") {
		t.Fatalf("err %v, want the second page named", err)
	}
	wantErrorResponse(http.StatusBadGateway)(t, err)
}

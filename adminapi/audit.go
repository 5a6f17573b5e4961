package adminapi

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/go-chi/chi/v5"

	"github.com/pushguard/pushguard/decisions"
)

// logError is the log key of an error (internal/logkey's, once it exists).
const logError = "error"

// AuditPage is the audit API's answer: newest first, with the cursor of the
// next page ("" on the last).
type AuditPage struct {
	Entries    []decisions.Entry `json:"entries"`
	NextCursor string            `json:"next_cursor"`
}

// AuditHandler serves GET /api/v1/installations/{id}/audit?cursor=&limit=:
// every dismissal and undo of an installation, with who, when, why, repo,
// pull request and fingerprint. It needs `Authorization: Bearer <token>`,
// and answers 404 when token is empty (the API is off). The route must
// name the installation {id} (a chi URL parameter).
func AuditHandler(store *decisions.Store, token []byte, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !authorized(w, r, token) {
			return
		}
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		limit, lerr := strconv.Atoi(r.URL.Query().Get("limit"))
		if err != nil || id <= 0 || (r.URL.Query().Get("limit") != "" && (lerr != nil || limit < 1)) {
			http.Error(w, "bad installation id or limit", http.StatusBadRequest)
			return
		}
		page, err := ReadAudit(r.Context(), store, id, r.URL.Query().Get("cursor"), limit)
		switch {
		case errors.Is(err, decisions.ErrInvalidCursor):
			http.Error(w, "bad cursor", http.StatusBadRequest)
			return
		case err != nil:
			log.Error("audit", logError, err.Error())
			http.Error(w, "audit unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(page)
	})
}

// authorized answers a request that does not carry the admin token (404
// when the API is off, 401 otherwise) and reports whether it does.
func authorized(w http.ResponseWriter, r *http.Request, token []byte) bool {
	if len(token) == 0 {
		http.NotFound(w, r)
		return false
	}
	got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(got), token) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pushguard"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return false
	}
	return true
}

// ReadAudit reads one page of an installation's audit trail, newest first:
// at most limit entries (the store's default when 0) after cursor.
func ReadAudit(ctx context.Context, store *decisions.Store, installation int64, cursor string, limit int) (AuditPage, error) {
	entries, next, err := store.Audit(ctx, installation, cursor, limit)
	if entries == nil {
		entries = []decisions.Entry{}
	}
	return AuditPage{Entries: entries, NextCursor: next}, err
}

// ListQuery is what the audit command lists.
type ListQuery struct {
	Installation int64
	Cursor       string
	Limit        int
	Format       string // text or json
}

// List writes one page of an installation's audit trail to w: as indented
// JSON, or as a table followed by the command that shows the next page.
func List(ctx context.Context, w io.Writer, store *decisions.Store, q ListQuery) error {
	page, err := ReadAudit(ctx, store, q.Installation, q.Cursor, q.Limit)
	if err != nil {
		return err
	}
	if q.Format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(page)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tACTION\tREASON\tBY\tREPO\tPR\tFINGERPRINT\tSECRET")
	for _, en := range page.Entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t#%d\t%.12s\t%s\n", en.At.UTC().Format("2006-01-02 15:04"), en.Action, en.Reason, en.By, en.Repo, en.PR, en.Fingerprint, en.Redacted)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if page.NextCursor != "" {
		fmt.Fprintf(w, "\nmore: pushguard audit --installation %d --cursor %s\n", q.Installation, page.NextCursor)
	}
	return nil
}

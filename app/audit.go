package app

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/go-chi/chi/v5"
	"github.com/redis/go-redis/v9"

	"github.com/pushguard/pushguard/decisions"
	"github.com/pushguard/pushguard/internal/logkey"
)

// auditPage is the audit API's answer: newest first, with the cursor of the
// next page ("" on the last).
type auditPage struct {
	Entries    []decisions.Entry `json:"entries"`
	NextCursor string            `json:"next_cursor"`
}

// auditHandler serves GET /api/v1/installations/{id}/audit?cursor=&limit=:
// every dismissal and undo of an installation, with who, when, why, repo,
// pull request and fingerprint. It needs `Authorization: Bearer
// <PUSHGUARD_ADMIN_TOKEN>`, and is off when no token is configured.
func (s *service) auditHandler(w http.ResponseWriter, r *http.Request) {
	if len(s.cfg.AdminToken) == 0 {
		http.NotFound(w, r)
		return
	}
	got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(got), s.cfg.AdminToken) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pushguard"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	limit, lerr := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || id <= 0 || (r.URL.Query().Get("limit") != "" && (lerr != nil || limit < 1)) {
		http.Error(w, "bad installation id or limit", http.StatusBadRequest)
		return
	}
	page, err := readAudit(r.Context(), s.decisions, id, r.URL.Query().Get("cursor"), limit)
	switch {
	case errors.Is(err, decisions.ErrInvalidCursor):
		http.Error(w, "bad cursor", http.StatusBadRequest)
		return
	case err != nil:
		s.log.Error("audit", logkey.Error, err.Error())
		http.Error(w, "audit unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(page)
}

func readAudit(ctx context.Context, store *decisions.Store, installation int64, cursor string, limit int) (auditPage, error) {
	entries, next, err := store.Audit(ctx, installation, cursor, limit)
	if entries == nil {
		entries = []decisions.Entry{}
	}
	return auditPage{Entries: entries, NextCursor: next}, err
}

const auditUsage = `Usage:
  pushguard audit --installation ID [--cursor C] [--limit N] [--format text|json]

Lists maintainers' decisions (dismissals and undos) of an installation,
newest first, reading the Redis named by REDIS_URL.
`

// runAudit is the audit command.
func runAudit(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	inst := fs.Int64("installation", 0, "the installation's ID")
	cursor := fs.String("cursor", "", "continue after this entry (the next_cursor of a previous page)")
	limit := fs.Int("limit", 50, "entries per page")
	format := fs.String("format", "text", "text or json")
	if _, err := parseFlags(e, fs, auditUsage, args); err != nil {
		return err
	}
	if *inst <= 0 || (*format != "text" && *format != "json") {
		return usagef("--installation is required and --format must be text or json")
	}
	url := e.getenv("REDIS_URL")
	if url == "" {
		return errors.New("REDIS_URL is required: the audit trail lives in the App's Redis")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	page, err := readAudit(ctx, decisions.NewStore(rdb, defaultKeyPrefix), *inst, *cursor, *limit)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(page)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tACTION\tREASON\tBY\tREPO\tPR\tFINGERPRINT\tSECRET")
	for _, en := range page.Entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t#%d\t%.12s\t%s\n", en.At.UTC().Format("2006-01-02 15:04"), en.Action, en.Reason, en.By, en.Repo, en.PR, en.Fingerprint, en.Redacted)
	}
	tw.Flush()
	if page.NextCursor != "" {
		fmt.Fprintf(e.stdout, "\nmore: pushguard audit --installation %d --cursor %s\n", *inst, page.NextCursor)
	}
	return nil
}

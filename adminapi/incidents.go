package adminapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"text/tabwriter"

	"github.com/pushguard/pushguard/incident"
)

// IncidentPage is the incidents API's answer, in the store's order (first
// sighting, then installation, then fingerprint).
type IncidentPage struct {
	Incidents []incident.Incident `json:"incidents"`
}

// IncidentQuery is what the incidents API and command list.
type IncidentQuery struct {
	// Installation is an installation's ID, or incident.AllInstallations.
	Installation int64
	// State keeps one state; empty keeps all.
	State  incident.State
	Format string // text or json (the command)
}

// ParseIncidentQuery reads installation and state as the API and the
// command take them (empty: all).
func ParseIncidentQuery(installation, state string) (IncidentQuery, error) {
	var q IncidentQuery
	if installation != "" {
		id, err := strconv.ParseInt(installation, 10, 64)
		if err != nil || id <= 0 {
			return q, fmt.Errorf("installation must be a positive whole number, not %q", installation)
		}
		q.Installation = id
	}
	if state != "" {
		st, err := incident.ParseState(state)
		if err != nil {
			return q, fmt.Errorf("state must be open, revoked, resolved or dismissed, not %q", state)
		}
		q.State = st
	}
	return q, nil
}

// IncidentsHandler serves GET /api/incidents?installation=&state=: the
// incidents of one installation or all, with their sightings, validity
// results and history. It needs the admin token, like the audit API.
func IncidentsHandler(store *incident.Store, token []byte, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !authorized(w, r, token) {
			return
		}
		q, err := ParseIncidentQuery(r.URL.Query().Get("installation"), r.URL.Query().Get("state"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		page, err := ReadIncidents(r.Context(), store, q)
		if err != nil {
			log.Error("incidents", logError, err.Error())
			http.Error(w, "incidents unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(page)
	})
}

// ReadIncidents lists the incidents q names.
func ReadIncidents(ctx context.Context, store *incident.Store, q IncidentQuery) (IncidentPage, error) {
	incs, err := store.List(ctx, q.Installation, incident.Filter{State: q.State})
	if incs == nil {
		incs = []incident.Incident{}
	}
	return IncidentPage{Incidents: incs}, err
}

// ListIncidents writes the incidents q names to w: as indented JSON, or as
// a table.
func ListIncidents(ctx context.Context, w io.Writer, store *incident.Store, q IncidentQuery) error {
	page, err := ReadIncidents(ctx, store, q)
	if err != nil {
		return err
	}
	if q.Format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(page)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIRST SEEN\tINSTALLATION\tSTATE\tVALIDITY\tPROVIDER\tRULE\tREPO\tSEEN\tFINGERPRINT\tSECRET")
	for _, inc := range page.Incidents {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%.12s\t%s\n", inc.FirstSeen.At.UTC().Format("2006-01-02 15:04"),
			inc.Installation, inc.State, inc.CurrentValidity(), inc.Provider, inc.RuleID, inc.FirstSeen.Repository,
			inc.SightingCount, inc.Fingerprint, inc.Redacted)
	}
	return tw.Flush()
}

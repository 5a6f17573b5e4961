package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// createCheckRun serves checks/create.
func (s *Server) createCheckRun(c *call, r *Repo) {
	var req checkRunRequest
	if err := json.Unmarshal(c.body, &req); err != nil || req.Name == nil || req.HeadSHA == nil {
		writeError(c.w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if !s.checkRunRulesOK(c, &req) {
		return
	}
	sha, ok := r.resolve(*req.HeadSHA)
	if !ok || sha != strings.ToLower(*req.HeadSHA) { // GitHub wants the full SHA
		writeValidationFailed(c.w, "CheckRun", "head_sha", "invalid", "No commit found for SHA: "+*req.HeadSHA)
		return
	}
	s.mu.Lock()
	cr := &CheckRun{ID: s.state.newID(), Repo: r.FullName(), Name: *req.Name, HeadSHA: sha, Status: "queued",
		StartedAt: timestamp(time.Now())}
	s.state.checkRuns[cr.ID] = cr
	s.state.checkRunOrder = append(s.state.checkRunOrder, cr.ID)
	cr.apply(&req, c.body, http.MethodPost)
	o := s.checkRunJSON(r, cr)
	s.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, o)
}

// updateCheckRun serves checks/update: output fields replace, annotations
// append, actions replace.
func (s *Server) updateCheckRun(c *call, r *Repo) {
	var req checkRunRequest
	if err := json.Unmarshal(c.body, &req); err != nil {
		writeError(c.w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if !s.checkRunRulesOK(c, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.checkRunIn(r, c.params["check_run_id"])
	if cr == nil {
		notFound(c.w)
		return
	}
	cr.apply(&req, c.body, http.MethodPatch)
	writeJSON(c.w, http.StatusOK, s.checkRunJSON(r, cr))
}

// checkRunRulesOK answers 422, and records a violation, when req breaks a
// check-run limit.
func (s *Server) checkRunRulesOK(c *call, req *checkRunRequest) bool {
	field, msg := checkLimits(req)
	if field == "" {
		return true
	}
	s.violate("%s %s (%s): %s: %s", c.r.Method, c.path, c.opID, field, msg)
	writeValidationFailed(c.w, "CheckRun", field, "invalid", msg)
	return false
}

// apply records req on cr. s.mu must be held.
func (cr *CheckRun) apply(req *checkRunRequest, body []byte, method string) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&cr.Name, req.Name)
	set(&cr.DetailsURL, req.DetailsURL)
	set(&cr.ExternalID, req.ExternalID)
	set(&cr.StartedAt, req.StartedAt)
	set(&cr.Status, req.Status)
	set(&cr.CompletedAt, req.CompletedAt)
	if req.Conclusion != nil {
		cr.Conclusion, cr.Status = *req.Conclusion, "completed"
	}
	if cr.Status == "completed" && cr.CompletedAt == "" {
		cr.CompletedAt = timestamp(time.Now())
	}
	if o := req.Output; o != nil {
		set(&cr.Output.Title, o.Title)
		set(&cr.Output.Summary, o.Summary)
		set(&cr.Output.Text, o.Text)
		cr.Annotations = append(cr.Annotations, o.Annotations...)
	}
	if req.Actions != nil {
		cr.Actions = append([]Action(nil), (*req.Actions)...)
	}
	cr.Updates = append(cr.Updates, CheckRunUpdate{Method: method, Body: append(json.RawMessage(nil), body...), Time: time.Now()})
}

// checkRunIn finds check run id in r. s.mu must be held.
func (s *Server) checkRunIn(r *Repo, id string) *CheckRun {
	n, _ := strconv.ParseInt(id, 10, 64)
	cr := s.state.checkRuns[n]
	if cr == nil || cr.Repo != r.FullName() {
		return nil
	}
	return cr
}

// getCheckRun serves checks/get.
func (s *Server) getCheckRun(c *call, r *Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr := s.checkRunIn(r, c.params["check_run_id"])
	if cr == nil {
		notFound(c.w)
		return
	}
	writeJSON(c.w, http.StatusOK, s.checkRunJSON(r, cr))
}

// listCheckRunsForRef serves checks/list-for-ref with the check_name,
// status, app_id and filter (latest per name, or all) parameters.
func (s *Server) listCheckRunsForRef(c *call, r *Repo) {
	sha, ok := r.resolve(c.params["ref"])
	if !ok {
		writeError(c.w, http.StatusUnprocessableEntity, "No commit found for SHA: "+c.params["ref"])
		return
	}
	q := c.r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	var runs []*CheckRun
	latest := map[string]bool{}
	for i := len(s.state.checkRunOrder) - 1; i >= 0; i-- { // newest first
		cr := s.state.checkRuns[s.state.checkRunOrder[i]]
		if cr.Repo != r.FullName() || cr.HeadSHA != sha ||
			(q.Has("check_name") && cr.Name != q.Get("check_name")) ||
			(q.Has("status") && cr.Status != q.Get("status")) ||
			(q.Has("app_id") && q.Get("app_id") != strconv.FormatInt(s.opts.AppID, 10)) {
			continue
		}
		if q.Get("filter") != "all" {
			if latest[cr.Name] {
				continue
			}
			latest[cr.Name] = true
		}
		runs = append(runs, cr)
	}
	page, per := pageOf(q, defaultPerPage, maxPerPage)
	lo, hi := s.paginate(c, len(runs), page, per)
	list := []obj{}
	for _, cr := range runs[lo:hi] {
		list = append(list, s.checkRunJSON(r, cr))
	}
	writeJSON(c.w, http.StatusOK, obj{"total_count": len(runs), "check_runs": list})
}

// checkRunJSON is GitHub's check-run object. s.mu must be held.
func (s *Server) checkRunJSON(r *Repo, cr *CheckRun) obj {
	api := s.apiURL("repos/" + r.FullName() + "/check-runs/" + strconv.FormatInt(cr.ID, 10))
	nullable := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	return obj{
		"id": cr.ID, "node_id": "CR_" + strconv.FormatInt(cr.ID, 10), "name": cr.Name, "head_sha": cr.HeadSHA,
		"external_id": cr.ExternalID, "url": api, "details_url": nullable(cr.DetailsURL),
		"html_url": s.htmlURL(r.FullName() + "/runs/" + strconv.FormatInt(cr.ID, 10)),
		"status":   cr.Status, "conclusion": nullable(cr.Conclusion),
		"started_at": nullable(cr.StartedAt), "completed_at": nullable(cr.CompletedAt),
		"output": obj{"title": nullable(cr.Output.Title), "summary": nullable(cr.Output.Summary),
			"text": nullable(cr.Output.Text), "annotations_count": len(cr.Annotations), "annotations_url": api + "/annotations"},
		"check_suite":   obj{"id": userID(r.FullName() + "@" + cr.HeadSHA)},
		"app":           s.appJSON(),
		"pull_requests": []obj{},
	}
}

// CheckRuns returns copies of the check runs created in owner/repo, oldest
// first.
func (s *Server) CheckRuns(owner, repo string) []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, id := range s.state.checkRunOrder {
		cr := s.state.checkRuns[id]
		if strings.EqualFold(cr.Repo, owner+"/"+repo) {
			cp := *cr
			cp.Annotations = append([]Annotation(nil), cr.Annotations...)
			cp.Actions = append([]Action(nil), cr.Actions...)
			cp.Updates = append([]CheckRunUpdate(nil), cr.Updates...)
			out = append(out, cp)
		}
	}
	return out
}

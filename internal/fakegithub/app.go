package fakegithub

import (
	"net/http"
	"strconv"
)

// appJSON is GitHub's integration object for the App.
func (s *Server) appJSON() obj {
	created := timestamp(s.started)
	return obj{
		"id": s.opts.AppID, "slug": s.opts.AppSlug, "node_id": "A_" + s.opts.AppSlug, "client_id": "Iv1.fake" + s.opts.AppSlug,
		"name": s.opts.AppSlug, "description": "", "external_url": s.htmlURL(""), "html_url": s.htmlURL("apps/" + s.opts.AppSlug),
		"owner": s.userJSON(s.opts.AppSlug+"-org", "Organization"), "created_at": created, "updated_at": created,
		"permissions": appPermissions(), "installations_count": len(s.state.installations),
		"events": []string{"check_run", "check_suite", "issue_comment", "pull_request", "push"},
	}
}

// getApp serves apps/get-authenticated.
func (s *Server) getApp(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(c.w, http.StatusOK, s.appJSON())
}

// installationJSON is GitHub's installation object. s.mu must be held.
func (s *Server) installationJSON(in *installation) obj {
	id := strconv.FormatInt(in.id, 10)
	return obj{
		"id": in.id, "account": s.userJSON(in.account, "User"), "repository_selection": "all",
		"access_tokens_url": s.apiURL("app/installations/" + id + "/access_tokens"),
		"repositories_url":  s.apiURL("installation/repositories"),
		"html_url":          s.htmlURL("settings/installations/" + id),
		"app_id":            s.opts.AppID, "app_slug": s.opts.AppSlug, "target_id": userID(in.account), "target_type": "User",
		"permissions": appPermissions(), "events": []string{"check_run", "check_suite", "issue_comment", "pull_request", "push"},
		"created_at": timestamp(in.created), "updated_at": timestamp(in.created),
		"single_file_name": nil, "suspended_by": nil, "suspended_at": nil,
	}
}

// getInstallation serves apps/get-installation.
func (s *Server) getInstallation(c *call) {
	id, _ := strconv.ParseInt(c.params["installation_id"], 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.state.installations[id]
	if in == nil {
		notFound(c.w)
		return
	}
	writeJSON(c.w, http.StatusOK, s.installationJSON(in))
}

// getRepoInstallation serves apps/get-repo-installation.
func (s *Server) getRepoInstallation(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.state.repo(c.params["owner"], c.params["repo"])
	if r == nil || r.installationID == 0 {
		notFound(c.w)
		return
	}
	writeJSON(c.w, http.StatusOK, s.installationJSON(s.state.installations[r.installationID]))
}

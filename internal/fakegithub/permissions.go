package fakegithub

import (
	"net/http"
	"strings"
)

// SetPermission gives user a role on owner/repo: "admin", "maintain",
// "write", "triage", "read" or "none". Users never set have "read", as on a
// public repository; the owner has "admin".
func (s *Server) SetPermission(owner, repo, user, permission string) {
	s.tb.Helper()
	switch permission {
	case "admin", "maintain", "write", "triage", "read", "none":
	default:
		s.tb.Fatalf("fakegithub: SetPermission: unknown permission %q", permission)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.permissions[repoKey(owner, repo)+"@"+strings.ToLower(user)] = permission
}

// role is user's role on r. s.mu must be held.
func (s *Server) role(r *Repo, user string) string {
	if p, ok := s.state.permissions[repoKey(r.owner, r.name)+"@"+strings.ToLower(user)]; ok {
		return p
	}
	if strings.EqualFold(user, r.owner) {
		return "admin"
	}
	return "read"
}

// association is the author_association GitHub shows for user on r.
// s.mu must be held.
func (s *Server) association(r *Repo, user string) string {
	switch {
	case strings.EqualFold(user, r.owner):
		return "OWNER"
	case s.role(r, user) == "read" || s.role(r, user) == "none":
		return "NONE"
	}
	return "COLLABORATOR"
}

// getPermission serves repos/get-collaborator-permission-level. As on
// GitHub, "maintain" reads as permission "write" and "triage" as "read",
// with the real role in role_name.
func (s *Server) getPermission(c *call, r *Repo) {
	user := c.params["username"]
	s.mu.Lock()
	role := s.role(r, user)
	s.mu.Unlock()
	perm := map[string]string{"maintain": "write", "triage": "read"}[role]
	if perm == "" {
		perm = role
	}
	rank := map[string]int{"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}[role]
	u := s.userJSON(user, "User")
	u["role_name"] = role
	u["permissions"] = obj{"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5}
	writeJSON(c.w, http.StatusOK, obj{"permission": perm, "role_name": role, "user": u})
}

// SetTeamMember makes user an active member of org's team (by slug).
func (s *Server) SetTeamMember(org, team, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.teamMembers[strings.ToLower(org+"/"+team+"@"+user)] = true
}

// getTeamMembership answers GET /orgs/{org}/teams/{team_slug}/memberships/{username}:
// the membership of an active member, 404 otherwise, as GitHub does.
func (s *Server) getTeamMembership(c *call) {
	if _, ok := s.requireToken(c); !ok {
		return
	}
	org, team, user := c.params["org"], c.params["team_slug"], c.params["username"]
	s.mu.Lock()
	member := s.state.teamMembers[strings.ToLower(org+"/"+team+"@"+user)]
	s.mu.Unlock()
	if !member {
		notFound(c.w)
		return
	}
	writeJSON(c.w, http.StatusOK, obj{"url": s.apiURL("orgs/" + org + "/teams/" + team + "/memberships/" + user), "role": "member", "state": "active"})
}

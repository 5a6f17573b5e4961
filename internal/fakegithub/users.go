package fakegithub

import (
	"hash/crc32"
	"strings"
	"time"
)

// noreplyDomain is the domain of GitHub's private commit emails.
const noreplyDomain = "@users.noreply.github.com"

// userID is a stable numeric ID for a login.
func userID(login string) int64 { return int64(crc32.ChecksumIEEE([]byte(strings.ToLower(login)))) }

// userJSON is GitHub's simple-user for login; kind is "User", "Bot" or
// "Organization".
func (s *Server) userJSON(login, kind string) obj {
	api := s.apiURL("users/" + login)
	return obj{
		"login": login, "id": userID(login), "node_id": "U_" + login, "type": kind, "site_admin": false,
		"avatar_url": s.htmlURL("avatars/" + login), "gravatar_id": "",
		"url": api, "html_url": s.htmlURL(login),
		"followers_url": api + "/followers", "following_url": api + "/following{/other_user}",
		"gists_url": api + "/gists{/gist_id}", "starred_url": api + "/starred{/owner}{/repo}",
		"subscriptions_url": api + "/subscriptions", "organizations_url": api + "/orgs",
		"repos_url": api + "/repos", "events_url": api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
	}
}

// botLogin is the login GitHub gives the App's bot user.
func (s *Server) botLogin() string { return s.opts.AppSlug + "[bot]" }

// loginForEmail is the GitHub user a commit email belongs to, or "" when
// GitHub would not link the commit to a user.
func loginForEmail(email string) string {
	local, ok := strings.CutSuffix(strings.ToLower(email), noreplyDomain)
	if !ok {
		return ""
	}
	if _, after, found := strings.Cut(local, "+"); found {
		return after
	}
	return local
}

// timestamp formats t as GitHub does: RFC 3339 in UTC, in seconds.
func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// repoJSON is GitHub's repository object for r.
func (s *Server) repoJSON(r *Repo) obj {
	api := s.apiURL("repos/" + r.FullName())
	created := timestamp(time.Unix(commitEpochUnix, 0))
	o := obj{
		"id": r.id, "node_id": "R_" + r.FullName(), "name": r.name, "full_name": r.FullName(),
		"owner": s.userJSON(r.owner, "User"), "private": false, "visibility": "public",
		"html_url": s.htmlURL(r.FullName()), "description": nil, "fork": r.parent != nil,
		"url": api, "default_branch": defaultBranch, "archived": false, "disabled": false,
		"clone_url": s.htmlURL(r.FullName() + ".git"), "git_url": "git://" + strings.TrimPrefix(s.htmlURL(r.FullName()+".git"), "http://"),
		"commits_url": api + "/commits{/sha}", "compare_url": api + "/compare/{base}...{head}",
		"contents_url": api + "/contents/{+path}", "pulls_url": api + "/pulls{/number}",
		"issue_comment_url": api + "/issues/comments{/number}", "git_refs_url": api + "/git/refs{/sha}",
		"created_at": created, "updated_at": created, "pushed_at": created,
		"size": 0, "language": nil, "has_issues": true, "forks_count": 0, "open_issues_count": 0,
		"stargazers_count": 0, "watchers_count": 0, "topics": []string{},
	}
	if r.parent != nil {
		o["parent"] = s.repoJSON(r.parent)
		o["source"] = o["parent"]
	}
	return o
}

// getRepo serves repos/get.
func (s *Server) getRepo(c *call, r *Repo) { writeJSON(c.w, 200, s.repoJSON(r)) }

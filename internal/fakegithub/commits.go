package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// commitFilesPerPage is how many files GitHub lists per page of a commit,
// and commitFilesMax the most it lists at all.
const (
	commitFilesPerPage = 300
	commitFilesMax     = 3000
)

// commitMeta is what git log says about a commit.
type commitMeta struct {
	sha, tree                string
	parents                  []string
	authorName, authorEmail  string
	authorDate               time.Time
	committerName, commEmail string
	commitDate               time.Time
	message                  string
}

// commitFormat prints the fields of commitMeta separated by 0x1f, one
// commit per 0x1e.
const commitFormat = "--format=%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%B%x1e"

// commits reads the metadata of shas, in the order given: full SHAs from
// the long-running cat-file (or the cache), anything else, or anything
// cat-file could not read, with git log, whose error is the one to report.
func (r *Repo) commits(shas ...string) ([]commitMeta, error) {
	if len(shas) == 0 {
		return nil, nil
	}
	if slices.ContainsFunc(shas, func(sha string) bool { return !fullSHA(sha) }) {
		return r.logCommits(shas)
	}
	metas := make([]commitMeta, 0, len(shas))
	for _, sha := range shas {
		raw, err := r.commitObject(sha)
		if err != nil {
			return r.logCommits(shas)
		}
		m, err := parseCommit(sha, raw)
		if err != nil {
			return nil, err
		}
		metas = append(metas, m)
	}
	return metas, nil
}

// commitObject is the raw commit object named by the full SHA sha.
func (r *Repo) commitObject(sha string) (string, error) {
	key := r.dir + "\x00cat-file --batch\x00" + sha
	if raw, ok := r.s.gitCache.get(key); ok {
		return raw, nil
	}
	kind, raw, ok, err := r.objects.read(r.dir, sha)
	if err != nil {
		return "", err
	}
	if !ok || kind != "commit" {
		return "", fmt.Errorf("%s is not a commit of %s", sha, r.FullName())
	}
	r.s.gitCache.put(key, raw)
	return raw, nil
}

// logCommits reads the metadata of shas with git log.
func (r *Repo) logCommits(shas []string) ([]commitMeta, error) {
	out, err := r.run(append([]string{"log", "--no-walk=unsorted", commitFormat}, shas...)...)
	if err != nil {
		return nil, err
	}
	var metas []commitMeta
	for _, rec := range strings.Split(out, "\x1e") {
		f := strings.Split(strings.TrimLeft(rec, "\n"), "\x1f")
		if len(f) != 10 {
			continue
		}
		ad, _ := time.Parse(time.RFC3339, f[5])
		cd, _ := time.Parse(time.RFC3339, f[8])
		metas = append(metas, commitMeta{sha: f[0], tree: f[1], parents: strings.Fields(f[2]),
			authorName: f[3], authorEmail: f[4], authorDate: ad, committerName: f[6], commEmail: f[7],
			commitDate: cd, message: strings.TrimRight(f[9], "\n")})
	}
	return metas, nil
}

// resolve turns a ref (SHA, branch, heads/x, tags/x, refs/pull/N/head) into a
// commit SHA; ok is false when the repository has no such commit.
func (r *Repo) resolve(ref string) (string, bool) {
	if ref == "" {
		ref = defaultBranch
	}
	if strings.HasPrefix(ref, "-") {
		return "", false
	}
	if fullSHA(ref) {
		if _, err := r.commitObject(ref); err == nil {
			return ref, true
		}
	}
	out, err := r.run("rev-parse", "--verify", "-q", ref+"^{commit}")
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(out), true
}

// commitJSON is GitHub's commit object, without stats and files.
func (s *Server) commitJSON(r *Repo, m commitMeta) obj {
	api := s.apiURL("repos/" + r.FullName())
	var parents []obj
	for _, p := range m.parents {
		parents = append(parents, obj{"sha": p, "url": api + "/commits/" + p, "html_url": s.htmlURL(r.FullName() + "/commit/" + p)})
	}
	if parents == nil {
		parents = []obj{}
	}
	return obj{
		"sha": m.sha, "node_id": "C_" + m.sha, "url": api + "/commits/" + m.sha,
		"html_url": s.htmlURL(r.FullName() + "/commit/" + m.sha), "comments_url": api + "/commits/" + m.sha + "/comments",
		"commit": obj{
			"url":       api + "/git/commits/" + m.sha,
			"author":    obj{"name": m.authorName, "email": m.authorEmail, "date": timestamp(m.authorDate)},
			"committer": obj{"name": m.committerName, "email": m.commEmail, "date": timestamp(m.commitDate)},
			"message":   m.message, "comment_count": 0,
			"tree":         obj{"sha": m.tree, "url": api + "/git/trees/" + m.tree},
			"verification": obj{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil},
		},
		"author": s.commitUser(m.authorEmail), "committer": s.commitUser(m.commEmail),
		"parents": parents,
	}
}

// commitUser is the GitHub user linked to a commit email, or null.
func (s *Server) commitUser(email string) any {
	if login := loginForEmail(email); login != "" {
		return s.userJSON(login, "User")
	}
	return nil
}

// getCommit serves repos/get-commit: the commit with stats and its files
// against its first parent, 300 files per page.
func (s *Server) getCommit(c *call, r *Repo) {
	sha, ok := r.resolve(c.params["ref"])
	if !ok {
		writeError(c.w, http.StatusUnprocessableEntity, "No commit found for SHA: "+c.params["ref"])
		return
	}
	metas, err := r.commits(sha)
	if err != nil || len(metas) != 1 {
		s.internalError(c, err)
		return
	}
	parent := ""
	if len(metas[0].parents) > 0 {
		parent = metas[0].parents[0]
	}
	files, err := r.diff(parent, sha)
	if err != nil {
		s.internalError(c, err)
		return
	}
	files = files[:min(len(files), commitFilesMax)]
	o := s.commitJSON(r, metas[0])
	adds, dels := 0, 0
	for _, f := range files {
		adds, dels = adds+f.additions, dels+f.deletions
	}
	o["stats"] = obj{"additions": adds, "deletions": dels, "total": adds + dels}
	page, per := pageOf(c.r.URL.Query(), commitFilesPerPage, commitFilesPerPage)
	lo, hi := s.paginate(c, len(files), page, per)
	list := []obj{}
	for _, f := range files[lo:hi] {
		list = append(list, s.fileJSON(r, sha, f))
	}
	o["files"] = list
	writeJSON(c.w, http.StatusOK, o)
}

// listCommits serves repos/list-commits: newest first from sha (default
// branch by default), optionally touching path.
func (s *Server) listCommits(c *call, r *Repo) {
	q := c.r.URL.Query()
	sha, ok := r.resolve(q.Get("sha"))
	if !ok {
		notFound(c.w)
		return
	}
	args := []string{"rev-list", sha}
	if p := q.Get("path"); p != "" {
		args = append(args, "--", p)
	}
	out, err := r.run(args...)
	if err != nil {
		s.internalError(c, err)
		return
	}
	shas := strings.Fields(out)
	page, per := pageOf(q, defaultPerPage, maxPerPage)
	lo, hi := s.paginate(c, len(shas), page, per)
	s.writeCommitList(c, r, shas[lo:hi])
}

// writeCommitList answers with the commit objects of shas.
func (s *Server) writeCommitList(c *call, r *Repo, shas []string) {
	metas, err := r.commits(shas...)
	if err != nil {
		s.internalError(c, err)
		return
	}
	list := []obj{}
	for _, m := range metas {
		list = append(list, s.commitJSON(r, m))
	}
	writeJSON(c.w, http.StatusOK, list)
}

// internalError answers 500 and records a violation: the fake itself
// failed, so the test cannot be trusted.
func (s *Server) internalError(c *call, err error) {
	s.violate("%s %s: fakegithub internal error: %v", c.r.Method, c.path, err)
	writeError(c.w, http.StatusInternalServerError, "Server Error")
}

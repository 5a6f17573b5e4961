package fakegithub

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Pull request limits: commits listed, files listed.
const (
	pullMaxCommits = 250
	pullMaxFiles   = 3000
)

// PullRequest is an open pull request. Set its exported fields before the
// App reads the pull request.
type PullRequest struct {
	Repo       *Repo  // the base repository
	Number     int    // the number, unique in Repo
	HeadRepo   *Repo  // Repo itself, or a fork
	HeadBranch string // branch in HeadRepo
	BaseBranch string // branch in Repo
	Title      string
	Body       string
	User       string // the author's login
}

// AddPullRequest opens pull request number on repo, from headBranch of
// headRepo (repo itself or a fork) into baseBranch. As on GitHub, the head
// commits become readable in repo through refs/pull/<number>/head, and
// follow later commits on headBranch.
func (s *Server) AddPullRequest(repo *Repo, number int, headRepo *Repo, headBranch, baseBranch string) *PullRequest {
	s.tb.Helper()
	pr := &PullRequest{Repo: repo, Number: number, HeadRepo: headRepo, HeadBranch: headBranch,
		BaseBranch: baseBranch, Title: "Pull request " + strconv.Itoa(number), User: headRepo.owner}
	s.mu.Lock()
	key := pullKey(repo, number)
	_, dup := s.state.pulls[key]
	if !dup {
		s.state.pulls[key] = pr
	}
	s.mu.Unlock()
	if dup {
		s.tb.Fatalf("fakegithub: pull request %s#%d already exists", repo.FullName(), number)
	}
	if err := pr.fetchHead(); err != nil {
		s.tb.Fatalf("fakegithub: %v", err)
	}
	return pr
}

// pullKey is the state key of pull request number in repo.
func pullKey(r *Repo, number int) string {
	return repoKey(r.owner, r.name) + "#" + strconv.Itoa(number)
}

// headRef is where the base repository keeps the pull request's head.
func (pr *PullRequest) headRef() string { return fmt.Sprintf("refs/pull/%d/head", pr.Number) }

// fetchHead points refs/pull/N/head in the base repository at the head
// branch, fetching a fork's commits.
func (pr *PullRequest) fetchHead() error {
	if pr.HeadRepo == pr.Repo {
		_, err := pr.Repo.run("update-ref", pr.headRef(), "refs/heads/"+pr.HeadBranch)
		return err
	}
	_, err := pr.Repo.run("fetch", "-q", pr.HeadRepo.dir, "+refs/heads/"+pr.HeadBranch+":"+pr.headRef())
	return err
}

// syncPulls updates the pull requests whose head lives in r, as a push to
// GitHub does.
func (s *Server) syncPulls(r *Repo) {
	s.tb.Helper()
	s.mu.Lock()
	var prs []*PullRequest
	for _, pr := range s.state.pulls {
		if pr.HeadRepo == r || pr.Repo == r {
			prs = append(prs, pr)
		}
	}
	s.mu.Unlock()
	for _, pr := range prs {
		if err := pr.fetchHead(); err != nil {
			s.tb.Fatalf("fakegithub: update %s#%d: %v", pr.Repo.FullName(), pr.Number, err)
		}
	}
}

// pull finds the pull request named by the request, or answers 404.
func (s *Server) pull(c *call, r *Repo, param string) (*PullRequest, bool) {
	n, _ := strconv.Atoi(c.params[param])
	s.mu.Lock()
	pr := s.state.pulls[pullKey(r, n)]
	s.mu.Unlock()
	if pr == nil {
		notFound(c.w)
		return nil, false
	}
	return pr, true
}

// pullRange is the base tip, merge base and head of a pull request.
func (pr *PullRequest) pullRange() (base, mergeBase, head string, err error) {
	base, ok := pr.Repo.resolve("refs/heads/" + pr.BaseBranch)
	head, ok2 := pr.Repo.resolve(pr.headRef())
	if !ok || !ok2 {
		return "", "", "", fmt.Errorf("pull request %d: missing base or head", pr.Number)
	}
	mb, err := pr.Repo.run("merge-base", base, head)
	return base, strings.TrimSpace(mb), head, err
}

// commitSHAs lists the pull request's commits, oldest first, at most 250.
func (pr *PullRequest) commitSHAs() ([]string, error) {
	base, _, head, err := pr.pullRange()
	if err != nil {
		return nil, err
	}
	out, err := pr.Repo.run("rev-list", "--reverse", "--date-order", base+".."+head)
	shas := strings.Fields(out)
	return shas[:min(len(shas), pullMaxCommits)], err
}

// pullWithRange finds the pull request a call names and its commit range
// (base, merge base, head), answering the error itself when it cannot.
func (s *Server) pullWithRange(c *call, r *Repo) (pr *PullRequest, base, mergeBase, head string, ok bool) {
	pr, ok = s.pull(c, r, "pull_number")
	if !ok {
		return nil, "", "", "", false
	}
	base, mergeBase, head, err := pr.pullRange()
	if err != nil {
		s.internalError(c, err)
		return nil, "", "", "", false
	}
	return pr, base, mergeBase, head, true
}

// getPull serves pulls/get.
func (s *Server) getPull(c *call, r *Repo) {
	pr, base, mergeBase, head, ok := s.pullWithRange(c, r)
	if !ok {
		return
	}
	shas, err := pr.commitSHAs()
	if err != nil {
		s.internalError(c, err)
		return
	}
	files, err := r.diff(mergeBase, head)
	if err != nil {
		s.internalError(c, err)
		return
	}
	adds, dels := 0, 0
	for _, f := range files {
		adds, dels = adds+f.additions, dels+f.deletions
	}
	o := s.pullJSON(pr, base, head)
	o["commits"], o["additions"], o["deletions"], o["changed_files"] = len(shas), adds, dels, len(files)
	writeJSON(c.w, http.StatusOK, o)
}

// pullJSON is GitHub's pull-request object, without the counts.
func (s *Server) pullJSON(pr *PullRequest, base, head string) obj {
	r := pr.Repo
	api := s.apiURL("repos/" + r.FullName())
	n := strconv.Itoa(pr.Number)
	web := s.htmlURL(r.FullName() + "/pull/" + n)
	created := timestamp(time.Unix(commitEpochUnix, 0))
	branch := func(repo *Repo, ref, sha string) obj {
		return obj{"label": repo.owner + ":" + ref, "ref": ref, "sha": sha,
			"user": s.userJSON(repo.owner, "User"), "repo": s.repoJSON(repo)}
	}
	return obj{
		"id": userID(r.FullName() + "#" + n), "node_id": "PR_" + r.FullName() + "#" + n, "number": pr.Number,
		"url": api + "/pulls/" + n, "html_url": web, "diff_url": web + ".diff", "patch_url": web + ".patch",
		"issue_url": api + "/issues/" + n, "commits_url": api + "/pulls/" + n + "/commits",
		"comments_url": api + "/issues/" + n + "/comments", "statuses_url": api + "/statuses/" + head,
		"state": "open", "locked": false, "title": pr.Title, "body": pr.Body, "user": s.userJSON(pr.User, "User"),
		"created_at": created, "updated_at": created, "closed_at": nil, "merged_at": nil,
		"merge_commit_sha": nil, "draft": false, "merged": false, "mergeable": nil, "rebaseable": nil,
		"mergeable_state": "unknown", "merged_by": nil, "comments": 0, "review_comments": 0,
		"maintainer_can_modify": false, "author_association": "CONTRIBUTOR",
		"labels": []obj{}, "assignees": []obj{}, "requested_reviewers": []obj{}, "requested_teams": []obj{},
		"head": branch(pr.HeadRepo, pr.HeadBranch, head), "base": branch(r, pr.BaseBranch, base),
	}
}

// listPullCommits serves pulls/list-commits.
func (s *Server) listPullCommits(c *call, r *Repo) {
	pr, ok := s.pull(c, r, "pull_number")
	if !ok {
		return
	}
	shas, err := pr.commitSHAs()
	if err != nil {
		s.internalError(c, err)
		return
	}
	page, per := pageOf(c.r.URL.Query(), defaultPerPage, maxPerPage)
	lo, hi := s.paginate(c, len(shas), page, per)
	s.writeCommitList(c, r, shas[lo:hi])
}

// listPullFiles serves pulls/list-files: the diff from the merge base to
// the head, at most 3000 files.
func (s *Server) listPullFiles(c *call, r *Repo) {
	_, _, mergeBase, head, ok := s.pullWithRange(c, r)
	if !ok {
		return
	}
	files, err := r.diff(mergeBase, head)
	if err != nil {
		s.internalError(c, err)
		return
	}
	files = files[:min(len(files), pullMaxFiles)]
	page, per := pageOf(c.r.URL.Query(), defaultPerPage, maxPerPage)
	lo, hi := s.paginate(c, len(files), page, per)
	list := []obj{}
	for _, f := range files[lo:hi] {
		list = append(list, s.fileJSON(r, head, f))
	}
	writeJSON(c.w, http.StatusOK, list)
}

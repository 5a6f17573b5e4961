package fakegithub

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Compare limits: commits without pagination, and files.
const (
	compareMaxCommits = 250
	compareMaxFiles   = 300
)

// compareCommits serves repos/compare-commits for BASE...HEAD, where each
// side may be "owner:ref" naming the repository's own owner.
func (s *Server) compareCommits(c *call, r *Repo) {
	baseRef, headRef, ok := strings.Cut(c.params["basehead"], "...")
	if !ok {
		notFound(c.w)
		return
	}
	base, okBase := r.resolve(stripOwner(r, baseRef))
	head, okHead := r.resolve(stripOwner(r, headRef))
	if !okBase || !okHead {
		notFound(c.w)
		return
	}
	mb, err := r.run("merge-base", base, head)
	if err != nil {
		writeError(c.w, http.StatusNotFound, "No common ancestor between "+baseRef+" and "+headRef+".")
		return
	}
	mergeBase := strings.TrimSpace(mb)
	out, err := r.run("rev-list", "--reverse", "--date-order", base+".."+head)
	if err != nil {
		s.internalError(c, err)
		return
	}
	shas := strings.Fields(out)
	behind, err := r.run("rev-list", "--count", head+".."+base)
	if err != nil {
		s.internalError(c, err)
		return
	}
	behindBy, _ := strconv.Atoi(strings.TrimSpace(behind))
	q := c.r.URL.Query()
	paged := q.Has("page") || q.Has("per_page")
	page := 1
	list := shas[max(len(shas)-compareMaxCommits, 0):] // the newest 250, oldest first
	if paged {
		var per int
		page, per = pageOf(q, defaultPerPage, maxPerPage)
		lo, hi := s.paginate(c, len(shas), page, per)
		list = shas[lo:hi]
	}
	s.writeComparison(c, r, comparison{base: base, head: head, mergeBase: mergeBase, shas: list,
		total: len(shas), behind: behindBy, withFiles: page == 1, basehead: c.params["basehead"]})
}

// stripOwner removes an "owner:" prefix naming r's owner from a ref.
func stripOwner(r *Repo, ref string) string {
	if owner, rest, ok := strings.Cut(ref, ":"); ok && strings.EqualFold(owner, r.owner) {
		return rest
	}
	return ref
}

// comparison is what compareCommits has worked out.
type comparison struct {
	base, head, mergeBase, basehead string
	shas                            []string
	total, behind                   int
	withFiles                       bool
}

// writeComparison renders GitHub's commit-comparison.
func (s *Server) writeComparison(c *call, r *Repo, cmp comparison) {
	ends, err := r.commits(cmp.base)
	if err == nil {
		var mb []commitMeta
		mb, err = r.commits(cmp.mergeBase)
		ends = append(ends, mb...)
	}
	metas, errList := r.commits(cmp.shas...)
	if err != nil || errList != nil || len(ends) != 2 || len(metas) != len(cmp.shas) {
		s.internalError(c, fmt.Errorf("read compared commits: %v %v", err, errList))
		return
	}
	commits := []obj{}
	for _, m := range metas {
		commits = append(commits, s.commitJSON(r, m))
	}
	files := []obj{}
	if cmp.withFiles {
		changes, err := r.diff(cmp.mergeBase, cmp.head)
		if err != nil {
			s.internalError(c, err)
			return
		}
		for _, f := range changes[:min(len(changes), compareMaxFiles)] {
			files = append(files, s.fileJSON(r, cmp.head, f))
		}
	}
	status := "diverged"
	switch {
	case cmp.total == 0 && cmp.behind == 0:
		status = "identical"
	case cmp.behind == 0:
		status = "ahead"
	case cmp.total == 0:
		status = "behind"
	}
	web := s.htmlURL(r.FullName() + "/compare/" + cmp.basehead)
	writeJSON(c.w, http.StatusOK, obj{
		"url": s.apiURL("repos/" + r.FullName() + "/compare/" + cmp.basehead), "html_url": web,
		"permalink_url": s.htmlURL(r.FullName() + "/compare/" + cmp.base + "..." + cmp.head),
		"diff_url":      web + ".diff", "patch_url": web + ".patch",
		"base_commit": s.commitJSON(r, ends[0]), "merge_base_commit": s.commitJSON(r, ends[1]),
		"status": status, "ahead_by": cmp.total, "behind_by": cmp.behind, "total_commits": cmp.total,
		"commits": commits, "files": files,
	})
}

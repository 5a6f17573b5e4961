package fakegithub

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Comment is an issue or pull request comment as the fake recorded it.
type Comment struct {
	ID          int64
	Repo        string // owner/name
	IssueNumber int
	User        string
	Body        string
	Bodies      []string // every body it had, oldest first
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Reactions   []Reaction
}

// Reaction is a reaction on a comment.
type Reaction struct {
	ID      int64
	User    string
	Content string
}

// AddComment posts a comment as user on pull request number of repo, as a
// person would in the web UI.
func (s *Server) AddComment(repo *Repo, number int, user, body string) Comment {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.pulls[pullKey(repo, number)] == nil {
		s.tb.Fatalf("fakegithub: AddComment: no pull request %s#%d", repo.FullName(), number)
	}
	return *s.addComment(repo, number, user, body)
}

// addComment stores a new comment. s.mu must be held.
func (s *Server) addComment(r *Repo, number int, user, body string) *Comment {
	now := time.Now().UTC()
	cm := &Comment{ID: s.state.newID(), Repo: r.FullName(), IssueNumber: number, User: user, Body: body,
		Bodies: []string{body}, CreatedAt: now, UpdatedAt: now}
	s.state.comments[cm.ID] = cm
	s.state.commentOrder = append(s.state.commentOrder, cm.ID)
	return cm
}

// Comments returns copies of the comments on issue or pull request n of
// owner/repo, oldest first.
func (s *Server) Comments(owner, repo string, n int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, id := range s.state.commentOrder {
		cm := s.state.comments[id]
		if strings.EqualFold(cm.Repo, owner+"/"+repo) && cm.IssueNumber == n {
			cp := *cm
			cp.Bodies = append([]string(nil), cm.Bodies...)
			cp.Reactions = append([]Reaction(nil), cm.Reactions...)
			out = append(out, cp)
		}
	}
	return out
}

// commentBody decodes {"body": …} or answers 400.
func commentBody(c *call) (string, bool) {
	var req struct {
		Body *string `json:"body"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil || req.Body == nil {
		writeError(c.w, http.StatusBadRequest, "Problems parsing JSON")
		return "", false
	}
	return *req.Body, true
}

// createComment serves issues/create-comment, authored by the App's bot.
func (s *Server) createComment(c *call, r *Repo) {
	body, ok := commentBody(c)
	if !ok {
		return
	}
	n, _ := strconv.Atoi(c.params["issue_number"])
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.pulls[pullKey(r, n)] == nil {
		notFound(c.w)
		return
	}
	cm := s.addComment(r, n, s.botLogin(), body)
	writeJSON(c.w, http.StatusCreated, s.commentJSON(r, cm))
}

// listComments serves issues/list-comments.
func (s *Server) listComments(c *call, r *Repo) {
	n, _ := strconv.Atoi(c.params["issue_number"])
	q := c.r.URL.Query()
	var since time.Time
	if v := q.Get("since"); v != "" {
		since, _ = time.Parse(time.RFC3339, v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.pulls[pullKey(r, n)] == nil {
		notFound(c.w)
		return
	}
	var all []*Comment
	for _, id := range s.state.commentOrder {
		cm := s.state.comments[id]
		if cm.Repo == r.FullName() && cm.IssueNumber == n && !cm.UpdatedAt.Before(since) {
			all = append(all, cm)
		}
	}
	page, per := pageOf(q, defaultPerPage, maxPerPage)
	lo, hi := s.paginate(c, len(all), page, per)
	list := []obj{}
	for _, cm := range all[lo:hi] {
		list = append(list, s.commentJSON(r, cm))
	}
	writeJSON(c.w, http.StatusOK, list)
}

// commentIn finds comment id in r. s.mu must be held.
func (s *Server) commentIn(r *Repo, id string) *Comment {
	n, _ := strconv.ParseInt(id, 10, 64)
	cm := s.state.comments[n]
	if cm == nil || cm.Repo != r.FullName() {
		return nil
	}
	return cm
}

// getComment serves issues/get-comment.
func (s *Server) getComment(c *call, r *Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cm := s.commentIn(r, c.params["comment_id"])
	if cm == nil {
		notFound(c.w)
		return
	}
	writeJSON(c.w, http.StatusOK, s.commentJSON(r, cm))
}

// updateComment serves issues/update-comment. Only the author may edit: the
// App's bot cannot edit a person's comment.
func (s *Server) updateComment(c *call, r *Repo) {
	body, ok := commentBody(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cm := s.commentIn(r, c.params["comment_id"])
	if cm == nil {
		notFound(c.w)
		return
	}
	if cm.User != s.botLogin() {
		writeError(c.w, http.StatusForbidden, "Resource not accessible by integration")
		return
	}
	cm.Body, cm.UpdatedAt = body, time.Now().UTC()
	cm.Bodies = append(cm.Bodies, body)
	writeJSON(c.w, http.StatusOK, s.commentJSON(r, cm))
}

// commentJSON is GitHub's issue-comment object. s.mu must be held.
func (s *Server) commentJSON(r *Repo, cm *Comment) obj {
	api := s.apiURL("repos/" + r.FullName())
	id := strconv.FormatInt(cm.ID, 10)
	kind, assoc := "User", s.association(r, cm.User)
	var app any
	if cm.User == s.botLogin() {
		kind, app = "Bot", s.appJSON()
	}
	return obj{
		"id": cm.ID, "node_id": "IC_" + id, "url": api + "/issues/comments/" + id,
		"html_url":  s.htmlURL(r.FullName() + "/pull/" + strconv.Itoa(cm.IssueNumber) + "#issuecomment-" + id),
		"issue_url": api + "/issues/" + strconv.Itoa(cm.IssueNumber),
		"body":      cm.Body, "user": s.userJSON(cm.User, kind), "author_association": assoc,
		"created_at": timestamp(cm.CreatedAt), "updated_at": timestamp(cm.UpdatedAt),
		"performed_via_github_app": app,
	}
}

// createReaction serves reactions/create-for-issue-comment, as the App's
// bot: 201 for a new reaction, 200 when it already exists.
func (s *Server) createReaction(c *call, r *Repo) {
	var req struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(c.body, &req); err != nil {
		writeError(c.w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cm := s.commentIn(r, c.params["comment_id"])
	if cm == nil {
		notFound(c.w)
		return
	}
	status := http.StatusOK
	var re *Reaction
	for i := range cm.Reactions {
		if cm.Reactions[i].User == s.botLogin() && cm.Reactions[i].Content == req.Content {
			re = &cm.Reactions[i]
		}
	}
	if re == nil {
		cm.Reactions = append(cm.Reactions, Reaction{ID: s.state.newID(), User: s.botLogin(), Content: req.Content})
		re, status = &cm.Reactions[len(cm.Reactions)-1], http.StatusCreated
	}
	writeJSON(c.w, status, obj{"id": re.ID, "node_id": "REA_" + strconv.FormatInt(re.ID, 10),
		"user": s.userJSON(re.User, "Bot"), "content": re.Content, "created_at": timestamp(time.Now())})
}

package fakegithub

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Repo is a repository on the fake GitHub, backed by a real git repository
// with a working tree. Its helpers run in the test's goroutine and fail the
// test on error.
type Repo struct {
	s              *Server
	id             int64
	owner, name    string
	installationID int64
	dir            string
	parent         *Repo
	authorName     string
	authorEmail    string
	objects        *catFile // reads commit objects by SHA
}

// defaultBranch is the branch AddRepo creates and GitHub reports.
const defaultBranch = "main"

// AddRepo creates owner/name as an empty git repository on branch main,
// owned by the installation installationID (0: the App is not installed).
func (s *Server) AddRepo(owner, name string, installationID int64) *Repo {
	s.tb.Helper()
	dir := filepath.Join(s.tb.TempDir(), owner, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.tb.Fatalf("fakegithub: %v", err)
	}
	r := &Repo{s: s, owner: owner, name: name, installationID: installationID, dir: dir,
		authorName: "The Octocat", authorEmail: "octocat@users.noreply.github.com", objects: &catFile{}}
	s.tb.Cleanup(r.objects.close)
	r.mustGit("init", "-q", "-b", defaultBranch)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.state.repos[repoKey(owner, name)]; dup {
		s.tb.Fatalf("fakegithub: repository %s/%s already exists", owner, name)
	}
	r.id = s.state.newID()
	s.state.repos[repoKey(owner, name)] = r
	if installationID != 0 {
		s.state.installation(installationID, owner)
	}
	return r
}

// repoKey is the lookup key of a repository: GitHub matches names without
// regard to case.
func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

// Owner is the login of the repository's owner.
func (r *Repo) Owner() string { return r.owner }

// Name is the repository's name.
func (r *Repo) Name() string { return r.name }

// FullName is "owner/name".
func (r *Repo) FullName() string { return r.owner + "/" + r.name }

// ID is the repository's numeric ID.
func (r *Repo) ID() int64 { return r.id }

// Dir is the git working tree on disk.
func (r *Repo) Dir() string { return r.dir }

// SetAuthor sets the author and committer of later commits. An email
// "login@users.noreply.github.com" makes the API report GitHub user login.
func (r *Repo) SetAuthor(name, email string) { r.authorName, r.authorEmail = name, email }

// Commit writes files (path → content) into the working tree, deletes the
// paths in remove, commits everything on the current branch and returns the
// new commit's SHA. Deleting a file and adding one with similar content is
// a rename, as git and GitHub detect it.
func (r *Repo) Commit(msg string, files map[string]string, remove ...string) string {
	r.s.tb.Helper()
	for path, content := range files {
		full := filepath.Join(r.dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.s.tb.Fatalf("fakegithub: %v", err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			r.s.tb.Fatalf("fakegithub: %v", err)
		}
	}
	for _, path := range remove {
		if err := os.Remove(filepath.Join(r.dir, filepath.FromSlash(path))); err != nil {
			r.s.tb.Fatalf("fakegithub: %v", err)
		}
	}
	r.mustGit("add", "-A")
	r.mustGitAt(r.s.nextCommitTime(), "commit", "-q", "--allow-empty", "--no-verify", "-m", msg)
	r.s.syncPulls(r)
	return r.Head()
}

// Branch creates branch name at the current commit without switching to it.
func (r *Repo) Branch(name string) {
	r.s.tb.Helper()
	r.mustGit("branch", name)
}

// Checkout switches the working tree to branch (or commit) name.
func (r *Repo) Checkout(name string) {
	r.s.tb.Helper()
	r.mustGit("checkout", "-q", name)
}

// Head is the SHA of the current commit.
func (r *Repo) Head() string { return r.SHA("HEAD") }

// SHA resolves a revision such as a branch name to a commit SHA.
func (r *Repo) SHA(rev string) string {
	r.s.tb.Helper()
	return strings.TrimSpace(r.mustGit("rev-parse", "--verify", "-q", rev+"^{commit}"))
}

// Git runs any git command in the repository (merges, resets, force
// pushes…) and returns its output. Pull requests whose head lives here are
// updated afterwards, as a push would.
func (r *Repo) Git(args ...string) string {
	r.s.tb.Helper()
	out := r.mustGitAt(r.s.nextCommitTime(), args...)
	r.s.syncPulls(r)
	return out
}

// Fork copies the repository, with all its branches, to owner/name. The
// fork is not part of any installation.
func (r *Repo) Fork(owner string) *Repo {
	r.s.tb.Helper()
	f := r.s.AddRepo(owner, r.name, 0)
	f.parent = r
	f.mustGit("fetch", "-q", "--update-head-ok", r.dir, "+refs/heads/*:refs/heads/*")
	f.mustGit("reset", "-q", "--hard")
	return f
}

// mustGit runs git in the repository and fails the test on error.
func (r *Repo) mustGit(args ...string) string {
	r.s.tb.Helper()
	return r.mustGitAt(time.Time{}, args...)
}

// mustGitAt runs git with author and committer dates set to date.
func (r *Repo) mustGitAt(date time.Time, args ...string) string {
	r.s.tb.Helper()
	out, err := git(r.dir, gitEnv(date, r.authorName, r.authorEmail), args...)
	if err != nil {
		r.s.tb.Fatalf("fakegithub: %s: %v", r.FullName(), err)
	}
	return out
}

// run runs a read-only git command for a handler. The answer of a command
// naming objects only by full SHA never changes, so it is cached.
func (r *Repo) run(args ...string) (string, error) {
	if !immutableGit(args) {
		return git(r.dir, nil, args...)
	}
	key := r.dir + "\x00" + strings.Join(args, "\x00")
	if out, ok := r.s.gitCache.get(key); ok {
		return out, nil
	}
	out, err := git(r.dir, nil, args...)
	if err == nil {
		r.s.gitCache.put(key, out)
	}
	return out, err
}

// nextCommitTime is the date of the next commit: one minute after the last.
func (s *Server) nextCommitTime() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.commits++
	return time.Unix(commitEpochUnix, 0).UTC().Add(time.Duration(s.state.commits) * time.Minute)
}

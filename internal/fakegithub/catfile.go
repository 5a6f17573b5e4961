package fakegithub

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// catFile is one long-running `git cat-file --batch` of a repository: the
// fake reads commit objects by SHA through it instead of starting a git
// process per read. Only full SHAs are asked, whose objects never change.
type catFile struct {
	mu     sync.Mutex
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	closed bool
}

// read returns the type and content of the object named by the full SHA
// sha; ok is false when the repository has no such object.
func (c *catFile) read(dir, sha string) (kind, content string, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return "", "", false, fmt.Errorf("cat-file %s: repository closed", sha)
	}
	if c.cmd == nil {
		if err := c.start(dir); err != nil {
			return "", "", false, err
		}
	}
	if _, err := io.WriteString(c.in, sha+"\n"); err != nil {
		return "", "", false, c.fail(fmt.Errorf("cat-file %s: %w", sha, err))
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return "", "", false, c.fail(fmt.Errorf("cat-file %s: %w", sha, err))
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return "", "", false, nil
	}
	size := 0
	if len(f) == 3 {
		size, err = strconv.Atoi(f[2])
	}
	if len(f) != 3 || err != nil || f[0] != sha {
		return "", "", false, c.fail(fmt.Errorf("cat-file %s: unexpected header %q", sha, header))
	}
	buf := make([]byte, size+1) // the content and a newline
	if _, err := io.ReadFull(c.out, buf); err != nil {
		return "", "", false, c.fail(fmt.Errorf("cat-file %s: %w", sha, err))
	}
	return f[1], string(buf[:size]), true, nil
}

// start runs git cat-file --batch in dir.
func (c *catFile) start(dir string) error {
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir, cmd.Env = dir, gitEnv(time.Time{}, "", "")
	in, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("cat-file: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cat-file: %w", err)
	}
	c.cmd, c.in, c.out = cmd, in, bufio.NewReader(out)
	return nil
}

// fail stops the process after an error, so that the next read starts a
// fresh one, and returns err.
func (c *catFile) fail(err error) error {
	c.stop()
	return err
}

// stop ends the process, if one runs.
func (c *catFile) stop() {
	if c.cmd == nil {
		return
	}
	c.in.Close()
	_ = c.cmd.Wait()
	c.cmd, c.in, c.out = nil, nil, nil
}

// close ends the process for good; later reads fail.
func (c *catFile) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stop()
	c.closed = true
}

// parseCommit reads a raw commit object into commitMeta.
func parseCommit(sha, raw string) (commitMeta, error) {
	headers, message, _ := strings.Cut(raw, "\n\n")
	m := commitMeta{sha: sha, parents: []string{}, message: strings.TrimRight(message, "\n")}
	for line := range strings.Lines(headers) {
		key, value, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		var err error
		switch key {
		case "tree":
			m.tree = value
		case "parent":
			m.parents = append(m.parents, value)
		case "author":
			m.authorName, m.authorEmail, m.authorDate, err = parseIdent(value)
		case "committer":
			m.committerName, m.commEmail, m.commitDate, err = parseIdent(value)
		}
		if err != nil {
			return commitMeta{}, fmt.Errorf("commit %s: %w", sha, err)
		}
	}
	if m.tree == "" || m.authorDate.IsZero() || m.commitDate.IsZero() {
		return commitMeta{}, fmt.Errorf("commit %s: incomplete headers %q", sha, headers)
	}
	return m, nil
}

// parseIdent reads "Name <email> 1700000000 +0100".
func parseIdent(v string) (name, email string, at time.Time, err error) {
	lt, gt := strings.Index(v, "<"), strings.LastIndex(v, ">")
	if lt < 0 || gt < lt {
		return "", "", time.Time{}, fmt.Errorf("identity %q", v)
	}
	f := strings.Fields(v[gt+1:])
	if len(f) != 2 {
		return "", "", time.Time{}, fmt.Errorf("identity %q", v)
	}
	unix, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return "", "", time.Time{}, fmt.Errorf("identity %q: %w", v, err)
	}
	return strings.TrimSpace(v[:lt]), v[lt+1 : gt], time.Unix(unix, 0).UTC(), nil
}

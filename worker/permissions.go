package worker

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
)

// permissionTTL is how long a user's permission on a repository is trusted
// before it is asked again: short, so a removed maintainer loses the right
// to dismiss within a minute.
const permissionTTL = time.Minute

// permissions answers whether a user may change pushguard's state on a
// repository (write, maintain or admin), asking GitHub's
// collaborator-permission API and caching the answer briefly.
type permissions struct {
	mu    sync.Mutex
	cache map[string]permissionEntry
	now   func() time.Time
}

type permissionEntry struct {
	level string
	at    time.Time
}

func newPermissions(now func() time.Time) *permissions {
	return &permissions{cache: map[string]permissionEntry{}, now: now}
}

// canWrite reports whether login has write, maintain or admin permission on
// owner/repo. GitHub's API answers "admin", "write", "read" or "none".
func (p *permissions) canWrite(ctx context.Context, gh *github.Client, owner, repo, login string) (bool, error) {
	level, err := p.level(ctx, gh, owner, repo, login)
	if err != nil {
		return false, err
	}
	switch level {
	case "admin", "maintain", "write":
		return true, nil
	}
	return false, nil
}

func (p *permissions) level(ctx context.Context, gh *github.Client, owner, repo, login string) (string, error) {
	key := owner + "/" + repo + "@" + login
	p.mu.Lock()
	e, ok := p.cache[key]
	p.mu.Unlock()
	if ok && p.now().Sub(e.at) < permissionTTL {
		return e.level, nil
	}
	perm, _, err := gh.Repositories.GetPermissionLevel(ctx, owner, repo, login)
	if isNotFound(err) {
		return "none", nil
	}
	if err != nil {
		return "", fmt.Errorf("permission of %s on %s/%s: %w", login, owner, repo, err)
	}
	// "maintain" is reported as "write" (go-github v60 does not decode
	// role_name), which grants the same here.
	level := perm.GetPermission()
	p.mu.Lock()
	p.cache[key] = permissionEntry{level: level, at: p.now()}
	p.mu.Unlock()
	return level, nil
}

package fakegithub

import (
	"container/list"
	"strings"
	"sync"
)

// Bounds of a Server's git answer cache: at most this many answers and
// bytes of output; the least recently used answers go first.
const (
	gitCacheMaxEntries = 4096
	gitCacheMaxBytes   = 64 << 20
)

// gitCache remembers the output of read-only git commands whose answer can
// never change: every revision they name is a full object SHA (a commit's
// metadata and diff, a comparison between two SHAs, a blob, a tree at a
// commit). Commands naming a branch or other ref are never cached, so a new
// commit or a force push is always seen. Only successful runs are kept: an
// object missing now may be pushed later.
type gitCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List // front: most recently used
	bytes   int
	hits    int
}

// gitCacheEntry is one remembered answer.
type gitCacheEntry struct {
	key, out string
}

// newGitCache returns an empty cache.
func newGitCache() *gitCache {
	return &gitCache{entries: map[string]*list.Element{}, order: list.New()}
}

// get returns the remembered output for key.
func (c *gitCache) get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	c.hits++
	return e.Value.(*gitCacheEntry).out, true
}

// put remembers out for key, evicting the least recently used answers
// beyond the bounds. An answer larger than the byte bound is not kept.
func (c *gitCache) put(key, out string) {
	size := len(key) + len(out)
	if size > gitCacheMaxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.order.PushFront(&gitCacheEntry{key: key, out: out})
	c.bytes += size
	for c.order.Len() > gitCacheMaxEntries || c.bytes > gitCacheMaxBytes {
		last := c.order.Back()
		ent := last.Value.(*gitCacheEntry)
		c.order.Remove(last)
		delete(c.entries, ent.key)
		c.bytes -= len(ent.key) + len(ent.out)
	}
}

// hitCount is how many answers came from the cache.
func (c *gitCache) hitCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// cacheableGit reports whether cmd is a read-only git command whose output
// depends only on the objects its arguments name.
func cacheableGit(cmd string) bool {
	switch cmd {
	case "log", "rev-parse", "merge-base", "rev-list", "diff", "cat-file", "ls-tree":
		return true
	}
	return false
}

// immutableGit reports whether args is a cacheable command naming at least
// one revision, every one a full SHA: "SHA", "SHA^{commit}", "SHA..SHA" or
// "SHA:path". Options, and paths after "--", name no revision.
func immutableGit(args []string) bool {
	if len(args) == 0 || !cacheableGit(args[0]) {
		return false
	}
	revs := 0
	for _, a := range args[1:] {
		switch {
		case a == "--":
			return revs > 0
		case strings.HasPrefix(a, "-"):
		case !shaRevision(a):
			return false
		default:
			revs++
		}
	}
	return revs > 0
}

// shaRevision reports whether rev names an object by full SHA only.
func shaRevision(rev string) bool {
	obj, _, isPath := strings.Cut(rev, ":")
	if !isPath {
		obj = strings.TrimSuffix(obj, "^{commit}")
	}
	if from, to, ok := strings.Cut(obj, ".."); ok {
		return fullSHA(from) && fullSHA(to)
	}
	return fullSHA(obj)
}

// fullSHA reports whether s is a 40-digit lower-case hex object name.
func fullSHA(s string) bool {
	if len(s) != 40 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

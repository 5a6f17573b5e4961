package fakegithub

import (
	"encoding/json"
	"strings"
	"testing"
)

// rawGet fetches an API path as the installation and returns the body.
func rawGet(t *testing.T, s *Server, id int64, path string) string {
	t.Helper()
	c, _ := installationClient(t, s, id)
	req, err := c.NewRequest("GET", path, nil)
	if err != nil {
		t.Fatal(err)
	}
	var body json.RawMessage
	if _, err := c.Do(ctx(t), req, &body); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return string(body)
}

func TestGitCacheAnswerEqualsFreshOne(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "cache", 7)
	base := r.Commit("base", map[string]string{"a.txt": "a\n", "dir/b.txt": "b\n"})
	head := r.Commit("head", map[string]string{"a.txt": "a\nghp_not_a_secret\n", "c.txt": "c\n", "d.txt": "d\n"})
	blob := strings.TrimSpace(r.mustGit("rev-parse", head+":a.txt"))
	paths := []string{
		"repos/octo/cache/commits/" + head,
		"repos/octo/cache/commits/" + head + "?per_page=1&page=1",
		"repos/octo/cache/commits/" + head + "?per_page=1&page=2",
		"repos/octo/cache/compare/" + base + "..." + head,
		"repos/octo/cache/compare/" + base + "..." + head + "?per_page=1&page=1",
		"repos/octo/cache/contents/a.txt?ref=" + head,
		"repos/octo/cache/contents/dir?ref=" + base,
		"repos/octo/cache/git/blobs/" + blob,
		"repos/octo/cache/commits?sha=" + head,
	}
	fresh := map[string]string{}
	for _, p := range paths {
		fresh[p] = rawGet(t, s, 7, p)
	}
	if fresh[paths[1]] == fresh[paths[2]] {
		t.Fatalf("pages 1 and 2 of a commit's files are the same answer: %s", fresh[paths[1]])
	}
	before := s.gitCache.hitCount()
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			if got := rawGet(t, s, 7, p); got != fresh[p] {
				t.Errorf("cached answer\n%s\nwant the fresh one\n%s", got, fresh[p])
			}
		})
	}
	if hits := s.gitCache.hitCount() - before; hits < len(paths) {
		t.Errorf("%d cache hits for %d repeated requests: the answers were not cached", hits, len(paths))
	}
}

func TestGitCacheSeesNewCommitOnBranch(t *testing.T) {
	t.Parallel()
	s := New(t, Options{})
	r := s.AddRepo("octo", "moving", 7)
	first := r.Commit("first", map[string]string{"a.txt": "one\n"})
	// Warm every answer about the branch and about the first commit.
	for range 2 {
		rawGet(t, s, 7, "repos/octo/moving/commits/main")
		rawGet(t, s, 7, "repos/octo/moving/contents/a.txt?ref=main")
		rawGet(t, s, 7, "repos/octo/moving/commits?sha=main")
		rawGet(t, s, 7, "repos/octo/moving/compare/"+first+"...main")
	}
	second := r.Commit("second", map[string]string{"a.txt": "two\n"})
	tests := []struct{ path, want string }{
		{"repos/octo/moving/commits/main", `"sha":"` + second + `"`},
		{"repos/octo/moving/contents/a.txt?ref=main", wrappedBase64JSON("two\n")},
		{"repos/octo/moving/commits?sha=main", `"sha":"` + second + `"`},
		{"repos/octo/moving/compare/" + first + "...main", `"ahead_by":1`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			if got := rawGet(t, s, 7, tc.path); !strings.Contains(got, tc.want) {
				t.Errorf("after a new commit on main, %s answers\n%s\nwant it to contain %s", tc.path, got, tc.want)
			}
		})
	}
}

// wrappedBase64JSON is content as the contents API's JSON string holds it.
func wrappedBase64JSON(content string) string {
	b, _ := json.Marshal(wrappedBase64([]byte(content)))
	return string(b)
}

func TestImmutableGit(t *testing.T) {
	t.Parallel()
	sha, other := strings.Repeat("a", 40), strings.Repeat("0", 39)+"1"
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"rev-parse", "--verify", "-q", sha + "^{commit}"}, true},
		{[]string{"rev-parse", "--verify", "-q", "main^{commit}"}, false},
		{[]string{"rev-parse", "--verify", "-q", sha[:12] + "^{commit}"}, false},
		{[]string{"rev-list", "--reverse", "--date-order", sha + ".." + other}, true},
		{[]string{"rev-list", "--count", sha + "..main"}, false},
		{[]string{"rev-list", sha, "--", "path/x"}, true},
		{[]string{"rev-list", "--", sha}, false},
		{[]string{"diff", "-M", "--raw", "--no-abbrev", "-z", emptyTree, sha}, true},
		{[]string{"cat-file", "-t", sha + ":dir/file"}, true},
		{[]string{"cat-file", "-t", "HEAD:dir/file"}, false},
		{[]string{"ls-tree", "-z", "-l", sha + ":"}, true},
		{[]string{"log", "--no-walk=unsorted", commitFormat, sha, other}, true},
		{[]string{"update-ref", "refs/pull/1/head", sha}, false},
		{[]string{"fetch", "-q", sha}, false},
		{[]string{"rev-parse", strings.ToUpper(sha)}, false},
		{nil, false},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			if got := immutableGit(tc.args); got != tc.want {
				t.Errorf("immutableGit(%q) = %v, want %v", tc.args, got, tc.want)
			}
		})
	}
}

func TestGitCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	c := newGitCache()
	for i := range gitCacheMaxEntries + 10 {
		c.put(strings.Repeat("k", i+1), "out")
		if i == 0 {
			continue
		}
		if _, ok := c.get("k"); !ok { // keep the first entry in use
			t.Fatalf("entry in use evicted after %d puts", i+1)
		}
	}
	if n := c.order.Len(); n != gitCacheMaxEntries || len(c.entries) != n {
		t.Errorf("%d entries (%d in the index), want the bound %d", n, len(c.entries), gitCacheMaxEntries)
	}
	if _, ok := c.get("kk"); ok {
		t.Error("the least recently used entry survived")
	}
	c.put("big", strings.Repeat("x", gitCacheMaxBytes))
	if _, ok := c.get("big"); ok {
		t.Error("an answer over the byte bound was kept")
	}
	if c.bytes > gitCacheMaxBytes {
		t.Errorf("%d bytes cached, over the bound %d", c.bytes, gitCacheMaxBytes)
	}
}

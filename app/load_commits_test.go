package app

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/internal/fakegithub"
)

// loadCommits adds n commits on main in one git fast-import (Repo.Commit
// runs git several times per commit, too slow for thousands) and returns
// their SHAs, oldest first. Each adds a small Go file; every tenth also
// a .env file with secret, so that scans find something.
func loadCommits(b *testing.B, repo *fakegithub.Repo, n int, secret string) []string {
	b.Helper()
	var in bytes.Buffer
	parent := repo.Head()
	data := func(s string) { fmt.Fprintf(&in, "data %d\n%s\n", len(s), s) }
	for i := range n {
		fmt.Fprintf(&in, "commit refs/heads/main\nmark :%d\ncommitter Load <load@example.com> %d +0000\n", i+1, 1735689600+i)
		data(fmt.Sprintf("load commit %d", i))
		if i == 0 {
			fmt.Fprintf(&in, "from %s\n", parent)
		}
		fmt.Fprintf(&in, "M 100644 inline svc/m%d/f%d.go\n", i%50, i)
		data(goFile(i))
		if i%10 == 9 {
			fmt.Fprintf(&in, "M 100644 inline config/c%d.env\n", i)
			data(fmt.Sprintf("ITERATION=%d\nGITHUB_TOKEN=%s\n", i, secret))
		}
		in.WriteString("\n")
	}
	marks := filepath.Join(b.TempDir(), "marks")
	cmd := exec.Command("git", "fast-import", "--quiet", "--export-marks="+marks)
	cmd.Dir, cmd.Stdin = repo.Dir(), &in
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(marks)
	if err != nil {
		b.Fatal(err)
	}
	shas := make([]string, n)
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var mark int
		var sha string
		if _, err := fmt.Sscanf(line, ":%d %s", &mark, &sha); err != nil || mark < 1 || mark > n {
			b.Fatalf("git fast-import mark %q", line)
		}
		shas[mark-1] = sha
	}
	return shas
}

// goFile is a 30-line Go file, different for each i.
func goFile(i int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "package m%d\n\n", i%50)
	for f := range 9 {
		fmt.Fprintf(&s, "// F%d_%d returns a value the load benchmark made up.\nfunc F%d_%d() int {\n\treturn %d\n}\n", i, f, i, f, i*f)
	}
	return s.String()
}

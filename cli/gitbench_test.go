package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchWords are the words the benchmark repository's files are made of:
// code-like text. benchKeywords, some of the rules' keywords, are mixed in
// now and then (about one line in 30), so the scanner's keyword prefilter
// fires as it does in a real repository.
var (
	benchWords = strings.Fields(`func return if else for range var const type struct interface map string int
	err nil true false config user name value data client server request response context error handler path
	file line commit branch merge build test url host port timeout retry cache queue worker job result`)
	benchKeywords = strings.Fields(`token secret password api_key auth bearer aws github stripe slack`)
)

// benchRepoSpec sizes the benchmark repository.
type benchRepoSpec struct {
	commits    int // commits on main, merges included
	files      int // files at the start
	lines      int // lines of each file at the start
	filesPer   int // files each commit changes
	hunkLines  int // at most so many lines each of a commit's two hunks per file replaces
	mergeEvery int // every so many commits, a two-commit side branch is merged
}

// makeBenchRepo builds a reproducible repository (fixed seed, fixed dates)
// in dir with git fast-import, and returns its path. Commits change a few
// hunks of a few files, as real commits do, so git log has real diffs to
// compute; every spec.mergeEvery commits, a side branch is merged.
func makeBenchRepo(tb testing.TB, dir string, spec benchRepoSpec) string {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git not installed")
	}
	repo := filepath.Join(dir, "bench.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", repo).CombinedOutput(); err != nil {
		tb.Fatalf("git init: %v\n%s", err, out)
	}
	cmd := exec.Command("git", "-C", repo, "fast-import", "--quiet")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("git fast-import: %v", err)
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	newBenchHistory(w, spec).write()
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("git fast-import: %v\n%s", err, stderr.String())
	}
	return repo
}

// benchHistory writes the fast-import stream of the benchmark history.
type benchHistory struct {
	w     io.Writer
	spec  benchRepoSpec
	rng   *rand.Rand
	when  int64
	mark  int
	files [][]string // the files at main's head, by number
}

func newBenchHistory(w io.Writer, spec benchRepoSpec) *benchHistory {
	h := &benchHistory{w: w, spec: spec, rng: rand.New(rand.NewPCG(11, 42)), when: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()}
	for range spec.files {
		h.files = append(h.files, h.lines(spec.lines))
	}
	return h
}

func (h *benchHistory) write() {
	all := make([]int, len(h.files))
	for i := range all {
		all[i] = i
	}
	head := h.commit("refs/heads/main", nil, h.files, all)
	for i := 1; i < h.spec.commits; i++ {
		if h.spec.mergeEvery > 0 && i%h.spec.mergeEvery == 0 {
			side := cloneFiles(h.files)
			changed := h.change(side)
			tip := h.commit("refs/heads/side", []int{head}, side, changed)
			changed2 := h.change(side)
			tip = h.commit("refs/heads/side", []int{tip}, side, changed2)
			head = h.commit("refs/heads/main", []int{head, tip}, side, append(changed, changed2...))
			h.files = side
			continue
		}
		head = h.commit("refs/heads/main", []int{head}, h.files, h.change(h.files))
	}
}

// change edits spec.filesPer files of files in place (two hunks each) and
// returns their numbers.
func (h *benchHistory) change(files [][]string) []int {
	var changed []int
	for range h.spec.filesPer {
		n := h.rng.IntN(len(files))
		for range 2 {
			f := files[n]
			at := h.rng.IntN(len(f))
			end := min(len(f), at+1+h.rng.IntN(h.spec.hunkLines))
			f = append(f[:at:at], append(h.lines(1+h.rng.IntN(h.spec.hunkLines)), f[end:]...)...)
			files[n] = f
		}
		changed = append(changed, n)
	}
	return changed
}

// commit writes a commit on ref with the given parents that sets the files
// numbered in changed to their content in files, and returns its mark.
func (h *benchHistory) commit(ref string, parents []int, files [][]string, changed []int) int {
	h.mark++
	h.when += 60
	fmt.Fprintf(h.w, "commit %s\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata 7\ncommit\n", ref, h.mark, h.when)
	for i, p := range parents {
		verb := "from"
		if i > 0 {
			verb = "merge"
		}
		fmt.Fprintf(h.w, "%s :%d\n", verb, p)
	}
	for _, n := range changed {
		content := strings.Join(files[n], "")
		fmt.Fprintf(h.w, "M 644 inline src/f%03d.go\ndata %d\n%s\n", n, len(content), content)
	}
	return h.mark
}

// lines returns n lines of code-like text.
func (h *benchHistory) lines(n int) []string {
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		b.WriteString("\t")
		for j, words := 0, 4+h.rng.IntN(9); j < words; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			w := benchWords[h.rng.IntN(len(benchWords))]
			if h.rng.IntN(240) == 0 {
				w = benchKeywords[h.rng.IntN(len(benchKeywords))]
			}
			b.WriteString(w)
		}
		if h.rng.IntN(40) == 0 {
			fmt.Fprintf(&b, " = %q", fmt.Sprintf("%016x%016x", h.rng.Uint64(), h.rng.Uint64()))
		}
		b.WriteByte('\n')
		out[i] = b.String()
	}
	return out
}

func cloneFiles(files [][]string) [][]string {
	out := make([][]string, len(files))
	for i, f := range files {
		out[i] = slices.Clone(f)
	}
	return out
}

// benchSpec is the repository of the git benchmarks: about 25 MB of git log
// output from 2,000 commits, built in seconds.
var benchSpec = benchRepoSpec{commits: 2000, files: 100, lines: 300, filesPer: 3, hunkLines: 40, mergeEvery: 50}

// timedRun runs cmd with its output to /dev/null (the least git log can
// cost) and returns its wall time and its CPU time (user and system, its
// children's included), or fails when it exits with a status other than 0
// and okStatus.
func timedRun(tb testing.TB, cmd *exec.Cmd, okStatus int) (wall, cpu time.Duration) {
	tb.Helper()
	start := time.Now()
	if err := cmd.Run(); err != nil && (cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != okStatus) {
		tb.Fatalf("%s: %v", cmd.Args[0], err)
	}
	wall = time.Since(start)
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// outputSize runs cmd and returns how many bytes it printed.
func outputSize(tb testing.TB, cmd *exec.Cmd) int64 {
	tb.Helper()
	var n countWriter
	cmd.Stdout = &n
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s: %v", cmd.Args[0], err)
	}
	return int64(n)
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// BenchmarkScanGitVsGitLog times `pushguard scan --git main` against `git
// log` alone with the very arguments scan --git gives it, over the same
// reproducible repository (benchSpec), and reports the ratio of their wall
// times (scan/git-log; target: at most 1.1) and of their CPU times. Both
// run as processes, as a user would run them, with their output to
// /dev/null.
// On a loaded machine the wall times vary: compare the ratio over runs.
func BenchmarkScanGitVsGitLog(b *testing.B) {
	repo := makeBenchRepo(b, b.TempDir(), benchSpec)
	args, err := gitLogArgs(repo, []string{"main"})
	if err != nil {
		b.Fatal(err)
	}
	size := outputSize(b, exec.Command("git", args...))
	b.SetBytes(size)
	b.ReportMetric(float64(size)/(1<<20), "MiB-of-log")
	var gitWall, gitCPU, scanWall, scanCPU time.Duration
	b.ResetTimer()
	for b.Loop() {
		wall, cpu := timedRun(b, exec.Command("git", args...), 0)
		gitWall, gitCPU = gitWall+wall, gitCPU+cpu
		wall, cpu = timedRun(b, exec.Command(pushguardExe, "scan", "--git", "main", "--repo", repo, "--format", "json"), 1)
		scanWall, scanCPU = scanWall+wall, scanCPU+cpu
	}
	n := float64(b.N)
	b.ReportMetric(float64(gitWall.Milliseconds())/n, "git-log-ms/op")
	b.ReportMetric(float64(scanWall.Milliseconds())/n, "scan-git-ms/op")
	b.ReportMetric(float64(scanWall)/float64(gitWall), "scan/git-log")
	b.ReportMetric(float64(scanCPU)/float64(gitCPU), "scan/git-log-cpu")
}

// TestBenchRepoIsReproducible checks that the benchmark repository is the
// same from run to run (fixed seed and dates): the same head commit.
func TestBenchRepoIsReproducible(t *testing.T) {
	spec := benchRepoSpec{commits: 20, files: 5, lines: 30, filesPer: 2, hunkLines: 5, mergeEvery: 7}
	var heads []string
	for range 2 {
		repo := makeBenchRepo(t, t.TempDir(), spec)
		out, err := exec.Command("git", "-C", repo, "rev-parse", "main").Output()
		if err != nil {
			t.Fatal(err)
		}
		heads = append(heads, strings.TrimSpace(string(out)))
	}
	if heads[0] != heads[1] || len(heads[0]) != 40 {
		t.Errorf("heads %q, want two equal SHAs", heads)
	}
}

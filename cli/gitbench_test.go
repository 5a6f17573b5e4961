package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchWords are the words the benchmark repository's files are made of:
// code-like text with some of the rules' keywords, so the scanner's keyword
// prefilter fires now and then, as it does in a real repository.
var benchWords = strings.Fields(`func return if else for range var const type struct interface map string int
	err nil true false config token key secret password user name value data client server request response
	context error handler path file line commit branch merge build test api url host port timeout retry
	aws github stripe slack bearer auth session cache queue worker job result`)

// benchRepoSpec sizes the benchmark repository.
type benchRepoSpec struct {
	commits      int // commits on main
	files        int // files the commits touch
	filesPer     int // files each commit rewrites
	linesPerFile int // lines of each rewritten file
	mergeEvery   int // every so many commits, a side branch is merged
}

// makeBenchRepo builds a reproducible repository (fixed seed, fixed dates)
// in dir with git fast-import, and returns its path. Each commit rewrites
// spec.filesPer files whole, so git log -p -U0 prints every line twice (once
// removed, once added); every spec.mergeEvery commits a two-commit side
// branch is merged back, so --cc has merges to combine.
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
	writeBenchHistory(w, spec)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("git fast-import: %v\n%s", err, stderr.String())
	}
	return repo
}

// writeBenchHistory writes the fast-import stream of the benchmark history.
func writeBenchHistory(w io.Writer, spec benchRepoSpec) {
	rng := rand.New(rand.NewPCG(11, 42))
	when := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	mark := 0
	commit := func(ref string, parents []int) int {
		mark++
		when += 60
		fmt.Fprintf(w, "commit %s\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata 7\ncommit\n", ref, mark, when)
		for i, p := range parents {
			if i == 0 {
				fmt.Fprintf(w, "from :%d\n", p)
			} else {
				fmt.Fprintf(w, "merge :%d\n", p)
			}
		}
		for range spec.filesPer {
			content := benchFile(rng, spec.linesPerFile)
			fmt.Fprintf(w, "M 644 inline src/f%03d.go\ndata %d\n%s\n", rng.IntN(spec.files), len(content), content)
		}
		return mark
	}
	head := 0
	for i := range spec.commits {
		var parents []int
		if head != 0 {
			parents = []int{head}
		}
		if spec.mergeEvery > 0 && i > 0 && i%spec.mergeEvery == 0 {
			side := commit("refs/heads/side", []int{head})
			side = commit("refs/heads/side", []int{side})
			parents = append(parents, side)
		}
		head = commit("refs/heads/main", parents)
	}
}

// benchFile returns n lines of code-like text.
func benchFile(rng *rand.Rand, n int) []byte {
	var b bytes.Buffer
	for range n {
		b.WriteString("\t")
		for j, words := 0, 4+rng.IntN(9); j < words; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(benchWords[rng.IntN(len(benchWords))])
		}
		if rng.IntN(40) == 0 {
			fmt.Fprintf(&b, " = %q", fmt.Sprintf("%016x%016x", rng.Uint64(), rng.Uint64()))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// benchSpec is the repository of the git benchmarks: about 40 MB of git log
// -p output, built in a few seconds.
var benchSpec = benchRepoSpec{commits: 1500, files: 300, filesPer: 3, linesPerFile: 120, mergeEvery: 50}

// gitLogOutputSize runs git log with args and returns how many bytes it printed.
func gitLogOutputSize(tb testing.TB, args []string) int64 {
	tb.Helper()
	cmd := exec.Command("git", args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	n, err := io.Copy(io.Discard, out)
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("git log: %v", err)
	}
	return n
}

// BenchmarkScanGitVsGitLog times `pushguard scan --git` against `git log`
// alone with the very arguments scan --git gives it, over the same
// reproducible repository, and reports their ratio (target: at most 1.1).
// Both run as processes, as a user would run them; git log's output goes
// to a pipe that the benchmark drains, as pushguard's does.
func BenchmarkScanGitVsGitLog(b *testing.B) {
	repo := makeBenchRepo(b, b.TempDir(), benchSpec)
	args, err := gitLogArgs(repo, []string{"main"})
	if err != nil {
		b.Fatal(err)
	}
	size := gitLogOutputSize(b, args)
	b.SetBytes(size)
	b.ReportMetric(float64(size)/(1<<20), "MB-of-log")
	var gitTime, scanTime time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		gitLogOutputSize(b, args)
		gitTime += time.Since(start)
		start = time.Now()
		cmd := exec.Command(pushguardExe, "scan", "--git", "main", "--repo", repo, "--format", "json")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 {
			b.Fatalf("pushguard scan --git: %v", err)
		}
		scanTime += time.Since(start)
	}
	b.ReportMetric(float64(gitTime.Milliseconds())/float64(b.N), "git-log-ms/op")
	b.ReportMetric(float64(scanTime.Milliseconds())/float64(b.N), "scan-git-ms/op")
	b.ReportMetric(float64(scanTime)/float64(gitTime), "scan/git-log")
}

// TestBenchRepoIsReproducible checks that the benchmark repository is the
// same from run to run (fixed seed and dates): the same head commit.
func TestBenchRepoIsReproducible(t *testing.T) {
	spec := benchRepoSpec{commits: 20, files: 5, filesPer: 2, linesPerFile: 10, mergeEvery: 7}
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

func TestBenchRepoTiming(t *testing.T) {
	start := time.Now()
	repo := makeBenchRepo(t, "/tmp/benchrepo", benchSpec)
	t.Logf("built %s in %v", repo, time.Since(start))
}

package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// goRoot returns the Go toolchain's root (go env GOROOT), whose sources the
// benchmarks scan, or skips.
func goRoot(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		tb.Skipf("go env GOROOT: %v", err)
	}
	return string(bytes.TrimSpace(out))
}

// goSourceDiff builds a realistic corpus: a diff that adds, line by line,
// the Go files under some directories of the Go toolchain's own sources
// (code, comments, test tables, crypto test vectors and all), up to limit
// bytes of added text.
func goSourceDiff(tb testing.TB, limit int) []byte {
	tb.Helper()
	root := filepath.Join(goRoot(tb), "src")
	var buf bytes.Buffer
	added := 0
	for _, dir := range []string{"net/http", "crypto", "encoding", "go", "cmd/go/internal", "runtime"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || added >= limit {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			rel, _ := filepath.Rel(root, path)
			fmt.Fprintf(&buf, "diff --git a/%s b/%s\nnew file mode 100644\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n", rel, rel, rel, len(lines))
			for _, l := range lines {
				buf.WriteByte('+')
				buf.WriteString(l)
				buf.WriteByte('\n')
				added += len(l)
			}
			return nil
		})
		if err != nil {
			tb.Skipf("Go sources not available: %v", err)
		}
	}
	if added < limit/2 {
		tb.Skipf("only %d bytes of Go sources found", added)
	}
	return buf.Bytes()
}

// BenchmarkScanDiff measures throughput over added-line text with every
// built-in rule on. SetBytes counts only the added lines' text.
func BenchmarkScanDiff(b *testing.B) {
	diff := goSourceDiff(b, 32<<20)
	sc := New(defaultRules(b), testKey)
	res, err := sc.ScanDiff(context.Background(), bytes.NewReader(diff))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(res.Bytes)
	b.ReportMetric(float64(len(res.Findings)), "findings")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sc.ScanDiff(context.Background(), bytes.NewReader(diff)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanFile measures whole-file scanning of one large source file.
func BenchmarkScanFile(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(goRoot(b), "src", "net", "http", "server.go"))
	if err != nil {
		b.Skip(err)
	}
	sc := New(defaultRules(b), testKey)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sc.ScanFile(context.Background(), "server.go", "", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewRuleset measures start-up cost: compiling every rule.
func BenchmarkNewRuleset(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
}

// repeatReader yields a diff header then the same added line n times,
// without ever holding more than one line.
type repeatReader struct {
	head, line []byte
	n, off     int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if len(r.head) > 0 {
		k := copy(p, r.head)
		r.head = r.head[k:]
		return k, nil
	}
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.line[r.off:])
	r.off += k
	if r.off == len(r.line) {
		r.off = 0
		r.n--
	}
	return k, nil
}

// TestScanDiffMemoryBounded streams a 64 MiB diff and checks that the scan
// allocates far less than the input: the diff is never held whole.
// Not parallel: it measures the process's allocations, so it runs before the
// parallel tests start.
func TestScanDiffMemoryBounded(t *testing.T) {
	line := []byte("+\tif err := client.Do(ctx, req, &token); err != nil { return fmt.Errorf(\"secret rotation: %w\", err) }\n")
	n := (64 << 20) / len(line)
	src := &repeatReader{head: []byte(fmt.Sprintf("diff --git a/x.go b/x.go\n--- /dev/null\n+++ b/x.go\n@@ -0,0 +1,%d @@\n", n)), line: line, n: n}
	sc := New(defaultRules(t), testKey)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := sc.ScanDiff(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if res.Lines != n {
		t.Fatalf("scanned %d lines, want %d", res.Lines, n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("scanning 64 MiB allocated %d MiB; the diff must be streamed", alloc>>20)
	}
}

// shapeSize is the size of each pathological input of BenchmarkShapes.
const shapeSize = 4 << 20

// shapes are inputs that once made the scanner slow, each as one long line
// (or, for "1-byte-lines", as millions of lines). Each has a twin holding
// the same bytes wrapped at 76 columns, so the benchmark shows the ratio.
func shapes(tb testing.TB) map[string][]byte {
	tb.Helper()
	rng := rand.New(rand.NewChaCha8([32]byte{1}))
	raw := make([]byte, shapeSize*3/4)
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	js, err := os.ReadFile(filepath.Join(goRoot(tb), "src", "internal", "trace", "traceviewer", "static", "webcomponents.min.js"))
	if err != nil {
		tb.Skipf("minified JavaScript not available: %v", err)
	}
	js = bytes.ReplaceAll(js, []byte("\n"), []byte(" "))
	return map[string][]byte{
		"base64":       []byte(base64.StdEncoding.EncodeToString(raw))[:shapeSize],
		"minified-js":  bytes.Repeat(js, shapeSize/len(js)+1)[:shapeSize],
		"equals":       bytes.Repeat([]byte("="), shapeSize),
		"letter-A":     bytes.Repeat([]byte("A"), shapeSize),
		"keyword":      bytes.Repeat([]byte("token"), shapeSize/5),
		"assignments":  bytes.Repeat([]byte("password="), shapeSize/9),
		"1-byte-lines": bytes.Repeat([]byte("a\n"), shapeSize/2),
	}
}

// wrap breaks text into lines of at most n bytes.
func wrap(text []byte, n int) []byte {
	text = bytes.ReplaceAll(text, []byte("\n"), nil)
	var out bytes.Buffer
	for len(text) > 0 {
		k := min(n, len(text))
		out.Write(text[:k])
		out.WriteByte('\n')
		text = text[k:]
	}
	return out.Bytes()
}

// asDiff makes a diff that adds text as a new file.
func asDiff(text []byte) []byte {
	lines := bytes.Split(bytes.TrimSuffix(text, []byte("\n")), []byte("\n"))
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "diff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1,%d @@\n", len(lines))
	for _, l := range lines {
		buf.WriteByte('+')
		buf.Write(l)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// BenchmarkShapes scans each shape as it is and wrapped at 76 columns,
// through ScanFile and ScanDiff. SetBytes counts the text's bytes.
func BenchmarkShapes(b *testing.B) {
	sc := New(defaultRules(b), testKey)
	all := shapes(b)
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, layout := range []string{"long", "wrapped"} {
			text := all[name]
			if layout == "wrapped" {
				text = wrap(text, 76)
			}
			diff := asDiff(text)
			b.Run(name+"/"+layout+"/file", func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					if _, err := sc.ScanFile(context.Background(), "x", "", bytes.NewReader(text)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/"+layout+"/diff", func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					if _, err := sc.ScanDiff(context.Background(), bytes.NewReader(diff)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// encodedInputs are encoded-heavy inputs of about 10 MB: a Kubernetes Secret
// whose data values are base64 of configuration text (a key in one value in
// a hundred), its twin with the same text in clear (a ConfigMap), the same
// base64 as one long line, and base64 of random bytes (an embedded binary)
// as one long line.
func encodedInputs(tb testing.TB) map[string][]byte {
	tb.Helper()
	const size = 10 << 20
	rng := rand.New(rand.NewChaCha8([32]byte{2}))
	var yaml, plain, long bytes.Buffer
	yaml.WriteString("apiVersion: v1\nkind: Secret\nmetadata:\n  name: bulk\ntype: Opaque\ndata:\n")
	plain.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bulk\ndata:\n")
	for i := 0; yaml.Len() < size; i++ {
		value := fmt.Sprintf("# service %d\nlog_level = debug\nendpoint = https://svc-%d.internal.acme.io:8443/v1\nretries = %d\n", i, i, rng.IntN(9))
		if i%100 == 0 {
			value += "api_token = " + tokA + "\n"
		}
		enc := base64.StdEncoding.EncodeToString([]byte(value))
		fmt.Fprintf(&yaml, "  svc-%d.conf: %s\n", i, enc)
		fmt.Fprintf(&plain, "  svc-%d.conf: |\n    %s\n", i, strings.ReplaceAll(strings.TrimSuffix(value, "\n"), "\n", "\n    "))
		long.WriteString(enc)
	}
	raw := make([]byte, size*3/4)
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	return map[string][]byte{
		"k8s-secret":  yaml.Bytes(),
		"k8s-plain":   plain.Bytes(),
		"long-line":   long.Bytes()[:size],
		"binary-line": []byte(base64.StdEncoding.EncodeToString(raw)),
	}
}

// BenchmarkScanEncoded measures whole-file scanning of encoded-heavy input;
// k8s-plain is k8s-secret's text in clear, for the cost of decoding. SetBytes
// counts the input's bytes.
func BenchmarkScanEncoded(b *testing.B) {
	sc := New(defaultRules(b), testKey)
	all := encodedInputs(b)
	for _, name := range []string{"k8s-secret", "k8s-plain", "long-line", "binary-line"} {
		data := all[name]
		b.Run(name, func(b *testing.B) {
			res, err := sc.ScanFile(context.Background(), "x.yaml", "", bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(res.Findings)), "findings")
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := sc.ScanFile(context.Background(), "x.yaml", "", bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScanDiffAllowlist is BenchmarkScanDiff with an allowlist of
// expressions (secret and line) and stopwords: the allowlist runs per
// finding, not per line, so throughput should match BenchmarkScanDiff.
func BenchmarkScanDiffAllowlist(b *testing.B) {
	diff := goSourceDiff(b, 32<<20)
	rs, err := defaultRules(b).WithAllowlist(Allowlist{
		Regexes:   []AllowRegex{{Pattern: `^AKIA[0-9A-Z]{4}EXAMPLE`}, {Pattern: `(?i)example|dummy`, Target: AllowLine}},
		Stopwords: []string{"dummy", "example", "changeme"},
	})
	if err != nil {
		b.Fatal(err)
	}
	sc := New(rs, testKey)
	res, err := sc.ScanDiff(context.Background(), bytes.NewReader(diff))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(res.Bytes)
	b.ReportMetric(float64(len(res.Findings)), "findings")
	b.ReportMetric(float64(res.Allowed), "allowed")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := sc.ScanDiff(context.Background(), bytes.NewReader(diff)); err != nil {
			b.Fatal(err)
		}
	}
}

package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/scanner"
)

// providerRules are the test rules of well-behaved providers, by provider.
var providerRules = []struct{ rule, provider string }{
	{"acme-api-key", "Acme Cloud"},
	{"zenith-token", "Zenith"},
	{"orbit-secret", "Orbit Pay"},
}

// bigReport scans n secrets of the three providers, in files with
// multibyte paths: every seventh removed since, every eleventh dismissed.
func bigReport(tb testing.TB, rs *scanner.Ruleset, n int) Report {
	tb.Helper()
	plants := make([]plant, n)
	for i := range plants {
		plants[i] = plant{rule: providerRules[i%3].rule, seed: "big" + strconv.Itoa(i),
			path: fmt.Sprintf("src/模块-%04d/ключи/🔑-配置-%d.env", i, i), commit: sha(i % 17), line: 1 + i%9}
	}
	r := Report{Commits: 17, RulesVersion: testRulesVersion}
	for i, f := range scanFindings(tb, rs, plants) {
		switch {
		case i%11 == 10:
			r.Items = append(r.Items, dismissed(f, "test-data"))
		case i%7 == 6:
			r.Items = append(r.Items, removed(f))
		default:
			r.Items = append(r.Items, atHead(f))
		}
	}
	return r
}

// tableRows returns the findings table's data rows.
func tableRows(summary string) []string {
	var rows []string
	in := false
	for _, line := range strings.Split(summary, "\n") {
		switch {
		case strings.HasPrefix(line, "|---"):
			in = true
		case in && strings.HasPrefix(line, "|"):
			rows = append(rows, line)
		case in:
			return rows
		}
	}
	return rows
}

// cells counts a table row's cells: the pipes that are not escaped, less
// the leading one.
func cells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		if row[i] == '\\' {
			i++
			continue
		}
		if row[i] == '|' {
			n++
		}
	}
	return n - 1
}

var leftOutRe = regexp.MustCompile(`…and (\d+) more findings not shown`)

func TestRenderLimits5000Findings(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	r := bigReport(t, rs, 5000)
	out := Render(r, rs)

	if n := len(out.Summary); n > MaxSummary {
		t.Errorf("summary is %d bytes, over GitHub's %d", n, MaxSummary)
	}
	if !utf8.ValidString(out.Summary) {
		t.Error("summary is not valid UTF-8: truncation split a rune")
	}
	rows := tableRows(out.Summary)
	m := leftOutRe.FindStringSubmatch(out.Summary)
	if m == nil {
		t.Fatalf("summary does not say how many findings were left out")
	}
	if left, _ := strconv.Atoi(m[1]); len(rows)+left != len(r.Items) {
		t.Errorf("%d rows shown + %d said left out = %d, want %d", len(rows), left, len(rows)+left, len(r.Items))
	}
	for _, p := range providerRules {
		if !strings.Contains(out.Summary, "<summary><b>"+p.provider+"</b>") {
			t.Errorf("no playbook for %s", p.provider)
		}
	}
	if strings.Contains(out.Summary, "truncated to GitHub's limit") {
		t.Errorf("summary was cut by the final truncation; sections should have been sized to fit")
	}
	if n := len(out.Title); n > MaxTitle || !utf8.ValidString(out.Title) {
		t.Errorf("title %q: %d bytes", out.Title, n)
	}
	if want := fmt.Sprintf("%d leaked secrets: revoke them now", r.Active()); out.Title != want {
		t.Errorf("title %q, want %q", out.Title, want)
	}
	checkAnnotations(t, r, out.Annotations)
}

// checkAnnotations checks every annotation against GitHub's limits and the
// finding it belongs to: one per finding at the head, in order.
func checkAnnotations(t *testing.T, r Report, anns []*github.CheckRunAnnotation) {
	t.Helper()
	var want []Item
	for _, it := range r.Items {
		if it.AtHead != nil {
			want = append(want, it)
		}
	}
	if len(anns) != len(want) {
		t.Fatalf("%d annotations, want %d (one per finding at the head)", len(anns), len(want))
	}
	for i, a := range anns {
		it := want[i]
		if a.GetPath() != it.AtHead.Path || a.GetStartLine() != it.AtHead.Line || a.GetEndLine() < a.GetStartLine() {
			t.Errorf("annotation %d at %s:%d-%d, want %s:%d", i, a.GetPath(), a.GetStartLine(), a.GetEndLine(), it.AtHead.Path, it.AtHead.Line)
		}
		level := "failure"
		if !it.Active() {
			level = "notice"
		}
		if a.GetAnnotationLevel() != level {
			t.Errorf("annotation %d level %q, want %q", i, a.GetAnnotationLevel(), level)
		}
		if n := utf8.RuneCountInString(a.GetTitle()); n > MaxTitle || len(a.GetTitle()) > MaxTitle || !utf8.ValidString(a.GetTitle()) {
			t.Errorf("annotation %d title %q: %d characters", i, a.GetTitle(), n)
		}
		for name, v := range map[string]string{"message": a.GetMessage(), "raw_details": a.GetRawDetails()} {
			if len(v) > maxAnnotationMessage || !utf8.ValidString(v) {
				t.Errorf("annotation %d %s: %d bytes or invalid UTF-8", i, name, len(v))
			}
		}
		if a.GetMessage() == "" {
			t.Errorf("annotation %d has no message", i)
		}
		hasCols := a.StartColumn != nil || a.EndColumn != nil
		if hasCols && a.GetStartLine() != a.GetEndLine() {
			t.Errorf("annotation %d has columns on lines %d-%d", i, a.GetStartLine(), a.GetEndLine())
		}
		if single := it.AtHead.EndLine <= it.AtHead.Line; single && it.AtHead.StartColumn > 0 &&
			(a.GetStartColumn() != it.AtHead.StartColumn || a.GetEndColumn() != it.AtHead.EndColumn) {
			t.Errorf("annotation %d columns %d-%d, want %d-%d", i, a.GetStartColumn(), a.GetEndColumn(), it.AtHead.StartColumn, it.AtHead.EndColumn)
		}
	}
}

func TestRenderAnnotationColumns(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{{rule: "zenith-token", seed: "cols", path: "a.txt", commit: sha(1), line: 2}})[0]
	tests := []struct {
		name     string
		loc      Location
		wantCols bool
	}{
		{"single line", Location{Path: "a.txt", Line: 2, EndLine: 2, StartColumn: 8, EndColumn: 47}, true},
		{"end line unset", Location{Path: "a.txt", Line: 2, StartColumn: 8, EndColumn: 47}, true},
		{"multi-line", Location{Path: "a.txt", Line: 2, EndLine: 4, StartColumn: 8, EndColumn: 3}, false},
		{"multi-line, columns in order", Location{Path: "a.txt", Line: 2, EndLine: 4, StartColumn: 1, EndColumn: 30}, false},
		{"no columns", Location{Path: "a.txt", Line: 2, EndLine: 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := tt.loc
			r := Report{Items: []Item{{Finding: f, AtHead: &loc}}}
			anns := Render(r, rs).Annotations
			checkAnnotations(t, r, anns)
			if got := anns[0].StartColumn != nil && anns[0].EndColumn != nil; got != tt.wantCols {
				t.Errorf("columns sent: %v, want %v", got, tt.wantCols)
			}
			if got, want := anns[0].GetEndLine(), max(loc.EndLine, loc.Line); got != want {
				t.Errorf("end line %d, want %d", got, want)
			}
		})
	}
}

func TestRenderTruncatesOnRuneBoundaries(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{{rule: "acme-api-key", seed: "rune", path: "x", commit: sha(1), line: 1}})[0]
	long := f
	long.Provider = strings.Repeat("ключ🔑", 60) // 600 bytes: the annotation title must be cut
	var skipped []scanner.Skipped
	for i := range 60 {
		skipped = append(skipped, scanner.Skipped{Path: fmt.Sprintf("%03d/%s", i, strings.Repeat("データ", 400)), Reason: scanner.SkipBinary})
	}
	tests := []struct {
		name string
		r    Report
	}{
		{"long multibyte provider", Report{Items: []Item{atHead(long)}, Commits: 1}},
		{"long multibyte skipped paths", Report{Items: []Item{atHead(f)}, Skipped: skipped, Commits: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(tt.r, rs)
			if len(out.Summary) > MaxSummary || !utf8.ValidString(out.Summary) {
				t.Errorf("summary: %d bytes, valid UTF-8 %v", len(out.Summary), utf8.ValidString(out.Summary))
			}
			if len(out.Title) > MaxTitle || !utf8.ValidString(out.Title) {
				t.Errorf("title %q", out.Title)
			}
			checkAnnotations(t, tt.r, out.Annotations)
			for _, it := range tt.r.Items {
				if it.Active() && !strings.Contains(out.Summary, "<summary><b>"+htmlEscape(it.Provider)+"</b>") {
					t.Errorf("the playbook of %.20s… is missing", it.Provider)
				}
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	const note = "\n\n_(truncated to GitHub's limit)_"
	inputs := []string{
		strings.Repeat("a", 300),
		strings.Repeat("é", 300),       // 2 bytes a rune
		strings.Repeat("日本語", 100),     // 3 bytes a rune
		strings.Repeat("🔑x", 100),      // 4 bytes a rune, then 1
		"ab" + strings.Repeat("𝄞", 90), // offset by 2
	}
	for i, s := range inputs {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			for n := len(note) + 1; n <= len(s)+1; n++ {
				got := truncate(s, n)
				switch {
				case len(s) <= n && got != s:
					t.Fatalf("n=%d: cut a string that fits", n)
				case len(got) > n:
					t.Fatalf("n=%d: %d bytes", n, len(got))
				case !utf8.ValidString(got):
					t.Fatalf("n=%d: split a rune: %q", n, got)
				case len(s) > n && (!strings.HasSuffix(got, note) || !strings.HasPrefix(s, strings.TrimSuffix(got, note))):
					t.Fatalf("n=%d: %q is not a prefix of the input with the note", n, got)
				}
			}
		})
	}
}

func TestRenderConclusionAndTitle(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{
		{rule: "acme-api-key", seed: "t1", path: "a", commit: sha(1), line: 1},
		{rule: "zenith-token", seed: "t2", path: "b", commit: sha(1), line: 1},
	})
	tests := []struct {
		name                   string
		items                  []Item
		wantConclusion, wantTi string
	}{
		{"none", nil, ConclusionSuccess, "No secrets found"},
		{"one active", []Item{atHead(f[0])}, ConclusionFailure, "1 leaked secret: revoke it now"},
		{"removed still fails", []Item{removed(f[0])}, ConclusionFailure, "1 leaked secret: revoke it now"},
		{"one active one dismissed", []Item{atHead(f[0]), dismissed(f[1], "revoked")}, ConclusionFailure, "1 leaked secret: revoke it now"},
		{"all dismissed", []Item{dismissed(f[0], "revoked"), dismissed(f[1], "test-data")}, ConclusionSuccess, "No active secrets (2 dismissed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(Report{Items: tt.items, Commits: 1}, rs)
			if out.Conclusion != tt.wantConclusion || out.Title != tt.wantTi {
				t.Errorf("got %q, %q; want %q, %q", out.Conclusion, out.Title, tt.wantConclusion, tt.wantTi)
			}
		})
	}
}

func TestRenderSkippedListIsCapped(t *testing.T) {
	t.Parallel()
	var skipped []scanner.Skipped
	for i := range 120 {
		skipped = append(skipped, scanner.Skipped{Path: fmt.Sprintf("bin/%03d.dat", i), Reason: scanner.SkipTooLarge})
	}
	s := Render(Report{Skipped: skipped, Commits: 1}, newTestRuleset(t)).Summary
	if !strings.Contains(s, "### Not scanned (120 files)") || !strings.Contains(s, "- …and 70 more\n") {
		t.Errorf("skipped section does not count every file:\n%s", s)
	}
	if n := strings.Count(s, ".dat` (too large)"); n != 50 {
		t.Errorf("%d skipped files listed, want 50", n)
	}
}

// everyOutput is the text of every rendered field that GitHub shows.
func everyOutput(out Output) []string {
	texts := []string{out.Title, out.Summary}
	for _, a := range out.Annotations {
		texts = append(texts, a.GetTitle(), a.GetMessage(), a.GetRawDetails(), a.GetPath())
	}
	return texts
}

func TestRenderNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{
		{rule: "acme-api-key", seed: "s1", path: "a.env", commit: sha(1), line: 1},
		{rule: "zenith-token", seed: "s2", path: "b.sh", commit: sha(2), line: 5},
		{rule: "orbit-secret", seed: "s3", path: "c.go", commit: sha(2), line: 9},
		{rule: "evil-token", seed: "s4", path: "d.txt", commit: sha(3), line: 2},
	})
	tests := []struct {
		name string
		r    Report
	}{
		{"active", Report{Items: []Item{atHead(f[0]), atHead(f[1]), atHead(f[2]), atHead(f[3])}, Commits: 3}},
		{"removed and dismissed", Report{Items: []Item{removed(f[0]), dismissed(f[1], "revoked"), removed(f[2]), dismissed(f[3], "accepted-risk")}, Commits: 3}},
		{"net diff", Report{Items: []Item{atHead(f[2])}, NetDiff: "too many commits"}},
		{"5000 findings", bigReport(t, rs, 5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := Render(tt.r, rs)
			joined := strings.Join(everyOutput(out), "\n")
			// Every 8-character window of every secret (so the whole secret
			// too), looked up at each offset of the output: a map of the
			// secrets' windows, not of the output's, and no strings.Contains
			// per secret, since the 5000-finding output is megabytes long.
			windows := map[string][]secretWindow{}
			for k, it := range tt.r.Items {
				secret := it.Secret()
				if secret == "" {
					t.Fatal("finding without its secret: the test would prove nothing")
				}
				shown := it.Redacted[:strings.Index(it.Redacted, "…")]
				if !strings.HasPrefix(secret, shown) {
					t.Fatalf("redacted prefix %q is not the secret's", shown)
				}
				for i := 0; i+8 <= len(secret); i++ {
					windows[secret[i:i+8]] = append(windows[secret[i:i+8]], secretWindow{item: k, offset: i, shown: len(shown)})
				}
			}
			reported := map[secretWindow]bool{}
			for i := 0; i+8 <= len(joined); i++ {
				for _, w := range windows[joined[i:i+8]] {
					if !reported[w] {
						reported[w] = true
						t.Errorf("8 characters of the secret of %s (from offset %d, beyond the %d-character redacted prefix) are rendered",
							tt.r.Items[w.item].Fingerprint[:12], w.offset, w.shown)
					}
				}
			}
		})
	}
}

// secretWindow is where an 8-character window of a planted secret starts:
// the item, the offset in its secret, and the length of its redacted prefix.
type secretWindow struct{ item, offset, shown int }

func TestRenderMarkdownInjection(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	hostile := []string{
		"a|b|c.env",
		"code`span``.env",
		"line\nbreak\r\n| 🔴 | forged | row |.env",
		"<script>alert(1)</script>/x.env",
		"</details></summary><img src=x onerror=alert(1)>.env",
		"back\\|slash\\.env",
	}
	var plants []plant
	for i, p := range hostile {
		plants = append(plants, plant{rule: "acme-api-key", seed: "inj" + strconv.Itoa(i), path: p, commit: sha(i), line: 1})
	}
	plants = append(plants, plant{rule: "evil-token", seed: "evil", path: "evil|`\n.txt", commit: sha(9), line: 3})
	f := scanFindings(t, rs, plants)
	var items []Item
	for i, x := range f {
		switch i % 3 {
		case 0:
			items = append(items, atHead(x))
		case 1:
			items = append(items, removed(x))
		default:
			items = append(items, dismissed(x, "accepted|risk`\nx"))
		}
	}
	blob := func(path string, line int) string {
		return "https://github.test/o/r/blob/HEAD/x#L" + strconv.Itoa(line)
	}
	for _, withBlob := range []bool{false, true} {
		t.Run(fmt.Sprintf("blob links %v", withBlob), func(t *testing.T) {
			r := Report{Items: items, Commits: 1}
			if withBlob {
				r.BlobURL = blob
			}
			s := Render(r, rs).Summary
			rows := tableRows(s)
			if len(rows) != len(items) {
				t.Fatalf("%d table rows, want one per finding (%d):\n%s", len(rows), len(items), strings.Join(rows, "\n"))
			}
			for i, row := range rows {
				if n := cells(row); n != 6 {
					t.Errorf("row %d has %d cells, want 6: %s", i, n, row)
				}
			}
			evil := testRules()[3].Provider
			if !strings.Contains(s, "<summary><b>"+htmlEscape(evil)+"</b>") {
				t.Errorf("the hostile provider name is not HTML-escaped in <summary>:\n%s", s)
			}
			for _, raw := range []string{"<script>", "</summary><script>", "<img"} {
				if c := strings.Count(s, raw); c > 0 && !insideCodeSpans(s, raw) {
					t.Errorf("raw %q outside a code span in the summary", raw)
				}
			}
		})
	}
}

// insideCodeSpans reports whether every occurrence of sub in s lies inside a
// backtick code span on its line.
func insideCodeSpans(s, sub string) bool {
	for _, line := range strings.Split(s, "\n") {
		for off := 0; ; {
			i := strings.Index(line[off:], sub)
			if i < 0 {
				break
			}
			if strings.Count(line[:off+i], "`")%2 == 0 {
				return false
			}
			off += i + len(sub)
		}
	}
	return true
}

func BenchmarkRender200(b *testing.B) {
	rs := newTestRuleset(b)
	r := bigReport(b, rs, 200)
	b.ReportAllocs()
	for b.Loop() {
		Render(r, rs)
	}
}

// TestRenderAnnotationSaysEncoded: a key found after decoding is marked so
// in its annotation, since the highlighted text is not the key as written.
func TestRenderAnnotationSaysEncoded(t *testing.T) {
	t.Parallel()
	rs := newTestRuleset(t)
	f := scanFindings(t, rs, []plant{{rule: "zenith-token", seed: "enc", path: "k8s/secret.yaml", commit: sha(2), line: 3}})[0]
	for _, enc := range []string{"", "base64", "base64+percent"} {
		t.Run("encoding="+enc, func(t *testing.T) {
			g := f
			g.Encoding = enc
			loc := Location{Path: g.Path, Line: g.Line}
			a := Render(Report{Items: []Item{{Finding: g, AtHead: &loc}}}, rs).Annotations[0]
			marked := strings.Contains(a.GetTitle(), "encoded ("+enc+")") && strings.Contains(a.GetMessage(), "encoded ("+enc+")")
			if marked != (enc != "") {
				t.Errorf("title %q, message %q: marked encoded %v, want %v", a.GetTitle(), a.GetMessage(), marked, enc != "")
			}
		})
	}
}

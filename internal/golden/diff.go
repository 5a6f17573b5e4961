package golden

import (
	"fmt"
	"strings"
)

// Limits of Diff's output.
const (
	diffContext  = 2         // unchanged lines shown around a change
	diffMaxLines = 200       // lines of diff shown before the rest is cut
	diffMaxCells = 4_000_000 // lines(want) × lines(got) past which Diff shows the first change only
	lineMaxBytes = 300       // longer lines are cut in the output
)

// edit is one line of a diff: kind is ' ' (in both), '-' (want only) or
// '+' (got only); line is its 1-based number in want (for '+', of the next
// line of want).
type edit struct {
	kind byte
	line int
	text string
}

// Diff returns a line diff from want to got: unchanged lines start with
// two spaces, removed ones with "- ", added ones with "+ ", and unchanged
// lines far from any change are left out, each run of changes headed by
// "@@ line N" (its line in want). A missing final newline shows as
// "(no newline at end)".
func Diff(want, got []byte) string {
	a, b := lines(string(want)), lines(string(got))
	if len(a)*len(b) > diffMaxCells {
		return firstChange(a, b)
	}
	return render(editScript(a, b))
}

// lines splits s after each newline, keeping them, so "x" and "x\n" differ.
func lines(s string) []string {
	l := strings.SplitAfter(s, "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

// editScript returns a shortest edit script from a to b (longest common
// subsequence by dynamic programming: fine for golden files of a few
// thousand lines).
func editScript(a, b []string) []edit {
	n, m := len(a), len(b)
	lcs := make([][]int32, n+1) // lcs[i][j]: common lines of a[i:] and b[j:]
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, edit{' ', i + 1, a[i]})
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, edit{'-', i + 1, a[i]})
			i++
		default:
			out = append(out, edit{'+', i + 1, b[j]})
			j++
		}
	}
	return out
}

// render prints the changes of script with diffContext lines around each.
func render(script []edit) string {
	show := make([]bool, len(script))
	for k, e := range script {
		if e.kind == ' ' {
			continue
		}
		for c := max(0, k-diffContext); c <= min(len(script)-1, k+diffContext); c++ {
			show[c] = true
		}
	}
	var sb strings.Builder
	shown := 0
	for k, e := range script {
		if !show[k] {
			continue
		}
		if shown == diffMaxLines {
			fmt.Fprintf(&sb, "… (diff cut after %d lines)\n", diffMaxLines)
			break
		}
		if k == 0 || !show[k-1] {
			fmt.Fprintf(&sb, "@@ line %d\n", e.line)
		}
		sb.WriteString(format(e.kind, e.text))
		shown++
	}
	return sb.String()
}

// firstChange describes the first line where a and b differ, for files too
// large to diff.
func firstChange(a, b []string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "@@ line %d (first difference; files too large to diff: %d and %d lines)\n", i+1, len(a), len(b))
	if i < len(a) {
		sb.WriteString(format('-', a[i]))
	}
	if i < len(b) {
		sb.WriteString(format('+', b[i]))
	}
	return sb.String()
}

// format prints one diff line, cut when long and marked when it has no
// final newline.
func format(kind byte, text string) string {
	body, hasNL := strings.CutSuffix(text, "\n")
	if len(body) > lineMaxBytes {
		body = body[:lineMaxBytes] + fmt.Sprintf("… (%d bytes)", len(body))
	}
	if !hasNL {
		body += " (no newline at end)"
	}
	return string(kind) + " " + body + "\n"
}

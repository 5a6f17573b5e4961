package checks

import (
	"fmt"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// CommitGap is a set of commits a scan left out, and why.
type CommitGap struct {
	// Count is how many commits were left out; with AtLeast, a floor.
	Count int
	// AtLeast marks Count as a lower bound: GitHub's list of the commits
	// was cut at its own limit, so there may be more.
	AtLeast bool
	// SHAs are the known ones, oldest first (possibly fewer than Count).
	SHAs []string
	// Reason says why, as a sentence.
	Reason string
}

// Reasons the App gives for a file it did not scan, on top of the
// scanner's (scanner.SkipBinary, scanner.SkipTooLarge).
const (
	// SkipTimeBudget: the job's time budget ran out before the file.
	SkipTimeBudget = "time budget"
	// SkipNotListed: GitHub's list of files stopped at its limit. The
	// Skipped entry's path then describes the files, which are unknown.
	SkipNotListed = "not listed by GitHub"
)

// maxGapItems is how many SHAs or entries of one kind the summary lists.
const maxGapItems = 10

// Incomplete reports whether the scan left out content that may hold a
// secret: any commit, or any file other than a binary one. Binary files
// were read and found binary; everything else was never read.
func (r Report) Incomplete() bool {
	if len(r.UnscannedCommits) > 0 {
		return true
	}
	for _, s := range r.Skipped {
		if s.Reason != scanner.SkipBinary {
			return true
		}
	}
	return false
}

// unscannedCommits counts the commits left out, and whether the count is
// a floor.
func (r Report) unscannedCommits() (n int, atLeast bool) {
	for _, g := range r.UnscannedCommits {
		n += g.Count
		atLeast = atLeast || g.AtLeast
	}
	return n, atLeast
}

// unscannedTitle is the title of a scan with no active finding that left
// something out.
func unscannedTitle(r Report) string {
	var parts []string
	if n, atLeast := r.unscannedCommits(); n > 0 {
		parts = append(parts, countOf(n, atLeast, "commit"))
	}
	listed, notListed := 0, false
	for _, s := range r.Skipped {
		if s.Reason == SkipNotListed {
			notListed = true
		} else {
			listed++
		}
	}
	switch {
	case listed > 0 && notListed:
		parts = append(parts, countOf(listed, true, "file"))
	case listed > 0:
		parts = append(parts, countOf(listed, false, "file"))
	case notListed:
		parts = append(parts, "files past GitHub's list")
	}
	return "No secrets found, but " + strings.Join(parts, " and ") + " not scanned: check them"
}

// countOf renders "3 commits", "at least 3 commits", or, for a floor of
// 0, "an unknown number of commits".
func countOf(n int, atLeast bool, noun string) string {
	if n == 0 && atLeast {
		return "an unknown number of " + noun + "s"
	}
	s := fmt.Sprintf("%d %s%s", n, noun, plural(n))
	if atLeast {
		s = "at least " + s
	}
	return s
}

// notScannedSection is the callout at the top of the summary and the PR
// comment: what the scan left out, by kind, with counts and, where short,
// SHAs. It is a warning when the check cannot vouch for it, a note when
// only binary files were left out or the net diff was scanned. Its length
// is bounded: at most maxGapItems entries of each kind are named.
func notScannedSection(r Report, filesListed string) string {
	lines := commitGapLines(r)
	lines = append(lines, skippedLines(r.Skipped, filesListed)...)
	if r.NetDiff != "" {
		lines = append(lines, "**Net diff scanned instead of each commit.** "+r.NetDiff)
	}
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	if r.Incomplete() {
		b.WriteString("> [!WARNING]\n> **Not everything was scanned.** pushguard cannot vouch for what it did not read, so the check asks for action " +
			"until it is covered: press **Re-scan** (commits already scanned are not scanned again), or scan the range with `pushguard scan --git BASE..HEAD` " +
			"and have an admin merge past the check.\n")
	} else {
		b.WriteString("> [!NOTE]\n")
	}
	for _, l := range lines {
		b.WriteString("> - " + l + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// commitGapLines names each set of commits left out, with up to
// maxGapItems SHAs.
func commitGapLines(r Report) []string {
	var lines []string
	for _, g := range r.UnscannedCommits {
		s := fmt.Sprintf("**%s not scanned.** %s", countOf(g.Count, g.AtLeast, "commit"), mdEscape(g.Reason))
		if len(g.SHAs) > 0 {
			s += " " + shortList(g.SHAs)
		}
		lines = append(lines, s)
	}
	return lines
}

// skippedLines counts the files left out by reason ("too large (…)"
// counts as "too large"), saying where they are listed, and names each
// entry of files GitHub did not list.
func skippedLines(skipped []scanner.Skipped, listed string) []string {
	var lines, order []string
	count := map[string]int{}
	var notListed []string
	for _, s := range skipped {
		if s.Reason == SkipNotListed {
			notListed = append(notListed, s.Path+" of "+short(s.Commit))
			continue
		}
		class, _, _ := strings.Cut(s.Reason, " (")
		if count[class] == 0 {
			order = append(order, class)
		}
		count[class]++
	}
	for _, class := range order {
		lines = append(lines, fmt.Sprintf("**%d file%s not scanned (%s)**, %s.", count[class], plural(count[class]), mdEscape(class), listed))
	}
	for i, p := range notListed {
		if i == maxGapItems {
			lines = append(lines, fmt.Sprintf("…and %d more lists of files cut short by GitHub.", len(notListed)-i))
			break
		}
		lines = append(lines, fmt.Sprintf("**An unknown number of files not scanned (%s):** %s.", SkipNotListed, mdEscape(p)))
	}
	return lines
}

// shortList renders up to maxGapItems SHAs, shortened, as code.
func shortList(shas []string) string {
	var parts []string
	for i, sha := range shas {
		if i == maxGapItems {
			parts = append(parts, fmt.Sprintf("…and %d more", len(shas)-i))
			break
		}
		parts = append(parts, "`"+mdEscape(short(sha))+"`")
	}
	return strings.Join(parts, ", ")
}

package checks

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/scanner"
)

// GitHub's limits on check-run output.
const (
	MaxSummary            = 65535
	MaxTitle              = 255
	MaxAnnotationsPerCall = 50
	maxAnnotationMessage  = 64 << 10
)

// Output is a rendered check run.
type Output struct {
	Title       string
	Summary     string
	Conclusion  string
	Annotations []*github.CheckRunAnnotation
	Actions     []*github.CheckRunAction
}

// Render turns a report into check-run output. rules supplies each finding's
// remediation (a finding whose rule is unknown still renders, without one).
func Render(r Report, rules *scanner.Ruleset) Output {
	r.Items = liveFirst(r.Items)
	return Output{
		Title:       title(r),
		Summary:     summary(r, rules),
		Conclusion:  r.Conclusion(),
		Annotations: annotations(r, rules),
		Actions:     actions(r),
	}
}

func title(r Report) string {
	active := r.Active()
	switch {
	case r.ValidityChecked && r.Live() > 0:
		return fmt.Sprintf("%d leaked secret%s, %d live: revoke %s now", active, plural(active), r.Live(), pronoun(active))
	case active == 1:
		return "1 leaked secret: revoke it now"
	case active > 1:
		return fmt.Sprintf("%d leaked secrets: revoke them now", active)
	case r.Incomplete():
		return unscannedTitle(r)
	case len(r.Items) > 0:
		dismissed, advisory := r.setAside()
		var parts []string
		if dismissed > 0 {
			parts = append(parts, fmt.Sprintf("%d dismissed", dismissed))
		}
		if advisory > 0 && r.FailOnLive {
			parts = append(parts, fmt.Sprintf("%d not live", advisory))
		} else if advisory > 0 {
			parts = append(parts, fmt.Sprintf("%d below fail_on", advisory))
		}
		return "No active secrets (" + strings.Join(parts, ", ") + ")"
	}
	return "No secrets found"
}

// summary renders the markdown summary and keeps it within GitHub's limit:
// sections are added whole while they fit, and what did not fit is counted.
func summary(r Report, rules *scanner.Ruleset) string {
	var b strings.Builder
	b.WriteString(headline(r))
	b.WriteString(noticesSection(r))
	b.WriteString(notScannedSection(r, "listed below"))
	b.WriteString(configSection(r))
	b.WriteString(allowedSection(r))
	table, left := findingsTable(r, MaxSummary/2)
	b.WriteString(table)
	if left > 0 {
		fmt.Fprintf(&b, "\n_…and %d more findings not shown (GitHub limits a summary to %d characters); each one still at the head is annotated on its line (Checks tab)._\n", left, MaxSummary)
	}
	b.WriteString(removedSection(r))
	// The playbooks come before the list of skipped files: how to revoke a
	// leaked key matters more than the names of files not scanned, which
	// are always counted even when they are not all listed.
	foot := footer(r)
	book, omitted := playbooks(r, rules, MaxSummary-b.Len()-len(foot)-skippedReserve)
	b.WriteString(book)
	if omitted > 0 {
		fmt.Fprintf(&b, "\n_%d more providers' playbooks not shown (summary limit)._\n", omitted)
	}
	b.WriteString(skippedSection(r, MaxSummary-b.Len()-len(foot)))
	b.WriteString(foot)
	return truncate(b.String(), MaxSummary)
}

// skippedReserve is the room kept for the skipped files' heading and count
// (and the note on omitted playbooks) when the playbooks are sized.
const skippedReserve = 512

func headline(r Report) string {
	scope := fmt.Sprintf("%d commit%s", r.Commits, plural(r.Commits))
	if r.NetDiff != "" {
		scope = "the net diff"
	}
	active := r.Active()
	if active == 0 {
		s := fmt.Sprintf("## ✅ No active secrets in %s\n\n", scope)
		if r.Incomplete() {
			s = fmt.Sprintf("## ⚠️ No active secrets in what was scanned of %s, but not all of it was scanned\n\n", scope)
		}
		dismissed, advisory := r.setAside()
		if dismissed > 0 {
			s += fmt.Sprintf("%d finding%s dismissed by maintainers, listed below for the record.\n\n", dismissed, pluralWas(dismissed))
		}
		if advisory > 0 {
			s += advisoryText(r, advisory)
		}
		return s
	}
	return liveHeadline(r, active, scope) + liveNote(r)
}

// liveHeadline is the headline of a scan with active findings.
func liveHeadline(r Report, active int, scope string) string {
	return fmt.Sprintf("## 🚨 %d leaked secret%s in %s\n\n"+
		"Anyone who can read this repository's history can use %s. Attackers find keys in pushes within minutes: "+
		"**revoke first**, then clean up. Deleting the line or force-pushing does not make a key safe.\n\n",
		active, plural(active), scope, pronoun(active))
}

// allowedSection counts the findings the allowlist of .github/pushguard.yml
// dropped: allowed findings are never silent.
func allowedSection(r Report) string {
	switch r.Allowed {
	case 0:
		return ""
	case 1:
		return "_1 finding allowed by .github/pushguard.yml allowlist._\n\n"
	}
	return fmt.Sprintf("_%d findings allowed by .github/pushguard.yml allowlist._\n\n", r.Allowed)
}

// configSection lists the problems of .github/pushguard.yml.
func configSection(r Report) string {
	if len(r.ConfigProblems) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("> [!WARNING]\n> **The repository's pushguard configuration has problems**; the built-in rules ran anyway:\n")
	for i, p := range r.ConfigProblems {
		if i == 20 {
			fmt.Fprintf(&b, "> - …and %d more\n", len(r.ConfigProblems)-i)
			break
		}
		fmt.Fprintf(&b, "> - `%s`\n", mdEscape(p))
	}
	b.WriteString("\n")
	return b.String()
}

// findingsTable renders the findings as a markdown table of at most budget
// characters and returns how many rows did not fit.
func findingsTable(r Report, budget int) (string, int) {
	header := validityColumn(r, []string{"", "Where", "Provider", "Secret (redacted)", "Added in", "Fingerprint"}, tableValidityAt, "Validity")
	return table(mdHeader(header), r.Items, func(it Item) string { return tableRow(r, it) }, budget)
}

// tableValidityAt is where the Validity column goes in the check run's
// table, when validity checks ran.
const tableValidityAt = 4

// validityColumn splices the Validity column's cell into cells at index at
// when the report's keys were checked; otherwise the table has no such
// column.
func validityColumn(r Report, cells []string, at int, cell string) []string {
	if !r.ValidityChecked {
		return cells
	}
	return slices.Insert(cells, at, cell)
}

// mdHeader is a markdown table's header line (an empty name is an empty
// cell) and its separator line.
func mdHeader(names []string) string {
	var b strings.Builder
	b.WriteString("|")
	for _, n := range names {
		if n != "" {
			b.WriteString(" " + n)
		}
		b.WriteString(" |")
	}
	b.WriteString("\n" + strings.Repeat("|---", len(names)) + "|\n")
	return b.String()
}

// mdRow is a markdown table row of cells.
func mdRow(cells []string) string {
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// table renders items as markdown rows under header, within budget
// characters, and returns how many rows did not fit. No items, no table.
func table(header string, items []Item, row func(Item) string, budget int) (string, int) {
	if len(items) == 0 {
		return "", 0
	}
	var b strings.Builder
	b.WriteString(header)
	for i, it := range items {
		line := row(it)
		if b.Len()+len(line) > budget {
			return b.String(), len(items) - i
		}
		b.WriteString(line)
	}
	return b.String(), 0
}

// tableRow is a finding's row of the check run's table.
func tableRow(r Report, it Item) string {
	status := "🔴"
	switch {
	case it.Dismissed != nil:
		status = "⚪ " + mdEscape(it.Dismissed.Reason)
	case it.Advisory:
		status = advisoryLabel(r)
	}
	return mdRow(validityColumn(r, []string{status, where(r, it), mdEscape(htmlEscape(it.Provider)), "`" + mdEscape(it.Redacted) + "`",
		short(it.Commit), "`" + short(it.Fingerprint) + "`"}, tableValidityAt, validityCell(it)))
}

// where is a finding's table cell: its file and line at the head (linked
// when the report can), or where it was added and "(removed since)".
func where(r Report, it Item) string {
	if it.AtHead == nil {
		return fmt.Sprintf("`%s:%d` (removed since)", mdEscape(it.Path), it.Line)
	}
	s := fmt.Sprintf("`%s:%d`", mdEscape(it.AtHead.Path), it.AtHead.Line)
	if r.BlobURL != nil {
		s = fmt.Sprintf("[%s](%s)", s, mdURL(r.BlobURL(it.AtHead.Path, it.AtHead.Line)))
	}
	return s
}

var urlReplacer = strings.NewReplacer("|", "%7C", "(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E",
	"`", "%60", `\`, "%5C", `"`, "%22", "\n", "%0A", "\r", "%0D")

// mdURL percent-encodes what would end a markdown link or table cell, in
// case BlobURL left a path's characters unescaped.
func mdURL(u string) string { return urlReplacer.Replace(u) }

// removedSection explains findings no longer at the head.
func removedSection(r Report) string {
	n := 0
	for _, it := range r.Items {
		if it.AtHead == nil && it.Active() {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	if n == 1 {
		return "\n> **One of these secrets was removed by a later commit but remains in the git history.** " +
			"It is still leaked: revoke it like any other.\n"
	}
	return fmt.Sprintf("\n> **%d of these secrets were removed by a later commit but remain in the git history.** "+
		"They are still leaked: revoke them like the others.\n", n)
}

// playbooks renders one collapsible playbook per provider with active
// findings, in order of appearance, within budget characters.
func playbooks(r Report, rules *scanner.Ruleset, budget int) (string, int) {
	groups := byProvider(r)
	if len(groups) == 0 {
		return "", 0
	}
	var b strings.Builder
	b.WriteString("\n### What to do now\n\nFollow these steps for each provider, in order, now: a leaked key is used within minutes, long before a review or a merge.\n\n")
	for i, g := range groups {
		s := playbook(g, rules, r.CommitTimes)
		if b.Len()+len(s) > budget {
			return b.String(), len(groups) - i
		}
		b.WriteString(s)
	}
	return b.String(), 0
}

type providerGroup struct {
	provider string
	items    []Item
}

func byProvider(r Report) []providerGroup {
	var groups []providerGroup
	index := map[string]int{}
	for _, it := range r.Items {
		if !it.Active() {
			continue
		}
		i, ok := index[it.Provider]
		if !ok {
			i = len(groups)
			index[it.Provider] = i
			groups = append(groups, providerGroup{provider: it.Provider})
		}
		groups[i].items = append(groups[i].items, it)
	}
	return groups
}

// playbook renders the steps for one provider: revoke, notify, investigate,
// issue a new key, update the apps, keep it out of the code. The check run
// shows it expanded.
func playbook(g providerGroup, rules *scanner.Ruleset, times map[string]time.Time) string {
	return "<details open>" + playbookContent(g, rules, times) + "</details>\n\n"
}

// playbookContent is a provider's playbook inside its <details> tags: the
// <summary> line, then the steps for each of the provider's rules.
func playbookContent(g providerGroup, rules *scanner.Ruleset, times map[string]time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<summary><b>%s</b>: %d finding%s</summary>\n\n", htmlEscape(g.provider), len(g.items), plural(len(g.items)))
	for _, ruleID := range ruleIDs(g.items) {
		rule, ok := rules.Rule(ruleID)
		if !ok {
			continue
		}
		m := rule.Remediation
		fmt.Fprintf(&b, "**%s** (`%s`): %s\n\n", mdEscape(ruleTitle(rule)), ruleID, mdEscape(m.What))
		fmt.Fprintf(&b, "1. **Revoke it now.** %s", m.Revoke)
		if m.RevokeURL != "" {
			fmt.Fprintf(&b, " [Open the console](%s).", m.RevokeURL)
		}
		b.WriteString("\n")
		if m.RevokeCommand != "" {
			fmt.Fprintf(&b, "   ```\n   %s\n   ```\n", strings.ReplaceAll(m.RevokeCommand, "\n", "\n   "))
		}
		b.WriteString(revokeHint(ruleID))
		b.WriteString("2. **Tell your security team** which key leaked, where, and in which commit.\n")
		fmt.Fprintf(&b, "3. **Look for misuse%s.** %s\n", since(g.items, ruleID, times), m.Misuse)
		fmt.Fprintf(&b, "4. **Issue a new key.** %s\n", m.Rotate)
		b.WriteString("5. **Update the apps** that used the old key, through their secret store or environment, never the code.\n")
		b.WriteString("6. **Keep it out of the code next time:** load secrets from a secret manager or the environment, " +
			"and run `git diff --cached | pushguard scan --diff -` as a pre-commit hook.\n")
		if m.DocsURL != "" {
			fmt.Fprintf(&b, "\n[Provider documentation](%s)\n", m.DocsURL)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func ruleTitle(r scanner.Rule) string {
	d := r.Description
	if i := strings.IndexAny(d, ".("); i > 0 {
		d = d[:i]
	}
	return strings.TrimSpace(d)
}

func ruleIDs(items []Item) []string {
	var ids []string
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.RuleID] {
			seen[it.RuleID] = true
			ids = append(ids, it.RuleID)
		}
	}
	return ids
}

// since names the earliest commit time of a rule's findings.
func since(items []Item, ruleID string, times map[string]time.Time) string {
	var first time.Time
	for _, it := range items {
		if t, ok := times[it.Commit]; ok && it.RuleID == ruleID && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if first.IsZero() {
		return ""
	}
	// A commit's date is set by its author and changes on rebase: a floor
	// for the search, not its exact start.
	return " at least since " + first.UTC().Format("2006-01-02 15:04 UTC") + " (the commit's date)"
}

// skippedSection lists the files that were not scanned: at most 50, and
// within budget characters; the heading always counts them all.
func skippedSection(r Report, budget int) string {
	if len(r.Skipped) == 0 {
		return ""
	}
	skipped := append([]scanner.Skipped(nil), r.Skipped...)
	sort.SliceStable(skipped, func(i, j int) bool { return skipped[i].Path < skipped[j].Path })
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Not scanned (%d file%s)\n\n", len(skipped), plural(len(skipped)))
	const shown = 50
	more := func(i int) string { return fmt.Sprintf("- …and %d more\n", len(skipped)-i) }
	for i, s := range skipped {
		line := fmt.Sprintf("- `%s` (%s)", mdEscape(s.Path), s.Reason)
		if s.Commit != "" {
			line += " in " + short(s.Commit)
		}
		line += "\n"
		if i == shown || b.Len()+len(line)+len(more(i+1)) > budget {
			b.WriteString(more(i))
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

func footer(r Report) string {
	var b strings.Builder
	b.WriteString("\n---\n")
	scope := fmt.Sprintf("%d commit%s", r.Commits, plural(r.Commits))
	if r.NetDiff != "" {
		scope = "the net diff"
	}
	fmt.Fprintf(&b, "<sub>pushguard scanned the added lines of %s · rules %s · "+
		"secrets are shown redacted (a short prefix and the length) and never stored</sub>\n",
		scope, r.RulesVersion)
	return b.String()
}

// annotations puts one failure annotation on each active finding present at
// the head SHA, and a notice on dismissed ones.
func annotations(r Report, rules *scanner.Ruleset) []*github.CheckRunAnnotation {
	var out []*github.CheckRunAnnotation
	for _, it := range r.Items {
		if it.AtHead == nil {
			continue
		}
		out = append(out, annotation(r, it, rules))
	}
	return out
}

func annotation(r Report, it Item, rules *scanner.Ruleset) *github.CheckRunAnnotation {
	loc := it.AtHead
	level, title := "failure", fmt.Sprintf("Leaked %s secret", it.Provider)
	msg := fmt.Sprintf("%s (%s) found: %s, added in commit %s. Revoke it now, then remove it from the code.",
		it.Provider, it.RuleID, it.Redacted, short(it.Commit))
	if rule, ok := rules.Rule(it.RuleID); ok && rule.Remediation.RevokeURL != "" {
		msg += "\nRevoke: " + rule.Remediation.RevokeURL
	}
	switch {
	case it.Dismissed != nil:
		level, title = "notice", fmt.Sprintf("Dismissed %s finding (%s)", it.Provider, it.Dismissed.Reason)
		msg = fmt.Sprintf("%s: dismissed as %s by %s on %s.", it.Redacted, it.Dismissed.Reason, it.Dismissed.By, it.Dismissed.At.UTC().Format("2006-01-02"))
	case it.Advisory:
		level, title = "warning", fmt.Sprintf("Possible %s secret (%s)", it.Provider, advisoryTitle(r))
	case it.Validity == ValidityLive:
		title = fmt.Sprintf("Leaked %s secret, live: revoke now", it.Provider)
	}
	if it.Encoding != "" {
		title += ", encoded (" + it.Encoding + ")"
		msg += "\nThe key is encoded (" + it.Encoding + ") in the file: the highlighted text decodes to it."
	}
	if r.ValidityChecked {
		msg += "\nValidity: " + validityLabel(it) + "."
	}
	a := &github.CheckRunAnnotation{
		Path:            github.String(loc.Path),
		StartLine:       github.Int(loc.Line),
		EndLine:         github.Int(max(loc.EndLine, loc.Line)),
		AnnotationLevel: github.String(level),
		Title:           github.String(truncate(title, MaxTitle)),
		Message:         github.String(truncate(msg, maxAnnotationMessage)),
		RawDetails:      github.String(fmt.Sprintf("rule: %s\nfingerprint: %s\nconfidence: %s", it.RuleID, it.Fingerprint, it.Confidence)),
	}
	if loc.EndLine <= loc.Line && loc.StartColumn > 0 && loc.EndColumn >= loc.StartColumn {
		a.StartColumn, a.EndColumn = github.Int(loc.StartColumn), github.Int(loc.EndColumn)
	}
	return a
}

// truncate cuts s to at most n bytes on a rune boundary, saying so.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const note = "\n\n_(truncated to GitHub's limit)_"
	cut := n - len(note)
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + note
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// plural is a noun's plural ending for a count of n.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// pluralWas ends a noun and its "was" for a count of n.
func pluralWas(n int) string {
	if n == 1 {
		return " was"
	}
	return "s were"
}

// pronoun stands for n things.
func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

var mdReplacer = strings.NewReplacer(`\`, `\\`, "|", `\|`, "`", "'", "\n", " ", "\r", " ")

// mdEscape keeps user-controlled text (paths, provider names) from breaking
// the markdown table. Backslashes are escaped too: GitHub's table parser
// reads "\\|" as an escaped backslash followed by a cell separator.
func mdEscape(s string) string { return mdReplacer.Replace(s) }

var htmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func htmlEscape(s string) string { return htmlReplacer.Replace(s) }

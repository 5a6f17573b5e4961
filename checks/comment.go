package checks

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/pushguard/pushguard/scanner"
)

// CommentMarker opens pushguard's PR comment, so the comment can be found
// again by its body alone (after a restart, or with Redis wiped). It is an
// HTML comment: GitHub does not show it.
const CommentMarker = "<!-- pushguard:comment -->"

// MaxComment is GitHub's limit on a comment's body, in characters. The
// renderer counts bytes, which is never less.
const MaxComment = 65536

// Reactions pushguard puts on a command comment to tell its author what
// happened.
const (
	ReactionReceived = "eyes"     // 👀 the command was read
	ReactionDone     = "+1"       // 👍 it was carried out
	ReactionRefused  = "confused" // 😕 it was refused or not understood
)

// RenderComment renders the one pushguard comment of a pull request: the
// marker, a verdict, the findings table, each provider's revocation playbook
// (collapsed) and commands, markdown the caller supplies. It fits GitHub's
// comment limit, leaving out table rows (and counting them) when it must,
// and shows secrets only redacted.
func RenderComment(r Report, rules *scanner.Ruleset, commands string) string {
	head := CommentMarker + "\n" + commentVerdict(r) + noticesSection(r) + notScannedSection(r, "named in the pushguard check run")
	foot := commentFoot(r, commands)
	removed := removedSection(r)
	// The playbooks may take half the room; the table takes the rest, less
	// what the note on left-out rows needs.
	room := MaxComment - len(head) - len(removed) - len(foot) - commentNoteReserve
	books := commentPlaybooks(r, rules, room/2)
	r.Items = liveFirst(activeFirst(r.Items))
	table, left := commentTable(r, room-len(books))
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(table)
	if left > 0 {
		fmt.Fprintf(&b, "\n_…and %d more findings not shown (GitHub limits a comment to %d characters); "+
			"the pushguard check run annotates each one still at the head on its line._\n", left, MaxComment)
	}
	b.WriteString(removed)
	b.WriteString(books)
	b.WriteString(foot)
	return truncate(b.String(), MaxComment)
}

// commentNoteReserve is the room kept for the note on left-out rows.
const commentNoteReserve = 256

// commentVerdict is the comment's first lines: what is active, and what to
// do about it.
func commentVerdict(r Report) string {
	dismissed, advisory := r.setAside()
	if active := r.Active(); active > 0 {
		s := fmt.Sprintf("## 🚨 %d active secret%s in this pull request\n\n"+
			"Anyone who can read this repository's history can use %s: **revoke first** (steps below), then clean up. "+
			"Deleting the line or force-pushing does not make a key safe.\n\n", active, plural(active), pronoun(active))
		if dismissed > 0 {
			s += fmt.Sprintf("%d other finding%s dismissed by maintainers.\n\n", dismissed, pluralWas(dismissed))
		}
		return s + liveNote(r) + advisoryNote(r, advisory)
	}
	if r.Incomplete() {
		return "## ⚠️ No active secrets in what was scanned, but not everything was scanned\n\n" +
			"The pushguard check asks for action until the rest is covered (below).\n\n" + advisoryNote(r, advisory)
	}
	if len(r.Items) == 0 {
		return "## ✅ All findings resolved\n\nNo secrets are left in this pull request's commits.\n\n"
	}
	s := "## ✅ All findings resolved\n\nNo active secrets: the pushguard check passes."
	if dismissed > 0 {
		s += fmt.Sprintf(" %d finding%s dismissed by maintainers, listed below for the record.", dismissed, pluralWas(dismissed))
	}
	return s + "\n\n" + advisoryNote(r, advisory)
}

func advisoryNote(r Report, n int) string {
	if n == 0 {
		return ""
	}
	return advisoryText(r, n)
}

// activeFirst orders the findings that fail the check first, keeping scan
// order otherwise, so truncation leaves out the dismissed ones first.
func activeFirst(items []Item) []Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b Item) int {
		switch {
		case a.Active() == b.Active():
			return 0
		case a.Active():
			return -1
		}
		return 1
	})
	return out
}

// commentTable renders the findings within budget characters and returns
// how many rows did not fit.
func commentTable(r Report, budget int) (string, int) {
	const validityAt = 3 // the Validity column, when validity checks ran
	header := validityColumn(r, []string{"Where", "Provider", "Secret (redacted)", "Fingerprint", "Status"}, validityAt, "Validity")
	return table(mdHeader(header), r.Items, func(it Item) string {
		return mdRow(validityColumn(r, []string{where(r, it), mdEscape(htmlEscape(it.Provider)), "`" + mdEscape(it.Redacted) + "`",
			"`" + short(it.Fingerprint) + "`", commentStatus(r, it)}, validityAt, validityCell(it)))
	}, budget)
}

// commentStatus says whether a finding is active, and if not, why.
func commentStatus(r Report, it Item) string {
	switch {
	case it.Dismissed != nil:
		d := it.Dismissed
		s := "⚪ dismissed: " + mdEscape(htmlEscape(d.Reason))
		if d.By != "" {
			s += " by " + mdEscape(htmlEscape(d.By))
		}
		if !d.At.IsZero() {
			s += " on " + d.At.UTC().Format("2006-01-02")
		}
		return s
	case it.Advisory:
		return advisoryLabel(r)
	}
	return "🔴 active"
}

// commentPlaybooks renders each provider's playbook collapsed, within budget
// characters; the check run shows them expanded.
func commentPlaybooks(r Report, rules *scanner.Ruleset, budget int) string {
	groups := byProvider(r)
	if len(groups) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### How to revoke\n\nOpen each provider and follow its steps in order, now: a leaked key is used within minutes.\n\n")
	for i, g := range groups {
		s := "<details>" + playbookContent(g, rules, r.CommitTimes) + "</details>\n\n"
		if b.Len()+len(s) > budget {
			fmt.Fprintf(&b, "_%d more providers' steps are in the pushguard check run._\n", len(groups)-i)
			break
		}
		b.WriteString(s)
	}
	return b.String()
}

// commentFoot is the commands help and the closing line.
func commentFoot(r Report, commands string) string {
	var b strings.Builder
	if commands = strings.TrimSpace(commands); commands != "" {
		b.WriteString("\n### Commands\n\n" + commands + "\n")
	}
	fmt.Fprintf(&b, "\n---\n<sub>pushguard edits this comment on every scan · rules %s · "+
		"secrets are shown redacted (a short prefix and the length) and never stored</sub>\n", mdEscape(htmlEscape(r.RulesVersion)))
	return b.String()
}

// UpsertComment writes body as pushguard's comment on pull request pr: it
// edits the comment found by FindComment when its body differs (and sends
// nothing when it does not), and creates the comment otherwise. A body that
// does not start with CommentMarker gets it, so it can be found next time.
func (c *Client) UpsertComment(ctx context.Context, pr int, body string) (id int64, created bool, err error) {
	if !strings.HasPrefix(body, CommentMarker) {
		body = CommentMarker + "\n" + body
	}
	body = truncate(body, MaxComment)
	cm, err := c.findComment(ctx, pr)
	if err != nil {
		return 0, false, err
	}
	if cm != nil {
		if cm.GetBody() == body {
			return cm.GetID(), false, nil
		}
		if _, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, cm.GetID(), &github.IssueComment{Body: &body}); err != nil {
			return 0, false, fmt.Errorf("edit comment %d on #%d: %w", cm.GetID(), pr, err)
		}
		return cm.GetID(), false, nil
	}
	made, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, pr, &github.IssueComment{Body: &body})
	if err != nil {
		return 0, false, fmt.Errorf("create comment on #%d: %w", pr, err)
	}
	return made.GetID(), true, nil
}

// FindComment returns the ID of pushguard's comment on pull request pr, if
// it has one.
func (c *Client) FindComment(ctx context.Context, pr int) (id int64, found bool, err error) {
	cm, err := c.findComment(ctx, pr)
	if cm == nil || err != nil {
		return 0, false, err
	}
	return cm.GetID(), true, nil
}

// findComment lists the pull request's comments, oldest first, and returns
// the first one a bot wrote whose body starts with CommentMarker. A person
// quoting the marker, or another bot quoting our comment, is not matched.
func (c *Client) findComment(ctx context.Context, pr int) (*github.IssueComment, error) {
	if pr <= 0 { // number 0 would list every comment of the repository
		return nil, fmt.Errorf("find comment: invalid pull request number %d", pr)
	}
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, pr, opts)
		if err != nil {
			return nil, fmt.Errorf("list comments on #%d (page %d): %w", pr, max(opts.Page, 1), err)
		}
		for _, cm := range page {
			if cm.GetUser().GetType() == "Bot" && strings.HasPrefix(strings.TrimLeft(cm.GetBody(), " \t\r\n"), CommentMarker) {
				return cm, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// ReplyComment posts a new comment on pull request pr, such as the answer
// to a command, and returns its ID. The marker is removed from body, so a
// reply is never taken for pushguard's findings comment.
func (c *Client) ReplyComment(ctx context.Context, pr int, body string) (int64, error) {
	for strings.Contains(body, CommentMarker) { // removing one may form another
		body = strings.ReplaceAll(body, CommentMarker, "")
	}
	body = truncate(body, MaxComment)
	cm, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, pr, &github.IssueComment{Body: &body})
	if err != nil {
		return 0, fmt.Errorf("reply on #%d: %w", pr, err)
	}
	return cm.GetID(), nil
}

// React adds a reaction (ReactionReceived, ReactionDone, ReactionRefused or
// another GitHub reaction content) to comment commentID. Reacting twice with
// the same content is not an error.
func (c *Client) React(ctx context.Context, commentID int64, content string) error {
	if _, _, err := c.gh.Reactions.CreateIssueCommentReaction(ctx, c.owner, c.repo, commentID, content); err != nil {
		return fmt.Errorf("react %q to comment %d: %w", content, commentID, err)
	}
	return nil
}

package decisions

import (
	"fmt"
	"strings"
)

// HelpText returns the Markdown help for `/pushguard help` and for the
// pushguard PR comment. Its example is in a code block, so that a comment
// quoting the help runs nothing.
func HelpText() string {
	var b strings.Builder
	b.WriteString("**pushguard commands.** Comment on the pull request, one command per line:\n\n")
	b.WriteString("| Command | What it does |\n|---|---|\n")
	b.WriteString("| `/pushguard dismiss <fingerprint> <reason> [note]` | Stop reporting this secret, in this pull request and anywhere else in the repository. |\n")
	b.WriteString("| `/pushguard dismiss all <reason> [note]` | Dismiss every finding of this pull request. |\n")
	b.WriteString("| `/pushguard undo <fingerprint>` | Report a dismissed secret again. |\n")
	b.WriteString("| `/pushguard revoke <fingerprint>` | Revoke this GitHub token now, through GitHub's revocation API (GitHub tokens only). |\n")
	b.WriteString("| `/pushguard revoke all` | Revoke every GitHub token this pull request leaked. |\n")
	b.WriteString("| `/pushguard resolve <fingerprint\\|all> revoked\\|rotated` | Record that you revoked or rotated the key yourself (any provider); this closes its incident. |\n")
	b.WriteString("| `/pushguard rescan` | Scan the pull request again. |\n")
	b.WriteString("| `/pushguard help` | Show this help. |\n\n")
	fmt.Fprintf(&b, "`<fingerprint>` is the start of the fingerprint shown next to a finding: at least %d characters, more when several findings start alike.\n\n", MinPrefixLen)
	b.WriteString("Reasons:\n")
	for _, r := range Reasons() {
		mark := ""
		if RequiresBypass(r) {
			mark = " \\*"
		}
		fmt.Fprintf(&b, "- `%s`: %s.%s\n", r, r.Description(), mark)
	}
	b.WriteString("\n\\* The repository's `.github/pushguard.yml` may allow these only to the users and teams listed under `bypass.allowed`.\n\n")
	b.WriteString("Only people with write, maintain or admin access to the repository can change what pushguard reports. ")
	b.WriteString("Commands in quotes and code blocks are ignored. Example:\n\n")
	b.WriteString("```\n/pushguard dismiss 3fa2b1c9 revoked rotated in the provider's console\n```\n")
	return b.String()
}

package report

import (
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// describeRule builds the reportingDescriptor of rule id from the ruleset,
// or from a finding of it when the ruleset does not know it.
func describeRule(id string, findings []scanner.Finding, rules *scanner.Ruleset) sarifDescriptor {
	rule, ok := lookupRule(rules, id)
	if !ok {
		for _, f := range findings {
			if f.RuleID == id {
				rule = scanner.Rule{ID: id, Provider: f.Provider, Description: f.Description, Confidence: f.Confidence}
				break
			}
		}
	}
	short := rule.Provider + " credential"
	full := firstNonEmpty(oneLine(rule.Description), oneLine(rule.Remediation.What), short)
	return sarifDescriptor{
		ID:               id,
		Name:             ruleName(id),
		ShortDescription: sarifText{Text: short},
		FullDescription:  sarifText{Text: full},
		Help:             sarifHelp{Text: helpText(rule), Markdown: helpMarkdown(rule)},
		HelpURI:          rule.Remediation.DocsURL,
		Properties: sarifRuleProps{
			Tags:             []string{"security", "secret"},
			Precision:        precision(rule.Confidence),
			SecuritySeverity: securitySeverity,
		},
		DefaultConfig: sarifRuleConfig{Level: "error"},
	}
}

// ruleName turns "github-pat-classic" into "GithubPatClassic", the
// identifier-like form SARIF wants for a rule's name.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// precision maps a rule's confidence onto SARIF's precision property.
func precision(c scanner.Confidence) string {
	switch c {
	case scanner.High:
		return "high"
	case scanner.Medium:
		return "medium"
	}
	return "low"
}

// helpText is the remediation as plain text, one step per paragraph.
func helpText(r scanner.Rule) string {
	m := r.Remediation
	var parts []string
	add := func(label, s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, label+s)
		}
	}
	add("", m.What)
	add("Revoke now: ", joinNonEmpty(" ", m.Revoke, m.RevokeURL))
	add("Revoke with: ", m.RevokeCommand)
	add("Rotate: ", m.Rotate)
	add("Look for misuse: ", m.Misuse)
	add("Documentation: ", m.DocsURL)
	if len(parts) == 0 {
		return "Revoke the " + r.Provider + " credential at the provider, issue a new one, and remove the secret from the code and its history."
	}
	return strings.Join(parts, "\n\n")
}

// helpMarkdown is the remediation as Markdown.
func helpMarkdown(r scanner.Rule) string {
	m := r.Remediation
	var parts []string
	add := func(label, s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, label+s)
		}
	}
	add("", m.What)
	revoke := strings.TrimSpace(m.Revoke)
	if m.RevokeURL != "" {
		revoke = joinNonEmpty(" ", revoke, "(["+m.RevokeURL+"]("+m.RevokeURL+"))")
	}
	add("**Revoke now:** ", revoke)
	if c := strings.TrimSpace(m.RevokeCommand); c != "" {
		add("", "```\n"+c+"\n```")
	}
	add("**Rotate:** ", m.Rotate)
	add("**Look for misuse:** ", m.Misuse)
	if m.DocsURL != "" {
		add("", "[Provider documentation]("+m.DocsURL+")")
	}
	if len(parts) == 0 {
		return helpText(r)
	}
	return strings.Join(parts, "\n\n")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func joinNonEmpty(sep string, ss ...string) string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, sep)
}

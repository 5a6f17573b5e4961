package scanner

import (
	"context"
	"slices"
	"strings"
)

// unscannableText replaces free text that could not be scanned (it holds a
// NUL byte, say): what cannot be checked for secrets is not kept.
const unscannableText = "(text removed: it could not be checked for secrets)"

// redactTextPasses bounds how often RedactText rescans its own output before
// it gives up and drops the lines that still hold a secret.
const redactTextPasses = 2

// RedactText returns text with every secret any of the scanner's rules finds
// in it replaced by its redacted form (Redact: a short prefix and the
// length). Text with nothing in it is returned unchanged. It is meant for the
// free text users hand pushguard (a dismissal's note, say) before it is
// stored or shown. It fails closed: text it cannot scan is replaced whole,
// and a line that still holds a secret after redaction is dropped.
func (s *Scanner) RedactText(text string) string {
	for range redactTextPasses {
		secrets, ok := s.secretsIn(text)
		if !ok {
			return unscannableText
		}
		if len(secrets) == 0 {
			return text
		}
		text = replaceSecrets(text, secrets)
	}
	return s.dropSecretLines(text)
}

// secretsIn returns the distinct secrets found in text, longest first, and
// false when text could not be scanned.
func (s *Scanner) secretsIn(text string) ([]string, bool) {
	res, err := s.ScanFile(context.Background(), "text", "", strings.NewReader(text))
	if err != nil || len(res.Skipped) > 0 {
		return nil, false
	}
	var secrets []string
	for _, f := range res.Findings {
		if f.secret != "" && !slices.Contains(secrets, f.secret) {
			secrets = append(secrets, f.secret)
		}
	}
	// The longest first, so that a secret holding another is replaced whole.
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	return secrets, true
}

// replaceSecrets replaces each secret in text by its redacted form.
func replaceSecrets(text string, secrets []string) string {
	pairs := make([]string, 0, 2*len(secrets))
	for _, sec := range secrets {
		pairs = append(pairs, sec, Redact(sec))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// dropSecretLines is the last resort: each line on which the scanner still
// finds a secret is replaced by a marker.
func (s *Scanner) dropSecretLines(text string) string {
	res, err := s.ScanFile(context.Background(), "text", "", strings.NewReader(text))
	if err != nil || len(res.Skipped) > 0 {
		return unscannableText
	}
	lines := strings.Split(text, "\n")
	for _, f := range res.Findings {
		for n := f.Line; n <= f.EndLine && n >= 1 && n <= len(lines); n++ {
			lines[n-1] = "(line removed: it held a secret)"
		}
	}
	return strings.Join(lines, "\n")
}

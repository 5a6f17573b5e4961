package scanner

// A rule that knows a credential's exact format (an unmistakable prefix and
// a checksum or structure its validators check) is the authority on values
// of that shape: when its pattern matches, it claims the span, whether its
// checks accept the value or not. A rejected value (a GitHub token with a
// wrong CRC-32, say) is then not reported by any broader rule (the generic
// detector, connection strings, custom patterns): a value of that shape is
// the provider's credential or nothing.

// claims reports whether a rule claims the values its pattern matches: a
// High-confidence rule with validators.
func claims(r Rule) bool { return r.Confidence == High && len(r.Validators) > 0 }

// span is a stretch of text in a Finding's coordinates: a claimed one, or
// a finding's.
type span struct {
	line, endLine, startCol, endCol int
}

// spanOf is the span of a finding.
func spanOf(fd Finding) span {
	return span{fd.Line, fd.EndLine, fd.StartColumn, fd.EndColumn}
}

// overlaps reports whether s and t overlap: two spans over the same lines
// where their columns do, and a span over several lines wherever the other
// shares a line with it.
func (s span) overlaps(t span) bool {
	if s.line != t.line || s.endLine != t.endLine {
		return s.line <= t.endLine && t.line <= s.endLine && (s.endLine > s.line || t.endLine > t.line)
	}
	return s.startCol <= t.endCol && t.startCol <= s.endCol
}

// claim records a span claimed by a rule.
func (f *fileScan) claim(line, endLine, startCol, endCol int) {
	f.claimed = append(f.claimed, span{line, endLine, startCol, endCol})
}

// dropClaimed blanks each pending finding of a non-claiming rule, and each
// one found after decoding, that overlaps a claimed span, then forgets the claims on lines before line.
func (f *fileScan) dropClaimed(line int) {
	if len(f.claimed) == 0 {
		return
	}
	for i := range f.pending {
		p := &f.pending[i]
		if p.RuleID == "" || p.Encoding == "" && f.rs.byID[p.RuleID].claims {
			continue
		}
		for _, c := range f.claimed {
			if spanOf(*p).overlaps(c) {
				p.RuleID = ""
				break
			}
		}
	}
	keep := f.claimed[:0]
	for _, c := range f.claimed {
		if c.endLine >= line {
			keep = append(keep, c)
		}
	}
	f.claimed = keep
}

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

// span is a claimed stretch of text, in a Finding's coordinates.
type span struct {
	line, endLine, startCol, endCol int
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
			if overlaps(*p, Finding{Line: c.line, EndLine: c.endLine, StartColumn: c.startCol, EndColumn: c.endCol}) {
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

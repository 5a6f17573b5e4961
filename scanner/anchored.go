package scanner

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// When every match of a rule holds one of its keywords a few bytes (leadLo
// to leadHi) after the match's start (see leadRange), the rule's matches on
// a long line can only start at those few offsets before each occurrence of
// its keywords. The rule is then tried anchored at each such offset, in
// order, skipping offsets inside the last match: this finds exactly the
// matches a scan of the whole line finds, and costs the length of a match
// per occurrence instead of a window's length times the pattern's size.
//
// To keep ^ and \b right at an offset s > 0, the pattern runs on the text
// from s-1 with that byte consumed first (reAfter); the text it sees ends
// one byte past the pattern's longest match, so $ and \b never hold at a
// false end. A pattern without a longest match sees anchorReach bytes, and
// more (up to winMax) while its match reaches the end of what it sees.
const (
	maxLeadSpread = 8   // most offsets tried per occurrence
	anchorSpacing = 64  // a keyword occurring more often than once in this many bytes makes its rules run in windows
	anchorReach   = 320 // bytes an unbounded pattern sees at first
	maxNameTail   = 64  // bytes of a name run's end matched against a rule's nameTail
)

// anchor works out, from its parsed pattern, the reach of the rule's windows
// on a long line and whether it can run anchored at its keywords there
// instead (tighter windows when its keywords are in its matches).
func (c *compiledRule) anchor(syn *syntax.Regexp) {
	c.maxLen = syntaxMaxLen(syn)
	c.winBefore, c.winAfter = windowSizes(c.Rule, c.maxLen)
	if c.nameTail != "" && c.Block == nil {
		if end, err := regexp.Compile(`(?i:` + c.nameTail + `)\.?$`); err == nil {
			c.leadOK, c.anchored, c.startsAtName, c.nameEnd = true, true, true, end
			return
		}
	}
	lo, hi, ok := lead(syn, c.Keywords)
	if !ok {
		return
	}
	c.leadOK, c.leadLo, c.leadHi = true, lo, hi
	c.winBefore = hi + 1
	if c.maxLen != unbounded {
		c.winAfter = c.maxLen + 1
	}
	if c.Block != nil || hi-lo > maxLeadSpread {
		return
	}
	c.anchored = true
}

// A rule whose keywords may lie outside its matches (a provider's name on
// the line, or a nearby one, and a token without a prefix of its own) has no
// keyword to anchor on. If each of its matches holds one of the literals of
// its pattern (three bytes or more) at a bounded offset, those literals join
// the prefilter as anchors: they make no rule a candidate, but on a long line
// the rule is tried at their occurrences, over the whole line, wherever its
// keyword is.

// minAnchorLen is the shortest literal used as an anchor.
const minAnchorLen = 3

// addAnchors gives each rule that needs them its anchors, adding to the
// prefilter's keywords those that are not keywords already (after the allow
// marker, with no rules).
func (rs *Ruleset) addAnchors(kwIndex map[string]int) {
	for _, c := range rs.rules {
		if c.leadOK || c.Block != nil {
			continue
		}
		lits := patternLiterals(c.Pattern)
		lo, hi, ok := leadRange(c.Pattern, lits)
		if len(lits) == 0 || !ok || hi-lo > maxLeadSpread {
			continue
		}
		lits, lo, hi = pruneAnchors(c.Pattern, lits, lo, hi)
		c.anchorIdx = c.anchorIdx[:0]
		for _, l := range lits {
			i, ok := kwIndex[l]
			if !ok {
				i = len(rs.kwAll)
				kwIndex[l] = i
				rs.kwAll = append(rs.kwAll, l)
				rs.kwRules = append(rs.kwRules, nil)
			}
			c.anchorIdx = append(c.anchorIdx, int32(i))
		}
		c.anchored, c.leadLo, c.leadHi = true, lo, hi
	}
}

// pruneAnchors drops the anchors that are not needed, the shortest (the
// most frequent) first, so that fewer occurrences are tried.
func pruneAnchors(pattern string, lits []string, lo, hi int) ([]string, int, int) {
	slices.SortStableFunc(lits, func(a, b string) int { return len(a) - len(b) })
	for i := 0; i < len(lits) && len(lits) > 1; {
		rest := slices.Delete(slices.Clone(lits), i, i+1)
		if l, h, ok := leadRange(pattern, rest); ok && h-l <= maxLeadSpread {
			lits, lo, hi = rest, l, h
			continue
		}
		i++
	}
	return lits, lo, hi
}

// patternLiterals lists the literals of pattern of at least minAnchorLen
// bytes and as many distinct ones (a run such as AAAAAAAAAA would occur at
// every byte of a blob of A), lower-cased, ASCII only.
func patternLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(re *syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		if re.Op == syntax.OpLiteral {
			s := strings.ToLower(string(re.Rune))
			if len(s) >= minAnchorLen && len(s) == len(re.Rune) && distinct(s) >= minAnchorLen && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		for _, sub := range re.Sub {
			walk(sub)
		}
	}
	walk(re)
	return out
}

// anchorKeywords returns the keywords whose occurrences place an anchored
// rule's tries: its anchors, or its own keywords.
func (c *compiledRule) anchorKeywords() []int32 {
	if c.anchorIdx != nil {
		return c.anchorIdx
	}
	return c.kwIdx
}

// anchoredREs compiles, on first use (most rules never meet a long line),
// the rule's pattern anchored at the start of text and after its first rune.
func (c *compiledRule) anchoredREs() (start, after *regexp.Regexp) {
	c.anchorOnce.Do(func() {
		c.reStart = regexp.MustCompile(`^(?:` + c.Pattern + `)`)
		c.reAfter = regexp.MustCompile(`^(?s:.)(` + c.Pattern + `)`)
	})
	return c.reStart, c.reAfter
}

// runAnchored runs an anchored rule at the offsets its keywords' occurrences
// on the current long line allow. It reports false, having done nothing,
// when a keyword occurs too often for that to pay (the rule then runs in
// windows).
func (f *fileScan) runAnchored(r *compiledRule, num int, text []byte, cc *colCounter, hits bool) bool {
	var starts []int
	var ok bool
	if hits {
		starts, ok = f.anchorStarts(r, text)
	} else {
		starts, ok = f.rescanStarts(r, text)
	}
	if !ok {
		return false
	}
	done := 0
	for _, s := range starts {
		if s < done || s < len(text) && text[s]&0xc0 == 0x80 { // inside the last match, or inside a rune
			continue
		}
		m, base := matchAt(r, text, s)
		if m == nil {
			continue
		}
		f.report(r, num, text, window{s: base}, [][]int{m}, false, false, cc)
		done = base + m[1]
	}
	return true
}

// rescanStarts is anchorStarts for a remembered line (a windowed rule
// activated by a later line), whose keyword occurrences were not kept: it
// finds the rule's own in one more pass of the prefilter.
func (f *fileScan) rescanStarts(r *compiledRule, text []byte) ([]int, bool) {
	kws := r.anchorKeywords()
	limit := len(text) / anchorSpacing * len(kws)
	hits := f.oldHits[:0]
	f.rs.keywords.matchAt(text, func(kw int32, end int) {
		if len(hits) <= limit && slices.Contains(kws, kw) {
			hits = append(hits, end-len(f.rs.kwAll[kw]))
		}
	})
	f.oldHits = hits
	if len(hits) > limit {
		return nil, false
	}
	starts := f.starts[:0]
	for _, h := range hits {
		for s := max(0, h-r.leadHi); s <= h-r.leadLo; s++ {
			starts = append(starts, s)
		}
	}
	return f.finishStarts(r, text, starts), true
}

// anchorStarts lists, sorted, the offsets where r's matches may start on
// the current long line, or reports false when a keyword of r occurs too
// often.
func (f *fileScan) anchorStarts(r *compiledRule, text []byte) ([]int, bool) {
	starts := f.starts[:0]
	kws := r.anchorKeywords()
	for _, kw := range kws {
		hs := f.kwHits[kw]
		if len(hs) > f.hitLimit {
			return nil, false
		}
		for _, h := range hs {
			for s := max(0, int(h)-r.leadHi); s <= int(h)-r.leadLo; s++ {
				starts = append(starts, s)
			}
		}
	}
	if len(kws) == 1 && r.leadHi == r.leadLo {
		f.starts = starts
		return f.nameStartsOf(r, text, starts), true
	}
	return f.finishStarts(r, text, starts), true
}

// finishStarts sorts an anchored rule's starts, drops repeats, and for a
// startsAtName rule turns keyword occurrences into name-run starts.
func (f *fileScan) finishStarts(r *compiledRule, text []byte, starts []int) []int {
	slices.Sort(starts)
	starts = slices.Compact(starts)
	f.starts = starts
	return f.nameStartsOf(r, text, starts)
}

// nameStartsOf returns starts, or for a startsAtName rule the starts of the
// name runs holding them.
func (f *fileScan) nameStartsOf(r *compiledRule, text []byte, starts []int) []int {
	if !r.startsAtName {
		return starts
	}
	f.nameBuf = nameStarts(f.nameBuf[:0], text, starts, r.nameEnd)
	return f.nameBuf
}

// nameStarts appends to out, for each keyword occurrence (sorted), where
// a match of a startsAtName rule holding it can start: the character before
// the run of name characters that holds it, and the one before that (a
// '<', the only character that can come between). An occurrence whose run does not end with a name the rule reports
// (nameEnd), at a character that can follow a name in an assignment, yields
// nothing. Each byte is looked at once: a run
// is not walked again for a later occurrence in it.
func nameStarts(out []int, text []byte, hits []int, nameEnd *regexp.Regexp) []int {
	lastP, lastQ, runEnd, named := -1, 0, -1, false
	for _, p := range hits {
		q := p
		if p == lastP {
			q = lastQ
		}
		for q > 0 && isNameChar(text[q-1]) && q != lastP {
			q--
		}
		if q == lastP {
			q = lastQ
		}
		lastP, lastQ = p, q
		if p >= runEnd {
			runEnd = p
			for runEnd < len(text) && isNameChar(text[runEnd]) {
				runEnd++
			}
			named = runEnd < len(text) && followsName(text[runEnd]) &&
				nameEnd.Match(text[max(q, runEnd-maxNameTail):runEnd])
		}
		if !named {
			continue
		}
		if q >= 1 && text[q-1] == '<' {
			out = appendStart(out, max(0, q-2))
		}
		out = appendStart(out, max(0, q-1))
	}
	return out
}

// appendStart appends s to the sorted starts unless it is already there.
func appendStart(starts []int, s int) []int {
	if len(starts) == 0 || starts[len(starts)-1] < s {
		return append(starts, s)
	}
	return starts
}

// followsName reports a character that can end a name in genericPattern's
// assignments: a closing quote or bracket, white space, or the first
// character of an operator (genAssign, the = of --name=value, the > of
// <name>).
func followsName(c byte) bool {
	switch c {
	case '\\', '"', '\'', '`', ']', ' ', '\t', '\n', '\v', '\f', '\r', '=', ':', '?', '+', '(', '>', ',':
		return true
	}
	return false
}

// isNameChar reports a character of a name (genericPattern's genPrefix).
func isNameChar(c byte) bool {
	return isAlnum(c) || c == '_' || c == '.' || c == '-'
}

// matchAt returns r's match starting at byte s of text, if any, as submatch
// indices relative to base.
func matchAt(r *compiledRule, text []byte, s int) (m []int, base int) {
	n := anchorReach
	if r.maxLen != unbounded {
		n = r.maxLen + 1
	}
	reStart, reAfter := r.anchoredREs()
	for {
		end := min(len(text), s+n)
		if s == 0 {
			m, base = reStart.FindSubmatchIndex(text[:end]), 0
		} else if m, base = reAfter.FindSubmatchIndex(text[s-1:end]), s-1; m != nil {
			m = m[2:]
		}
		switch {
		case m == nil || base+m[1] < end || end == len(text) || m[2*r.Group] < 0:
			// A match without the secret (an alternative that only
			// rules a name out) is not grown: it yields nothing.
			return m, base
		case n >= winMax:
			return nil, 0 // still cut short: dropped, as in a window
		}
		n *= 4
	}
}

// distinct counts the distinct bytes of s.
func distinct(s string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			n++
		}
	}
	return n
}

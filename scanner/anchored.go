package scanner

import (
	"regexp"
	"slices"
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
)

// anchor works out whether the rule can run anchored at its keywords on a
// long line, and tightens its windows when its keywords are in its matches.
func (c *compiledRule) anchor() {
	c.maxLen = maxMatchLen(c.Pattern)
	lo, hi, ok := leadRange(c.Pattern, c.Keywords)
	if !ok {
		return
	}
	c.leadOK = true
	c.winBefore = hi + 1
	if c.maxLen != unbounded {
		c.winAfter = c.maxLen + 1
	}
	if c.Block != nil || hi-lo > maxLeadSpread {
		return
	}
	start, err1 := regexp.Compile(`^(?:` + c.Pattern + `)`)
	after, err2 := regexp.Compile(`^(?s:.)(` + c.Pattern + `)`)
	if err1 != nil || err2 != nil {
		return
	}
	c.anchored, c.leadLo, c.leadHi, c.reStart, c.reAfter = true, lo, hi, start, after
}

// runAnchored runs an anchored rule at the offsets its keywords' occurrences
// on the current long line allow. It reports false, having done nothing,
// when a keyword occurs too often for that to pay (the rule then runs in
// windows).
func (f *fileScan) runAnchored(r *compiledRule, num, col int, text []byte) bool {
	starts := f.starts[:0]
	for _, kw := range r.kwIdx {
		hs := f.kwHits[kw]
		if len(hs) > f.hitLimit {
			return false
		}
		for _, h := range hs {
			for s := max(0, int(h)-r.leadHi); s <= int(h)-r.leadLo; s++ {
				starts = append(starts, s)
			}
		}
	}
	if len(r.kwIdx) > 1 || r.leadHi > r.leadLo {
		slices.Sort(starts)
		starts = slices.Compact(starts)
	}
	f.starts = starts
	cc := colCounter{text: text, col: col}
	done := 0
	for _, s := range starts {
		if s < done || s < len(text) && text[s]&0xc0 == 0x80 { // inside the last match, or inside a rune
			continue
		}
		m, base := matchAt(r, text, s)
		if m == nil {
			continue
		}
		f.report(r, num, text, window{s: base}, [][]int{m}, false, false, &cc)
		done = base + m[1]
	}
	return true
}

// matchAt returns r's match starting at byte s of text, if any, as submatch
// indices relative to base.
func matchAt(r *compiledRule, text []byte, s int) (m []int, base int) {
	n := anchorReach
	if r.maxLen != unbounded {
		n = r.maxLen + 1
	}
	for {
		end := min(len(text), s+n)
		if s == 0 {
			m, base = r.reStart.FindSubmatchIndex(text[:end]), 0
		} else if m, base = r.reAfter.FindSubmatchIndex(text[s-1:end]), s-1; m != nil {
			m = m[2:]
		}
		switch {
		case m == nil || base+m[1] < end || end == len(text):
			return m, base
		case n >= winMax:
			return nil, 0 // still cut short: dropped, as in a window
		}
		n *= 4
	}
}

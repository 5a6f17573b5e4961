package scanner

import "slices"

// A long line (minified code, a base64 blob, a generated file on one line)
// is not run through each candidate rule whole: that costs the line's length
// once per rule whose keyword occurs anywhere on it, and on a line of
// megabytes with keywords all over it, hundreds of slow whole-line regexp
// runs. Instead, a rule runs on windows around the occurrences of its own
// keywords, as wide on each side as the longest match of its pattern (see
// syntaxMaxLen) and winPad more, for a keyword outside the match (the name a
// value is assigned to). A pattern without a longest match gets winBefore and
// winAfter bytes (a multi-line rule, whose escaped one-line form runs to an
// END marker, winMax after), and a match that touches a window's edge may be
// cut short (or be an artefact of the cut: ^, $ and \b hold at the edge), so
// the window grows and the rule runs again, up to winMax; a match still at
// the edge then is dropped. Lines up to longLine bytes are matched whole, as
// before.
const (
	longLine        = 4 << 10  // lines longer than this are scanned in windows
	winBefore       = 256      // bytes before a keyword occurrence, at most
	winAfter        = 320      // bytes after it, for an unbounded pattern
	unboundedBefore = 128      // bytes before it, for an unbounded pattern
	boundedAfter    = 2048     // bytes after it, at most, for a bounded one
	winMax          = 32 << 10 // the most a window grows to around an edge match
	winPad          = 128      // added to a bounded pattern's reach: its keyword may lie outside the match
	hitGap          = 64       // occurrences of a keyword this close share a span
	ctxMargin       = 512      // bytes either side of a match that decoy checks see on a long line
)

// window is a byte range [s, e) of a line.
type window struct{ s, e int }

// windowSizes returns how far a rule's windows reach before and after a
// keyword occurrence, given its pattern's syntaxMaxLen.
func windowSizes(r Rule, maxLen int) (before, after int) {
	if n := maxLen; n != unbounded {
		return min(n, winBefore) + winPad, min(n, boundedAfter) + winPad
	}
	if r.Block != nil {
		return unboundedBefore, winMax
	}
	return unboundedBefore, winAfter
}

// addHit records a keyword occurrence ending at end on a long line, merging
// it into the keyword's last span when they are close. It reports whether
// this is the keyword's first occurrence on the line.
func (f *fileScan) addHit(kw int32, end int) (first bool) {
	w := window{end - len(f.rs.kwAll[kw]), end}
	if hs := f.kwHits[kw]; len(hs) <= f.hitLimit {
		f.kwHits[kw] = append(hs, int32(w.s))
	}
	ws := f.kwWins[kw]
	if len(ws) == 0 {
		f.kwTouched = append(f.kwTouched, kw)
		f.kwWins[kw] = append(ws, w)
		return true
	}
	if last := &ws[len(ws)-1]; w.s <= last.e+hitGap {
		last.e = max(last.e, w.e)
		return false
	}
	f.kwWins[kw] = append(ws, w)
	return false
}

// clearHits forgets the keyword spans of the last long line.
func (f *fileScan) clearHits() {
	for _, kw := range f.kwTouched {
		f.kwWins[kw] = f.kwWins[kw][:0]
		f.kwHits[kw] = f.kwHits[kw][:0]
	}
	f.kwTouched = f.kwTouched[:0]
}

// windows returns where rule r runs on text, sorted by start: the whole of a
// short line; on a long one, the spans of its keywords' occurrences widened
// by the rule's window sizes when hits is true (the line is the current
// one), else the line's head when it starts the line (a windowed rule
// activated by a nearby line).
func (f *fileScan) windows(r *compiledRule, col int, text []byte, hits bool) []window {
	f.winBuf = f.winBuf[:0]
	switch {
	case len(text) <= longLine:
		f.winBuf = append(f.winBuf, window{0, len(text)})
	case hits:
		for _, kw := range r.kwIdx {
			for _, w := range f.kwWins[kw] {
				f.winBuf = append(f.winBuf, window{max(0, w.s-r.winBefore), min(len(text), w.e+r.winAfter)})
			}
		}
		if len(r.kwIdx) > 1 {
			slices.SortFunc(f.winBuf, func(a, b window) int { return a.s - b.s })
		}
		if len(f.winBuf) == 0 && col == 1 && !r.leadOK {
			f.winBuf = append(f.winBuf, window{0, longLine})
		}
	case col == 1 && !r.leadOK: // a rule whose keyword is in its match cannot match a line without one
		f.winBuf = append(f.winBuf, window{0, longLine})
	}
	return f.winBuf
}

// runWindows runs rule r over each window of text (sorted by start), growing
// a window while a match touches one of its cut edges, and queues what the
// rule accepts.
func (f *fileScan) runWindows(r *compiledRule, num int, text []byte, wins []window, cc *colCounter) {
	done := 0 // text before done has been matched
	for i := 0; i < len(wins); {
		w := wins[i]
		w.s = max(w.s, done)
		i++
		for {
			for i < len(wins) && wins[i].s <= w.e {
				w.e = max(w.e, wins[i].e)
				i++
			}
			if w.s >= w.e {
				break
			}
			if r.Precheck != nil && len(text) > longLine && !r.Precheck(text[max(0, w.s-hitGap):min(len(text), w.e+hitGap)]) {
				done = w.e
				break
			}
			ms := r.pattern().FindAllSubmatchIndex(text[w.s:w.e], -1)
			lo, hi := w.s > done, w.e < len(text)
			if edgeMatch(ms, w, lo, hi) && w.e-w.s < winMax {
				n := w.e - w.s
				w.s, w.e = max(done, w.s-n), min(len(text), w.e+n)
				continue
			}
			f.report(r, num, text, w, ms, lo, hi, cc)
			done = w.e
			break
		}
	}
}

// edgeMatch reports a match touching a cut edge of window w.
func edgeMatch(ms [][]int, w window, lo, hi bool) bool {
	for _, m := range ms {
		if lo && m[0] == 0 || hi && m[1] == w.e-w.s {
			return true
		}
	}
	return false
}

// report checks and queues the matches of r in window w of text, skipping
// those still touching a cut edge.
func (f *fileScan) report(r *compiledRule, num int, text []byte, w window, ms [][]int, lo, hi bool, cc *colCounter) {
	for _, m := range ms {
		if lo && m[0] == 0 || hi && m[1] == w.e-w.s {
			continue
		}
		s, e := m[2*r.Group], m[2*r.Group+1]
		if s < 0 {
			continue
		}
		s, e = s+w.s, e+w.s
		secret := string(text[s:e])
		start, end := cc.at(s), cc.at(e)-1
		if r.claims {
			f.claim(num, num, start, end)
		}
		context := text
		if len(text) > longLine {
			context = text[max(0, s-ctxMargin):min(len(text), e+ctxMargin)]
		}
		if f.accept(r, secret, context) {
			f.queue(r, secret, context, num, num, start, end)
		}
	}
}

// colCounter turns byte offsets of a line into 1-based columns (runes). It
// keeps the column at every colBlock bytes, filled in as far as asked, so
// that any offset costs at most colBlock bytes of counting, and the rules
// run on one long line share the count.
type colCounter struct {
	text  []byte
	col   int   // the column of text's first byte
	marks []int // marks[k] is the column of byte k*colBlock, as far as counted
}

// colBlock is the spacing of a colCounter's marks.
const colBlock = 4 << 10

// reset readies the counter for text, whose first byte is at column col.
func (c *colCounter) reset(text []byte, col int) {
	c.text, c.col, c.marks = text, col, c.marks[:0]
}

// at returns the column of byte offset i.
func (c *colCounter) at(i int) int {
	k := i / colBlock
	if len(c.marks) == 0 {
		c.marks = append(c.marks, c.col)
	}
	for j := len(c.marks) - 1; j < k; j++ {
		c.marks = append(c.marks, c.marks[j]+runeCount(c.text[j*colBlock:(j+1)*colBlock]))
	}
	return c.marks[k] + runeCount(c.text[k*colBlock:i])
}

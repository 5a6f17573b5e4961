package scanner

import (
	"bytes"
	"math"
	"slices"
	"sort"
	"unicode/utf8"
)

// staleLine marks a ring slot left over from a previous file.
const staleLine = math.MinInt / 2

// allDecoys is every shared decoy check.
const allDecoys = DecoyPlaceholder | DecoyRepeated | DecoySequential | DecoyReference |
	DecoyDigest | DecoyUUID | DecoyPublicKey | DecoyPublishable

// fileScan runs a ruleset over the scanned lines of one file, in order. Lines
// need not be contiguous (a diff's added lines skip context), but their
// numbers must increase. It keeps only a few recent lines, so its memory does
// not depend on the size of the file.
type fileScan struct {
	rs     *Ruleset
	key    []byte
	path   string
	commit string
	emit   func(Finding)

	mark      []uint64 // per rule: the stamp of the last line it was a candidate on
	stamp     uint64
	cands     []int
	active    []int        // per rule with a keyword window: last line number it is active through
	activeMax int          // the greatest of active
	recent    []recentLine // ring of the last lines, for windowed rules
	next      int          // next slot of the ring to fill
	block     *openBlock
	pending   []Finding // findings on the current line, before overlaps are resolved

	kwWins    [][]window // per keyword: its windows on the current long line
	kwTouched []int32    // keywords with windows
	kwHits    [][]int32  // per keyword: where it starts on the current long line, up to hitLimit+1 times
	hitLimit  int        // occurrences of a keyword beyond which its rules run in windows, not anchored
	starts    []int      // scratch: where an anchored rule is tried
	nameBuf   []int      // scratch: the same for a startsAtName rule
	oldHits   []int      // scratch: keyword occurrences on a remembered line
	cols      colCounter // columns of the current line
	oldCols   colCounter // columns of a remembered line
	winBuf    []window
	claimed   []span // spans claimed by format-specific rules, until flushed

	// The encoded pass (encoded.go).
	depth     int          // layers of encoding above this scan's text
	decoded   int          // bytes decoded in this file
	runs      []encodedRun // scratch: the current line's encoded runs
	decBuf    []byte       // scratch: a run's decoded chunk
	decPos    []int32      // scratch: where each byte of a percent-decoded chunk came from
	lineAt    []int        // scratch: where each line of the decoded chunk starts in it
	synth     []byte       // scratch: decoded text with the bytes around its run
	sub       *fileScan    // scans decoded text, one layer down
	collected []Finding    // what sub found
	// decodeLo and decodeHi bound the runs decoded on line 1 of decoded
	// text: the bytes around it were the parent line's, decoded there.
	decodeLo, decodeHi int
	shape              encodedShape // the current line's, noted by the keyword pass
}

type recentLine struct {
	num  int
	col  int
	text []byte
	ran  []int // windowed rules already run on this line
}

type openBlock struct {
	rule  *compiledRule
	lines [][]byte
	first int
	col   int
	last  int
}

func newFileScan(rs *Ruleset, key []byte, emit func(Finding)) *fileScan {
	return &fileScan{
		rs: rs, key: key, emit: emit,
		mark:   make([]uint64, len(rs.rules)),
		kwWins: make([][]window, len(rs.kwAll)),
		kwHits: make([][]int32, len(rs.kwAll)),
		active: make([]int, len(rs.rules)),

		decodeHi: math.MaxInt,
	}
}

// reset readies the scan for a new file, keeping its buffers.
func (f *fileScan) reset(path, commit string) {
	f.path, f.commit = path, commit
	clear(f.active)
	f.activeMax = 0
	for i := range f.recent {
		f.recent[i].num = staleLine
	}
	f.block = nil
	f.pending = f.pending[:0]
	f.claimed = f.claimed[:0]
	f.decoded = 0
}

// line scans one added line. col is the 1-based column at which text starts
// (above 1 only for the later pieces of a very long line).
func (f *fileScan) line(num, col int, text []byte) {
	f.cols.reset(text, col)
	if allowed := f.collectCandidates(num, text); allowed {
		f.extendBlock(num, text, true)
		return
	}
	inBlock := f.extendBlock(num, text, false)
	for _, ri := range f.cands {
		r := f.rs.rules[ri]
		if r.Block != nil {
			if !inBlock {
				f.runBlockStart(r, num, col, text)
			}
			continue
		}
		f.runRule(r, num, col, text, true)
	}
	if !inBlock {
		f.decodeLine(num, col, text)
	}
	if len(f.pending) > 0 || len(f.claimed) > 0 {
		f.flush(num - f.rs.maxWindow)
	}
	f.remember(num, col, text)
}

// collectCandidates fills f.cands with the rules whose keywords occur in the
// line (ignoring case), plus windowed rules active on it, and runs newly
// activated windowed rules over the recent lines they now cover. It reports
// whether the line carries the pushguard:allow (or gitleaks:allow) marker.
func (f *fileScan) collectCandidates(num int, text []byte) (allowed bool) {
	f.stamp++
	f.cands = f.cands[:0]
	if len(text) > longLine {
		allowed = f.collectLong(num, text)
	} else {
		f.shape = f.rs.keywords.match(text, func(kw int32) {
			allowed = allowed || f.rs.isAllow(kw)
			f.addCandidates(num, kw)
		})
	}
	if f.activeMax < num {
		return allowed
	}
	for _, ri := range f.rs.windowed {
		if f.active[ri] >= num && f.mark[ri] != f.stamp {
			f.mark[ri] = f.stamp
			f.cands = append(f.cands, ri)
		}
	}
	return allowed
}

// collectLong is collectCandidates' keyword pass over a long line: it also
// records each keyword's windows, and adds a keyword's rules once.
func (f *fileScan) collectLong(num int, text []byte) (allowed bool) {
	f.clearHits()
	f.hitLimit = len(text) / anchorSpacing
	f.shape = f.rs.keywords.matchAt(text, func(kw int32, end int) {
		if f.addHit(kw, end) {
			allowed = allowed || f.rs.isAllow(kw)
			f.addCandidates(num, kw)
		}
	})
	return allowed
}

// addCandidates adds the rules of keyword kw to the line's candidates.
func (f *fileScan) addCandidates(num int, kw int32) {
	for _, ri := range f.rs.kwRules[kw] {
		if f.mark[ri] == f.stamp {
			continue
		}
		f.mark[ri] = f.stamp
		f.cands = append(f.cands, ri)
		if w := f.rs.rules[ri].KeywordWindow; w > 0 {
			f.activate(ri, num, w)
		}
	}
}

// activate makes a windowed rule run on the lines up to w after num, and now
// on the remembered lines up to w before it.
func (f *fileScan) activate(ri, num, w int) {
	f.active[ri] = max(f.active[ri], num+w)
	f.activeMax = max(f.activeMax, f.active[ri])
	r := f.rs.rules[ri]
	for i := range f.recent {
		rl := &f.recent[i]
		if rl.num < num-w || rl.num >= num || slices.Contains(rl.ran, ri) {
			continue
		}
		rl.ran = append(rl.ran, ri)
		f.runRule(r, rl.num, rl.col, rl.text, false)
	}
}

// remember keeps the line for windowed rules activated by later lines, in a
// ring of maxWindow reused buffers: no allocation once the ring is warm.
func (f *fileScan) remember(num, col int, text []byte) {
	if f.rs.maxWindow == 0 || len(text) < f.rs.minWindowedLen { // too short to hold a match
		return
	}
	if len(f.recent) < f.rs.maxWindow {
		f.recent = append(f.recent, recentLine{})
	}
	if f.next >= len(f.recent) {
		f.next = 0
	}
	rl := &f.recent[f.next]
	f.next++
	rl.num, rl.col = num, col
	rl.text = append(rl.text[:0], text...)
	rl.ran = rl.ran[:0]
	for _, ri := range f.cands {
		if f.rs.rules[ri].KeywordWindow > 0 {
			rl.ran = append(rl.ran, ri)
		}
	}
}

// runRule runs a single-line rule over text and queues its findings. hits
// says whether text is the current line, whose keyword occurrences place the
// windows of a long line (see window.go).
func (f *fileScan) runRule(r *compiledRule, num, col int, text []byte, hits bool) {
	if r.Precheck != nil && len(text) <= longLine && !r.Precheck(text) {
		return
	}
	cc := &f.cols
	if !hits {
		cc = &f.oldCols
		cc.reset(text, col)
	}
	if len(text) > longLine && r.anchored && f.runAnchored(r, num, text, cc, hits) {
		return
	}
	f.runWindows(r, num, text, f.windows(r, col, text, hits), cc)
}

// accept applies a rule's entropy, validators and the shared decoy checks.
func (f *fileScan) accept(r *compiledRule, secret string, context []byte) bool {
	if r.MinEntropy > 0 && entropy(secret) < r.MinEntropy {
		return false
	}
	for _, v := range r.Validators {
		if !v(secret) {
			return false
		}
	}
	return decoyReason(secret, context, allDecoys&^r.Exempt) == ""
}

// queue records a finding on the current line for overlap resolution.
// context is the text the secret was found in, for the allowlist.
func (f *fileScan) queue(r *compiledRule, secret string, context []byte, line, endLine, startCol, endCol int) {
	f.pending = append(f.pending, Finding{
		RuleID:      r.ID,
		Provider:    r.Provider,
		Description: r.Description,
		Path:        f.path,
		Commit:      f.commit,
		Line:        line,
		EndLine:     endLine,
		StartColumn: startCol,
		EndColumn:   endCol,
		Confidence:  r.Confidence,
		Redacted:    Redact(secret),
		Fingerprint: Fingerprint(f.key, r.ID, secret),
		secret:      secret,
		allowed:     f.rs.allow.allows(secret, context),
	})
}

// flush resolves overlaps among the pending findings and emits those on
// lines before line: where two findings overlap, the more confident one wins,
// and on a tie the rule that comes first. Findings wait until no windowed
// rule can still add a finding on their line (maxWindow lines later), so a
// late windowed match competes with the others on its line.
func (f *fileScan) flush(line int) {
	if len(f.pending) == 0 {
		f.dropClaimed(line)
		return
	}
	f.dropClaimed(line)
	f.resolveOverlaps()
	sort.SliceStable(f.pending, func(i, j int) bool {
		a, b := f.pending[i], f.pending[j]
		return a.Line < b.Line || a.Line == b.Line && a.StartColumn < b.StartColumn
	})
	keep := f.pending[:0]
	for _, fd := range f.pending {
		switch {
		case fd.RuleID == "":
		case fd.Line < line:
			f.emit(fd)
		default:
			keep = append(keep, fd)
		}
	}
	clear(f.pending[len(keep):])
	f.pending = keep
}

// resolveOverlaps blanks (empty RuleID) each pending finding that overlaps
// a better one.
func (f *fileScan) resolveOverlaps() {
	for i := range f.pending {
		a := f.pending[i]
		if a.RuleID == "" {
			continue
		}
		for j := i + 1; j < len(f.pending); j++ {
			b := f.pending[j]
			if b.RuleID == "" || !spanOf(a).overlaps(spanOf(b)) {
				continue
			}
			if f.better(b, a) {
				f.pending[i].RuleID = ""
				break
			}
			f.pending[j].RuleID = ""
		}
	}
}

// better reports whether finding b wins over the overlapping finding a: the
// more confident one, then the direct one over one found after decoding, then
// the rule that comes first.
func (f *fileScan) better(b, a Finding) bool {
	switch {
	case b.Confidence != a.Confidence:
		return b.Confidence > a.Confidence
	case (b.Encoding == "") != (a.Encoding == ""):
		return b.Encoding == ""
	}
	return f.rs.byID[b.RuleID].index < f.rs.byID[a.RuleID].index
}

// runBlockStart handles a multi-line rule that is a candidate on a line: the
// whole secret may be on this one line (an escaped PEM in JSON), or the line
// may open a block.
func (f *fileScan) runBlockStart(r *compiledRule, num, col int, text []byte) {
	before := len(f.pending)
	f.runRule(r, num, col, text, true)
	if len(f.pending) > before || f.block != nil {
		return
	}
	loc := r.begin.FindIndex(text)
	if loc == nil {
		return
	}
	f.block = &openBlock{rule: r, first: num, last: num, col: col + runeCount(text[:loc[0]]), lines: [][]byte{bytes.Clone(text[loc[0]:])}}
}

// extendBlock adds a line to an open block and reports whether the line
// belonged to it (other rules still run on such a line). A block closes on its End line, or is dropped when it grows
// past its limit. Lines of a suppressed (allowed) block are consumed too.
func (f *fileScan) extendBlock(num int, text []byte, allowed bool) bool {
	b := f.block
	if b == nil {
		return false
	}
	if allowed {
		f.block = nil
		return true
	}
	b.lines = append(b.lines, bytes.Clone(text))
	b.last = num
	if len(b.lines) > b.rule.Block.MaxLines {
		f.block = nil
		return false
	}
	loc := b.rule.end.FindIndex(text)
	if loc == nil {
		return true
	}
	f.block = nil
	b.lines[len(b.lines)-1] = b.lines[len(b.lines)-1][:loc[1]]
	joined := bytes.Join(b.lines, []byte("\n"))
	r := b.rule
	for _, m := range r.pattern().FindAllSubmatchIndex(joined, 1) {
		s, e := m[2*r.Group], m[2*r.Group+1]
		if s < 0 {
			continue
		}
		secret := string(joined[s:e])
		if r.claims {
			f.claim(b.first, b.last, b.col, runeCount(text[:loc[1]]))
		}
		if f.accept(r, secret, joined[:min(len(joined), 200)]) {
			f.queue(r, secret, joined, b.first, b.last, b.col, runeCount(text[:loc[1]]))
		}
	}
	return true
}

// finish ends the file. An unterminated block is not a complete key and is
// dropped.
func (f *fileScan) finish() {
	f.block = nil
	f.flush(math.MaxInt)
}

func runeCount(b []byte) int {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return utf8.RuneCount(b)
		}
	}
	return len(b)
}

// containsByte is bytes.IndexByte(b, c) >= 0, without the cost of a call on
// the short lines that can come by the million.
func containsByte(b []byte, c byte) bool {
	if len(b) >= 16 {
		return bytes.IndexByte(b, c) >= 0
	}
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

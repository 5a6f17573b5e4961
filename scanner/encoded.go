package scanner

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"math"
	"slices"
	"unicode/utf8"
)

// A credential is often committed encoded: a Kubernetes Secret's data values
// and a docker config.json's auths are base64, an .npmrc's _auth is base64 of
// user:password, a connection string passed as a query parameter is
// percent-encoded, a key may sit in a hex dump. After the rules have run on a
// line, the line's runs of an encoding's alphabet that are long enough to hold
// a key are decoded; decoded text (not binary) is scanned by the same rules,
// with the text just before the run in front of it so that a name the value is
// assigned to still counts. A finding in it is reported at the encoded run's
// line and columns, with the rule, redaction and fingerprint of the decoded
// secret (the same key encoded or not is one incident) and Finding.Encoding
// naming the layers. Decoded text is decoded again once: at most two layers.
//
// Cost is bounded: only runs of at least minBase64Run (minHexRun) characters
// are decoded, in chunks of decodeChunk bytes; a run whose chunk decodes to
// something other than text is dropped at once (images, hashes, random
// keys), and at most maxDecodedLine bytes of a line and maxDecodedFile bytes
// of a file are decoded. Decoded text is scanned by a fileScan of its own, so
// a long decoded chunk is matched in keyword windows like any long line.
//
// A run inside a span claimed by a format-specific rule (a JWT, a GitHub
// token) is not decoded, and an encoded finding never outlives a claim or a
// direct finding of the same confidence over the same text.

// Encodings a Finding's secret may have been found under.
const (
	EncodingBase64  = "base64"
	EncodingHex     = "hex"
	EncodingPercent = "percent"
)

// Bounds of the encoded pass.
const (
	maxEncodingDepth = 2        // layers decoded: base64 of base64, base64 of percent-encoding…
	minBase64Run     = 20       // base64 characters that can hold a key (15 bytes)
	minHexRun        = 32       // hex digits that can hold a key (16 bytes)
	minPercentRun    = 16       // bytes of a percent-encoded token that counts as a run (see percentRuns)
	decodeChunk      = 32 << 10 // encoded bytes decoded at a time (a multiple of 4)
	decodeOverlap    = 1 << 10  // bytes consecutive chunks share (a multiple of 4)
	maxDecodedLine   = 1 << 20  // decoded bytes per line (or piece of a long line)
	maxDecodedFile   = 8 << 20  // decoded bytes per file
	decodedBefore    = 256      // bytes of the line before a run scanned with its decoded text
	decodedAfter     = 64       // and after it
)

// encodedRun is a stretch [s, e) of a line in one encoding; url marks
// base64 in the URL-safe alphabet (with - or _). Bytes [lo, s) and [e, hi)
// of the line are the context its decoded text is scanned with: not before
// the end of a run decoded already, nor past the next run.
type encodedRun struct {
	s, e   int
	enc    string
	url    bool
	lo, hi int
}

// encodedShape is what the keyword prefilter's pass over a line notes for
// the encoded pass, so that the encoded pass need not read the line again:
// most lines (code, prose) have no run of the base64 alphabet long enough to
// hold a key and no percent sign, and are then not looked at.
type encodedShape uint8

const (
	shapeLongRun encodedShape = 1 << iota // a run of minBase64Run base64 characters
	shapePercent                          // a percent sign
)

// The keyword pass tracks a line's shape in a shapeTrack without a branch or
// a second table: each byte's keywordSet entry holds, above its class, the
// bits of shapeEntry. A base64 character's entry has every bit from 32 up
// set, anything else's none, so run = (run+runUnit)&entry counts the current
// run of the alphabet in units of runUnit above bit 32 and clears it at any
// other byte; runUnit is chosen so that the count reaches longRunBit exactly
// at minBase64Run (minBase64Run-1 units stay below 1<<16, minBase64Run reach
// it; TestKeywordPassShape checks both edges), and a line whose or of every
// run value has longRunBit held a run that long. pctBit marks '%'.
type shapeTrack uint64

const (
	runUnit    shapeTrack = ((1<<16)/minBase64Run + 1) << 32
	longRunBit shapeTrack = 1 << 48
	pctBit     shapeTrack = 1 << 8
	runMask    shapeTrack = math.MaxUint32 << 32
)

// shapeEntry is the shape bits of byte c's keywordSet entry.
func shapeEntry(c byte) shapeTrack {
	var e shapeTrack
	if runClass[c]&clBase64 != 0 {
		e |= runMask
	}
	if runClass[c]&clPct != 0 {
		e |= pctBit
	}
	return e
}

// shape is the encodedShape of a line whose run values and pctBit entries
// or together to seen.
func (seen shapeTrack) shape() encodedShape {
	var sh encodedShape
	if seen&longRunBit != 0 {
		sh |= shapeLongRun
	}
	if seen&pctBit != 0 {
		sh |= shapePercent
	}
	return sh
}

// decodeLine finds the encoded runs of the current line and scans what they
// decode to. col is the column of text's first byte (above 1 for a later
// piece of a long line, whose first run may not start on a quantum).
func (f *fileScan) decodeLine(num, col int, text []byte) {
	if f.shape == 0 || f.depth >= maxEncodingDepth || len(text) < minBase64Run || f.decoded >= maxDecodedFile {
		return
	}
	f.runs = findRuns(f.runs[:0], text, f.shape)
	limit := min(maxDecodedLine, maxDecodedFile-f.decoded)
	budget := limit
	textEnd := 0 // the end of the last run that decoded to text
	for i, r := range f.runs {
		if budget <= 0 {
			break
		}
		if r.e <= f.decodeLo || r.s >= f.decodeHi || len(f.claimed) > 0 && f.claimedAt(num, f.cols.at(r.s), f.cols.at(r.e)-1) {
			continue // in the context of decoded text (decoded already), or claimed
		}
		r.lo, r.hi = min(r.s, textEnd), len(text)
		if i+1 < len(f.runs) {
			r.hi = max(r.e, f.runs[i+1].s)
		}
		shifts := 1
		if r.s == 0 && col > 1 && r.enc != EncodingPercent {
			shifts = 4 // a piece of a long line: the run's true start is unknown
		}
		for k := 0; k < shifts && r.e-r.s-k >= minBase64Run; k++ {
			sub := r
			sub.s += k
			if f.decodeRun(num, text, sub, &budget) {
				textEnd = r.e
				break
			}
		}
	}
	f.decoded += limit - budget
}

// decodeRun decodes run r of text chunk by chunk, scanning each chunk that
// decodes to text, and reports whether the first chunk did. A run that
// decodes to text throughout is judged by its decoded text: a low-confidence
// finding on the encoded form (the generic rule, taken by the base64 of a
// placeholder or of a sentence) is dropped.
func (f *fileScan) decodeRun(num int, text []byte, r encodedRun, budget *int) bool {
	for cs := r.s; *budget > 0; cs += decodeChunk - decodeOverlap {
		ce := min(r.e, cs+decodeChunk)
		if !asciiLead(r.enc, text[cs:ce]) {
			return cs > r.s
		}
		f.decBuf, f.decPos = decode(f.decBuf[:0], f.decPos[:0], r, text[cs:ce])
		*budget -= max(len(f.decBuf), 1)
		if !isText(f.decBuf) {
			return cs > r.s
		}
		chunk := r
		chunk.s, chunk.e = cs, ce
		if cs > r.s {
			chunk.lo = cs // a later chunk: the text before it is the run itself
		}
		f.scanDecoded(num, text, chunk, f.decBuf)
		if ce == r.e {
			f.dropEncodedForm(num, f.cols.at(r.s), f.cols.at(r.e)-1)
			break
		}
	}
	return true
}

// dropEncodedForm blanks the pending low-confidence findings found as
// written within columns [start, end] of line num.
func (f *fileScan) dropEncodedForm(num, start, end int) {
	for i := range f.pending {
		p := &f.pending[i]
		if p.Encoding == "" && p.Confidence == Low && p.Line == num && p.EndLine == num && start <= p.StartColumn && p.EndColumn <= end {
			p.RuleID = ""
		}
	}
}

// claimedAt reports whether columns [start, end] of line num overlap a span
// claimed by a format-specific rule.
func (f *fileScan) claimedAt(num, start, end int) bool {
	for _, c := range f.claimed {
		if c.overlaps(span{num, num, start, end}) {
			return true
		}
	}
	return false
}

// scanDecoded scans dec, the decoded text of run r of the current line, and
// queues what it finds at the columns of the encoded text that decodes to the
// secret. One-line decoded text is scanned between the bytes around r, so
// that the name it is assigned to counts; findings that lie wholly in those
// bytes are not the decoded text's.
func (f *fileScan) scanDecoded(num int, text []byte, r encodedRun, dec []byte) {
	c := f.child()
	c.reset(f.path, f.commit)
	f.collected = f.collected[:0]
	pre := text[max(r.lo, r.s-decodedBefore):r.s]
	first, rest, multi := bytes.Cut(dec, []byte("\n"))
	first = bytes.TrimSuffix(first, []byte("\r"))
	f.synth = append(append(f.synth[:0], pre...), first...)
	if !multi {
		f.synth = append(f.synth, text[r.e:min(r.hi, r.e+decodedAfter)]...)
	}
	c.decodeLo, c.decodeHi = len(pre), len(pre)+len(first)
	c.line(1, 1, f.synth)
	c.decodeLo, c.decodeHi = 0, math.MaxInt
	f.lineAt = append(f.lineAt[:0], -len(pre))
	for n := 2; multi; n++ {
		f.lineAt = append(f.lineAt, len(dec)-len(rest))
		var ln []byte
		ln, rest, multi = bytes.Cut(rest, []byte("\n"))
		c.line(n, 1, bytes.TrimSuffix(ln, []byte("\r")))
	}
	c.finish()
	for _, fd := range f.collected {
		ds := max(0, f.decodedOffset(dec, fd.Line, fd.StartColumn-1))
		de := min(len(dec), f.decodedOffset(dec, fd.EndLine, fd.EndColumn))
		if de <= ds {
			continue
		}
		es, ee := f.encodedSpan(r, ds, de)
		fd.Line, fd.EndLine, fd.StartColumn, fd.EndColumn = num, num, f.cols.at(es), f.cols.at(ee)-1
		if fd.Encoding != "" {
			fd.Encoding = r.enc + "+" + fd.Encoding
		} else {
			fd.Encoding = r.enc
		}
		f.pending = append(f.pending, fd)
	}
	clear(f.collected)
}

// decodedOffset returns the offset in dec of the byte after the first cols
// characters of decoded line n (negative within the bytes before the run).
func (f *fileScan) decodedOffset(dec []byte, n, cols int) int {
	if n == 1 {
		return runeOffset(f.synth, cols) + f.lineAt[0]
	}
	start := f.lineAt[n-1]
	return start + runeOffset(dec[start:], cols)
}

// encodedSpan returns the bytes of the current line, within run r, that
// decode to bytes [ds, de) of its decoded text.
func (f *fileScan) encodedSpan(r encodedRun, ds, de int) (s, e int) {
	switch r.enc {
	case EncodingHex:
		s, e = 2*ds, 2*de
	case EncodingPercent:
		s, e = int(f.decPos[ds]), int(f.decPos[de])
	default:
		s, e = ds/3*4, (4*de+2)/3
	}
	return r.s + s, min(r.e, r.s+e)
}

// runeOffset returns the offset of the byte after the first n characters of
// b (its length when it has fewer), counting as runeCount does.
func runeOffset(b []byte, n int) int {
	i := 0
	for ; n > 0 && i < len(b); n-- {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		i += size
	}
	return i
}

// child returns the scan that decoded text is run through, one layer down.
func (f *fileScan) child() *fileScan {
	if f.sub == nil {
		f.sub = newFileScan(f.rs, f.key, func(fd Finding) { f.collected = append(f.collected, fd) })
		f.sub.depth = f.depth + 1
		f.sub.decodeHi = math.MaxInt
	}
	return f.sub
}

// findRuns appends the runs of text worth decoding, sorted by start: base64
// (standard or URL-safe, with its padding), hex and percent-encoded tokens.
// sh is text's shape: it looks for the alphabet's runs only in a line with a
// long one, and for percent-escapes only in a line with a percent sign.
// It looks at one byte in minBase64Run until one is in the alphabet, then
// back to where that run starts and at the byte that ends a run long enough,
// so that ordinary text, made of short words, costs a fraction of its length.
func findRuns(runs []encodedRun, text []byte, sh encodedShape) []encodedRun {
	for i := 0; sh&shapeLongRun != 0 && i+minBase64Run <= len(text); {
		p := i + minBase64Run - 1
		if runClass[text[p]]&clBase64 == 0 {
			i = p + 1 // no run of minBase64Run bytes starts in text[i:p+1]
			continue
		}
		s, e := p, p+1
		all, some := runClass[text[p]], runClass[text[p]] // classes of every byte of the run, and of some
		for ; s > i; s-- {
			c := runClass[text[s-1]]
			if c&clBase64 == 0 {
				break
			}
			all, some = all&c, some|c
		}
		if q := s + minBase64Run - 1; q < len(text) && runClass[text[q]]&clBase64 == 0 {
			i = q + 1 // the run from s is too short, and none as long holds q
			continue
		}
		for ; e < len(text); e++ {
			c := runClass[text[e]]
			if c&clBase64 == 0 {
				break
			}
			all, some = all&c, some|c
		}
		if e-s < minBase64Run {
			i = e
			continue
		}
		switch n := e - s; {
		case all&clHex != 0 && n >= minHexRun:
			runs = append(runs, encodedRun{s: s, e: s + n&^1, enc: EncodingHex})
		case some&(clStd|clURL) != clStd|clURL: // one alphabet, not both (n >= minBase64Run: see above)
			for k := 0; k < 2 && e < len(text) && text[e] == '='; k++ {
				e++
			}
			runs = append(runs, encodedRun{s: s, e: e, enc: EncodingBase64, url: some&clURL != 0})
		}
		i = e
	}
	if sh&shapePercent != 0 {
		runs = percentRuns(runs, text)
		slices.SortStableFunc(runs, func(a, b encodedRun) int { return a.s - b.s })
	}
	return runs
}

// Classes of a byte in runClass.
const (
	clBase64 = 1 << iota // in the base64 alphabet, standard or URL-safe
	clHex                // a hex digit
	clStd                // + or /, of standard base64 only
	clURL                // - or _, of URL-safe base64 only
	clPct                // %, which starts a percent-escape
)

// runClass is the class of every byte value.
const runClass = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x05\x00\x09\x00\x05\x03\x03\x03\x03\x03\x03\x03\x03\x03\x03\x00\x00\x00\x00\x00\x00" +
	"\x00\x03\x03\x03\x03\x03\x03\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x09" +
	"\x00\x03\x03\x03\x03\x03\x03\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// percentRuns appends the tokens of text (runs of URL characters) of at
// least minPercentRun bytes that hold a percent-escape. Only those of
// minBase64Run bytes or more are decoded (decodeLine skips a shorter run of
// any encoding), but a shorter one still ends the context of the run before
// it (encodedRun.hi), so the scan of that run's decoded text does not read
// into it.
func percentRuns(runs []encodedRun, text []byte) []encodedRun {
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '%')
		if j < 0 {
			break
		}
		p := i + j
		if p+2 >= len(text) || !isHexChar(text[p+1]) || !isHexChar(text[p+2]) {
			i = p + 1
			continue
		}
		s, e := p, p+3
		for s > i && isURLChar(text[s-1]) {
			s--
		}
		for e < len(text) && isURLChar(text[e]) {
			e++
		}
		if e-s >= minPercentRun {
			runs = append(runs, encodedRun{s: s, e: e, enc: EncodingPercent})
		}
		i = e
	}
	return runs
}

// leadQuanta is how many leading bytes of decoded text asciiLead checks.
const leadQuanta = 4

// asciiLead reports whether the first bytes src decodes to can be ASCII text
// (a tab, a line end or a printable character), from the encoded characters
// alone: in base64 the first character of each quantum holds a byte's top six
// bits (C to f for 0x08 to 0x7f), in hex the first digit its top four. Most
// long identifiers and hex digests fail on their first characters and are
// never decoded.
func asciiLead(enc string, src []byte) bool {
	switch enc {
	case EncodingBase64:
		for k := 0; k < leadQuanta && 4*k < len(src); k++ {
			if c := src[4*k]; !(c >= 'C' && c <= 'Z' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	case EncodingHex:
		for k := 0; k < leadQuanta && 2*k < len(src); k++ {
			if c := src[2*k]; c < '0' || c > '7' {
				return false
			}
		}
	}
	return true
}

// decode appends the decoding of src, a stretch of run r, in r's encoding
// to dst, and for percent-encoding the offset in src of each decoded byte
// (and of its end) to pos. What does not decode (a stray character, a
// partial quantum) ends the output early; an empty result is not text, so
// the run is then dropped.
func decode(dst []byte, pos []int32, r encodedRun, src []byte) ([]byte, []int32) {
	switch r.enc {
	case EncodingHex:
		n := len(src) / 2
		dst = append(dst, make([]byte, n)...)
		k, _ := hex.Decode(dst[len(dst)-n:], src[:2*n])
		return dst[:len(dst)-n+k], pos
	case EncodingPercent:
		return percentDecode(dst, pos, src)
	}
	src = bytes.TrimRight(src, "=")
	if len(src)%4 == 1 {
		src = src[:len(src)-1]
	}
	b64 := base64.RawStdEncoding
	if r.url {
		b64 = base64.RawURLEncoding
	}
	n := b64.DecodedLen(len(src))
	dst = append(dst, make([]byte, n)...)
	k, err := b64.Decode(dst[len(dst)-n:], src)
	if err != nil {
		return dst[:0], pos
	}
	return dst[:len(dst)-n+k], pos
}

// percentDecode appends src with its %XX escapes decoded to dst, and the
// offset in src of each decoded byte, then len(src), to pos; a '%' not
// followed by two hex digits stays as it is, and so does '+'.
func percentDecode(dst []byte, pos []int32, src []byte) ([]byte, []int32) {
	for i := 0; i < len(src); i++ {
		pos = append(pos, int32(i))
		if src[i] == '%' && i+2 < len(src) && isHexChar(src[i+1]) && isHexChar(src[i+2]) {
			dst = append(dst, unhex(src[i+1])<<4|unhex(src[i+2]))
			i += 2
			continue
		}
		dst = append(dst, src[i])
	}
	return dst, append(pos, int32(len(src)))
}

// isText reports whether b is worth scanning as decoded text: valid UTF-8
// with no control characters but tabs and line ends.
func isText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}

func isHexChar(c byte) bool { return runClass[c]&clHex != 0 }

// isURLChar reports a character that may appear in a URL or a query value:
// printable ASCII but space, quotes, angle brackets and backslash.
func isURLChar(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '`' && c != '<' && c != '>' && c != '\\'
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return (c | 0x20) - 'a' + 10
}

package scanner

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// A diff is read line by line and never held whole: the parser keeps the
// current commit, file and hunk counters, and hands each added line to a
// diffSink. It understands the output of git diff, git log -p, git show and
// git format-patch (several commits and files), combined diffs of merges
// (@@@), and the hunk-only patch field of GitHub's API.
//
// Why not a library: bluekeyes/go-gitdiff, the well-kept parser, reads the
// whole input into memory, does not accept the hunk-only patches GitHub
// returns, and does not attribute files to the commits of a git log -p
// stream. What we need of a diff (added lines, their new-file numbers, the
// file and the commit) is a small state machine; it is differentially tested
// against go-gitdiff on the fixtures in testdata/diffs.

// ErrNotDiff is returned for input that is not empty (more than blank lines)
// yet holds no diff: no diff --git, diff --cc, commit or From line and no
// hunk. Such input is an error, never a clean scan.
var ErrNotDiff = errors.New("not a diff: no diff --git, commit or @@ hunk header found")

// diffSink receives what the parser finds.
type diffSink interface {
	commit(sha string)
	file(path string, binary bool)
	added(num, col int, text []byte)
	endFile()
	// unreadableHunk says a hunk of the current file was skipped: its
	// header is not one git writes (too many parents, impossible line
	// numbers), so its lines were not scanned.
	unreadableHunk()
}

var commitRe = regexp.MustCompile(`^(?:commit|From) ([0-9a-f]{40}|[0-9a-f]{64})\b`)

// Limits of the line reader. A line longer than maxLine is scanned in pieces
// of maxLine bytes that overlap by lineOverlap, so a secret straddling two
// pieces is still seen whole, and memory stays bounded.
const (
	maxLine     = 1 << 20
	lineOverlap = 8 << 10
)

// maxParents bounds the parents of a combined diff's hunk (@@@ for two);
// git's octopus merges stay far below it.
const maxParents = 64

// maxLineNumber bounds the line numbers and counts a hunk header may give,
// so that no arithmetic on them overflows.
const maxLineNumber = 1 << 40

type diffParser struct {
	sink diffSink

	inFile    bool
	path      string // best path so far for the current file
	pathFinal bool   // path came from a line without prefixes (rename to, diff --cc)
	dstPrefix string // the new side's prefix ("b/", "w/", "" for noprefix)
	prefixSet bool   // dstPrefix is known from the diff --git line
	binary    bool
	started   bool // sink.file called for the current file

	sawText bool   // a line that is not blank was read
	sawDiff bool   // a diff header, commit line or hunk was read
	clean   []byte // scratch for a line with its escape sequences removed

	inHunk    bool
	parents   int // 1 for a normal diff, n for an n-parent combined diff
	oldLeft   []int
	newLeft   int
	newLine   int
	hunkOnly  bool // a GitHub patch: no headers, path known up front
	lastAdded bool // the last hunk line was an added one (for long-line pieces)
}

// parseDiff streams r through the parser. patchPath, when not empty, means r
// is a hunk-only patch of that file.
func parseDiff(ctx context.Context, r io.Reader, sink diffSink, patchPath string) error {
	p := &diffParser{sink: sink}
	if patchPath != "" {
		p.hunkOnly = true
		p.beginFile(patchPath)
	}
	err := readLines(ctx, r, p.line)
	p.endFile()
	if err == nil && p.sawText && !p.sawDiff && !p.hunkOnly {
		return ErrNotDiff
	}
	return err
}

// readLines calls fn for each line of r without its line ending. A line
// longer than maxLine comes in overlapping pieces: cont is false for the
// first piece, and col is the 1-based column at which the piece starts.
func readLines(ctx context.Context, r io.Reader, fn func(text []byte, cont bool, col int)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte
	cont, col, n := false, 1, 0
	for {
		chunk, err := br.ReadSlice('\n')
		if n++; n&1023 == 0 {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
		}
		switch {
		case err != nil && errors.Is(err, bufio.ErrBufferFull):
			long = append(long, chunk...)
			if len(long) >= maxLine {
				fn(long, cont, col)
				col += runeCount(long[:len(long)-lineOverlap])
				long = append(long[:0], long[len(long)-lineOverlap:]...)
				cont = true
			}
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return fmt.Errorf("read diff: %w", err)
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
		}
		if n := len(line); n > 0 && line[n-1] == '\n' {
			line = line[:n-1]
		}
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if len(line) > 0 || len(chunk) > 0 {
			fn(line, cont, col)
		}
		long, cont, col = long[:0], false, 1
		if err != nil {
			return nil
		}
	}
}

// line handles one line (or a later piece of a long one).
func (p *diffParser) line(text []byte, cont bool, col int) {
	if containsByte(text, esc) { // git's colours: color.ui=always, --color
		p.clean = stripEscapes(p.clean[:0], text)
		text = p.clean
	}
	if !p.sawText && len(bytes.TrimSpace(text)) > 0 {
		p.sawText = true
	}
	if cont {
		if p.inHunk && p.lastAdded {
			p.sink.added(p.newLine-1, col, text)
		}
		return
	}
	if p.inHunk && p.hunkLine(text) {
		return
	}
	p.header(text)
}

// hunkLine consumes a line inside a hunk and reports whether it belonged to
// it. The counters from the hunk header decide where the hunk ends, so a
// removed line that reads "--- a" is never mistaken for a header.
func (p *diffParser) hunkLine(text []byte) bool {
	p.lastAdded = false
	if p.parents == 1 && p.newLeft > 0 && len(text) > 0 && text[0] == '+' { // the common case, in short
		p.newLeft--
		p.sink.added(p.newLine, 1, text[1:])
		p.lastAdded = true
		p.newLine++
		return true
	}
	if len(text) > 0 && text[0] == '\\' { // "\ No newline at end of file"
		return true
	}
	if !p.hunkRemaining() {
		p.inHunk = false
		return false
	}
	prefix := text
	if len(prefix) > p.parents {
		prefix = prefix[:p.parents]
	}
	if len(prefix) < p.parents { // an empty context line whose space was stripped
		prefix = bytes.Repeat([]byte{' '}, p.parents)
	}
	removed, added := false, false
	for _, c := range prefix {
		switch c {
		case '-':
			removed = true
		case '+':
			added = true
		case ' ':
		default:
			p.inHunk = false
			return false
		}
	}
	if !p.fits(prefix, removed) {
		p.inHunk = false
		return false
	}
	for i, c := range prefix {
		if inParent(c, removed) {
			p.oldLeft[i]--
		}
	}
	if removed {
		return true
	}
	p.newLeft--
	if added {
		p.sink.added(p.newLine, 1, text[min(len(text), p.parents):])
		p.lastAdded = true
	}
	p.newLine++
	return true
}

// fits reports whether the hunk's counters leave room for a line with this
// prefix; a line past them means the header lied, and the hunk ends there.
func (p *diffParser) fits(prefix []byte, removed bool) bool {
	if !removed && p.newLeft <= 0 {
		return false
	}
	for i, c := range prefix {
		if inParent(c, removed) && p.oldLeft[i] <= 0 {
			return false
		}
	}
	return true
}

// inParent reports whether a hunk line whose prefix column for some parent
// is c exists in that parent. A removed line is in the parents marked '-';
// a line of the result is in the parents marked ' '.
func inParent(c byte, removed bool) bool {
	if removed {
		return c == '-'
	}
	return c == ' '
}

func (p *diffParser) hunkRemaining() bool {
	if p.newLeft > 0 {
		return true
	}
	for _, n := range p.oldLeft {
		if n > 0 {
			return true
		}
	}
	return false
}

// header handles a line outside any hunk.
func (p *diffParser) header(text []byte) {
	s := string(text)
	switch {
	case strings.HasPrefix(s, "@@"):
		p.startHunk(s)
	case p.hunkOnly:
		// A GitHub patch has nothing but hunks.
	case strings.HasPrefix(s, "diff --git "):
		p.endFile()
		p.inFile, p.sawDiff = true, true
		p.path, p.dstPrefix, p.prefixSet = pathFromGitLine(s[len("diff --git "):])
	case strings.HasPrefix(s, "diff --cc ") || strings.HasPrefix(s, "diff --combined "):
		p.endFile()
		p.inFile, p.sawDiff, p.pathFinal = true, true, true
		p.path = unquotePath(s[strings.Index(s[5:], " ")+6:])
	case commitRe.MatchString(s):
		p.endFile()
		p.sawDiff = true
		p.sink.commit(commitRe.FindStringSubmatch(s)[1])
	case !p.inFile && strings.HasPrefix(s, "--- "):
		p.inFile = true // a plain diff -u, without a diff --git line
	case !p.inFile:
		// Commit messages, preambles and anything else between files.
	case strings.HasPrefix(s, "+++ "):
		p.newPath(s[4:])
	case strings.HasPrefix(s, "rename to ") || strings.HasPrefix(s, "copy to "):
		if i := strings.Index(s, " to "); i >= 0 {
			p.path, p.pathFinal = unquotePath(s[i+4:]), true // never prefixed
		}
	case strings.HasPrefix(s, "Binary files ") || s == "GIT binary patch":
		p.binary = true
		p.beginFile(p.path)
	}
}

// startHunk parses "@@ -a,b +c,d @@" (or a combined "@@@ -a,b -c,d +e,f @@@").
func (p *diffParser) startHunk(s string) {
	h, ok := parseHunkHeader(s, p.oldLeft[:0])
	if !ok || (!p.inFile && !p.hunkOnly) {
		return
	}
	p.sawDiff = true
	if !p.started {
		p.beginFile(p.path)
	}
	p.parents = h.ats - 1
	if p.parents > maxParents {
		p.sink.unreadableHunk() // not a diff git writes: skip the hunk rather than do quadratic work
		return
	}
	p.oldLeft = h.oldLeft
	if len(p.oldLeft) != p.parents {
		p.sink.unreadableHunk()
		return
	}
	start, err := strconv.Atoi(h.newStart)
	if err != nil || start > maxLineNumber {
		p.sink.unreadableHunk() // not a line number git could write
		return
	}
	p.newLine = max(start, 1) // "+0,0" for an empty new file
	p.newLeft = rangeLen(h.newLen)
	p.inHunk = true
}

// hunkHeader is a hunk's header line, parsed: "@@ -a,b +c,d @@", or a
// combined diff's "@@@ -a,b -c,d +e,f @@@".
type hunkHeader struct {
	ats      int    // the leading '@'s: one more than the commit's parents
	oldLeft  []int  // each old range's length (rangeLen)
	newStart string // c, as written
	newLen   string // d, as written ("" when omitted)
}

// parseHunkHeader parses a hunk header, appending the old ranges' lengths to
// oldLeft. It accepts what `^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))?
// @{2,}` matches (TestParseHunkHeaderMatchesRegexp), without a regular
// expression: git log -U0 prints a header for every few lines.
func parseHunkHeader(s string, oldLeft []int) (h hunkHeader, ok bool) {
	i := 0
	for i < len(s) && s[i] == '@' {
		i++
	}
	if h.ats = i; h.ats < 2 || !hasByteAt(s, i, ' ') {
		return h, false
	}
	i++
	for hasByteAt(s, i, '-') {
		_, n, next, ok := parseRange(s, i+1)
		if !ok || !hasByteAt(s, next, ' ') {
			return h, false
		}
		oldLeft = append(oldLeft, rangeLen(n))
		i = next + 1
	}
	if len(oldLeft) == 0 || !hasByteAt(s, i, '+') {
		return h, false
	}
	start, n, next, ok := parseRange(s, i+1)
	if !ok || !hasByteAt(s, next, ' ') || !hasByteAt(s, next+1, '@') || !hasByteAt(s, next+2, '@') {
		return h, false
	}
	h.oldLeft, h.newStart, h.newLen = oldLeft, start, n
	return h, true
}

// parseRange parses "a" or "a,b" (ASCII digits) at s[i:], returning a, b
// ("" without a comma) and the offset after them.
func parseRange(s string, i int) (a, b string, next int, ok bool) {
	end := digitsEnd(s, i)
	if end == i {
		return "", "", i, false
	}
	a, next = s[i:end], end
	if hasByteAt(s, next, ',') {
		end = digitsEnd(s, next+1)
		if end == next+1 {
			return "", "", i, false
		}
		b, next = s[next+1:end], end
	}
	return a, b, next, true
}

// digitsEnd returns the offset after the ASCII digits starting at s[i:].
func digitsEnd(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func hasByteAt(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

func rangeLen(s string) int {
	if s == "" {
		return 1
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxLineNumber {
		return maxLineNumber
	}
	return n
}

func (p *diffParser) beginFile(path string) {
	if p.started {
		return
	}
	p.started = true
	p.inFile = true
	p.path = path
	p.sink.file(path, p.binary)
}

func (p *diffParser) endFile() {
	if p.started {
		p.sink.endFile()
	}
	p.inFile, p.started, p.binary, p.inHunk, p.path = false, false, false, false, ""
	p.pathFinal, p.dstPrefix, p.prefixSet = false, "", false
}

// newPath takes the file's path from a "+++ " line: /dev/null for a deleted
// file, else the name without the prefix the diff --git line showed (none
// under diff.noprefix), or a guessed a/, b/ or mnemonic prefix when no such
// line was seen (diff -u). A rename's or combined diff's path stands.
func (p *diffParser) newPath(s string) {
	name, ok := headerName(s)
	switch {
	case !ok:
		p.path = "" // deleted file: nothing can be added
	case p.pathFinal:
	case p.prefixSet:
		p.path = strings.TrimPrefix(name, p.dstPrefix)
	default:
		p.path = stripPrefix(name)
	}
}

// pathFromGitLine takes the new path from the names of "diff --git A B",
// and the new side's prefix when the names show it: equal names mean
// diff.noprefix ("x x"), names equal but for a one-letter prefix mean
// a/ b/, or a mnemonic pair (i/ w/, c/ i/, ...). Names with spaces, or a
// rename, can make the split ambiguous; then the path is a guess and the
// +++ or rename line that follows corrects it.
func pathFromGitLine(rest string) (path, dstPrefix string, known bool) {
	a, b, ok := splitGitNames(rest)
	switch {
	case ok && a == b:
		return b, "", true
	case ok && len(a) > 2 && len(b) > 2 && a[1] == '/' && b[1] == '/' && a[2:] == b[2:]:
		return b[2:], b[:2], true
	case ok:
		return stripPrefix(b), "", false
	}
	if i := strings.LastIndex(rest, " b/"); i >= 0 {
		return rest[i+3:], "", false
	}
	return rest, "", false
}

// splitGitNames splits the two names of a diff --git line, undoing git's
// quoting. ok is false when unquoted names do not split in equal halves.
func splitGitNames(rest string) (a, b string, ok bool) {
	if q, err := strconv.QuotedPrefix(rest); err == nil && strings.HasPrefix(rest[len(q):], " ") {
		a = unquotePath(q)
		b, _ = strings.CutPrefix(rest[len(q):], " ")
		if qb, err := strconv.QuotedPrefix(b); err == nil && qb == b {
			b = unquotePath(qb)
		}
		return a, b, true
	}
	if i := strings.LastIndex(rest, ` "`); i >= 0 && strings.HasSuffix(rest, `"`) {
		if qb, err := strconv.QuotedPrefix(rest[i+1:]); err == nil && len(qb) == len(rest)-i-1 {
			return rest[:i], unquotePath(qb), true
		}
	}
	n := len(rest)
	if n%2 == 0 || rest[n/2] != ' ' {
		return "", "", false
	}
	a, b = rest[:n/2], rest[n/2+1:]
	if a != b && (len(a) < 2 || a[2:] != b[min(2, len(b)):]) {
		return "", "", false // a rename, or names with spaces: the halves say nothing
	}
	return a, b, true
}

// headerName undoes git's quoting of a --- or +++ line's name and drops diff
// -u's timestamp. It reports false for /dev/null.
func headerName(s string) (string, bool) {
	if q, err := strconv.QuotedPrefix(s); err == nil {
		s = unquotePath(q)
	} else if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i] // "+++ b/file\t2024-01-01 ..." from diff -u
	}
	return s, s != "/dev/null"
}

// stripPrefix removes what looks like git's a/ or b/ prefix, or a mnemonic
// one (i/, w/, c/, o/), from a name whose prefix is not known.
func stripPrefix(s string) string {
	if len(s) > 2 && strings.IndexByte("abiwco", s[0]) >= 0 && s[1] == '/' {
		return s[2:]
	}
	return s
}

// unquotePath undoes git's C-style quoting of unusual file names.
func unquotePath(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

package scanner

import (
	"context"
	"io"
)

// ScanDiffLimit is ScanDiff with a cap on each file's added text in one
// commit: a file whose added lines in a commit hold more than maxFileBytes
// bytes is not reported at all and is listed in Result.Skipped as
// SkipTooLarge, with its commit. Lines are scanned as they stream by, and
// a file that passes the cap has its findings and counts taken back, so
// memory does not grow with the file.
func (s *Scanner) ScanDiffLimit(ctx context.Context, r io.Reader, maxFileBytes int64) (*Result, error) {
	sink := s.newSink("")
	err := parseDiff(ctx, r, &capSink{next: sink, res: sink.res, max: maxFileBytes}, "")
	return sink.res, err
}

// capSink passes a diff on to next while counting each text file's added
// bytes; past max it stops passing the file's lines, takes back what next
// recorded of them, and lists the file as too large at its end.
type capSink struct {
	next diffSink
	res  *Result
	max  int64

	sha  string
	path string
	open bool // a text file is being passed on
	over bool
	size int64
	// res's findings and counts when the file began, to take back
	found, lines int
	bytes        int64
}

func (c *capSink) commit(sha string) {
	c.sha = sha
	c.next.commit(sha)
}

func (c *capSink) file(path string, binary bool) {
	c.next.file(path, binary)
	if binary {
		return
	}
	c.open, c.over, c.size, c.path = true, false, 0, path
	c.found, c.lines, c.bytes = len(c.res.Findings), c.res.Lines, c.res.Bytes
}

func (c *capSink) added(num, col int, text []byte) {
	if !c.open {
		c.next.added(num, col, text)
		return
	}
	if c.over {
		return
	}
	if c.size += int64(len(text)); c.size > c.max {
		c.over = true
		c.next.endFile()
		c.res.Findings = c.res.Findings[:c.found]
		c.res.Lines, c.res.Bytes = c.lines, c.bytes
		return
	}
	c.next.added(num, col, text)
}

func (c *capSink) unreadableHunk() { c.next.unreadableHunk() }

func (c *capSink) endFile() {
	if !c.open {
		c.next.endFile()
		return
	}
	c.open = false
	if c.over {
		c.res.Skipped = append(c.res.Skipped, Skipped{Path: c.path, Commit: c.sha, Reason: SkipTooLarge})
		return
	}
	c.next.endFile()
}

package scanner

import (
	"context"
	"io"
)

// ScanDiffLimit is ScanDiff with a cap on each file's added text in one
// commit: a file whose added lines in a commit hold more than maxFileBytes
// bytes is not scanned at all and is listed in Result.Skipped as
// SkipTooLarge, with its commit. A file's added lines are held until the
// file ends, so memory grows to about maxFileBytes.
func (s *Scanner) ScanDiffLimit(ctx context.Context, r io.Reader, maxFileBytes int64) (*Result, error) {
	sink := s.newSink("")
	err := parseDiff(ctx, r, &capSink{next: sink, res: sink.res, max: maxFileBytes}, "")
	return sink.res, err
}

// capSink holds each text file's added lines until the file ends, then
// hands them on, or records the file as too large when they exceed max.
type capSink struct {
	next diffSink
	res  *Result
	max  int64

	sha   string
	path  string
	held  bool // a text file's lines are being held
	over  bool
	size  int64
	buf   []byte
	lines []heldLine
}

// heldLine is one added line (or piece of a long line) in capSink.buf,
// ending at end.
type heldLine struct{ num, col, end int }

func (c *capSink) commit(sha string) {
	c.sha = sha
	c.next.commit(sha)
}

func (c *capSink) file(path string, binary bool) {
	if binary {
		c.next.file(path, true)
		return
	}
	c.held, c.over, c.size, c.path = true, false, 0, path
	c.buf, c.lines = c.buf[:0], c.lines[:0]
}

func (c *capSink) added(num, col int, text []byte) {
	if !c.held {
		c.next.added(num, col, text)
		return
	}
	if c.over {
		return
	}
	if c.size += int64(len(text)); c.size > c.max {
		c.over, c.buf, c.lines = true, c.buf[:0], c.lines[:0]
		return
	}
	c.buf = append(c.buf, text...)
	c.lines = append(c.lines, heldLine{num: num, col: col, end: len(c.buf)})
}

func (c *capSink) endFile() {
	if !c.held {
		c.next.endFile()
		return
	}
	c.held = false
	if c.over {
		c.res.Files++
		c.res.Skipped = append(c.res.Skipped, Skipped{Path: c.path, Commit: c.sha, Reason: SkipTooLarge})
		return
	}
	c.next.file(c.path, false)
	start := 0
	for _, l := range c.lines {
		c.next.added(l.num, l.col, c.buf[start:l.end])
		start = l.end
	}
	c.next.endFile()
}

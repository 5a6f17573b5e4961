package scanner

import (
	"bytes"
	"context"
	"io"
)

// Scanner finds secrets with a Ruleset and fingerprints them with a key. It
// holds no per-scan state and is safe for concurrent use.
type Scanner struct {
	rules *Ruleset
	key   []byte
}

// New returns a Scanner. fingerprintKey keys the HMAC of every fingerprint;
// keep it secret and stable, or dismissals stop matching.
func New(rules *Ruleset, fingerprintKey []byte) *Scanner {
	return &Scanner{rules: rules, key: bytes.Clone(fingerprintKey)}
}

// Rules returns the scanner's ruleset.
func (s *Scanner) Rules() *Ruleset { return s.rules }

// WithRules returns a Scanner with the same fingerprint key and other rules
// (a repository's own configuration, say).
func (s *Scanner) WithRules(rules *Ruleset) *Scanner { return &Scanner{rules: rules, key: s.key} }

// Result is what one scan found.
type Result struct {
	// Findings in input order.
	Findings []Finding `json:"findings"`
	// Skipped lists files that were not scanned and why.
	Skipped []Skipped `json:"skipped,omitempty"`
	// Files is the number of files seen.
	Files int `json:"files"`
	// Lines and Bytes count the scanned (added) lines and their bytes.
	Lines int   `json:"lines"`
	Bytes int64 `json:"bytes"`
	// Allowed counts the findings the ruleset's allowlist dropped.
	Allowed int `json:"allowed,omitempty"`
}

// Skipped is a file that was not scanned.
type Skipped struct {
	Path   string `json:"path"`
	Commit string `json:"commit,omitempty"`
	Reason string `json:"reason"`
}

// Reasons a file is skipped.
const (
	SkipBinary   = "binary"
	SkipTooLarge = "too large" // above the caller's size cap
	// SkipUnreadableHunk: a hunk of the file had a header git does not
	// write, so its lines were not scanned (the rest of the file was).
	SkipUnreadableHunk = "unreadable hunk"
)

// ScanDiff scans the added lines of a unified diff: the output of git diff,
// git show, git log -p or git format-patch. Findings of a git log -p stream
// carry the commit they were added in. Memory does not grow with the size of
// the diff.
func (s *Scanner) ScanDiff(ctx context.Context, r io.Reader) (*Result, error) {
	sink := s.newSink("")
	err := parseDiff(ctx, r, sink, "")
	return sink.res, err
}

// ScanPatch scans the added lines of one file's hunk-only patch, as GitHub's
// API returns it in a commit's or pull request's file list.
func (s *Scanner) ScanPatch(ctx context.Context, path, commit string, patch io.Reader) (*Result, error) {
	sink := s.newSink(commit)
	err := parseDiff(ctx, patch, sink, path)
	return sink.res, err
}

// ScanFile scans every line of a whole file (a blob or a local file). commit
// may be empty. A file whose first 8 KiB hold a NUL byte is binary and is
// reported as skipped.
func (s *Scanner) ScanFile(ctx context.Context, path, commit string, r io.Reader) (*Result, error) {
	sink := s.newSink(commit)
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return sink.res, err
	}
	err = nil
	head = head[:n]
	binary := bytes.IndexByte(head, 0) >= 0
	sink.file(path, binary)
	if !binary {
		num := 0
		err = readLines(ctx, io.MultiReader(bytes.NewReader(head), r), func(text []byte, cont bool, col int) {
			if !cont {
				num++
			}
			sink.added(num, col, text)
		})
	}
	sink.endFile()
	return sink.res, err
}

// IsBinary reports whether data looks binary (a NUL byte in its first 8 KiB),
// the test ScanFile applies.
func IsBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8<<10)], 0) >= 0
}

// resultSink collects what the diff parser and the engine produce.
type resultSink struct {
	s    *Scanner
	res  *Result
	path string    // the file being read
	bad  bool      // a hunk of it was unreadable (and listed)
	sha  string    // the commit being read
	fs   *fileScan // the file being scanned, nil between files and for binaries
	scan *fileScan // reused across files
}

func (s *Scanner) newSink(commit string) *resultSink {
	return &resultSink{s: s, res: &Result{}, sha: commit}
}

func (k *resultSink) commit(sha string) { k.sha = sha }

func (k *resultSink) file(path string, binary bool) {
	k.res.Files++
	k.path, k.bad = path, false
	if binary {
		k.res.Skipped = append(k.res.Skipped, Skipped{Path: path, Commit: k.sha, Reason: SkipBinary})
		return
	}
	if k.scan == nil {
		k.scan = newFileScan(k.s.rules, k.s.key, func(f Finding) {
			if f.allowed {
				k.res.Allowed++
				return
			}
			k.res.Findings = append(k.res.Findings, f)
		})
	}
	k.scan.reset(path, k.sha)
	k.fs = k.scan
}

func (k *resultSink) added(num, col int, text []byte) {
	if k.fs == nil {
		return
	}
	if col == 1 {
		k.res.Lines++
	}
	k.res.Bytes += int64(len(text))
	k.fs.line(num, col, text)
}

// unreadableHunk lists the file as partly not scanned, once.
func (k *resultSink) unreadableHunk() {
	if !k.bad {
		k.bad = true
		k.res.Skipped = append(k.res.Skipped, Skipped{Path: k.path, Commit: k.sha, Reason: SkipUnreadableHunk})
	}
}

func (k *resultSink) endFile() {
	if k.fs != nil {
		k.fs.finish()
		k.fs = nil
	}
}

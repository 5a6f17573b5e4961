package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/pushguard/pushguard/scanner"
)

// scanDiffFile scans the diff in the named file, or in stdin for "-". A
// file whose added text in one commit exceeds maxFileSize is not scanned.
func scanDiffFile(ctx context.Context, s *scanner.Scanner, name string, stdin io.Reader, maxFileSize int64) (*scanner.Result, error) {
	r, what := stdin, "stdin"
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r, what = f, name
	}
	res, err := s.ScanDiffLimit(ctx, r, maxFileSize)
	switch {
	case errors.Is(err, scanner.ErrNotDiff):
		return nil, fmt.Errorf("%s: %w (expected the output of git diff, git show, git log -p or git format-patch; to scan plain text, use 'pushguard scan %s')", what, err, name)
	case err != nil:
		return nil, fmt.Errorf("read diff from %s: %w", what, err)
	}
	return res, nil
}

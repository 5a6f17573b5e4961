package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/pushguard/pushguard/scanner"
)

// scanStdin scans stdin whole as a file named "-". It reads at most
// maxSize+1 bytes into memory: more is too large and is not scanned.
func scanStdin(ctx context.Context, s *scanner.Scanner, stdin io.Reader, maxSize int64, total *scanner.Result) error {
	data, err := io.ReadAll(io.LimitReader(stdin, maxSize+1))
	if err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	if int64(len(data)) > maxSize {
		skip(total, "-", scanner.SkipTooLarge)
		return nil
	}
	res, err := s.ScanFile(ctx, "-", "", bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("scan stdin: %w", err)
	}
	merge(total, res)
	return nil
}

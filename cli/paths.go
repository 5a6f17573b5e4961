package cli

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pushguard/pushguard/scanner"
)

// scanPaths scans files and directory trees whole, in argument order and,
// within a directory, in lexical order. It skips .git directories and, inside
// a tree, symbolic links (their targets inside the tree are scanned anyway);
// a symbolic link named on the command line is followed. A path "-" is
// stdin, scanned as one file named "-". Binary files, files above maxSize
// and other non-regular files are reported as skipped.
func scanPaths(ctx context.Context, s *scanner.Scanner, paths []string, stdin io.Reader, maxSize int64) (*scanner.Result, error) {
	total := &scanner.Result{}
	for _, root := range paths {
		var err error
		if root == "-" {
			err = scanStdin(ctx, s, stdin, maxSize, total)
		} else {
			err = scanRoot(ctx, s, root, maxSize, total)
		}
		if err != nil {
			return nil, err
		}
	}
	return total, nil
}

func scanRoot(ctx context.Context, s *scanner.Scanner, root string, maxSize int64, total *scanner.Result) error {
	info, err := os.Stat(root) // follows a link named on the command line
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return scanPath(ctx, s, root, info, maxSize, total)
	}
	walkRoot := root
	if l, err := os.Lstat(root); err == nil && l.Mode()&fs.ModeSymlink != 0 {
		walkRoot = root + string(filepath.Separator) // make WalkDir enter the linked directory
	}
	return filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case d.Name() == ".git" && path != walkRoot:
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // a worktree's or submodule's pointer file
		case d.IsDir(), d.Type()&fs.ModeSymlink != 0:
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return scanPath(ctx, s, path, info, maxSize, total)
	})
}

// scanPath scans one file, or records why it was not scanned.
func scanPath(ctx context.Context, s *scanner.Scanner, path string, info fs.FileInfo, maxSize int64, total *scanner.Result) error {
	switch {
	case !info.Mode().IsRegular():
		skip(total, path, "not a regular file")
		return nil
	case info.Size() > maxSize:
		skip(total, path, scanner.SkipTooLarge)
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := s.ScanFile(ctx, path, "", f)
	if err != nil {
		return fmt.Errorf("scan %s: %w", path, err)
	}
	merge(total, res)
	return nil
}

// skip records a file that was seen and not scanned.
func skip(total *scanner.Result, path, reason string) {
	total.Files++
	total.Skipped = append(total.Skipped, scanner.Skipped{Path: path, Reason: reason})
}

// merge adds res to total.
func merge(total, res *scanner.Result) {
	total.Findings = append(total.Findings, res.Findings...)
	total.Skipped = append(total.Skipped, res.Skipped...)
	total.Files += res.Files
	total.Lines += res.Lines
	total.Bytes += res.Bytes
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pushguard/pushguard/scanner"
)

// scanPaths scans files and directory trees whole, in argument order and,
// within a directory, in lexical order. It skips .git directories and, inside
// a tree, symbolic links (their targets inside the tree are scanned anyway);
// a symbolic link named on the command line is followed. A path "-" is
// stdin, scanned as one file named "-". Files that ignored names are left
// out. Binary files, files above maxSize, other non-regular files and paths
// that are missing or cannot be read are reported as skipped; when no path
// named could be read at all, that is an error.
func scanPaths(ctx context.Context, s *scanner.Scanner, paths []string, stdin io.Reader, maxSize int64, ignored func(string) bool) (*scanner.Result, error) {
	w := &pathScan{s: s, maxSize: maxSize, ignored: ignored, total: &scanner.Result{}}
	var unread []any
	for _, root := range paths {
		var err error
		if root == "-" {
			err = scanStdin(ctx, s, stdin, maxSize, w.total)
		} else {
			err = w.root(ctx, root)
		}
		var pe *fs.PathError
		switch {
		case errors.As(err, &pe) && pe.Path == root:
			unread = append(unread, err)
			skip(w.total, root, unreadable(err))
		case err != nil:
			return nil, err
		}
	}
	if len(unread) == len(paths) {
		format := "nothing could be scanned: " + strings.TrimSuffix(strings.Repeat("%w; ", len(unread)), "; ")
		return nil, fmt.Errorf(format, unread...)
	}
	return w.total, nil
}

// pathScan is one scan of paths named on the command line.
type pathScan struct {
	s       *scanner.Scanner
	maxSize int64
	ignored func(string) bool
	total   *scanner.Result
}

// unreadable says why a path could not be read: "missing", or
// "unreadable: permission denied".
func unreadable(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "missing"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "unreadable: " + err.Error()
}

// root scans one path named on the command line. An error for the path
// itself is an *fs.PathError for root; files and directories under it
// that cannot be read are recorded as skipped.
func (w *pathScan) root(ctx context.Context, root string) error {
	info, err := os.Stat(root) // follows a link named on the command line
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return w.file(ctx, root, info)
	}
	walkRoot := root
	if l, err := os.Lstat(root); err == nil && l.Mode()&fs.ModeSymlink != 0 {
		walkRoot = root + string(filepath.Separator) // make WalkDir enter the linked directory
	}
	d, err := os.Open(root) // a directory that cannot be read is the path's own error
	if err != nil {
		return err
	}
	d.Close()
	return filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			skip(w.total, path, unreadable(err))
			return nil // a directory that cannot be read: its contents are skipped
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
		if err == nil {
			err = w.file(ctx, path, info)
		}
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			skip(w.total, path, unreadable(err))
			return nil
		}
		return err
	})
}

// file scans one file, or records why it was not scanned.
func (w *pathScan) file(ctx context.Context, path string, info fs.FileInfo) error {
	if w.ignored(path) {
		return nil
	}
	return scanPath(ctx, w.s, path, info, w.maxSize, w.total)
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
	total.Allowed += res.Allowed
}

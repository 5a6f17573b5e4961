//go:build !linux

package cli

import "os"

// gitPipe returns the pipe git's standard output goes through. Its
// capacity is unknown outside Linux, so no pacing is done (gitPacing).
func gitPipe() (r, w *os.File, size int, err error) {
	r, w, err = os.Pipe()
	return r, w, 0, err
}

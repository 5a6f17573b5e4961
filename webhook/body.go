package webhook

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

// chunkBytes is the first step by which a body without Content-Length grows.
const chunkBytes = 64 << 10

var (
	errOverloaded  = errors.New("too many bytes of unverified bodies in flight")
	errBodyRead    = errors.New("body could not be read whole")
	errBodyTimeout = errors.New("body not received in time")
)

// readBody reads a delivery's body once, into a buffer of its exact size
// when Content-Length gives it, holding its bytes in the budget. It returns
// the body and how many bytes to release when the caller is done with it.
// Errors: *http.MaxBytesError (too large), errOverloaded, errBodyRead,
// errBodyTimeout.
func readBody(r *http.Request, budget *bodyBudget) ([]byte, int64, error) {
	if r.ContentLength > MaxBodyBytes {
		return nil, 0, &http.MaxBytesError{Limit: MaxBodyBytes}
	}
	if r.ContentLength < 0 {
		return readGrowing(r.Body, budget)
	}
	n := r.ContentLength
	if !budget.tryAcquire(n) {
		return nil, 0, errOverloaded
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r.Body, buf); err != nil {
		budget.release(n)
		return nil, 0, bodyError(err)
	}
	return buf, n, nil
}

// readGrowing reads a body of unknown length, taking budget for each
// growth of its buffer before making it.
func readGrowing(body io.Reader, budget *bodyBudget) ([]byte, int64, error) {
	var buf []byte
	for {
		if len(buf) == cap(buf) {
			grown, err := grow(buf, budget)
			if err != nil {
				budget.release(int64(cap(buf)))
				return nil, 0, err
			}
			buf = grown
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case errors.Is(err, io.EOF):
			return buf, int64(cap(buf)), nil
		case err != nil:
			budget.release(int64(cap(buf)))
			return nil, 0, bodyError(err)
		}
	}
}

// grow doubles buf's capacity (up to one byte past MaxBodyBytes, so that an
// over-large body is seen), taking the new buffer's bytes from the budget
// and giving back the old one's.
func grow(buf []byte, budget *bodyBudget) ([]byte, error) {
	size := min(max(2*int64(cap(buf)), chunkBytes), MaxBodyBytes+1)
	if size == int64(cap(buf)) {
		return nil, &http.MaxBytesError{Limit: MaxBodyBytes}
	}
	if !budget.tryAcquire(size) {
		return nil, errOverloaded
	}
	grown := make([]byte, len(buf), size)
	copy(grown, buf)
	budget.release(int64(cap(buf)))
	return grown, nil
}

// bodyError classifies an error reading a body: too large, timed out (the
// server's read deadline), or cut short.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("%w: %w", errBodyTimeout, err)
	}
	return fmt.Errorf("%w: %w", errBodyRead, err)
}

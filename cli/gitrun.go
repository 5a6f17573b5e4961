package cli

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// Read-ahead of git's output: up to readAheadChunks chunks of
// readAheadChunk bytes (8 MiB) wait between git and the scanner, so git
// never waits for a scanner busy on a dense stretch, and the scanner
// drains what git printed while git computes a hard diff. The two run on
// two cores at once; memory stays bounded.
const (
	readAheadChunk  = 256 << 10
	readAheadChunks = 32
)

// gitRun is a started git command whose standard output is read ahead.
type gitRun struct {
	what   string // "git log main..HEAD", for messages
	cmd    *exec.Cmd
	out    *readAhead
	stderr *headBuffer
	waited bool
}

// startGit starts git with args. what names the command in messages.
func startGit(ctx context.Context, what string, args []string) (*gitRun, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	g := &gitRun{what: what, cmd: cmd, stderr: &headBuffer{max: 4 << 10}}
	cmd.Stderr = g.stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	widenPipe(pipe)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run git: %w", err)
	}
	g.out = newReadAhead(pipe, readAheadChunk, readAheadChunks)
	return g, nil
}

// gitWhat names a git command in messages: "git log --all".
func gitWhat(sub string, args []string) string {
	return strings.TrimSpace(strings.Join(append([]string{"git", sub}, args...), " "))
}

// wait stops reading (killing git first when kill is set, or when the
// reader stopped before git's end), waits for git, and returns its error.
// Only the first call waits.
func (g *gitRun) wait(kill bool) error {
	if g.waited {
		return nil
	}
	g.waited = true
	if kill || !g.out.drained() {
		_ = g.cmd.Process.Kill()
	}
	g.out.stop() // every read from the pipe has returned before Wait closes it
	return g.cmd.Wait()
}

// close kills git unless it was waited for (a scan that ended before
// reading git's output), and waits for it. A nil gitRun is fine.
func (g *gitRun) close() {
	if g != nil {
		_ = g.wait(true)
	}
}

// readAhead reads r in a goroutine into a bounded set of chunks and hands
// them out in order through Read.
type readAhead struct {
	full     chan []byte   // chunks read, in order; closed at r's end
	free     chan []byte   // chunks to read into
	done     chan struct{} // closed by stop: read no more
	finished chan struct{} // closed when the goroutine has returned
	err      error         // r's error other than io.EOF, set before full is closed
	cur      []byte        // the unread part of the chunk being handed out
	buf      []byte        // that chunk, to give back to free
	eof      bool          // Read has seen the end
}

func newReadAhead(r io.Reader, chunk, chunks int) *readAhead {
	ra := &readAhead{
		full: make(chan []byte, chunks), free: make(chan []byte, chunks),
		done: make(chan struct{}), finished: make(chan struct{}),
	}
	for range chunks {
		ra.free <- make([]byte, chunk)
	}
	go ra.fill(r)
	return ra
}

// fill reads r into free chunks until its end, an error, or stop. Sends on
// full never block: full holds as many chunks as exist.
func (ra *readAhead) fill(r io.Reader) {
	defer close(ra.finished)
	defer close(ra.full)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.done:
			return
		}
		// Fill the chunk: the scanner is woken once per chunk, not once per
		// write of git's, and a stretch git prints slowly costs nothing, as
		// the scanner would only wait for it.
		n, err := io.ReadFull(r, buf[:cap(buf)])
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		if n > 0 {
			ra.full <- buf[:n]
		} else {
			ra.free <- buf
		}
		if err != nil {
			if err != io.EOF {
				ra.err = err
			}
			return
		}
	}
}

// Read hands out the chunks in order, then r's error or io.EOF.
func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)] // never blocks: free holds as many chunks as exist
			ra.buf = nil
		}
		buf, ok := <-ra.full
		if !ok {
			ra.eof = true
			if ra.err != nil {
				return 0, ra.err
			}
			return 0, io.EOF
		}
		ra.cur, ra.buf = buf, buf
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// drained reports whether Read has handed out everything up to the end.
func (ra *readAhead) drained() bool { return ra.eof }

// stop ends the reading goroutine and waits for it. The caller must make
// a blocked read return first (by killing the process that writes).
func (ra *readAhead) stop() {
	select {
	case <-ra.done:
	default:
		close(ra.done)
	}
	<-ra.finished
}

package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Read-ahead of git's output: up to readAheadChunks chunks of
// readAheadChunk bytes (8 MiB) wait between git and the scanner, so git
// never waits for a scanner busy on a dense stretch, and the scanner
// drains what git printed while git computes a hard diff. The two run on
// two cores at once; memory stays bounded. Chunks are made as needed, so a
// scanner that keeps up reuses two or three, which stay in the CPU's cache.
const (
	readAheadChunk  = 256 << 10
	readAheadChunks = 32
)

// pacing lets git's output gather in the pipe instead of reading each of
// git's writes as it comes: after a read of fewer than small bytes, the
// reader sleeps for delay. Waking for every 4 KiB write cost as much CPU
// as scanning, and on a machine whose cores share their resources that CPU
// is taken from git itself. The zero pacing reads as fast as it can.
type pacing struct {
	small int
	delay time.Duration
	sleep func(time.Duration) // time.Sleep; a test's counter
}

// gitPacing is the pacing for a pipe of size bytes: a pause of 5 ms after
// reading less than an eighth of the pipe. Git would need to print 200 MB/s
// to fill the rest in that time; a stretch that fast is read in full reads,
// with no pause. A small pipe (not widened) is read without pauses.
func gitPacing(size int) pacing {
	if size < gitPipeSize/2 {
		return pacing{}
	}
	return pacing{small: size / 8, delay: 5 * time.Millisecond, sleep: time.Sleep}
}

// gitRun is a started git command whose standard output is read ahead.
type gitRun struct {
	what   string // "git log main..HEAD", for messages
	cmd    *exec.Cmd
	out    *readAhead
	stderr *headBuffer
	pipe   *os.File // the read end of git's standard output
	waited bool
}

// startGit starts git with args. what names the command in messages.
func startGit(ctx context.Context, what string, args []string) (*gitRun, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	g := &gitRun{what: what, cmd: cmd, stderr: &headBuffer{max: 4 << 10}}
	cmd.Stderr = g.stderr
	r, w, size, err := gitPipe()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	cmd.Stdout = w
	err = cmd.Start()
	_ = w.Close() // git holds the write end now: its exit ends our reads
	if err != nil {
		_ = r.Close()
		return nil, fmt.Errorf("run git: %w", err)
	}
	g.pipe = r
	g.out = newReadAhead(r, readAheadChunk, readAheadChunks, gitPacing(size))
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
	g.out.stop() // every read from the pipe has returned before it is closed
	err := g.cmd.Wait()
	_ = g.pipe.Close()
	return err
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
	size     int           // bytes in a chunk
	made     int           // chunks made so far, at most cap(free); fill's own
	pace     pacing        // pauses between small reads
	full     chan []byte   // chunks read, in order; closed at r's end
	free     chan []byte   // chunks to read into
	done     chan struct{} // closed by stop: read no more
	finished chan struct{} // closed when the goroutine has returned
	err      error         // r's error other than io.EOF, set before full is closed
	cur      []byte        // the unread part of the chunk being handed out
	buf      []byte        // that chunk, to give back to free
	eof      bool          // Read has seen the end
}

// newReadAhead starts reading r into up to chunks chunks of chunk bytes,
// paced by pace.
func newReadAhead(r io.Reader, chunk, chunks int, pace pacing) *readAhead {
	ra := &readAhead{
		size: chunk, pace: pace,
		full: make(chan []byte, chunks), free: make(chan []byte, chunks),
		done: make(chan struct{}), finished: make(chan struct{}),
	}
	go ra.fill(r)
	return ra
}

// chunk returns a chunk to read into: one given back, a new one while
// fewer than cap(free) exist, or else the next one given back. It returns
// nil once stop is called.
func (ra *readAhead) chunk() []byte {
	select {
	case buf := <-ra.free:
		return buf
	case <-ra.done:
		return nil
	default:
	}
	if ra.made < cap(ra.free) {
		ra.made++
		return make([]byte, ra.size)
	}
	select {
	case buf := <-ra.free:
		return buf
	case <-ra.done:
		return nil
	}
}

// fill reads r into free chunks until its end, an error, or stop. Sends on
// full never block: full holds as many chunks as exist.
func (ra *readAhead) fill(r io.Reader) {
	defer close(ra.finished)
	defer close(ra.full)
	for {
		buf := ra.chunk()
		if buf == nil {
			return
		}
		// Fill the chunk: the scanner is woken once per chunk, not once per
		// write of git's, and a stretch git prints slowly costs nothing, as
		// the scanner would only wait for it.
		n, err := ra.read(r, buf[:cap(buf)])
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

// read fills buf from r, pausing after small reads, and returns how much it
// read and r's error (io.EOF at its end).
func (ra *readAhead) read(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
		if k < ra.pace.small && n < len(buf) {
			ra.pace.sleep(ra.pace.delay)
		}
	}
	return n, nil
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

package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/pushguard/pushguard/scanner"
)

// TestReadAhead checks that the read-ahead hands out exactly what was
// read, in order, with chunks smaller and larger than the reads, and ends
// with the reader's error after its data.
func TestReadAhead(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz\n"), 5000)
	boom := errors.New("boom")
	tests := []struct {
		name          string
		r             io.Reader
		chunk, chunks int
		wantErr       error
	}{
		{"one byte reads", iotest.OneByteReader(bytes.NewReader(data)), 1000, 3, nil},
		{"half reads", iotest.HalfReader(bytes.NewReader(data)), 7, 1, nil},
		{"big chunks", bytes.NewReader(data), 1 << 20, 4, nil},
		{"error after data", io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)), 4096, 2, boom},
		{"empty", strings.NewReader(""), 16, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ra := newReadAhead(tt.r, tt.chunk, tt.chunks, pacing{})
			got, err := io.ReadAll(iotest.HalfReader(ra))
			ra.stop()
			want := data
			if tt.name == "empty" {
				want = nil
			}
			if !errors.Is(err, tt.wantErr) || !bytes.Equal(got, want) {
				t.Errorf("read %d bytes (equal: %v), error %v; want %d bytes and %v", len(got), bytes.Equal(got, want), err, len(want), tt.wantErr)
			}
			if tt.wantErr == nil && !ra.drained() {
				t.Error("not drained after io.EOF")
			}
		})
	}
}

// TestReadAheadPacing checks that the read-ahead pauses after a read
// smaller than the pacing's threshold, unless the chunk is full, and never
// after a large one; and that what it hands out is unchanged.
func TestReadAheadPacing(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1 KiB
	tests := []struct {
		name       string
		r          io.Reader
		wantSleeps int
	}{
		// 1,024 one-byte reads into 256-byte chunks: a pause after each read
		// but the last of each chunk.
		{"small reads", iotest.OneByteReader(bytes.NewReader(data)), 1024 - 4},
		{"large reads", bytes.NewReader(data), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sleeps := 0
			pace := pacing{small: 2, delay: time.Hour, sleep: func(d time.Duration) {
				if d != time.Hour {
					t.Errorf("slept %v, want the pacing's delay", d)
				}
				sleeps++
			}}
			ra := newReadAhead(tt.r, 256, 2, pace)
			got, err := io.ReadAll(ra)
			ra.stop()
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("read %d bytes, %v; want the %d written", len(got), err, len(data))
			}
			if sleeps != tt.wantSleeps {
				t.Errorf("%d pauses, want %d", sleeps, tt.wantSleeps)
			}
		})
	}
}

// TestReadAheadMakesChunksAsNeeded checks that a scanner that keeps up
// costs a few chunks (the one read into, the one handed out, perhaps one
// not yet given back), not one per chunk read nor the read-ahead's whole
// budget: chunks are made only when none is free.
func TestReadAheadMakesChunksAsNeeded(t *testing.T) {
	t.Parallel()
	step := make(chan struct{})
	r := &steppedReader{step: step, n: 20}
	ra := newReadAhead(r, 8, 32, pacing{})
	b := make([]byte, 8)
	for i := 0; i < 20; i++ {
		step <- struct{}{} // let one chunk's worth be read
		if _, err := io.ReadFull(ra, b); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
	}
	close(step)
	if _, err := io.ReadAll(ra); err != nil {
		t.Fatal(err)
	}
	ra.stop()
	if ra.made > 3 {
		t.Errorf("%d chunks made for 20 read by a scanner that kept up, want at most 3", ra.made)
	}
}

// steppedReader yields 8 bytes each time step receives, n times, then EOF.
type steppedReader struct {
	step chan struct{}
	n    int
}

func (s *steppedReader) Read(p []byte) (int, error) {
	if _, ok := <-s.step; !ok || s.n == 0 {
		return 0, io.EOF
	}
	s.n--
	return copy(p, "01234567"), nil
}

// TestReadAheadStop checks that stop returns once the writer is closed,
// even with the goroutine blocked on a full buffer or on a read.
func TestReadAheadStop(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	ra := newReadAhead(pr, 4, 2, pacing{})
	go func() {
		_, _ = pw.Write([]byte("0123456789abcdef")) // more than the two chunks hold
	}()
	if b := make([]byte, 3); func() bool { n, _ := io.ReadFull(ra, b); return n != 3 || string(b) != "012" }() {
		t.Fatal("first read")
	}
	done := make(chan struct{})
	go func() {
		_ = pw.CloseWithError(io.ErrClosedPipe) // as killing git closes its end
		ra.stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return")
	}
}

// TestScanGitCancel checks that a cancelled scan --git returns the
// context's error and leaves no git behind to wait for.
func TestScanGitCancel(t *testing.T) {
	r := newGitRepo(t)
	writeFile(t, r.dir, "a.txt", []byte(strings.Repeat("line\n", 10000)))
	r.commit("a")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rules, err := scanner.Default()
	if err != nil {
		t.Fatal(err)
	}
	g, err := startGitInput(ctx, &scanOptions{isGit: true, repo: r.dir, git: []string{"HEAD"}})
	if err == nil {
		defer g.close()
		_, err = scanGitOutput(ctx, scanner.New(rules, []byte("k")), g, 1<<20)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

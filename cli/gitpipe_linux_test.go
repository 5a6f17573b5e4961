package cli

import (
	"syscall"
	"testing"
)

// TestGitPipe checks that git's pipe is widened to 1 MiB, that its read end
// is blocking (outside the runtime's poller), and that it carries data.
func TestGitPipe(t *testing.T) {
	t.Parallel()
	r, w, size, err := gitPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if size != gitPipeSize {
		t.Errorf("pipe size %d, want %d", size, gitPipeSize)
	}
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, r.Fd(), syscall.F_GETFL, 0)
	if errno != 0 || flags&syscall.O_NONBLOCK != 0 {
		t.Errorf("read end flags %#x (%v), want blocking", flags, errno)
	}
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	_ = w.Close()
	b := make([]byte, 4)
	if n, err := r.Read(b); n != 1 || err != nil {
		t.Errorf("read %d, %v", n, err)
	}
	if n, err := r.Read(b); n != 0 || err == nil {
		t.Errorf("read %d, %v after the writer closed, want EOF", n, err)
	}
}

// TestGitPacing checks the pacing chosen for a widened pipe and for one
// Linux would not widen.
func TestGitPacing(t *testing.T) {
	t.Parallel()
	if p := gitPacing(gitPipeSize); p.small != gitPipeSize/8 || p.delay <= 0 || p.sleep == nil {
		t.Errorf("1 MiB pipe: pacing %+v, want pauses after reads under 128 KiB", p)
	}
	if p := gitPacing(64 << 10); p.small != 0 {
		t.Errorf("64 KiB pipe: pacing %+v, want none", p)
	}
}

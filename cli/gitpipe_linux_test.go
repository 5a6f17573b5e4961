package cli

import (
	"os"
	"syscall"
	"testing"
)

// TestWidenPipe checks that widenPipe gives a pipe 1 MiB, keeping the file
// usable (non-blocking reads through the runtime's poller).
func TestWidenPipe(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	widenPipe(r)
	const fGetPipeSize = 1024 + 8
	rc, err := r.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var size uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) { size, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, fGetPipeSize, 0) }); err != nil || errno != 0 {
		t.Fatalf("F_GETPIPE_SZ: %v %v", err, errno)
	}
	if size != 1<<20 {
		t.Errorf("pipe size %d, want %d", size, 1<<20)
	}
	if _, err := w.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	if n, err := r.Read(b); n != 1 || err != nil {
		t.Errorf("read %d, %v after widening", n, err)
	}
}

package cli

import (
	"os"
	"syscall"
)

// gitPipeSize is the capacity asked for the pipe git writes to (the default
// holds 64 KiB): git blocks less often, and pushguard can let its output
// gather (gitPacing).
const gitPipeSize = 1 << 20

// gitPipe returns the pipe git's standard output goes through and its
// capacity. Its ends are blocking, so reads are plain read(2) calls: the
// runtime's poller would wake pushguard for each of git's 4 KiB writes.
// Widening is an optimisation: if Linux refuses (a lower
// /proc/sys/fs/pipe-max-size), the pipe keeps its size and size is 0, so
// the pipe is read without pacing (gitPacing).
func gitPipe() (r, w *os.File, size int, err error) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, 0, os.NewSyscallError("pipe2", err)
	}
	n, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(p[0]), syscall.F_SETPIPE_SZ, gitPipeSize)
	if errno != 0 {
		n = 0
	}
	return os.NewFile(uintptr(p[0]), "git-stdout"), os.NewFile(uintptr(p[1]), "git-stdout"), int(n), nil
}

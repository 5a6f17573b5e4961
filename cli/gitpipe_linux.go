package cli

import (
	"io"
	"syscall"
)

// fSetPipeSize is Linux's F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7).
const fSetPipeSize = 1024 + 7

// widenPipe asks Linux for a 1 MiB pipe between git and pushguard (the
// default holds 64 KiB): git blocks less often, and each read returns more,
// so both wake up less. It is an optimisation: a refusal (a lower
// /proc/sys/fs/pipe-max-size) changes nothing else.
func widenPipe(r io.Reader) {
	sc, ok := r.(interface {
		SyscallConn() (syscall.RawConn, error)
	})
	if !ok {
		return
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, 1<<20)
	})
}

package cmd

import (
	"os"

	"golang.org/x/sys/unix"
)

// stdinPipeSize is the buffer gopool asks for on its stdin when that is a
// pipe: fewer, larger reads of a fast producer (cat big | gopool --pipe).
const stdinPipeSize = 1 << 20

// growPipe enlarges the buffer of f if it is a pipe (F_SETPIPE_SZ); the
// system's limit for users (/proc/sys/fs/pipe-max-size) may refuse, which
// changes nothing.
func growPipe(f *os.File) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, stdinPipeSize)
	})
}

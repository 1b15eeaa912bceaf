package runner

import (
	"os"

	"golang.org/x/sys/unix"
)

// growPipe asks for a buffer of size bytes on the pipe f (F_SETPIPE_SZ):
// a feed then needs fewer wake-ups. The system may refuse (a user's pipe
// buffers are limited), which leaves the pipe as it was.
func growPipe(f *os.File, size int) {
	if size <= 0 {
		return
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, size)
	})
}

package runner

import (
	"os"

	"golang.org/x/sys/unix"
)

// awaitExit returns once the process pid has exited, without holding an OS
// thread meanwhile: it waits on a pidfd with the runtime's poller. Reaping
// is left to the caller (cmd.Wait then returns at once). A job that waits
// in a blocking wait would keep one OS thread busy each, which with
// thousands of jobs (-j 0) or a low `ulimit -u` makes the Go runtime fail
// to create threads. Without pidfds (Linux before 5.10) it returns at
// once, and the caller's wait blocks as usual.
func awaitExit(pid int) {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	// A pidfd is readable once its process has exited; the poller parks
	// the goroutine until then.
	first := true
	_ = rc.Read(func(uintptr) bool {
		if first {
			first = false
			return exited(fd)
		}
		return true
	})
}

// exited reports whether the pidfd's process has exited already.
func exited(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 0)
	return err != nil || n > 0
}

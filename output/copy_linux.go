package output

import (
	"os"
	"syscall"
)

// kernelCopyOK reports whether copy_file_range can write to dst: a regular
// file not opened with O_APPEND (where copy_file_range fails with EBADF).
func kernelCopyOK(dst *os.File) bool {
	fi, err := dst.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	rc, err := dst.SyscallConn()
	if err != nil {
		return false
	}
	var flags uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		flags, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
	}); err != nil || errno != 0 {
		return false
	}
	return flags&syscall.O_APPEND == 0
}

package spool

import (
	"errors"
	"io"
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

// sendfileCopy copies n bytes at off of src to dst with sendfile(2), which
// on Linux writes to any file, pipes included, without going through user
// space, and leaves src's offset alone. ok is false when sendfile could not
// start (the caller copies by hand); a non-blocking dst is waited on with
// the runtime poller.
func sendfileCopy(dst, src *os.File, off, n int64) (written int64, ok bool, err error) {
	srcRC, err := src.SyscallConn()
	if err != nil {
		return 0, false, nil
	}
	dstRC, err := dst.SyscallConn()
	if err != nil {
		return 0, false, nil
	}
	var werr error
	cerr := srcRC.Control(func(srcFd uintptr) {
		err := dstRC.Write(func(dstFd uintptr) bool {
			for written < n {
				m, e := syscall.Sendfile(int(dstFd), int(srcFd), &off, int(min(n-written, 1<<30)))
				if m > 0 {
					written += int64(m)
				}
				switch {
				case e == syscall.EAGAIN:
					return false // wait until dst is writable
				case e == syscall.EINTR:
					continue
				case e != nil:
					werr = e
					return true
				case m == 0:
					werr = &ReadError{Err: io.ErrUnexpectedEOF}
					return true
				}
			}
			return true
		})
		if werr == nil {
			werr = err
		}
	})
	if cerr != nil {
		return 0, false, nil
	}
	if written == 0 && (werr == syscall.EINVAL || werr == syscall.ENOSYS) {
		return 0, false, nil // this pair of files does not do sendfile
	}
	if werr != nil {
		if _, isRead := werr.(*ReadError); !isRead {
			werr = &os.PathError{Op: "write", Path: dst.Name(), Err: werr}
		}
	}
	return written, true, werr
}

// isSpillFault reports whether an error of a copy into the temp file is
// the file's fault (full disk, quota, size limit, I/O error) rather than
// the source's.
func isSpillFault(err error) bool {
	for _, e := range []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG, syscall.EIO} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

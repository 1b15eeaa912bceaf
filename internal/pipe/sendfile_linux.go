package pipe

import (
	"io"
	"os"
	"syscall"
)

// sendfile copies n bytes at off of src to dst with sendfile(2), which on
// Linux writes to any file, pipes included, without going through user
// space and leaves src's offset alone. ok is false when sendfile could not
// start (the caller copies by hand); a non-blocking dst is waited on with
// the runtime poller, so its write deadline applies.
func sendfile(dst, src *os.File, off, n int64) (written int64, ok bool, err error) {
	srcRC, err := src.SyscallConn()
	if err != nil {
		return 0, false, nil
	}
	dstRC, err := dst.SyscallConn()
	if err != nil {
		return 0, false, nil
	}
	var werr error
	short := false
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
					short = true
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
	if short {
		return written, true, &os.PathError{Op: "read", Path: src.Name(), Err: io.ErrUnexpectedEOF}
	}
	if werr != nil {
		if _, isPath := werr.(*os.PathError); !isPath {
			werr = &os.PathError{Op: "write", Path: dst.Name(), Err: werr}
		}
	}
	return written, true, werr
}

//go:build unix

package cmd

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// readerGone reports whether w, a job's stdin pipe, has no reader left
// (the job and its children closed it or exited) or is closed: a feed
// that waits for input can stop then, without writing.
func readerGone(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return true
	}
	gone := false
	if err := rc.Control(func(fd uintptr) {
		p := []unix.PollFd{{Fd: int32(fd)}}
		if n, err := unix.Poll(p, 0); err == nil && n > 0 {
			gone = p[0].Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0
		}
	}); err != nil {
		return true // closed under the feed
	}
	return gone
}

// fifoDirPrefix starts the name of a run's --fifo directory; it holds
// gopool's pid, so that a later run can tell a directory whose gopool was
// killed (kill -9 leaves it) and remove it.
func fifoDirPrefix() string { return "gopool-fifos-" + strconv.Itoa(os.Getpid()) + "-" }

// removeStaleFifoDirs removes the --fifo directories in tmpDir ("" is
// $TMPDIR) of gopool runs that are gone: their gopool was killed before it
// could remove them. A directory whose pid runs again (reused) stays.
func removeStaleFifoDirs(tmpDir string) {
	if tmpDir == "" {
		tmpDir = os.TempDir()
	}
	dirs, _ := filepath.Glob(filepath.Join(tmpDir, "gopool-fifos-*-*"))
	for _, d := range dirs {
		rest := strings.TrimPrefix(filepath.Base(d), "gopool-fifos-")
		pid, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, '-'))])
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			if fi, err := os.Lstat(d); err == nil && fi.IsDir() && ownedByMe(fi) {
				_ = os.RemoveAll(d)
			}
		}
	}
}

// ownedByMe reports whether fi belongs to this process's user.
func ownedByMe(fi os.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}

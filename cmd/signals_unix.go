//go:build unix

package cmd

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

var watched = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP,
	syscall.SIGTSTP, syscall.SIGCONT, syscall.SIGPIPE}

const (
	sigHangup = syscall.SIGHUP
	sigQuit   = syscall.SIGQUIT
)

// platform handles job control: Ctrl-Z stops the jobs, then gopool itself;
// SIGCONT resumes the jobs. SIGPIPE needs nothing: being caught, it makes
// writes return EPIPE.
//
// The jobs run in process groups of their own, so the terminal's Ctrl-Z
// reaches gopool only: each job's group gets SIGTSTP from here before
// gopool stops, and SIGCONT (sent by the shell's fg or bg to gopool) is
// passed on when gopool runs again.
func (s *signals) platform(sig os.Signal) {
	switch sig {
	case syscall.SIGTSTP:
		// No job starts from here until gopool runs again.
		s.procs.setPaused(true)
		s.procs.each(syscall.SIGTSTP, func() { _ = syscall.Kill(os.Getpid(), syscall.SIGSTOP) })
	case syscall.SIGCONT:
		s.procs.each(syscall.SIGCONT, nil)
		s.procs.setPaused(false)
	}
}

// watchReaderGone calls gone once if f is a pipe or a socket and every
// reader of it has gone away. It returns a function that stops the watch
// and waits for its goroutine to end, or nil when there is nothing to
// watch.
//
// It polls a duplicate of f's descriptor with no events asked for: the
// kernel still reports POLLERR (Linux) or POLLHUP (BSD, macOS) on the
// writing end of a pipe once the reading end is closed. A second pipe,
// closed by the returned function, wakes the poll up to end the watch.
func watchReaderGone(f *os.File, gone func()) func() {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return nil
	}
	fd, err := dupCloexec(f)
	if err != nil {
		return nil
	}
	qr, qw, err := os.Pipe()
	if err != nil {
		unix.Close(fd)
		return nil
	}
	qfd, err := dupCloexec(qr)
	qr.Close()
	if err != nil {
		unix.Close(fd)
		qw.Close()
		return nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer unix.Close(fd)
		defer unix.Close(qfd)
		fds := []unix.PollFd{{Fd: int32(fd)}, {Fd: int32(qfd), Events: unix.POLLIN}}
		for {
			_, err := unix.Poll(fds, -1)
			switch {
			case err == unix.EINTR:
				continue
			case err != nil, fds[1].Revents != 0, fds[0].Revents&unix.POLLNVAL != 0:
				return
			case fds[0].Revents&(unix.POLLERR|unix.POLLHUP) != 0:
				gone()
				return
			}
		}
	}()
	return func() {
		qw.Close()
		<-done
	}
}

// dupCloexec returns a duplicate of f's descriptor that children do not
// inherit, and that stays valid whatever happens to f.
func dupCloexec(f *os.File) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	cerr := rc.Control(func(u uintptr) {
		fd, err = unix.FcntlInt(u, unix.F_DUPFD_CLOEXEC, 0)
	})
	if cerr != nil {
		return -1, cerr
	}
	return fd, err
}

//go:build unix

package cmd

import (
	"os"
	"syscall"
)

var watched = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGTSTP, syscall.SIGCONT, syscall.SIGPIPE}

const sigHangup = syscall.SIGHUP

// platform handles job control: Ctrl-Z stops the jobs, then gopool itself;
// SIGCONT resumes the jobs. SIGPIPE needs nothing: being caught, it makes
// writes return EPIPE.
func (s *signals) platform(sig os.Signal) {
	switch sig {
	case syscall.SIGTSTP:
		s.each(syscall.SIGTSTP)
		_ = syscall.Kill(os.Getpid(), syscall.SIGSTOP)
	case syscall.SIGCONT:
		s.each(syscall.SIGCONT)
	}
}

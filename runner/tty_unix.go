//go:build unix

package runner

import (
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// foreground makes the child's process group the terminal's foreground
// group as it starts: its stdin (fd 0 in the child) must be the terminal.
func foreground(attr *syscall.SysProcAttr) {
	attr.Foreground = true
	attr.Ctty = 0
}

// takeTerminal makes this process's group the foreground group of tty
// again, once the job that had it is gone. SIGTTOU, which a background
// group gets for that, is ignored meanwhile.
func takeTerminal(tty *os.File) {
	signal.Ignore(syscall.SIGTTOU)
	defer signal.Reset(syscall.SIGTTOU)
	_ = unix.IoctlSetPointerInt(int(tty.Fd()), unix.TIOCSPGRP, unix.Getpgrp())
}

// ForegroundOf reports whether this process's group is the foreground
// group of the terminal tty.
func ForegroundOf(tty *os.File) bool {
	pgrp, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

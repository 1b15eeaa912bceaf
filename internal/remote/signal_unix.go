//go:build unix

package remote

import "syscall"

// unixSignalName names the signals only Unix has (job control, USR1...).
func unixSignalName(sig syscall.Signal) (string, bool) {
	switch sig {
	case syscall.SIGSTOP:
		return "STOP", true
	case syscall.SIGCONT:
		return "CONT", true
	case syscall.SIGTSTP:
		return "TSTP", true
	case syscall.SIGTTIN:
		return "TTIN", true
	case syscall.SIGTTOU:
		return "TTOU", true
	case syscall.SIGWINCH:
		return "WINCH", true
	case syscall.SIGUSR1:
		return "USR1", true
	case syscall.SIGUSR2:
		return "USR2", true
	}
	return "", false
}

//go:build unix

package runner

import "syscall"

// pathSeparators are the characters that make a command name a path.
const pathSeparators = "/"

// Job control signals: sigCont wakes a stopped process, and the others need
// no SIGCONT to act on one.
const (
	sigCont = syscall.SIGCONT
	sigStop = syscall.SIGSTOP
	sigTSTP = syscall.SIGTSTP
	sigTTIN = syscall.SIGTTIN
	sigTTOU = syscall.SIGTTOU
)

// maxSignal is the highest signal number ParseTermSeq accepts.
const maxSignal = 64

// signalGroup sends sig to every process of the group pgid.
func signalGroup(pgid int, sig syscall.Signal) error {
	return syscall.Kill(-pgid, sig)
}

// forwardSignal passes sig on to the group pgid for SignalGroup.
func forwardSignal(pgid int, sig syscall.Signal) error {
	return syscall.Kill(-pgid, sig)
}

// groupAlive reports whether the group pgid has a member left. Where it can
// tell (Linux), zombies do not count: an init that does not reap orphans
// (as in some containers) would otherwise keep a dead group alive.
func groupAlive(pgid int) bool {
	if err := syscall.Kill(-pgid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	return hasLiveMember(pgid)
}

// signalByName returns the signal named name (upper case, without "SIG").
// Only signals that every Unix has are known by name; others can be given
// by number.
func signalByName(name string) (syscall.Signal, bool) {
	switch name {
	case "HUP":
		return syscall.SIGHUP, true
	case "INT":
		return syscall.SIGINT, true
	case "QUIT":
		return syscall.SIGQUIT, true
	case "ILL":
		return syscall.SIGILL, true
	case "TRAP":
		return syscall.SIGTRAP, true
	case "ABRT":
		return syscall.SIGABRT, true
	case "BUS":
		return syscall.SIGBUS, true
	case "FPE":
		return syscall.SIGFPE, true
	case "KILL":
		return syscall.SIGKILL, true
	case "USR1":
		return syscall.SIGUSR1, true
	case "SEGV":
		return syscall.SIGSEGV, true
	case "USR2":
		return syscall.SIGUSR2, true
	case "PIPE":
		return syscall.SIGPIPE, true
	case "ALRM":
		return syscall.SIGALRM, true
	case "TERM":
		return syscall.SIGTERM, true
	case "CHLD":
		return syscall.SIGCHLD, true
	case "CONT":
		return syscall.SIGCONT, true
	case "STOP":
		return syscall.SIGSTOP, true
	case "TSTP":
		return syscall.SIGTSTP, true
	case "TTIN":
		return syscall.SIGTTIN, true
	case "TTOU":
		return syscall.SIGTTOU, true
	case "URG":
		return syscall.SIGURG, true
	case "XCPU":
		return syscall.SIGXCPU, true
	case "XFSZ":
		return syscall.SIGXFSZ, true
	case "VTALRM":
		return syscall.SIGVTALRM, true
	case "PROF":
		return syscall.SIGPROF, true
	case "WINCH":
		return syscall.SIGWINCH, true
	case "IO":
		return syscall.SIGIO, true
	case "SYS":
		return syscall.SIGSYS, true
	}
	return 0, false
}

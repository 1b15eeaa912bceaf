package runner

import (
	"os/exec"
	"strconv"
	"syscall"
)

// pathSeparators are the characters that make a command name a path.
const pathSeparators = `/\`

// Windows has no job control signals; these values never match a step.
const (
	sigCont syscall.Signal = -1 - iota
	sigStop
	sigTSTP
	sigTTIN
	sigTTOU
)

// maxSignal is the highest signal number ParseTermSeq accepts.
const maxSignal = 15

// sysProcAttr starts the child in a console process group of its own, so
// that gopool's Ctrl-C does not reach it directly.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// signalGroup kills the process tree rooted at pid: Windows has no signals
// to send, so every step of a termination sequence is a forced kill.
// Signal 0 and sigCont do nothing.
func signalGroup(pid int, sig syscall.Signal) error {
	if sig == 0 || sig == sigCont {
		return nil
	}
	return exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(pid)).Run()
}

// forwardSignal does nothing: Windows has no process groups to pass job
// control signals on to.
func forwardSignal(int, syscall.Signal) error { return nil }

// groupAlive reports false: after taskkill /T /F the tree is gone, and
// Windows cannot tell what is left of it.
func groupAlive(int) bool { return false }

// signalByName returns the signal named name (upper case, without "SIG").
func signalByName(name string) (syscall.Signal, bool) {
	switch name {
	case "HUP":
		return syscall.SIGHUP, true
	case "INT":
		return syscall.SIGINT, true
	case "QUIT":
		return syscall.SIGQUIT, true
	case "KILL":
		return syscall.SIGKILL, true
	case "TERM":
		return syscall.SIGTERM, true
	}
	return 0, false
}

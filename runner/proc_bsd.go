//go:build unix && !linux

package runner

import "syscall"

// sysProcAttr puts the child in a process group of its own (pgid = pid).
// There is no parent-death signal outside Linux.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// hasLiveMember reports true: without /proc, a zombie member cannot be told
// from a live one.
func hasLiveMember(int) bool { return true }

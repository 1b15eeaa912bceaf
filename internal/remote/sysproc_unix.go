//go:build unix

package remote

import "syscall"

// sshSysProcAttr puts each ssh in a process group of its own, so that the
// terminal's Ctrl-C reaches gopool, which stops the remote job through
// its lifeline, rather than killing the ssh.
func sshSysProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

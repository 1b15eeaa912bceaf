//go:build !unix

package remote

import "syscall"

// sshSysProcAttr has nothing to set here.
func sshSysProcAttr() *syscall.SysProcAttr { return nil }

//go:build !unix

package remote

import "syscall"

// unixSignalName knows no Unix-only signals here.
func unixSignalName(sig syscall.Signal) (string, bool) { return "", false }

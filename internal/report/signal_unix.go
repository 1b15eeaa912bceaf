//go:build unix

package report

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// signalName is the name of signal n ("SIGKILL"), "" when it has none.
func signalName(n int) string {
	if n <= 0 {
		return ""
	}
	return unix.SignalName(syscall.Signal(n))
}

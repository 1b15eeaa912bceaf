//go:build windows

package cmd

import (
	"os"
	"syscall"
)

var watched = []os.Signal{os.Interrupt, syscall.SIGTERM}

// sigHangup and sigQuit never arrive on Windows.
const (
	sigHangup = syscall.Signal(-1)
	sigQuit   = syscall.Signal(-2)
)

func (s *signals) platform(os.Signal) {}

// watchReaderGone does nothing on Windows: a write to a pipe without a
// reader fails there, which stops the run at the next write.
func watchReaderGone(*os.File, func()) func() { return nil }

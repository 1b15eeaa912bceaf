//go:build windows

package cmd

import (
	"os"
	"syscall"
)

var watched = []os.Signal{os.Interrupt, syscall.SIGTERM}

// sigHangup never arrives on Windows.
const sigHangup = syscall.Signal(-1)

func (s *signals) platform(os.Signal) {}

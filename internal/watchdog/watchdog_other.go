//go:build !unix

package watchdog

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }

func ignoreSignals() {}

func killGroup(int) {}

// Supported reports whether this platform has a watchdog.
const Supported = false

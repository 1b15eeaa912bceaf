//go:build !unix

package runner

import (
	"os"
	"syscall"
)

func foreground(*syscall.SysProcAttr) {}

func takeTerminal(*os.File) {}

// ForegroundOf reports false: no terminal job control here.
func ForegroundOf(*os.File) bool { return false }

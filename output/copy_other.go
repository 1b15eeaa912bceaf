//go:build !linux

package output

import "os"

// kernelCopyOK reports whether the kernel can copy to dst directly: only
// on Linux (copy_file_range).
func kernelCopyOK(*os.File) bool { return false }

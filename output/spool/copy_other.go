//go:build !linux

package spool

import (
	"errors"
	"io/fs"
	"os"
)

// kernelCopyOK reports whether the kernel can copy to dst directly: only
// on Linux (copy_file_range).
func kernelCopyOK(*os.File) bool { return false }

// sendfileCopy is Linux only; elsewhere the caller copies by hand.
func sendfileCopy(_, _ *os.File, _, _ int64) (int64, bool, error) { return 0, false, nil }

// isSpillFault reports whether an error of a copy into the temp file is
// the file's fault rather than the source's: a full disk, say.
func isSpillFault(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Op == "write"
}

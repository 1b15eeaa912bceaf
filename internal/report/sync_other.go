//go:build !unix

package report

// syncDir does nothing: Windows has no directory fsync, and MoveFileEx
// (os.Rename) replaces the file in one step.
func syncDir(string) {}

//go:build !linux && !windows

package cmd

// argMax is the room for a new process's arguments and environment where
// gopool does not ask the OS: 256 KiB, what FreeBSD and older systems give
// (macOS gives 1 MiB, Windows 32 KiB characters for the whole line).
func argMax() int64 {
	return 256 << 10
}

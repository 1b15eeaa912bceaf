package pipe

import (
	"os"
	"syscall"
)

// createTemp creates an anonymous temporary file in dir with O_TMPFILE
// (mode 0600): it never has a name, so not even a SIGKILL at the wrong
// moment can leave it behind. File systems without O_TMPFILE get a named
// file unlinked at once.
func createTemp(dir string) (*os.File, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	fd, err := syscall.Open(dir, syscall.O_RDWR|syscall.O_CLOEXEC|oTmpfile, 0o600)
	if err == nil {
		return os.NewFile(uintptr(fd), dir+"/(gopool pipe block)"), nil
	}
	return createNamedTemp(dir)
}

// oTmpfile is O_TMPFILE (__O_TMPFILE | O_DIRECTORY), the same on every
// Linux architecture Go supports but for a few that syscall does not name.
const oTmpfile = 0x400000 | syscall.O_DIRECTORY

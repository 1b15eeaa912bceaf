//go:build unix

package pipe

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// CatFile writes b (header and data) to an unlinked temp file in dir (mode
// 0600; O_TMPFILE on Linux) and returns it at offset 0, for --cat. The
// caller passes it to the job as its first extra file
// (exec.Cmd.ExtraFiles[0] is fd 3, so {} is /dev/fd/3), seeks it to 0
// before each attempt (a job that reads fd 3 itself moves the offset) and
// closes it when the block's last attempt is done. The file has no name,
// so nothing is left behind on any exit path, SIGKILL included. b may be
// released once CatFile returns.
func CatFile(b *Block, dir string) (*os.File, error) {
	f, err := createTemp(dir)
	if err != nil {
		return nil, fmt.Errorf("--cat: %w", err)
	}
	if _, err := b.WriteTo(f); err != nil {
		return nil, errors.Join(fmt.Errorf("--cat: %w", err), f.Close())
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, errors.Join(fmt.Errorf("--cat: %w", err), f.Close())
	}
	return f, nil
}

// CatPath is {} under --cat: the file CatFile returns, passed as
// exec.Cmd.ExtraFiles[0].
const CatPath = "/dev/fd/3"

package pipe

import (
	"errors"
	"fmt"
	"os"
)

// CatFile is --cat's file; Windows has no /dev/fd to name it by, so it is
// not supported there.
func CatFile(*Block, string) (*os.File, error) {
	return nil, fmt.Errorf("--cat: %w on Windows", errors.ErrUnsupported)
}

// CatPath is {} under --cat (unsupported on Windows).
const CatPath = "/dev/fd/3"

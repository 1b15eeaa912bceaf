//go:build !unix

package pipe

import (
	"errors"
	"fmt"
	"os"
)

// CatFile is --cat's file; without /dev/fd to name it by it is
// not supported there.
func CatFile(*Block, string) (*os.File, error) {
	return nil, fmt.Errorf("--cat: %w here", errors.ErrUnsupported)
}

// CatPath is {} under --cat.
const CatPath = "/dev/fd/3"

//go:build !windows

package pipe

import (
	"errors"
	"os"
)

// createNamedTemp creates a temporary file in dir (mode 0600) and unlinks
// it at once, keeping the descriptor: nothing is left on disk on any exit
// path but a kill in the microseconds between the two calls.
func createNamedTemp(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, "gopool-pipe-*")
	if err != nil {
		return nil, err
	}
	if err := os.Remove(f.Name()); err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return f, nil
}

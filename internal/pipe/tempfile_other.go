//go:build !windows && !linux

package pipe

import "os"

// createTemp creates a temporary file in dir (mode 0600) that is already
// unlinked.
func createTemp(dir string) (*os.File, error) { return createNamedTemp(dir) }

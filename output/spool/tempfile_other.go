//go:build !windows && !linux

package spool

// createTemp creates a temporary file in dir (mode 0600) that is already
// unlinked.
func createTemp(dir string) (file, error) { return createNamedTemp(dir) }

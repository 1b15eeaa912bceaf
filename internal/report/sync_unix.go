//go:build unix

package report

import "os"

// syncDir makes a rename in dir durable. It is best effort: the rename has
// happened, the file is whole, and some file systems cannot sync a
// directory (EINVAL), so an error only weakens durability after a crash.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

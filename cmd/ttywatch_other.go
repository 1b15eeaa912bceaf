//go:build !linux

package cmd

import "time"

const ttyWatchEvery = 400 * time.Millisecond

// canWatchTTY reports whether stopped jobs can be found (/proc).
const canWatchTTY = false

// stoppedGroups returns nil: only Linux's /proc is read.
func stoppedGroups() map[int]bool { return nil }

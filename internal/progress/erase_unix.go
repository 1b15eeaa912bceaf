//go:build !windows

package progress

// eraseReturn follows an erased line to put the cursor back at its
// start; "\r" + eraseToEnd leaves it there already.
const eraseReturn = ""

// eraseToEnd erases from the cursor to the end of the line, after line
// was drawn where old was.
func eraseToEnd(old, line string) string { return "\x1b[K" }

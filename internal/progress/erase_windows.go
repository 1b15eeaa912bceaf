package progress

import (
	"strings"
	"unicode/utf8"
)

// eraseReturn follows an erased line to put the cursor back at its start.
const eraseReturn = "\r"

// eraseToEnd overwrites with spaces what is left of old after line was
// drawn where old was: a console without virtual terminal processing
// shows escape codes as text.
func eraseToEnd(old, line string) string {
	n := utf8.RuneCountInString(old) - utf8.RuneCountInString(line)
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

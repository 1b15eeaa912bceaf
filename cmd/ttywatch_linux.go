package cmd

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// ttyWatchEvery is how often running jobs are checked for having stopped
// on the terminal; a job is reported once seen stopped twice in a row.
const ttyWatchEvery = 400 * time.Millisecond

// canWatchTTY reports whether stopped jobs can be found (/proc).
const canWatchTTY = true

// stoppedGroups returns the process groups that have a member stopped by a
// signal (state T), from /proc.
func stoppedGroups() map[int]bool {
	dir, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return nil
	}
	groups := make(map[int]bool)
	buf := make([]byte, 512)
	for _, name := range names {
		if name[0] < '0' || name[0] > '9' {
			continue
		}
		f, err := os.Open("/proc/" + name + "/stat")
		if err != nil {
			continue
		}
		n, _ := f.Read(buf)
		f.Close()
		b := buf[:n]
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := bytes.Fields(b[i+1:])
		if len(fields) < 3 || string(fields[0]) != "T" {
			continue
		}
		if pg, err := strconv.Atoi(string(fields[2])); err == nil {
			groups[pg] = true
		}
	}
	return groups
}

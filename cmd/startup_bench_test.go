//go:build unix

package cmd

import (
	"strings"
	"testing"
)

// BenchmarkStartupOneJob is W6 in process: a whole run of one job, from
// the command line to the exit code (the process's own start excluded).
// Profile it with -cpuprofile to see what a one-job run spends beside
// its job.
func BenchmarkStartupOneJob(b *testing.B) {
	for b.Loop() {
		code := Execute(&Streams{In: strings.NewReader(""), Out: discard{}, Err: discard{}}, BuildInfo{},
			[]string{"map", "--", "true", ":::", "1"})
		if code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

package cmd

import (
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gopool/gopool/output"
	"github.com/gopool/gopool/output/spool"
	"github.com/gopool/gopool/runner"
)

// job is one record on its way through the run: made by the source, run by
// the executor on a pool slot, then counted, logged and printed by the
// collector on the pool's goroutine. Each stage writes its own fields
// before handing the job on.
type job struct {
	seq  int64
	args []string
	// inputErr says why the job cannot run (a NUL byte in its record, a
	// command line over -s); it fails without starting.
	inputErr error
	in       jobInput // pipe mode: what the job is fed (pipe.go); nil for none

	// Set by the executor.
	slot int
	argv []string // nil when the command could not be expanded
	res  runner.Result
	out  jobOutput

	// With --delay: started is closed once the job's process started (or
	// failed to), startedAt set just before.
	started     chan struct{}
	startedAt   time.Time
	startedOnce sync.Once

	completed bool      // counted and logged (by the collector)
	held      bool      // waiting in memory, counted by the parker (map)
	ci        jobCI     // what the CI reports keep (report.go)
	remote    remoteJob // -S: where it ran, what it moved (remote.go)
}

// jobOutput is what the sink keeps of one job's output.
type jobOutput struct {
	stdout, stderr spool.Content // the block to print; nil for none
	bufs           [2]*spool.Buffer
	live           *output.Live          // the head job's stdout stream (map)
	lines          [2]*output.LineWriter // --line-buffer
	streamed       int64                 // stdout bytes already printed live
	streamErr      error                 // a write error of the live stream
	note           string                // gopool's own message about the job
	file           *os.File              // --files: the file of stdout
	results        *[2]*os.File          // --results: the files of stdout and stderr
}

// received is the bytes of output the job printed, for the joblog.
func (o *jobOutput) received() int64 {
	return o.streamed + size(o.stdout) + size(o.stderr)
}

// release frees the job's stored output.
func (o *jobOutput) release() {
	for _, c := range []spool.Content{o.stdout, o.stderr} {
		if c != nil {
			c.Close()
		}
	}
	o.stdout, o.stderr = nil, nil
}

// markStarted records that j's process started now; only the first call
// counts, and only with --delay.
func (j *job) markStarted() {
	if j.started == nil {
		return
	}
	j.startedOnce.Do(func() {
		j.startedAt = time.Now()
		close(j.started)
	})
}

// blank reports whether args are all empty or white space.
func blank(args []string) bool {
	for _, a := range args {
		if strings.TrimSpace(a) != "" {
			return false
		}
	}
	return true
}

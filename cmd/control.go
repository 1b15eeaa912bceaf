package cmd

import (
	"context"
	"sync"
)

// control owns every way a run ends before its input does, in the style of
// errgroup: each path calls one method, and result says how the run ended.
//
//   - Drain (SIGHUP, --halt soon): start no new job; running jobs finish.
//   - Halt (--halt now): also stop the running jobs with the termseq.
//   - Stop (SIGINT, SIGTERM, SIGQUIT, a closed stdout): stop the running
//     jobs and end with the signal's exit code.
//   - Fail (gopool's own failure: unreadable input, a joblog or output
//     write error): stop the running jobs and end with exit 255 and the
//     error.
//   - Kill (a second SIGINT or SIGTERM): SIGKILL every job now.
//
// Precedence, stated once: a Stop wins over a Fail, and either wins over
// the jobs' own results (the tally); within Stop and within Fail the first
// call wins. Every method is safe for concurrent use and idempotent.
type control struct {
	// jobs is the context jobs run under: Halt, Stop and Fail cancel it.
	jobs   context.Context
	cancel context.CancelFunc
	// drain is closed by Drain and by everything that stops the run.
	drain     chan struct{}
	drainOnce sync.Once
	procs     *procs

	mu     sync.Mutex
	code   ExitCode // the first Stop's code; 0 if none
	err    error    // the first Fail's error; nil if none
	halted bool
}

// newControl returns a control whose jobs context is a child of parent and
// whose Kill reaches the processes in procs.
func newControl(parent context.Context, procs *procs) *control {
	ctx, cancel := context.WithCancel(parent)
	return &control{jobs: ctx, cancel: cancel, drain: make(chan struct{}), procs: procs}
}

// Drain starts no new job; running jobs finish.
func (c *control) Drain() {
	c.drainOnce.Do(func() { close(c.drain) })
}

// Halt is --halt reached: start nothing new, and with now, stop the
// running jobs.
func (c *control) Halt(now bool) {
	c.mu.Lock()
	c.halted = true
	c.mu.Unlock()
	c.Drain()
	if now {
		c.cancel()
	}
}

// Stop ends the run with code (the first Stop's code wins) and stops the
// running jobs.
func (c *control) Stop(code ExitCode) {
	c.mu.Lock()
	if c.code == 0 {
		c.code = code
	}
	c.mu.Unlock()
	c.Drain()
	c.cancel()
}

// Fail ends the run with err (the first error wins) and stops the running
// jobs.
func (c *control) Fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
	c.Drain()
	c.cancel()
}

// Kill sends SIGKILL to every job at once, whatever step of the termseq it
// is in, and to every job that starts from now on.
func (c *control) Kill() {
	c.procs.killAll()
}

// stopCode is the code of the first Stop, 0 if none.
func (c *control) stopCode() ExitCode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.code
}

// halting reports whether --halt was reached.
func (c *control) halting() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.halted
}

// result is how the run ended by the precedence above: the Stop code, or
// else the Fail error; neither means the tally decides.
func (c *control) result() (ExitCode, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.code != 0 {
		return c.code, nil
	}
	return 0, c.err
}

// close releases the jobs context; call it once the run is over.
func (c *control) close() { c.cancel() }

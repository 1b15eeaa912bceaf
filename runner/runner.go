// Package runner runs one child process the way gopool needs it: in its own
// process group, with a timeout, and stopped by a termination sequence sent
// to the whole group so that no grandchild survives.
//
// runner knows nothing of ordering or output formatting: it starts a
// command, waits for it, and reports how it ended.
package runner

import (
	"context"
	"io"
	"syscall"
	"time"
)

// Step is one step of a termination sequence: send Signal to the job's
// process group, then wait up to Wait for the group's leader to exit.
type Step struct {
	Signal syscall.Signal
	Wait   time.Duration
}

// TermSeq is a termination sequence, e.g. TERM, 2s, KILL. The last step's
// signal should be SIGKILL; ParseTermSeq appends it when it is missing.
type TermSeq []Step

// DefaultTermSeq is TERM, wait 2s, KILL.
var DefaultTermSeq = TermSeq{{syscall.SIGTERM, 2 * time.Second}, {syscall.SIGKILL, 0}}

// ParseTermSeq reads a termination sequence: signal names (TERM, SIGTERM,
// or numbers) alternating with waits, either Go durations ("2s", "500ms")
// or GNU parallel's milliseconds ("2000"). "TERM,2s,KILL" and
// "TERM,200,TERM,100,KILL,25" are valid. A sequence that does not end in
// KILL gets KILL appended.
func ParseTermSeq(s string) (TermSeq, error) {
	panic("runner: not implemented")
}

// Spec describes one child process.
type Spec struct {
	// Argv is the command and its arguments. Argv[0] is looked up in PATH
	// unless Path is set.
	Argv []string
	// Path is Argv[0] already resolved (see Resolver); optional.
	Path string
	// Env is the child's environment; nil means the parent's.
	Env []string
	// Dir is the working directory; empty means the parent's.
	Dir string
	// Stdin is the child's standard input; nil means /dev/null.
	Stdin io.Reader
	// Stdout and Stderr receive the child's output; nil discards it.
	Stdout, Stderr io.Writer
	// Timeout stops the job with TermSeq after this long; 0 means never.
	Timeout time.Duration
	// TermSeq stops the job on timeout or cancellation; nil means
	// DefaultTermSeq.
	TermSeq TermSeq
	// Kill, when closed, sends SIGKILL to the job's group at once, whatever
	// step of the TermSeq it is in (a second Ctrl-C).
	Kill <-chan struct{}
	// WaitDelay bounds how long Run waits for the output pipes to close
	// after the child exited (a grandchild may hold them open); 0 means 1s.
	WaitDelay time.Duration
	// Started, if set, is called with the child's pid (= its process group
	// id) right after it started.
	Started func(pid int)
}

// Result is how a job ended.
type Result struct {
	// ExitCode is the exit status 0-255; -1 when the child was killed by a
	// signal. Start failures use 127 (command not found) and 126 (not
	// executable, argument list too long, other start errors).
	ExitCode int
	// Signal is the signal that ended the child, 0 if none.
	Signal syscall.Signal
	// TimedOut is true when the Timeout fired.
	TimedOut bool
	// Stopped is true when gopool stopped the job (ctx cancelled or
	// timeout) with the TermSeq.
	Stopped bool
	// Start is when the child was started; Duration how long it ran.
	Start    time.Time
	Duration time.Duration
	// Err explains a failure to start, e.g. `"foo": command not found`,
	// `"./x": permission denied`, `argument list too long (200005 bytes)`;
	// nil when the child ran.
	Err error
}

// Failed reports whether the job failed: nonzero exit, signal, timeout or
// start failure.
func (r Result) Failed() bool { return r.ExitCode != 0 || r.Signal != 0 || r.TimedOut || r.Err != nil }

// Run starts the child, waits for it and returns how it ended. Cancelling
// ctx stops the child's whole process group with the TermSeq (Stopped is
// then true). Run never panics on bad input; start failures are reported
// in Result.
func Run(ctx context.Context, spec Spec) Result {
	panic("runner: not implemented")
}

// Resolver looks executables up in PATH once and remembers the answer. The
// zero value is ready to use and safe for concurrent use.
type Resolver struct {
	// implementation defined
}

// Look returns the path of the executable name (LookPath semantics: a name
// with a slash is used as it is). Errors say "command not found" or
// "permission denied" and name the command.
func (r *Resolver) Look(name string) (string, error) {
	panic("runner: not implemented")
}

// SignalGroup sends sig to the process group pgid (used to pass SIGTSTP and
// SIGCONT on to running jobs). It is a no-op where groups do not exist.
func SignalGroup(pgid int, sig syscall.Signal) error {
	panic("runner: not implemented")
}

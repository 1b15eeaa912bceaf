// Package runner runs one child process the way gopool needs it: in its own
// process group, with a timeout, and stopped by a termination sequence sent
// to the whole group so that no grandchild survives.
//
// runner knows nothing of ordering or output formatting: it starts a
// command, waits for it, and reports how it ended.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gopool/gopool/internal/chans"
)

// Step is one step of a termination sequence: send Signal to the job's
// process group, then wait up to Wait for the group's leader to exit.
type Step struct {
	// Signal is sent to the job's process group.
	Signal syscall.Signal
	// Wait is how long to wait for the job to exit before the next step.
	Wait time.Duration
}

// TermSeq is a termination sequence, e.g. TERM, 2s, KILL. The last step's
// signal should be SIGKILL; ParseTermSeq appends it when it is missing.
type TermSeq []Step

// DefaultTermSeq is TERM, wait 2s, KILL.
var DefaultTermSeq = TermSeq{{syscall.SIGTERM, 2 * time.Second}, {syscall.SIGKILL, 0}}

// defaultWaitDelay is Spec.WaitDelay's default.
const defaultWaitDelay = time.Second

// ParseTermSeq reads a termination sequence: signal names (TERM, SIGTERM,
// or numbers) alternating with waits, either Go durations ("2s", "500ms")
// or GNU parallel's milliseconds ("2000"). "TERM,2s,KILL" and
// "TERM,200,TERM,100,KILL,25" are valid. A sequence that does not end in
// KILL gets KILL appended.
//
// A wait may be left out ("TERM,KILL" waits 0 after TERM). A token right
// after a signal is a wait when it is a number or a duration, so a signal
// given by number must follow a wait or start the sequence. Names are
// case-insensitive.
func ParseTermSeq(s string) (TermSeq, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("bad --termseq %q: %s", s, fmt.Sprintf(format, args...))
	}
	var seq TermSeq
	afterSignal := false
	for tok := range strings.SplitSeq(s, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			return nil, bad("empty element")
		}
		if afterSignal && isWait(tok) {
			d, err := parseWait(tok)
			if err != nil {
				return nil, bad("%v", err)
			}
			seq[len(seq)-1].Wait = d
			afterSignal = false
			continue
		}
		sig, ok := parseSignal(tok)
		if !ok {
			return nil, bad("unknown signal %q", tok)
		}
		seq = append(seq, Step{Signal: sig})
		afterSignal = true
	}
	if seq[len(seq)-1].Signal != syscall.SIGKILL {
		seq = append(seq, Step{Signal: syscall.SIGKILL})
	}
	return seq, nil
}

// isWait reports whether tok looks like a wait rather than a signal name.
func isWait(tok string) bool {
	c := tok[0]
	return c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+'
}

// parseWait reads a wait: a Go duration or a number of milliseconds.
func parseWait(tok string) (time.Duration, error) {
	var d time.Duration
	if n, err := strconv.ParseUint(tok, 10, 63); err == nil {
		if n > uint64(1<<63-1)/uint64(time.Millisecond) {
			return 0, fmt.Errorf("wait %q is too long", tok)
		}
		d = time.Duration(n) * time.Millisecond
	} else if d, err = time.ParseDuration(tok); err != nil {
		return 0, fmt.Errorf("bad wait %q (want milliseconds or a duration like 2s)", tok)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative wait %q", tok)
	}
	return d, nil
}

// parseSignal reads a signal name (TERM, SIGTERM, term) or number.
func parseSignal(tok string) (syscall.Signal, bool) {
	if n, err := strconv.Atoi(tok); err == nil {
		if n < 1 || n > maxSignal {
			return 0, false
		}
		return syscall.Signal(n), true
	}
	name := strings.ToUpper(tok)
	return signalByName(strings.TrimPrefix(name, "SIG"))
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
	// Stdin is the child's standard input; nil means the null device. An
	// *os.File is passed to the child as it is. Any other reader is fed by
	// the runner through a pipe it owns (with the reader's WriteTo when it
	// has one, so a file range can go by sendfile): a child that stops
	// reading (EPIPE) ends the feed quietly, and a grandchild that keeps
	// the pipe open cannot hold the job past WaitDelay.
	Stdin io.Reader
	// StdinBuffer is the buffer size to ask for on the pipe the runner
	// feeds Stdin through (Linux: F_SETPIPE_SZ, up to the system's
	// /proc/sys/fs/pipe-max-size); 0 keeps the system's default (64 KiB).
	// A larger buffer takes a large Stdin in fewer writes. Pipe buffers
	// count against a per-user limit: ask only for a few.
	StdinBuffer int
	// Stdout and Stderr receive the child's output; nil discards it.
	Stdout, Stderr io.Writer
	// ExtraFiles are passed to the child as descriptors 3, 4, ...
	ExtraFiles []*os.File
	// Terminal, when set, is a terminal the job gets as its stdin (unless
	// Stdin is set) and, on Unix, as its controlling terminal with its
	// process group in the foreground, so that it may read it (--tty);
	// the caller's group gets the terminal back when the job is gone.
	// Run one such job at a time.
	Terminal *os.File
	// Timeout stops the job with TermSeq after this long; 0 means never.
	Timeout time.Duration
	// TermSeq stops the job on timeout or cancellation; nil means
	// DefaultTermSeq.
	TermSeq TermSeq
	// WaitDelay bounds how long Wait waits for the output pipes to close
	// after the child exited (a grandchild may hold them open); 0 means 1s.
	WaitDelay time.Duration
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
	// Stopped is true when gopool stopped the job (ctx cancelled, timeout
	// or Kill) with the TermSeq.
	Stopped bool
	// Start is when the child was started; Duration how long it ran.
	Start    time.Time
	Duration time.Duration
	// Sent is the number of bytes fed to the child's stdin (a Stdin that
	// is not an *os.File); 0 otherwise.
	Sent int64
	// Err explains a failure to start, e.g. `"foo": command not found`,
	// `"./x": permission denied`, `"foo": argument list too long (200005
	// bytes)`; nil when the child ran.
	Err error
}

// Failed reports whether the job failed: nonzero exit, signal, timeout or
// start failure.
func (r Result) Failed() bool { return r.ExitCode != 0 || r.Signal != 0 || r.TimedOut || r.Err != nil }

// StartFailed returns the Result of a job that could not start with err
// (from Start): exit 127 for a command that was not found, 126 for any
// other start failure, and Stopped with -1 when the run was cancelled
// before the job started. It is the one place where start errors become
// exit codes.
func StartFailed(err error, at time.Time) Result {
	code := 126
	var ce *commandError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return Result{ExitCode: -1, Stopped: true, Start: at, Err: err}
	case errors.As(err, &ce) && ce.notFound:
		code = 127
	}
	return Result{ExitCode: code, Start: at, Err: err}
}

// Run starts the child, waits for it and returns how it ended: Start and
// Wait in one call, with a start failure reported as StartFailed's Result.
// Run never panics on bad input. A nil ctx means context.Background().
func Run(ctx context.Context, spec Spec) Result {
	p, err := Start(ctx, spec)
	if err != nil {
		return StartFailed(err, time.Now())
	}
	return p.Wait()
}

// Process is a started child. Its methods may be called from any
// goroutine; Wait returns the same Result to every caller.
//
// Lifecycle: Start leaves one watcher goroutine per Process (it stops the
// job on cancellation, timeout or Kill), one copying goroutine per output
// that is not an *os.File, and one feeding goroutine for a Stdin that is
// not an *os.File; all of them have ended when Wait returns.
type Process struct {
	cmd   *exec.Cmd
	pgid  int
	start time.Time
	argv0 string
	seq   TermSeq
	out   outputs
	in    *feeder

	w        *watcher
	killOnce sync.Once
	tty      *os.File // the terminal the job has in the foreground; nil for none

	waitOnce sync.Once
	res      Result
}

// Start starts the child in a process group of its own and returns at
// once. Cancelling ctx stops the child's whole group with the TermSeq (the
// Result says Stopped); so does the Timeout (TimedOut). When ctx is
// already done, Start starts nothing and returns an error wrapping
// ctx.Err(). Start failures are errors that name the command: `"foo":
// command not found`; StartFailed turns them into a Result.
func Start(ctx context.Context, spec Spec) (*Process, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(spec.Argv) == 0 {
		return nil, &commandError{what: "empty command", notFound: true, err: exec.ErrNotFound}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: not started: %w", quoteName(spec.Argv[0]), err)
	}
	path := spec.Path
	if path == "" && strings.ContainsAny(spec.Argv[0], pathSeparators) {
		path = spec.Argv[0]
	} else if path == "" {
		p, err := exec.LookPath(spec.Argv[0])
		if err != nil && !errors.Is(err, exec.ErrDot) {
			return nil, startError(spec, spec.Argv[0], err)
		}
		path = p
	}
	cmd := &exec.Cmd{
		Path:        path,
		Args:        spec.Argv,
		Env:         spec.Env,
		Dir:         spec.Dir,
		ExtraFiles:  spec.ExtraFiles,
		SysProcAttr: sysProcAttr(),
		WaitDelay:   spec.WaitDelay,
	}
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = defaultWaitDelay
	}
	fg := false
	if spec.Terminal != nil {
		if spec.Stdin == nil {
			spec.Stdin = spec.Terminal
		}
		if fg = spec.Stdin == io.Reader(spec.Terminal); fg {
			foreground(cmd.SysProcAttr)
		}
	}
	p := &Process{cmd: cmd, argv0: spec.Argv[0], seq: spec.TermSeq}
	if len(p.seq) == 0 {
		p.seq = DefaultTermSeq
	}
	if err := p.out.setup(cmd, spec.Stdout, spec.Stderr); err != nil {
		return nil, &commandError{name: spec.Argv[0], what: err.Error(), err: err}
	}
	in, err := newFeeder(cmd, spec.Stdin, spec.StdinBuffer)
	if err != nil {
		p.out.closeChildEnds()
		p.out.closeParentEnds()
		return nil, &commandError{name: spec.Argv[0], what: err.Error(), err: err}
	}
	p.in = in
	p.start = time.Now()
	err = cmd.Start()
	if fg {
		p.tty = spec.Terminal
		if err != nil {
			takeTerminal(p.tty)
		}
	}
	p.out.closeChildEnds()
	p.in.closeChildEnd()
	if err != nil {
		p.out.closeParentEnds()
		p.in.abort()
		return nil, startError(spec, path, err)
	}
	p.pgid = cmd.Process.Pid
	p.out.startCopying()
	p.in.startFeeding()
	p.w = &watcher{
		ctx:        ctx,
		timeout:    spec.Timeout,
		kill:       make(chan struct{}),
		pgid:       p.pgid,
		seq:        p.seq,
		leaderDone: make(chan struct{}),
		finished:   make(chan struct{}),
	}
	go p.w.run()
	return p, nil
}

// Pid is the child's process id, which is also its process group id.
func (p *Process) Pid() int { return p.pgid }

// StartTime is when the child was started.
func (p *Process) StartTime() time.Time { return p.start }

// Signal sends sig to the child's whole process group (SIGTSTP and
// SIGCONT for job control, say). It fails once the group is gone.
func (p *Process) Signal(sig syscall.Signal) error {
	if chans.Closed(p.w.finished) {
		return fmt.Errorf("signal group %d: %w", p.pgid, os.ErrProcessDone)
	}
	return SignalGroup(p.pgid, sig)
}

// Kill stops the job with SIGKILL to its whole group at once, whatever
// step of the TermSeq it is in (a second Ctrl-C). The Result says Stopped.
func (p *Process) Kill() {
	p.killOnce.Do(func() { close(p.w.kill) })
}

// Wait waits for the child to exit and its output to be copied, and
// returns how it ended. If the child exits but a grandchild keeps the
// output pipes open for longer than WaitDelay, the TermSeq is sent to the
// job's group and the pipes are closed. A grandchild that left the pipes
// alone outlives a child that exited by itself (daemons are the user's
// business); when gopool stops a job, the TermSeq goes on until the whole
// group is gone.
func (p *Process) Wait() Result {
	p.waitOnce.Do(p.wait)
	return p.res
}

func (p *Process) wait() {
	awaitExit(p.pgid)
	// With our own pipes, cmd.Wait returns as soon as the leader is reaped.
	waitErr := p.cmd.Wait()
	if p.tty != nil {
		takeTerminal(p.tty)
	}
	res := Result{Start: p.start, Duration: time.Since(p.start)}
	close(p.w.leaderDone)
	<-p.w.finished
	res.TimedOut, res.Stopped = p.w.timedOut, p.w.stopped
	held := func() { terminate(p.pgid, p.seq, p.w.kill, closedChan()) }
	p.out.wait(p.cmd.WaitDelay, held)
	res.Sent = p.in.wait(p.cmd.WaitDelay)

	state := p.cmd.ProcessState
	if state == nil {
		res.ExitCode = -1
		res.Err = fmt.Errorf("%s: wait: %w", quoteName(p.argv0), waitErr)
		p.res = res
		return
	}
	res.ExitCode = state.ExitCode()
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.ExitCode, res.Signal = -1, ws.Signal()
	}
	p.res = res
}

// closedChan returns a closed channel.
func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// watcher stops a running job when ctx is done, its timeout fires or kill
// is closed (Process.Kill). run returns, and closes finished, once leaderDone is closed
// (the leader was reaped) or the termination sequence it started is over.
// timedOut and stopped are written before finished is closed.
type watcher struct {
	ctx     context.Context
	timeout time.Duration
	kill    chan struct{}
	pgid    int
	seq     TermSeq

	leaderDone chan struct{}
	finished   chan struct{}

	timedOut, stopped bool
}

func (w *watcher) run() {
	defer close(w.finished)
	var timeout <-chan time.Time
	if w.timeout > 0 {
		t := time.NewTimer(w.timeout)
		defer t.Stop()
		timeout = t.C
	}
	timedOut := false
	select {
	case <-w.leaderDone:
		return
	case <-w.ctx.Done():
	case <-timeout:
		timedOut = true
	case <-w.kill:
	}
	if chans.Closed(w.leaderDone) {
		return // the job ended by itself at the same moment
	}
	w.timedOut, w.stopped = timedOut, true
	terminate(w.pgid, w.seq, w.kill, w.leaderDone)
}

// terminate sends seq to the process group pgid. A step ends early when
// the leader is gone (leaderDone closed) and no member is left in the
// group; if grandchildren are left, the sequence goes on to its end, and
// ends with SIGKILL even when seq does not. Once kill is closed, the next
// signal is SIGKILL. Signals that a stopped process would not act on are
// followed by SIGCONT.
//
// Once the group is empty its id could in theory be reused by a new group;
// this needs the pid space to wrap around between two steps and is not
// guarded against.
func terminate(pgid int, seq TermSeq, kill, leaderDone <-chan struct{}) {
	for _, step := range seq {
		sig := step.Signal
		if chans.Closed(kill) {
			sig = syscall.SIGKILL
		}
		if signalGroup(pgid, sig) != nil {
			return // the group is gone
		}
		if sig == syscall.SIGKILL {
			return
		}
		if needsCont(sig) {
			_ = signalGroup(pgid, sigCont)
		}
		if !waitStep(pgid, step.Wait, kill, leaderDone) {
			return
		}
	}
	_ = signalGroup(pgid, syscall.SIGKILL)
}

// needsCont reports whether a stopped process must be continued to act on
// sig.
func needsCont(sig syscall.Signal) bool {
	switch sig {
	case syscall.SIGKILL, sigCont, sigStop, sigTSTP, sigTTIN, sigTTOU:
		return false
	}
	return true
}

// Polling bounds for a group that outlives its leader.
const (
	minPoll = time.Millisecond
	maxPoll = 50 * time.Millisecond
)

// waitStep waits up to d for the group pgid to be gone, and reports whether
// it may still be alive. The leader's exit is known from leaderDone; after
// it, the group (grandchildren only) is polled.
func waitStep(pgid int, d time.Duration, kill, leaderDone <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-kill:
		return true
	case <-t.C:
		return true
	case <-leaderDone:
	}
	poll := time.NewTimer(0)
	defer poll.Stop()
	<-poll.C
	for interval := minPoll; groupAlive(pgid); interval = min(2*interval, maxPoll) {
		poll.Reset(interval)
		select {
		case <-kill:
			return true
		case <-t.C:
			return true
		case <-poll.C:
		}
	}
	return false
}

// SignalGroup sends sig to the process group pgid (used to pass SIGTSTP and
// SIGCONT on to running jobs). It is a no-op where groups do not exist.
// pgid must be greater than 1: 0 and 1 would reach gopool's own group or
// every process.
func SignalGroup(pgid int, sig syscall.Signal) error {
	if pgid <= 1 {
		return fmt.Errorf("signal group %d: invalid process group id", pgid)
	}
	if err := forwardSignal(pgid, sig); err != nil {
		return fmt.Errorf("signal group %d: %w", pgid, err)
	}
	return nil
}

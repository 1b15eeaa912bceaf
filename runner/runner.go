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
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
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
	// StartLock, if set, is held from just before the child is started
	// until Started has returned. A caller that signals the groups it
	// learnt from Started while holding the same lock (passing Ctrl-Z on)
	// thus never misses a job that is starting at that moment.
	StartLock sync.Locker
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
	// or Kill closed) with the TermSeq.
	Stopped bool
	// Start is when the child was started; Duration how long it ran.
	Start    time.Time
	Duration time.Duration
	// Err explains a failure to start, e.g. `"foo": command not found`,
	// `"./x": permission denied`, `"foo": argument list too long (200005
	// bytes)`; nil when the child ran.
	Err error
}

// Failed reports whether the job failed: nonzero exit, signal, timeout or
// start failure.
func (r Result) Failed() bool { return r.ExitCode != 0 || r.Signal != 0 || r.TimedOut || r.Err != nil }

// Run starts the child, waits for it and returns how it ended. Cancelling
// ctx stops the child's whole process group with the TermSeq (Stopped is
// then true). Run never panics on bad input; start failures are reported
// in Result.
//
// Closing spec.Kill stops the job too, with SIGKILL at once. When ctx is
// already done, Run starts nothing and returns ExitCode -1, Stopped and an
// Err wrapping ctx.Err(). A nil ctx means context.Background().
//
// Run returns once the child has exited and its output is copied. If the
// child exits but a grandchild keeps the output pipes open for longer than
// WaitDelay, the TermSeq is sent to the job's group and the pipes are
// closed. A grandchild that left the pipes alone outlives a child that
// exited by itself (daemons are the user's business); when gopool stops a
// job, the TermSeq goes on until the whole group is gone.
//
// Goroutines: a job that can be stopped (ctx with a Done channel, a
// Timeout or a Kill channel) has one watcher goroutine, and each output
// that is not an *os.File has one copying goroutine; all of them have
// ended when Run returns.
func Run(ctx context.Context, spec Spec) Result {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(spec.Argv) == 0 {
		return Result{ExitCode: 127, Err: errors.New("empty command")}
	}
	if err := ctx.Err(); err != nil {
		return Result{ExitCode: -1, Stopped: true, Err: fmt.Errorf("%s: not started: %w", quoteName(spec.Argv[0]), err)}
	}
	path := spec.Path
	if path == "" && strings.ContainsAny(spec.Argv[0], pathSeparators) {
		path = spec.Argv[0]
	} else if path == "" {
		p, err := exec.LookPath(spec.Argv[0])
		if err != nil && !errors.Is(err, exec.ErrDot) {
			return startFailure(spec, spec.Argv[0], err)
		}
		path = p
	}
	cmd := &exec.Cmd{
		Path:        path,
		Args:        spec.Argv,
		Env:         spec.Env,
		Dir:         spec.Dir,
		Stdin:       spec.Stdin,
		SysProcAttr: sysProcAttr(),
		WaitDelay:   spec.WaitDelay,
	}
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = defaultWaitDelay
	}
	var out outputs
	if err := out.setup(cmd, spec.Stdout, spec.Stderr); err != nil {
		return Result{ExitCode: 126, Err: fmt.Errorf("%s: %w", quoteName(spec.Argv[0]), err)}
	}
	if spec.StartLock != nil {
		spec.StartLock.Lock()
	}
	start := time.Now()
	err := cmd.Start()
	out.closeChildEnds()
	if err != nil {
		if spec.StartLock != nil {
			spec.StartLock.Unlock()
		}
		out.closeParentEnds()
		return startFailure(spec, path, err)
	}
	pgid := cmd.Process.Pid
	if spec.Started != nil {
		spec.Started(pgid)
	}
	if spec.StartLock != nil {
		spec.StartLock.Unlock()
	}
	out.startCopying()

	seq := spec.TermSeq
	if len(seq) == 0 {
		seq = DefaultTermSeq
	}
	var w *watcher
	if ctx.Done() != nil || spec.Timeout > 0 || spec.Kill != nil {
		w = &watcher{
			ctx:        ctx,
			timeout:    spec.Timeout,
			kill:       spec.Kill,
			pgid:       pgid,
			seq:        seq,
			leaderDone: make(chan struct{}),
			finished:   make(chan struct{}),
		}
		go w.run()
	}

	// With our own pipes, cmd.Wait returns as soon as the leader is reaped
	// (only a Stdin that is not an *os.File gives os/exec a goroutine of
	// its own, bounded by cmd.WaitDelay).
	waitErr := cmd.Wait()
	res := Result{Start: start, Duration: time.Since(start)}
	if w != nil {
		close(w.leaderDone)
		<-w.finished
		res.TimedOut, res.Stopped = w.timedOut, w.stopped
	}
	out.wait(cmd.WaitDelay, func() {
		terminate(pgid, seq, spec.Kill, closedChan())
	})

	state := cmd.ProcessState
	if state == nil {
		res.ExitCode = -1
		res.Err = fmt.Errorf("%s: wait: %w", quoteName(spec.Argv[0]), waitErr)
		return res
	}
	res.ExitCode = state.ExitCode()
	if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.ExitCode, res.Signal = -1, ws.Signal()
	}
	return res
}

// closedChan returns a closed channel.
func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// isClosed reports whether c is closed; a nil c is never closed.
func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// watcher stops a running job when ctx is done, its timeout fires or kill
// is closed. run returns, and closes finished, once leaderDone is closed
// (the leader was reaped) or the termination sequence it started is over.
// timedOut and stopped are written before finished is closed.
type watcher struct {
	ctx     context.Context
	timeout time.Duration
	kill    <-chan struct{}
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
	if isClosed(w.leaderDone) {
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
		if isClosed(kill) {
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

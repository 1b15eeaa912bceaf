package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gopool/gopool/runner"
)

// ErrNotStarted is in a Result.Err whose job never started: ssh could not
// connect or log in, or the login hung (ssh exit 255 and no start
// marker). The host is at fault, not the job.
var ErrNotStarted = errors.New("job not started")

// ErrLost is in a Result.Err whose job started but whose end was never
// seen: the connection or the host died mid-job.
var ErrLost = errors.New("host lost mid-job")

// defaultWaitDelay is how long a job's ssh may stay open after the job's
// leader exited (a remote grandchild holding its output) before the
// termination sequence is sent to the job's group.
const defaultWaitDelay = time.Second

// outcome is how a job's attempt went, for the host's health.
type outcome int

const (
	ran outcome = iota
	notStarted
	lost
)

// procConfig is what startProcess needs.
type procConfig struct {
	argv   []string // the ssh command, ending in the remote command
	script string
	nonce  string
	login  string // the host, for messages
	spec   runner.Spec
	// startTimeout bounds the wait for the start marker (a hung login);
	// 0 means no bound.
	startTimeout time.Duration
	// before and after run around the job (transfers) and return the
	// bytes they moved; they may be nil. before's error fails the attempt
	// as not started.
	before func(ctx context.Context) (int64, error)
	after  func(ctx context.Context) int64
	// onEnd reports the attempt's outcome unless gopool stopped the job.
	onEnd func(o outcome, detail string)
}

// Process is one remote job: its ssh, the wrapper on the other side and
// the copies of its output. Wait returns how it ended; Signal and Kill
// reach the job's remote process group through the wrapper's stdin.
//
// Goroutines: one runs the attempt (transfers, ssh, returns) and closes
// done; one watches ctx, the timeout and Kill; two copy the output. All
// have ended when Wait returns.
type Process struct {
	cfg    procConfig
	start  time.Time
	kill   chan struct{}
	killMu sync.Once
	done   chan struct{}

	mu          sync.Mutex
	cmd         *exec.Cmd
	stdin       *os.File
	started     bool
	queue       []string
	stdinClosed bool
	exitSeen    bool
	status      int
	stopped     bool
	timedOut    bool
	sent, recv  int64

	startedCh chan struct{}
	exitCh    chan struct{}
	res       runner.Result
}

// startProcess starts the attempt described by cfg. Its error means
// nothing could be started (no ssh binary, no pipes).
func startProcess(ctx context.Context, cfg procConfig) (*Process, error) {
	p := &Process{
		cfg:       cfg,
		start:     time.Now(),
		kill:      make(chan struct{}),
		done:      make(chan struct{}),
		startedCh: make(chan struct{}),
		exitCh:    make(chan struct{}),
	}
	if err := ctx.Err(); err != nil {
		p.res = runner.Result{ExitCode: -1, Stopped: true, Start: p.start,
			Err: fmt.Errorf("%s: not started: %w", cfg.login, err)}
		close(p.done)
		return p, nil
	}
	if _, err := exec.LookPath(cfg.argv[0]); err != nil {
		return nil, fmt.Errorf("%s: start %q: %w", cfg.login, cfg.argv[0], err)
	}
	go p.watch(ctx)
	go p.run(ctx)
	return p, nil
}

// signalWait bounds how long Signal waits for a job's start marker.
const signalWait = time.Second

// Signal sends sig to the job's remote process group. Before the job has
// started, the signal is held and sent when it starts. A job whose start
// marker is on its way (gopool has not read it yet) is waited for, a
// little: Ctrl-Z passes SIGTSTP on and then stops gopool, which could not
// send a held signal before it runs again.
func (p *Process) Signal(sig syscall.Signal) error {
	name, ok := signalName(sig)
	if !ok {
		return fmt.Errorf("%s: signal %d cannot be sent to a remote job", p.cfg.login, int(sig))
	}
	t := time.NewTimer(signalWait)
	defer t.Stop()
	select {
	case <-p.done:
		return fmt.Errorf("%s: job already ended", p.cfg.login)
	case <-p.startedCh:
	case <-t.C:
	}
	p.send(name)
	return nil
}

// Kill stops the job with SIGKILL now, also in the middle of a termination
// sequence.
func (p *Process) Kill() { p.killMu.Do(func() { close(p.kill) }) }

// Wait waits until the job ended and its output is copied, and returns
// how it ended. Result.Err wraps ErrNotStarted or ErrLost for those
// outcomes; otherwise the job ran and ExitCode/Signal are its own.
func (p *Process) Wait() runner.Result {
	<-p.done
	return p.res
}

// Transferred returns the bytes of the files sent before the job and
// returned after it (joblog Send and Receive); valid after Wait.
func (p *Process) Transferred() (sent, received int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent, p.recv
}

// watch stops the job when ctx is done, the timeout fires or Kill is
// called, and goes on passing a Kill during the termination sequence.
func (p *Process) watch(ctx context.Context) {
	var timeout <-chan time.Time
	if p.cfg.spec.Timeout > 0 {
		t := time.NewTimer(p.cfg.spec.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-p.done:
		return
	case <-ctx.Done():
		p.stop(false, false)
	case <-timeout:
		p.stop(true, false)
	case <-p.kill:
		p.stop(false, true)
		return
	}
	select {
	case <-p.done:
	case <-p.kill:
		p.stop(false, true)
	}
}

// stop stops the job: the termination sequence, or SIGKILL when kill. A
// job whose wrapper has not said it started has its ssh killed: if the
// wrapper did start, it sees its stdin close and runs the sequence.
func (p *Process) stop(timedOut, kill bool) {
	p.mu.Lock()
	if !p.stopped {
		p.stopped, p.timedOut = true, timedOut
	}
	started, cmd := p.started, p.cmd
	p.mu.Unlock()
	if !started {
		if cmd != nil && cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
		return
	}
	if kill {
		p.send("KILL")
	} else {
		p.send("SEQ")
	}
}

// send writes one lifeline line, or holds it until the job has started.
func (p *Process) send(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stdinClosed {
		return
	}
	if !p.started || p.stdin == nil {
		p.queue = append(p.queue, line)
		return
	}
	_, _ = p.stdin.Write([]byte(line + "\n"))
}

// onStart runs when the start marker is seen on stderr: held lifeline
// lines go out now.
func (p *Process) onStart() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.started {
		return
	}
	p.started = true
	close(p.startedCh)
	if p.stdinClosed {
		return
	}
	for _, line := range p.queue {
		_, _ = p.stdin.Write([]byte(line + "\n"))
	}
	p.queue = nil
}

func (p *Process) onExit(status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exitSeen {
		return
	}
	p.exitSeen, p.status = true, status
	close(p.exitCh)
}

// run is the attempt: transfers, the job's ssh, returns.
func (p *Process) run(ctx context.Context) {
	defer close(p.done)
	if p.cfg.before != nil {
		n, err := p.cfg.before(ctx)
		p.mu.Lock()
		p.sent = n
		p.mu.Unlock()
		var local *localError
		switch {
		case errors.As(err, &local):
			p.finish(runner.Result{ExitCode: 255, Err: fmt.Errorf("%s: %w", p.cfg.login, err)}, ran, "")
			return
		case err != nil:
			p.finish(runner.Result{ExitCode: 255, Err: fmt.Errorf("%s: %w: %w", p.cfg.login, ErrNotStarted, err)}, notStarted, err.Error())
			return
		}
	}
	res, o, detail := p.runJob()
	if p.cfg.after != nil && o == ran {
		n := p.cfg.after(ctx)
		p.mu.Lock()
		p.recv = n
		p.mu.Unlock()
	}
	p.finish(res, o, detail)
}

// finish sets the result and reports the outcome to the host.
func (p *Process) finish(res runner.Result, o outcome, detail string) {
	p.mu.Lock()
	res.Start = p.start
	res.Duration = time.Since(p.start)
	res.Stopped, res.TimedOut = p.stopped, p.timedOut
	stopped := p.stopped
	p.mu.Unlock()
	p.res = res
	if p.cfg.onEnd != nil && !stopped {
		p.cfg.onEnd(o, detail)
	}
}

// runJob runs the job's ssh and reads its markers.
func (p *Process) runJob() (runner.Result, outcome, string) {
	spec := p.cfg.spec
	fail := func(err error) (runner.Result, outcome, string) {
		return runner.Result{ExitCode: 255, Err: fmt.Errorf("%s: %w: %w", p.cfg.login, ErrNotStarted, err)}, notStarted, err.Error()
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return fail(err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		return fail(err)
	}
	cmd := exec.Command(p.cfg.argv[0], p.cfg.argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errW
	cmd.SysProcAttr = sshSysProcAttr()

	stdout, stderr := spec.Stdout, spec.Stderr
	if stdout == nil {
		stdout = io.Discard
	}
	if stderr == nil {
		stderr = io.Discard
	}
	if sameWriter(stdout, stderr) {
		lw := lockedWriter{mu: new(sync.Mutex), w: stdout}
		stdout, stderr = lw, lw
	}
	// The wrapper prints the start marker on both streams once sh has read
	// the whole script; whichever gopool sees first starts the job, so
	// that no output of the job is seen before a stop would go down the
	// lifeline.
	outGate := &startGate{marker: []byte(startMarker(p.cfg.nonce)), next: stdout, onStart: p.onStart}
	strip := &exitStripper{prefix: []byte(exitPrefix(p.cfg.nonce)), next: stderr, onExit: p.onExit}
	errGate := &startGate{marker: []byte(startMarker(p.cfg.nonce)), next: strip, onStart: p.onStart}

	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		for _, f := range []*os.File{inR, inW, outR, outW, errR, errW} {
			f.Close()
		}
		return runner.Result{ExitCode: -1, Err: fmt.Errorf("%s: not started: stopped", p.cfg.login)}, ran, ""
	}
	err = cmd.Start()
	inR.Close()
	outW.Close()
	errW.Close()
	if err != nil {
		p.mu.Unlock()
		inW.Close()
		outR.Close()
		errR.Close()
		return fail(err)
	}
	p.cmd, p.stdin = cmd, inW
	p.mu.Unlock()

	copied := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(outGate, outR); outR.Close(); copied <- struct{}{} }()
	go func() { _, _ = io.Copy(errGate, errR); errR.Close(); copied <- struct{}{} }()
	go func() {
		// A script larger than the pipe blocks until ssh reads it.
		_, _ = io.WriteString(inW, p.cfg.script)
	}()

	sshDone := make(chan struct{})
	waitDelay := spec.WaitDelay
	if waitDelay <= 0 {
		waitDelay = defaultWaitDelay
	}
	if p.cfg.startTimeout > 0 {
		go func() {
			t := time.NewTimer(p.cfg.startTimeout)
			defer t.Stop()
			select {
			case <-sshDone:
			case <-p.startedCh:
			case <-t.C:
				_ = cmd.Process.Kill() // not started: a hung login
			}
		}()
	}
	go func() {
		// The leader exited but ssh goes on: a remote grandchild holds
		// the job's output. Stop the group, as runner does locally.
		select {
		case <-sshDone:
			return
		case <-p.exitCh:
		}
		t := time.NewTimer(waitDelay)
		defer t.Stop()
		select {
		case <-sshDone:
		case <-t.C:
			p.send("SEQ")
		}
	}()
	waitErr := cmd.Wait()
	close(sshDone)
	<-copied
	<-copied
	flushErr := strip.flush()
	_ = flushErr
	p.mu.Lock()
	p.stdinClosed = true
	inW.Close()
	exitSeen, status, started := p.exitSeen, p.status, p.started
	p.mu.Unlock()

	sshCode := -1
	if cmd.ProcessState != nil {
		sshCode = cmd.ProcessState.ExitCode()
	}
	switch {
	case exitSeen:
		res := runner.Result{ExitCode: status}
		if status > 128 && status <= 128+maxRemoteSignal {
			res.ExitCode, res.Signal = -1, syscall.Signal(status-128)
		}
		return res, ran, ""
	case started:
		detail := fmt.Sprintf("ssh exited with %d", sshCode)
		if waitErr != nil && sshCode < 0 {
			detail = waitErr.Error()
		}
		return runner.Result{ExitCode: -1, Err: fmt.Errorf("%s: %w: %s", p.cfg.login, ErrLost, detail)}, lost, detail
	default:
		detail := lastLine(errGate.preStart())
		if detail == "" {
			detail = fmt.Sprintf("ssh exited with %d", sshCode)
		}
		return runner.Result{ExitCode: 255, Err: fmt.Errorf("%s: %w: %s", p.cfg.login, ErrNotStarted, detail)}, notStarted, detail
	}
}

// maxRemoteSignal is the highest signal number an exit status of 128+N is
// read as.
const maxRemoteSignal = 64

// lastLine returns the last non-empty line of b, trimmed.
func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(bytes.ReplaceAll(b, []byte("\r"), nil))), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

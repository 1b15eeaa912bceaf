package cmd

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/gopool/gopool/runner"
)

// launcher starts one job's process. It is the seam between the run and
// what runs a job: the local runner, a remote host, a dry run, or a fake in
// tests. start fails only when the job could not start at all; how a
// started job ended is in its Wait's Result.
type launcher interface {
	start(ctx context.Context, spec runner.Spec) (process, error)
}

// process is a started job. Cancelling the ctx it was started with stops it
// with the spec's termseq.
type process interface {
	// Signal sends sig to the job's whole process group.
	Signal(sig syscall.Signal) error
	// Kill sends SIGKILL to the job's group now, whatever step of the
	// termseq it is in.
	Kill()
	// Wait waits until the job ended and its output is copied.
	Wait() runner.Result
}

// localLauncher runs jobs on this machine with the runner.
type localLauncher struct{}

func (localLauncher) start(ctx context.Context, spec runner.Spec) (process, error) {
	p, err := runner.Start(ctx, spec)
	if err != nil {
		return nil, err // a nil *runner.Process must not become a non-nil process
	}
	return p, nil
}

// dryLauncher runs nothing: every job "succeeds" at once (--dry-run).
type dryLauncher struct{}

func (dryLauncher) start(context.Context, runner.Spec) (process, error) { return dryProcess{}, nil }

type dryProcess struct{}

func (dryProcess) Signal(syscall.Signal) error { return nil }
func (dryProcess) Kill()                       {}
func (dryProcess) Wait() runner.Result         { return runner.Result{} }

// procs tracks the running jobs of a launcher, so that job control
// (Ctrl-Z, fg) and a second Ctrl-C reach every one of them, including a job
// that is starting at that very moment.
type procs struct {
	launcher launcher
	guard    *guard          // the watchdog; nil for none
	ready    <-chan struct{} // no job starts before it is closed; nil: no wait
	throttle *throttle       // nil: no throttling

	// starting is read-locked around each start until the job is
	// tracked, and locked by each, so that a signal passed to every job
	// cannot miss one that is starting.
	starting sync.RWMutex

	mu     sync.Mutex
	live   map[*tracked]struct{}
	killed bool // killAll was called: every job from now on is killed too
	paused bool // gopool passed SIGTSTP on and has not passed SIGCONT yet
}

func newProcs(l launcher) *procs {
	return &procs{launcher: l, live: make(map[*tracked]struct{})}
}

// tracked is a process that procs forgets once waited for.
type tracked struct {
	process
	procs *procs
	seq   int64 // the job's number, for messages

	// ttyStopped is set when the job was killed because it stopped on the
	// terminal (see ttyWatch).
	ttyStopped atomic.Bool
}

// pid is the process's id (its group's), when it is a local process.
func (t *tracked) pid() (int, bool) {
	p, ok := t.process.(interface{ Pid() int })
	if !ok {
		return 0, false
	}
	return p.Pid(), true
}

func (t *tracked) Wait() runner.Result {
	res := t.process.Wait()
	if t.procs.throttle != nil {
		t.procs.throttle.leave()
	}
	if p, ok := t.process.(interface{ Pid() int }); ok {
		t.procs.guard.remove(p.Pid())
	}
	t.procs.mu.Lock()
	delete(t.procs.live, t)
	t.procs.mu.Unlock()
	return res
}

// start starts a job with the launcher and tracks it until its Wait
// returns. A start that fails for lack of processes or files waits for the
// throttle and tries again.
func (ps *procs) start(ctx context.Context, spec runner.Spec) (process, error) {
	if ps.ready != nil {
		<-ps.ready
	}
	ps.guard.beforeStart()
	if ps.throttle == nil {
		return ps.startOnce(ctx, spec)
	}
	for try := 0; ; try++ {
		if err := ps.throttle.enter(ctx); err != nil {
			return nil, fmt.Errorf("not started: %w", err)
		}
		p, err := ps.startOnce(ctx, spec)
		if err == nil {
			return p, nil
		}
		ps.throttle.leave()
		if !isShortage(err) || !ps.throttle.short(ctx, try) {
			return nil, err
		}
	}
}

func (ps *procs) startOnce(ctx context.Context, spec runner.Spec) (process, error) {
	ps.starting.RLock()
	defer ps.starting.RUnlock()
	p, err := ps.launcher.start(ctx, spec)
	if err != nil {
		return nil, err
	}
	if p, ok := p.(interface{ Pid() int }); ok {
		ps.guard.add(p.Pid())
	}
	t := &tracked{process: p, procs: ps, seq: jobSeq(ctx)}
	ps.mu.Lock()
	ps.live[t] = struct{}{}
	killed := ps.killed
	ps.mu.Unlock()
	if killed {
		p.Kill()
	}
	return t, nil
}

// each sends sig to every running job; then, if not nil, runs before any
// new job may start (gopool stopping itself on Ctrl-Z).
func (ps *procs) each(sig syscall.Signal, then func()) {
	ps.starting.Lock()
	defer ps.starting.Unlock()
	ps.mu.Lock()
	for t := range ps.live {
		_ = t.Signal(sig)
	}
	ps.mu.Unlock()
	if then != nil {
		then()
	}
}

// killAll kills every running job and every job that starts from now on.
func (ps *procs) killAll() {
	ps.mu.Lock()
	ps.killed = true
	for t := range ps.live {
		t.Kill()
	}
	ps.mu.Unlock()
}

// running returns the jobs running now.
func (ps *procs) running() []*tracked {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ts := make([]*tracked, 0, len(ps.live))
	for t := range ps.live {
		ts = append(ts, t)
	}
	return ts
}

// setPaused records whether gopool stopped its jobs itself (Ctrl-Z) or
// let them go on (fg, bg).
func (ps *procs) setPaused(paused bool) {
	ps.mu.Lock()
	ps.paused = paused
	ps.mu.Unlock()
}

// isPaused reports whether gopool stopped its jobs itself (Ctrl-Z).
func (ps *procs) isPaused() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.paused
}

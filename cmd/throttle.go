package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"
	"time"
)

// throttle lowers how many jobs run at once when the system runs out of
// processes or file descriptors (`ulimit -u`, `ulimit -n`): a job that
// cannot start for that reason is not the job's failure. It waits for a
// running job to end and starts again, and from then on no more jobs run
// at once than were running when the system said no. gopool says so once
// on stderr. With no other job running, it tries again with a backoff
// before giving up. Its methods are safe for concurrent use.
type throttle struct {
	warn io.Writer // gopool's stderr

	mu      sync.Mutex
	running int
	limit   int           // 0: none yet
	freed   chan struct{} // closed and replaced when a job ends
	warned  bool
}

// shortageRetries bounds the tries of a job that cannot start while no
// other job runs (about 10s in all).
const shortageRetries = 15

func newThrottle(warn io.Writer) *throttle {
	return &throttle{warn: warn, freed: make(chan struct{})}
}

// enter waits until a job may start, and counts it as running.
func (t *throttle) enter(ctx context.Context) error {
	for {
		t.mu.Lock()
		if t.limit == 0 || t.running < t.limit {
			t.running++
			t.mu.Unlock()
			return nil
		}
		freed := t.freed
		t.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// leave counts a job as no longer running (it ended, or did not start).
func (t *throttle) leave() {
	t.mu.Lock()
	t.running--
	close(t.freed)
	t.freed = make(chan struct{})
	t.mu.Unlock()
}

// short is called, after leave, for a job that could not start for lack of
// processes or files (the tries before it: try). It lowers the limit to the
// jobs running and waits for one of them to end; with none running, it
// waits a backoff. It reports false when the job should give up: the run
// was stopped, or try is past shortageRetries with no job running.
func (t *throttle) short(ctx context.Context, try int) bool {
	t.mu.Lock()
	others := t.running
	freed := t.freed
	if others > 0 && (t.limit == 0 || others < t.limit) {
		t.limit = others
	}
	first := !t.warned
	t.warned = true
	t.mu.Unlock()
	if first && t.warn != nil {
		_, _ = io.WriteString(t.warn, "gopool: the system is out of processes or open files: running fewer jobs at once\n")
	}
	var wait <-chan time.Time
	if others == 0 {
		if try >= shortageRetries {
			return false
		}
		tm := time.NewTimer(min(10*time.Millisecond<<try, time.Second))
		defer tm.Stop()
		wait = tm.C
	}
	select {
	case <-freed:
	case <-wait:
	case <-ctx.Done():
		return false
	}
	return true
}

// isShortage reports whether err says the system is out of processes,
// threads, memory for a new process, or file descriptors.
func isShortage(err error) bool {
	for _, e := range []error{syscall.EAGAIN, syscall.EMFILE, syscall.ENFILE, syscall.ENOMEM} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Each job needs room for itself and at least one process of its own
// (sh -c runs its commands as children); gopool keeps some for its own
// threads and its watchdog.
const (
	procsPerJob  = 2
	gopoolsProcs = 10
)

// fitProcesses caps workers to what a finite `ulimit -u` leaves room for
// (headroom, -1 for no limit), saying so once on warn.
func fitProcesses(workers, headroom int, warn io.Writer) int {
	if headroom < 0 {
		return workers
	}
	fit := max(1, (headroom-gopoolsProcs)/procsPerJob)
	if fit >= workers {
		return workers
	}
	if warn != nil {
		fmt.Fprintf(warn, "gopool: ulimit -u leaves room for about %d at once: running %d of -j %d (raise ulimit -u or lower -j)\n",
			fit, fit, workers)
	}
	return fit
}

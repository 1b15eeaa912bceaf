package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// A job runs in a process group of its own, in the background of the
// terminal: when it reads the terminal (`read x </dev/tty`, a password
// prompt) the kernel stops it with SIGTTIN (SIGTTOU for some writes), and
// it would wait forever. ttyWatch notices: a running job whose group stays
// stopped although gopool did not stop it (Ctrl-Z) is reported on stderr
// within about a second, naming the job and --tty, and killed, so that it
// fails instead of hanging the run.
//
// Lifecycle: watchTTY starts one goroutine when gopool has a controlling
// terminal (jobs elsewhere cannot stop this way), on Linux; stop ends it.
type ttyWatch struct {
	procs *procs
	warn  io.Writer
	quit  chan struct{}
	wg    sync.WaitGroup
}

func watchTTY(ps *procs, warn io.Writer) *ttyWatch {
	if !canWatchTTY {
		return nil
	}
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return nil // no controlling terminal: nothing can stop on it
	}
	tty.Close()
	w := &ttyWatch{procs: ps, warn: warn, quit: make(chan struct{})}
	w.wg.Add(1)
	go w.loop()
	return w
}

func (w *ttyWatch) loop() {
	defer w.wg.Done()
	t := time.NewTicker(ttyWatchEvery)
	defer t.Stop()
	seen := make(map[*tracked]bool) // stopped at the last look
	for {
		select {
		case <-w.quit:
			return
		case <-t.C:
		}
		if w.procs.isPaused() {
			clear(seen) // gopool stopped its jobs itself (Ctrl-Z)
			continue
		}
		stopped := stoppedGroups()
		now := make(map[*tracked]bool)
		for _, tp := range w.procs.running() {
			pid, ok := tp.pid()
			if !ok || !stopped[pid] {
				continue
			}
			if seen[tp] {
				w.report(tp)
				continue
			}
			now[tp] = true
		}
		seen = now
	}
}

// report fails a job that is stopped on the terminal.
func (w *ttyWatch) report(tp *tracked) {
	if !tp.ttyStopped.CompareAndSwap(false, true) {
		return
	}
	if w.warn != nil {
		fmt.Fprintf(w.warn, "gopool: job %d is stopped waiting for the terminal (SIGTTIN or SIGTTOU): "+
			"jobs run without it; --tty gives it to them, one at a time\n", tp.seq)
	}
	tp.Kill()
}

func (w *ttyWatch) stop() {
	if w == nil {
		return
	}
	close(w.quit)
	w.wg.Wait()
}

// jobSeqKey is the context key of the job number procs labels a process
// with.
type jobSeqKey struct{}

// withJobSeq returns ctx labelled with job number seq.
func withJobSeq(ctx context.Context, seq int64) context.Context {
	return context.WithValue(ctx, jobSeqKey{}, seq)
}

// jobSeq is the job number ctx is labelled with, 0 if none.
func jobSeq(ctx context.Context) int64 {
	seq, _ := ctx.Value(jobSeqKey{}).(int64)
	return seq
}

// openTTY opens the controlling terminal for --tty.
func openTTY() (*os.File, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("--tty: no terminal to give the jobs: %w", err)
	}
	return f, nil
}

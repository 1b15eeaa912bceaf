package cmd

import (
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"golang.org/x/term"
)

// signals turns signals to gopool into calls of the run's control:
//   - the first SIGINT, SIGTERM or SIGQUIT is Stop with 130, 143 or 131
//     (jobs get the termseq; no goroutine dump for SIGQUIT); a second one
//     is Kill (SIGKILL to every job's group at once);
//   - a signal that was ignored when gopool started stays ignored (nohup);
//   - SIGHUP is Drain: nothing new starts, running jobs finish;
//   - SIGTSTP and SIGCONT are passed on to the jobs' groups (platform code);
//   - SIGPIPE is caught so that a write to a closed stdout returns EPIPE;
//   - watchOutput adds one more stop path: stdout is a pipe whose reader went
//     away (gopool ... | head -1), which is Stop with 141 (128+SIGPIPE),
//     even while no job prints.
//
// Lifecycle: watchSignals starts one goroutine (two with watchOutput); stop
// ends them and must be called once the run is over.
type signals struct {
	ctl     *control
	procs   *procs
	notices io.Writer // where notices go; nil drops them

	ch      chan os.Signal
	quit    chan struct{}
	ready   chan struct{} // closed once the signals are watched
	unwatch func()        // stops the watchOutput goroutine; nil if none
	wg      sync.WaitGroup
}

// watchSignals starts passing signals to ctl and procs; notices (the SIGHUP
// drain) go to notices, gopool's stderr.
func watchSignals(ctl *control, procs *procs, notices io.Writer) *signals {
	s := &signals{
		ctl:     ctl,
		procs:   procs,
		notices: notices,
		ch:      make(chan os.Signal, 8),
		quit:    make(chan struct{}),
		ready:   make(chan struct{}),
	}
	// Asking the runtime for each signal is a round trip to its signal
	// thread: done on the loop's goroutine, while the run sets up, and the
	// procs start no job before it is done (procs.ready).
	procs.ready = s.ready
	s.wg.Add(1)
	go s.loop()
	return s
}

func (s *signals) loop() {
	defer s.wg.Done()
	// A signal ignored when gopool started stays ignored (nohup, a
	// background job of a non-interactive shell).
	var notify []os.Signal
	for _, sig := range watched {
		if !signal.Ignored(sig) {
			notify = append(notify, sig)
		}
	}
	signal.Notify(s.ch, notify...)
	close(s.ready)
	drained := false
	for {
		select {
		case <-s.quit:
			return
		case sig := <-s.ch:
			switch sig {
			case os.Interrupt, syscall.SIGTERM, sigQuit:
				if s.ctl.stopCode() != 0 {
					s.ctl.Kill() // a second stop
					continue
				}
				code := ExitInterrupted
				switch sig {
				case syscall.SIGTERM:
					code = ExitTerminated
				case sigQuit:
					code = ExitQuit
				}
				s.ctl.Stop(code)
			case sigHangup:
				if !drained {
					drained = true
					s.ctl.Drain()
					s.notice("SIGHUP: starting no new jobs; waiting for the running ones to finish")
				}
			default:
				s.platform(sig)
			}
		}
	}
}

// watchOutput watches out, gopool's stdout, when it is a pipe or a socket:
// once its reader is gone (gopool ... | head -1), the run is stopped with
// ExitBrokenPipe, so that gopool stops its jobs and exits at once and
// quietly, even when no job is printing at the time. It does nothing for
// other writers, nor on Windows. Call it at most once, before stop.
func (s *signals) watchOutput(out io.Writer) {
	if f, ok := out.(*os.File); ok {
		s.unwatch = watchReaderGone(f, func() { s.ctl.Stop(ExitBrokenPipe) })
	}
}

// notice prints one line of gopool's own on the notices stream, if any.
func (s *signals) notice(msg string) {
	if s.notices != nil {
		_, _ = io.WriteString(s.notices, "gopool: "+msg+"\n")
	}
}

// stop ends the goroutines and hands the signals back to the runtime on
// the side: signal.Stop makes one round trip per signal to the runtime's
// signal-mask thread (about 0.15 ms for all of them), which gopool, about
// to exit, need not wait for. Until it is done, a signal is caught and
// dropped.
func (s *signals) stop() {
	if s.unwatch != nil {
		s.unwatch()
	}
	close(s.quit)
	s.wg.Wait()
	go signal.Stop(s.ch)
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

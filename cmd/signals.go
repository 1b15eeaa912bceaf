package cmd

import (
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"golang.org/x/term"
)

// signals turns signals to gopool into the run's stop paths:
//   - the first SIGINT or SIGTERM cancels the run (jobs get the termseq)
//     and fixes the exit code (130 or 143); a second closes kill, which
//     sends SIGKILL to every job's group at once;
//   - SIGHUP closes drain: nothing new starts, running jobs finish;
//   - SIGTSTP and SIGCONT are passed on to the jobs' groups (platform code);
//   - SIGPIPE is caught so that a write to a closed stdout returns EPIPE;
//   - watchOutput adds one more stop path: stdout is a pipe whose reader went
//     away (gopool ... | head -1), which cancels the run like SIGINT and
//     fixes the exit code at 141 (128+SIGPIPE), even while no job prints.
//
// Lifecycle: watchSignals starts one goroutine (two with watchOutput); stop
// ends them and must be called once the run is over.
type signals struct {
	drain chan struct{}
	kill  chan struct{}

	mu     sync.Mutex
	exit   ExitCode
	groups map[int]struct{}

	// starting is read-locked by each job start until the job is added
	// (see startLock), and locked by each, so that a group that is just
	// starting gets the signal too.
	starting sync.RWMutex

	ch      chan os.Signal
	quit    chan struct{}
	unwatch func()    // stops the watchOutput goroutine; nil if none
	notices io.Writer // where notices go; nil drops them
	wg      sync.WaitGroup
	cancel  func()
}

func watchSignals(cancel func()) *signals {
	s := &signals{
		drain:  make(chan struct{}),
		kill:   make(chan struct{}),
		groups: make(map[int]struct{}),
		ch:     make(chan os.Signal, 8),
		quit:   make(chan struct{}),
		cancel: cancel,
	}
	signal.Notify(s.ch, watched...)
	s.wg.Add(1)
	go s.loop()
	return s
}

func (s *signals) loop() {
	defer s.wg.Done()
	drained, killed := false, false
	for {
		select {
		case <-s.quit:
			return
		case sig := <-s.ch:
			switch sig {
			case os.Interrupt, syscall.SIGTERM:
				s.mu.Lock()
				first := s.exit == 0
				if first {
					s.exit = ExitInterrupted
					if sig == syscall.SIGTERM {
						s.exit = ExitTerminated
					}
				}
				s.mu.Unlock()
				if first {
					s.cancel()
				} else if !killed {
					killed = true
					close(s.kill)
				}
			case sigHangup:
				if !drained {
					drained = true
					close(s.drain)
					s.notice("SIGHUP: starting no new jobs; waiting for the running ones to finish")
				}
			default:
				s.platform(sig)
			}
		}
	}
}

// watchOutput watches out, gopool's stdout, when it is a pipe or a socket:
// once its reader is gone (gopool ... | head -1), the run is cancelled and
// the exit code is ExitBrokenPipe, so that gopool stops its jobs and exits
// at once and quietly, even when no job is printing at the time. It does
// nothing for other writers, nor on Windows. Call it at most once, before
// stop.
func (s *signals) watchOutput(out io.Writer) {
	if f, ok := out.(*os.File); ok {
		s.unwatch = watchReaderGone(f, s.outputClosed)
	}
}

// noticesTo sends gopool's notices about signals (the SIGHUP drain) to w,
// gopool's stderr; without it they are dropped.
func (s *signals) noticesTo(w io.Writer) {
	s.mu.Lock()
	s.notices = w
	s.mu.Unlock()
}

// notice prints one line of gopool's own on the notices stream, if any.
func (s *signals) notice(msg string) {
	s.mu.Lock()
	w := s.notices
	s.mu.Unlock()
	if w != nil {
		_, _ = io.WriteString(w, "gopool: "+msg+"\n")
	}
}

// outputClosed stops the run because stdout's reader went away, unless a
// signal stopped it first.
func (s *signals) outputClosed() {
	s.mu.Lock()
	first := s.exit == 0
	if first {
		s.exit = ExitBrokenPipe
	}
	s.mu.Unlock()
	if first {
		s.cancel()
	}
}

// code is the exit code the signals chose, 0 if none.
func (s *signals) code() ExitCode {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exit
}

func (s *signals) add(pgid int) {
	s.mu.Lock()
	s.groups[pgid] = struct{}{}
	s.mu.Unlock()
}

func (s *signals) remove(pgid int) {
	s.mu.Lock()
	delete(s.groups, pgid)
	s.mu.Unlock()
}

// startLock is the runner.Spec.StartLock of every job: jobs start
// concurrently, but never while each is passing a signal on.
func (s *signals) startLock() sync.Locker { return s.starting.RLocker() }

func (s *signals) stop() {
	if s.unwatch != nil {
		s.unwatch()
	}
	signal.Stop(s.ch)
	close(s.quit)
	s.wg.Wait()
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

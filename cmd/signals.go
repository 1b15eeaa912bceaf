package cmd

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"golang.org/x/term"

	"github.com/gopool/gopool/runner"
)

// signals turns signals to gopool into the run's stop paths:
//   - the first SIGINT or SIGTERM cancels the run (jobs get the termseq)
//     and fixes the exit code (130 or 143); a second closes kill, which
//     sends SIGKILL to every job's group at once;
//   - SIGHUP closes drain: nothing new starts, running jobs finish;
//   - SIGTSTP and SIGCONT are passed on to the jobs' groups (platform code);
//   - SIGPIPE is caught so that a write to a closed stdout returns EPIPE.
type signals struct {
	drain chan struct{}
	kill  chan struct{}

	mu     sync.Mutex
	exit   ExitCode
	groups map[int]struct{}

	ch     chan os.Signal
	quit   chan struct{}
	wg     sync.WaitGroup
	cancel func()
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
				}
			default:
				s.platform(sig)
			}
		}
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

// each sends sig to every running job's group.
func (s *signals) each(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for g := range s.groups {
		_ = runner.SignalGroup(g, sig)
	}
}

func (s *signals) stop() {
	signal.Stop(s.ch)
	close(s.quit)
	s.wg.Wait()
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

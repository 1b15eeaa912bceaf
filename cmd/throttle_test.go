package cmd

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/gopool/gopool/runner"
)

func TestFitProcesses(t *testing.T) {
	tests := []struct {
		name              string
		workers, headroom int
		want              int
		warns             bool
	}{
		{"no limit", 50, -1, 50, false},
		{"room enough", 4, 100, 4, false},
		{"capped", 50, 30, 10, true},
		{"at least one", 50, 5, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warn bytes.Buffer
			if got := fitProcesses(tt.workers, tt.headroom, &warn); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
			if got := warn.Len() > 0; got != tt.warns {
				t.Errorf("got warning %q, want one: %v", warn.String(), tt.warns)
			}
		})
	}
}

// shortLauncher is a fake launcher whose starts fail with EMFILE while
// limit jobs run.
type shortLauncher struct {
	mu      sync.Mutex
	running int
	limit   int
	peak    int
	denied  int
}

func (l *shortLauncher) start(context.Context, runner.Spec) (process, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running >= l.limit {
		l.denied++
		return nil, fmt.Errorf("create output pipe: %w", syscall.EMFILE)
	}
	l.running++
	l.peak = max(l.peak, l.running)
	return &shortProc{l: l}, nil
}

type shortProc struct{ l *shortLauncher }

func (p *shortProc) Signal(syscall.Signal) error { return nil }
func (p *shortProc) Kill()                       {}
func (p *shortProc) Wait() runner.Result {
	p.l.mu.Lock()
	p.l.running--
	p.l.mu.Unlock()
	return runner.Result{}
}

// TestThrottleShortage runs 40 jobs, 8 at a time, on a system that has
// room for 3: every job runs, one warning is printed, and no job fails.
func TestThrottleShortage(t *testing.T) {
	l := &shortLauncher{limit: 3}
	var warn bytes.Buffer
	ps := newProcs(l)
	ps.throttle = newThrottle(&warn)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	sem := make(chan struct{}, 8)
	for range 40 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p, err := ps.start(context.Background(), runner.Spec{})
			if err != nil {
				errs <- err
				return
			}
			p.Wait()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("got a failed start %v, want none", err)
	}
	if l.peak > 3 {
		t.Errorf("got %d jobs at once, want at most 3", l.peak)
	}
	if got := strings.Count(warn.String(), "\n"); l.denied > 0 && got != 1 {
		t.Errorf("got %d warning lines (%q), want 1", got, warn.String())
	}
}

// TestThrottleGivesUp checks that a start that keeps failing with no other
// job running fails in the end, and at once when the run stops.
func TestThrottleGivesUp(t *testing.T) {
	l := &shortLauncher{limit: 0}
	ps := newProcs(l)
	ps.throttle = newThrottle(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ps.start(ctx, runner.Spec{}); err == nil {
		t.Fatal("got a start, want an error")
	}
}

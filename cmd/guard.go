package cmd

import (
	"os"
	"sync"
	"time"

	"github.com/gopool/gopool/internal/watchdog"
)

// guardAfter is how long a run's only job may run before the watchdog
// starts anyway.
const guardAfter = 20 * time.Millisecond

// guard is the watchdog that kills the jobs' process groups if gopool dies
// without stopping them (kill -9, the OOM killer, a runtime fatal error).
//
// It starts when a run has a second job to start, or when its first job
// has run guardAfter, so that a run of one short job (the common case of a
// script calling gopool in a loop) pays nothing for it. From then on a job
// starts only once the watchdog is up, and jobs that started before are
// registered as it comes up. So the one gap is the first job's first
// guardAfter, and the instant between a job's start and its registration.
//
// A nil *guard, or one whose watchdog could not start, does nothing: the
// jobs still die with gopool's own signals and the kernel's parent-death
// signal. Its methods are safe for concurrent use.
type guard struct {
	exe string

	mu      sync.Mutex
	starts  int                // jobs started (or starting) so far
	state   guardState         // guarded by mu
	up      chan struct{}      // closed once the watchdog is up or failed
	wd      *watchdog.Watchdog // set before up is closed; nil if it failed
	early   map[int]bool       // groups started before it was up
	timer   *time.Timer        // starts it when the first job runs long
	stopped bool               // close was called
}

type guardState int

const (
	guardIdle guardState = iota
	guardStarting
	guardUp
)

// newGuard returns a guard for the local jobs of a run; nil where there is
// no watchdog (Windows) or no executable to run.
func newGuard() *guard {
	if !watchdog.Supported {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return &guard{exe: exe, up: make(chan struct{}), early: make(map[int]bool)}
}

// beforeStart is called before each job starts: from the second job on it
// starts the watchdog if need be and waits until it is up.
func (g *guard) beforeStart() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.starts++
	switch {
	case g.starts == 1 && g.state == guardIdle:
		g.timer = time.AfterFunc(guardAfter, g.trigger)
		g.mu.Unlock()
		return
	case g.state == guardIdle:
		g.startLocked()
	}
	g.mu.Unlock()
	<-g.up
}

// trigger starts the watchdog unless it is started already.
func (g *guard) trigger() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.state == guardIdle && !g.stopped {
		g.startLocked()
	}
}

// startLocked starts the watchdog in the background. g.mu is held.
func (g *guard) startLocked() {
	g.state = guardStarting
	go func() {
		wd, _ := watchdog.Start(g.exe, "gopool")
		g.mu.Lock()
		g.wd, g.state = wd, guardUp
		for pgid := range g.early {
			g.wd.Add(pgid)
		}
		g.early = nil
		g.mu.Unlock()
		close(g.up)
	}()
}

func (g *guard) add(pgid int) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.state == guardUp {
		g.wd.Add(pgid)
	} else {
		g.early[pgid] = true
	}
}

func (g *guard) remove(pgid int) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.state == guardUp {
		g.wd.Remove(pgid)
	} else {
		delete(g.early, pgid)
	}
}

// close ends the watchdog, if it started, once every job has ended.
func (g *guard) close() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.stopped = true
	if g.timer != nil {
		g.timer.Stop()
	}
	state := g.state
	g.mu.Unlock()
	if state == guardIdle {
		return
	}
	<-g.up
	g.wd.Close()
}

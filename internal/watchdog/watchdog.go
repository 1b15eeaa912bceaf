// Package watchdog makes jobs die with gopool, whatever kills gopool.
//
// The kernel's parent-death signal reaches a job's direct child only; when
// gopool is killed with SIGKILL, by the OOM killer, or dies of a runtime
// fatal error, the job's grandchildren would live on. A watchdog is a small
// process of its own (gopool's binary run again in watchdog mode) that holds
// the read end of a pipe from gopool: gopool tells it each job's process
// group as the job starts and ends, and when the pipe closes (gopool is
// gone) it sends SIGKILL to every group still registered, then exits. When
// gopool ends normally, no group is registered any more and the watchdog
// just exits.
//
// The watchdog runs in a process group of its own, so that a terminal's
// Ctrl-C or Ctrl-Z reaches gopool and not it, and it ignores SIGHUP,
// SIGINT, SIGQUIT and SIGTSTP.
package watchdog

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// Arg is the argument that runs gopool's binary as a watchdog: main must
// call Serve when Is reports true, before anything else.
const Arg = "__gopool_watchdog"

// envVar is set in the watchdog's environment only, so that a binary is a
// watchdog only when Start made it one.
const envVar = "GOPOOL_WATCHDOG"

// Is reports whether this process was started by Start as a watchdog.
func Is() bool {
	return len(os.Args) == 2 && os.Args[1] == Arg && os.Getenv(envVar) == "1"
}

// Watchdog is the gopool side of a watchdog process. Its methods are safe
// for concurrent use; a nil *Watchdog does nothing.
type Watchdog struct {
	mu   sync.Mutex
	w    *os.File
	cmd  *exec.Cmd
	buf  []byte
	dead bool // a write failed: the watchdog is gone
}

// Start starts exe (gopool's own binary) as a watchdog, with argv0 its
// os.Args[0] (the name the binary dispatches on). exe must call Serve when
// Is reports true: a test binary needs a TestMain that does.
func Start(exe, argv0 string) (*Watchdog, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	defer r.Close()
	cmd := &exec.Cmd{Path: exe, Args: []string{argv0, Arg}, Stdin: r,
		Env: append(os.Environ(), envVar+"=1")}
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("watchdog: %w", err)
	}
	return &Watchdog{w: w, cmd: cmd}, nil
}

// Add registers the process group pgid: it is killed if gopool dies before
// Remove.
func (d *Watchdog) Add(pgid int) { d.send('+', pgid) }

// Remove forgets the process group pgid, whose job ended.
func (d *Watchdog) Remove(pgid int) { d.send('-', pgid) }

func (d *Watchdog) send(op byte, pgid int) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dead {
		return
	}
	b := append(d.buf[:0], op)
	b = strconv.AppendInt(b, int64(pgid), 10)
	b = append(b, '\n')
	d.buf = b
	if _, err := d.w.Write(b); err != nil {
		d.dead = true
	}
}

// Close ends the watchdog: it sees the pipe close and exits, killing what
// is still registered. Close does not wait for it (a run would end a
// process start later); it is reaped in the background, or by init once
// gopool has exited.
func (d *Watchdog) Close() error {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	d.dead = true
	err := d.w.Close()
	d.mu.Unlock()
	go d.cmd.Wait()
	return err
}

// Serve is the watchdog process: it reads registrations from r until EOF,
// then kills the process groups left and returns the exit code.
func Serve(r io.Reader) int {
	return serve(r, serveNap)
}

// serveNap is how long the watchdog sleeps after taking what the pipe
// held, so that it wakes a hundred times a second at most, not twice per
// job: the pipe keeps what comes meanwhile, and gopool's death is acted on
// at most this much later.
const serveNap = 10 * time.Millisecond

func serve(r io.Reader, nap time.Duration) int {
	ignoreSignals()
	groups := make(map[int]struct{})
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		if br.Buffered() == 0 && nap > 0 {
			time.Sleep(nap)
		}
		line, err := br.ReadString('\n')
		if err != nil {
			break // EOF: gopool is gone (or done); a torn line is dropped
		}
		if len(line) < 3 {
			continue
		}
		pgid, perr := strconv.Atoi(line[1 : len(line)-1])
		if perr != nil || pgid <= 1 {
			continue
		}
		switch line[0] {
		case '+':
			groups[pgid] = struct{}{}
		case '-':
			delete(groups, pgid)
		}
	}
	for pgid := range groups {
		killGroup(pgid)
	}
	return 0
}

//go:build unix

package pipe

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrNoReader is returned by Fifo.Feed when done is closed before the job
// opened the fifo: the job ended without reading its block.
var ErrNoReader = errors.New("--fifo: the job never opened {}")

// Fifo is the named pipe of --fifo: {} is its Path. It lives in a private
// directory (mode 0700) that Close removes. After a SIGKILL of gopool the
// directory stays: make it in gopool's private temp storage, which is
// cleaned on the next start or by the temp dir's reaper.
//
// The caller makes one Fifo per block before its first attempt, calls
// Feed once per attempt (from the goroutine that feeds the job) with done
// closed when the attempt has ended (leader reaped and its WaitDelay
// passed), then Close after the last attempt.
type Fifo struct {
	dir  string
	path string
}

// NewFifo makes a directory in dir ("" is os.TempDir()) holding a named
// pipe.
func NewFifo(dir string) (*Fifo, error) {
	d, err := os.MkdirTemp(dir, "gopool-fifo-")
	if err != nil {
		return nil, fmt.Errorf("--fifo: %w", err)
	}
	f := &Fifo{dir: d, path: filepath.Join(d, "fifo")}
	if err := f.make(); err != nil {
		return nil, errors.Join(err, os.RemoveAll(d))
	}
	return f, nil
}

// make makes the named pipe if it is not there.
func (f *Fifo) make() error {
	err := syscall.Mkfifo(f.path, 0o600)
	if err != nil && !errors.Is(err, syscall.EEXIST) {
		return fmt.Errorf("--fifo: mkfifo %s: %w", f.path, err)
	}
	return nil
}

// Path returns the named pipe's path, {} of the job.
func (f *Fifo) Path() string { return f.path }

// Feed waits until the job opens the pipe for reading and writes b to it,
// header and data. It never blocks past done: if the
// job has not opened the pipe by then, it returns ErrNoReader; if it stops
// reading, the write is abandoned with an error wrapping
// os.ErrDeadlineExceeded. A job that closes its end early makes the write
// fail with syscall.EPIPE. None of these is the job's failure: its exit
// status says.
func (f *Fifo) Feed(b *Block, done <-chan struct{}) (int64, error) {
	if err := f.make(); err != nil {
		return 0, err
	}
	w, err := f.openWriter(done)
	if err != nil {
		return 0, err
	}
	finished := make(chan struct{})
	go func() {
		select {
		case <-done:
			_ = w.SetWriteDeadline(time.Unix(1, 0))
		case <-finished:
		}
	}()
	n, err := b.WriteTo(w)
	close(finished)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("--fifo: feed %s: %w", f.path, err)
	}
	return n, nil
}

// openWriter opens the pipe for writing without blocking, which fails
// until a reader has it open, and tries again until then or done.
func (f *Fifo) openWriter(done <-chan struct{}) (*os.File, error) {
	delay := 50 * time.Microsecond
	var t *time.Timer
	for {
		fd, err := syscall.Open(f.path, syscall.O_WRONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err == nil {
			// Non-blocking: the runtime poller waits for the reader, and
			// SetWriteDeadline can stop the wait.
			return os.NewFile(uintptr(fd), f.path), nil
		}
		if err != syscall.ENXIO && err != syscall.EINTR {
			return nil, fmt.Errorf("--fifo: open %s: %w", f.path, err)
		}
		select {
		case <-done:
			return nil, ErrNoReader
		default:
		}
		if t == nil {
			t = time.NewTimer(delay)
			defer t.Stop()
		} else {
			t.Reset(delay)
		}
		select {
		case <-done:
			return nil, ErrNoReader
		case <-t.C:
		}
		delay = min(2*delay, 10*time.Millisecond)
	}
}

// Close removes the pipe and its directory.
func (f *Fifo) Close() error {
	if err := os.RemoveAll(f.dir); err != nil {
		return fmt.Errorf("--fifo: %w", err)
	}
	return nil
}

package runner

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// feeder writes a Spec.Stdin that is not an *os.File into a pipe the
// runner owns, instead of leaving that to os/exec: a child that stops
// reading ends the feed quietly (EPIPE is not a failure), and a grandchild
// that keeps the pipe open without reading cannot hold the job: the write
// end is closed once the leader is reaped and WaitDelay has passed. A nil
// *feeder (no Stdin, or an *os.File) does nothing.
//
// The source's Read (or WriteTo) must not wait for data indefinitely:
// Wait waits for the copy to return once the pipe is closed under it.
type feeder struct {
	src  io.Reader
	r, w *os.File
	done chan struct{}
	n    int64
}

// newFeeder sets cmd.Stdin for src: nil stays nil (the null device), an
// *os.File is passed as it is, and any other reader gets a pipe, with a
// buffer of size bytes if it is not 0 and the system agrees.
func newFeeder(cmd *exec.Cmd, src io.Reader, size int) (*feeder, error) {
	if src == nil {
		return nil, nil
	}
	if f, ok := src.(*os.File); ok {
		cmd.Stdin = f
		return nil, nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("create input pipe: %w", err)
	}
	growPipe(w, size)
	cmd.Stdin = r
	return &feeder{src: src, r: r, w: w}, nil
}

// closeChildEnd closes the read end, which the child has its own copy of
// once started.
func (f *feeder) closeChildEnd() {
	if f != nil {
		f.r.Close()
	}
}

// abort closes the write end of a feed that never started.
func (f *feeder) abort() {
	if f != nil {
		f.w.Close()
	}
}

// startFeeding starts the goroutine that copies the source into the pipe
// and closes it at the end, so that the child sees EOF.
func (f *feeder) startFeeding() {
	if f == nil {
		return
	}
	f.done = make(chan struct{})
	go func() {
		defer close(f.done)
		n, _ := io.Copy(f.w, f.src) // EPIPE or a closed pipe: the child stopped reading
		f.n = n
		f.w.Close()
	}()
}

// wait waits for the feed to end, at most delay after the leader was
// reaped: then the pipe is closed under the copy, which ends it. It
// returns the bytes fed.
func (f *feeder) wait(delay time.Duration) int64 {
	if f == nil {
		return 0
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-f.done:
	case <-t.C:
		f.w.Close()
		<-f.done
	}
	return f.n
}

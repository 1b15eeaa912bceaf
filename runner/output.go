package runner

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// outputs holds the pipes Run makes for a Stdout or Stderr that is not an
// *os.File. Run owns them instead of leaving them to os/exec so that
// cmd.Wait returns as soon as the leader is reaped, which ends a
// termination step at the right moment, and so that pipes held by a
// grandchild can be answered with the TermSeq rather than only closed.
type outputs struct {
	n     int
	pipes [2]pipe
	done  chan struct{} // one value per finished copy
}

// pipe is one output pipe: the child writes to w, a goroutine copies r to
// dst.
type pipe struct {
	r, w *os.File
	dst  io.Writer
}

// setup sets cmd.Stdout and cmd.Stderr. nil stays nil (os/exec opens the
// null device) and an *os.File is passed to the child as it is; any other
// writer gets a pipe, shared when stdout and stderr are the same writer so
// that their order is kept.
func (o *outputs) setup(cmd *exec.Cmd, stdout, stderr io.Writer) error {
	var err error
	if cmd.Stdout, err = o.writer(stdout); err != nil {
		return err
	}
	if stderr != nil && sameWriter(stdout, stderr) {
		cmd.Stderr = cmd.Stdout
		return nil
	}
	if cmd.Stderr, err = o.writer(stderr); err != nil {
		o.closeChildEnds()
		o.closeParentEnds()
		return err
	}
	return nil
}

func (o *outputs) writer(dst io.Writer) (io.Writer, error) {
	if dst == nil {
		return nil, nil
	}
	if f, ok := dst.(*os.File); ok {
		return f, nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("create output pipe: %w", err)
	}
	o.pipes[o.n] = pipe{r: r, w: w, dst: dst}
	o.n++
	return w, nil
}

// sameWriter reports whether a and b are the same writer. Like os/exec's
// interfaceEqual, it treats writers whose type cannot be compared (the
// comparison panics) as different.
func sameWriter(a, b io.Writer) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// closeChildEnds closes the write ends, which the child has its own copies
// of once started.
func (o *outputs) closeChildEnds() {
	for i := range o.n {
		o.pipes[i].w.Close()
	}
}

// closeParentEnds closes the read ends, which unblocks the copies.
func (o *outputs) closeParentEnds() {
	for i := range o.n {
		o.pipes[i].r.Close()
	}
}

// startCopying starts one goroutine per pipe. A write error stops the copy
// and closes the pipe, so that the child gets EPIPE rather than blocking
// (like os/exec); the writer is expected to remember its own error.
func (o *outputs) startCopying() {
	if o.n == 0 {
		return
	}
	o.done = make(chan struct{}, o.n)
	for i := range o.n {
		p := o.pipes[i]
		go func() {
			_, _ = io.Copy(p.dst, p.r)
			p.r.Close()
			o.done <- struct{}{}
		}()
	}
}

// wait waits for the copies to end. If they have not ended delay after the
// leader's exit, the pipes are held by someone else (a grandchild): wait
// calls held, which stops the job's group, then closes the pipes and waits
// for the copies.
func (o *outputs) wait(delay time.Duration, held func()) {
	if o.n == 0 {
		return
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	for left := o.n; left > 0; left-- {
		select {
		case <-o.done:
			continue
		case <-t.C:
		}
		held()
		o.closeParentEnds()
		for ; left > 0; left-- {
			<-o.done
		}
		return
	}
}

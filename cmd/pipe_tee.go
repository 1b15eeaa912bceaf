package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/runner"
)

// teeChunkSize is the most --tee reads of its input at once.
const teeChunkSize = 256 << 10

// teeRecords are the jobs of --tee: one per record of the ::: values,
// each fed all of the data. Every job joins the tee when it is made; the
// tee starts reading once the last job is made (the count of the values
// is reached, or they ended), so that no job misses a byte. --tee gives
// every job a slot of its own (teeJobs), so the jobs run at once.
type teeRecords struct {
	values *input.Stream
	t      *tee
	total  int64 // the number of jobs; -1 if unknown
	made   int64
	last   *teeFeed // the feed of the record Next returned last
}

func newTeeRecords(values *input.Stream, data io.Reader, closeData func()) *teeRecords {
	total, ok := values.Count()
	if !ok {
		total = -1
	}
	return &teeRecords{values: values, t: newTee(data, closeData), total: total}
}

// Next returns the next value's record; its job joins the tee.
func (r *teeRecords) Next() (input.Record, error) {
	rec, err := r.values.Next()
	if err != nil {
		r.t.start()
		return rec, err
	}
	r.last = r.t.join()
	if r.made++; r.made == r.total {
		r.t.start()
	}
	return rec, nil
}

// input is what the job of the record Next returned last is fed.
func (r *teeRecords) input() jobInput {
	f := r.last
	r.last = nil
	if f == nil {
		return nil
	}
	return f
}

func (r *teeRecords) close() error {
	r.t.close()
	return r.values.Close()
}

// tee reads its input in chunks into two buffers that take turns, and
// every member (a job's feed) writes each chunk to its job: a buffer is
// read into again once every member still there has written what it held.
// A member that stops (its job stopped reading, ended, or never started)
// leaves and holds no one back. The reader stops when the input ends,
// every member left, the run drains, or close.
type tee struct {
	in        io.Reader
	closeData func()
	stop      chan struct{} // closed by close
	stopOnce  sync.Once
	drain     <-chan struct{} // the run's drain (watchDrain); nil for none
	stdinBuf  int             // the jobs' stdin pipe buffer

	mu        sync.Mutex
	members   int // joined and not left
	chunks    [2]teeChunk
	published int64         // chunks read so far
	wake      chan struct{} // closed and replaced when a chunk is read
	freed     chan struct{} // closed and replaced when a chunk is written by all
	started   bool
	done      chan struct{} // closed when the reader has returned
}

// teeChunk is one read of the input.
type teeChunk struct {
	buf     []byte
	n       int
	err     error // io.EOF at the end of the input
	pending int   // members yet to write it
}

func newTee(in io.Reader, closeData func()) *tee {
	return &tee{in: in, closeData: closeData, stop: make(chan struct{}),
		wake: make(chan struct{}), freed: make(chan struct{}), done: make(chan struct{})}
}

// join adds a member, before the tee starts.
func (t *tee) join() *teeFeed {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.members++
	return &teeFeed{t: t}
}

// start starts the reader, once.
func (t *tee) start() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.started {
		t.started = true
		go t.read()
	}
}

// read reads chunk after chunk into the buffer the members are done with.
func (t *tee) read() {
	defer close(t.done)
	for k := int64(0); ; k++ {
		c := &t.chunks[k%2]
		t.mu.Lock()
		for c.pending > 0 && t.members > 0 {
			freed := t.freed
			t.mu.Unlock()
			select {
			case <-freed:
			case <-t.stop:
				return
			case <-t.drain:
				return // the members end at the chunks read so far
			}
			t.mu.Lock()
		}
		members := t.members
		t.mu.Unlock()
		if members == 0 {
			return // no one to read for
		}
		if c.buf == nil {
			c.buf = make([]byte, teeChunkSize)
		}
		n, err := readSome(t.in, c.buf)
		t.mu.Lock()
		c.n, c.err, c.pending = n, err, t.members
		if err != nil && !errors.Is(err, io.EOF) {
			c.err = fmt.Errorf("read stdin: %w", err)
		}
		t.published = k + 1
		close(t.wake)
		t.wake = make(chan struct{})
		t.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// readSome reads at least one byte into p, or fails.
func readSome(r io.Reader, p []byte) (int, error) {
	for {
		n, err := r.Read(p)
		if n > 0 || err != nil {
			if n > 0 && errors.Is(err, io.EOF) {
				err = nil // the next read says EOF again
			}
			return n, err
		}
	}
}

// wait returns chunk k once it is read. It returns io.EOF when the run
// drains before the chunk is read, and fails when ctx is done or w (the
// member's job's stdin) has no reader left.
func (t *tee) wait(ctx context.Context, k int64, w io.Writer) (*teeChunk, error) {
	var tick <-chan time.Time
	for {
		t.mu.Lock()
		if k < t.published {
			c := &t.chunks[k%2]
			t.mu.Unlock()
			return c, nil
		}
		wake := t.wake
		t.mu.Unlock()
		if tick == nil {
			tk := time.NewTicker(goneCheck)
			defer tk.Stop()
			tick = tk.C
		}
		select {
		case <-wake:
		case <-t.drain:
			return nil, io.EOF
		case <-t.stop:
			return nil, errors.New("--tee: the run ended")
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick:
			if readerGone(w) {
				return nil, errors.New("--tee: the job stopped reading")
			}
		}
	}
}

// written marks chunk k written by one member.
func (t *tee) written(k int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.unpend(k)
}

// unpend takes one member off chunk k's pending count. t.mu is held.
func (t *tee) unpend(k int64) {
	c := &t.chunks[k%2]
	c.pending--
	if c.pending == 0 {
		close(t.freed)
		t.freed = make(chan struct{})
	}
}

// leave takes a member off the tee from chunk next on.
func (t *tee) leave(next int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.members--
	for k := next; k < t.published; k++ {
		t.unpend(k)
	}
	if t.members == 0 {
		close(t.freed) // the reader stops
		t.freed = make(chan struct{})
	}
}

// close stops the reader and closes the data once it has stopped.
func (t *tee) close() {
	t.stopOnce.Do(func() {
		close(t.stop)
		t.mu.Lock()
		started := t.started
		t.mu.Unlock()
		if !started {
			t.closeData()
			return
		}
		go func() {
			// A reader blocked reading the input keeps it until it returns.
			<-t.done
			t.closeData()
		}()
	})
}

// teeFeed is one --tee job's input: the whole of the data, chunk by chunk.
type teeFeed struct {
	t    *tee
	next int64 // the next chunk to write
	left bool
}

func (f *teeFeed) attempt(ctx context.Context, spec runner.Spec, start startFunc) runner.Result {
	var feedErr error
	spec.Stdin, spec.StdinBuffer = &teeReader{f: f, ctx: ctx, err: &feedErr}, f.t.stdinBuf
	res := waitStarted(start(spec))
	f.leave()
	if feedErr != nil && res.Err == nil && !res.Failed() && ctx.Err() == nil {
		// The input could not be read: the job saw it end early.
		res.ExitCode, res.Err = 126, feedErr
	}
	return res
}

func (f *teeFeed) release() { f.leave() }

// leave takes the feed off the tee, once.
func (f *teeFeed) leave() {
	if !f.left {
		f.left = true
		f.t.leave(f.next)
	}
}

// teeReader writes the chunks to the job's stdin; a read error of the
// input is kept in err.
type teeReader struct {
	f   *teeFeed
	ctx context.Context
	err *error
	off int // of Read, in the current chunk
}

// WriteTo feeds the job through w, its stdin pipe: the runner calls it.
func (r *teeReader) WriteTo(w io.Writer) (int64, error) {
	f := r.f
	defer f.leave()
	var n int64
	for {
		c, err := f.t.wait(r.ctx, f.next, w)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if c.n > 0 {
			k, err := w.Write(c.buf[:c.n])
			n += int64(k)
			if err != nil {
				return n, err
			}
		}
		cerr := c.err
		f.t.written(f.next)
		f.next++
		if cerr != nil {
			if !errors.Is(cerr, io.EOF) {
				*r.err = cerr
			}
			return n, nil
		}
	}
}

// Read reads what WriteTo writes.
func (r *teeReader) Read(p []byte) (int, error) {
	f := r.f
	if f.left {
		return 0, io.EOF
	}
	c, err := f.t.wait(r.ctx, f.next, nil)
	if err != nil {
		f.leave()
		return 0, err // io.EOF when the run drains
	}
	k := copy(p, c.buf[r.off:c.n])
	r.off += k
	if r.off < c.n {
		return k, nil
	}
	cerr := c.err
	f.t.written(f.next)
	f.next++
	r.off = 0
	if cerr != nil {
		f.leave()
		if errors.Is(cerr, io.EOF) {
			return k, io.EOF
		}
		*r.err = cerr
		return k, cerr
	}
	return k, nil
}

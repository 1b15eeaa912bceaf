package cmd

import (
	"context"
	"errors"
	"io"
	"sync"
	"syscall"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/pipe"
	"github.com/gopool/gopool/runner"
)

// goneCheck is how often a feed that waits for input looks whether its
// job still reads its stdin.
const goneCheck = 50 * time.Millisecond

// roundRobin is --round-robin: long-lived jobs, each fed many blocks. One
// goroutine reads the blocks; each job's feed takes the next one once it
// has written the last, so a job that reads faster gets more. A block
// whose job stops reading (EPIPE, or the job ended) goes to another job,
// or to a new one: the records are a new job for each block that no
// running job takes. Each job gets the header once, before its first
// block. At most J blocks are held, one per job, plus the one being read.
//
// As records, next is called by the source, one call at a time; the feeds
// run on their jobs' goroutines. close stops the reader.
type roundRobin struct {
	blocks    chan *pipe.Block // from the reader; closed at the end of the input
	stop      chan struct{}    // closed by close
	closeData func()
	drain     <-chan struct{} // the run's drain (watchDrain); nil for none
	stdinBuf  int             // the jobs' stdin pipe buffer
	last      *rrFeed         // the feed of the record Next returned last

	mu    sync.Mutex
	again []*pipe.Block // blocks given back, first out
	wake  chan struct{} // closed and replaced when a block is given back
	err   error         // the reader's error, set before blocks is closed
	once  sync.Once     // closes stop
	done  chan struct{} // closed when the reader has returned
}

// newRoundRobin starts reading the blocks of sp; closeData is called once
// the reader is done with the data.
func newRoundRobin(sp pipe.Splitter, closeData func()) *roundRobin {
	r := &roundRobin{blocks: make(chan *pipe.Block), stop: make(chan struct{}), closeData: closeData,
		wake: make(chan struct{}), done: make(chan struct{})}
	go r.read(sp)
	return r
}

// read hands the blocks out one at a time until the input ends or close.
func (r *roundRobin) read(sp pipe.Splitter) {
	defer close(r.done)
	defer r.closeData()
	defer sp.Close()
	defer close(r.blocks)
	for {
		b, err := sp.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				r.mu.Lock()
				r.err = err
				r.mu.Unlock()
			}
			return
		}
		select {
		case r.blocks <- b:
		case <-r.stop:
			b.Release()
			return
		}
	}
}

// take returns the next block, one given back first. It returns nil and
// the reader's error (nil at the end of the input) once there is none,
// and nil with an error when ctx is done, the run drains, or w (a job's
// stdin; nil for none) has no reader left.
func (r *roundRobin) take(ctx context.Context, w io.Writer) (*pipe.Block, error) {
	var tick <-chan time.Time
	for {
		r.mu.Lock()
		if len(r.again) > 0 {
			b := r.again[0]
			r.again = r.again[1:]
			r.mu.Unlock()
			return b, nil
		}
		wake := r.wake
		r.mu.Unlock()
		select {
		case b, ok := <-r.blocks:
			if ok {
				return b, nil
			}
			r.mu.Lock()
			n, err := len(r.again), r.err
			r.mu.Unlock()
			if n == 0 {
				return nil, err
			}
			continue
		default:
		}
		if tick == nil && w != nil {
			t := time.NewTicker(goneCheck)
			defer t.Stop()
			tick = t.C
		}
		select {
		case b, ok := <-r.blocks:
			if ok {
				return b, nil
			}
		case <-wake:
		case <-r.drain:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick:
			if readerGone(w) {
				return nil, syscall.EPIPE
			}
		}
	}
}

// giveBack puts back a block that a job did not take whole, for the next
// taker.
func (r *roundRobin) giveBack(b *pipe.Block) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.again = append(r.again, b)
	close(r.wake)
	r.wake = make(chan struct{})
}

// Next makes a new job for the next block that no running job took: its
// record has no argument.
func (r *roundRobin) Next() (input.Record, error) {
	b, err := r.take(context.Background(), nil)
	if b == nil {
		if err == nil {
			err = io.EOF
		}
		return input.Record{}, err
	}
	r.last = &rrFeed{rr: r, first: b}
	return input.Record{}, nil
}

// input is what the job of the record Next returned last is fed.
func (r *roundRobin) input() jobInput {
	f := r.last
	r.last = nil
	if f == nil {
		return nil
	}
	return f
}

// close stops the reader and releases the blocks given back.
func (r *roundRobin) close() error {
	r.once.Do(func() { close(r.stop) })
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.again {
		b.Release()
	}
	r.again = nil
	return nil
}

// rrFeed is one round-robin job's input: the block it was started for,
// then whatever it takes.
type rrFeed struct {
	rr    *roundRobin
	first *pipe.Block
}

func (f *rrFeed) attempt(ctx context.Context, spec runner.Spec, start startFunc) runner.Result {
	first := f.first
	f.first = nil // the feed owns it now; a job that never starts lost it with its attempt
	rd := &rrReader{rr: f.rr, ctx: ctx, b: first}
	spec.Stdin, spec.StdinBuffer = rd, f.rr.stdinBuf
	res := waitStarted(start(spec))
	if rd.b != nil {
		// Never fed (the job did not start, or a dry run): the block
		// went with the job, as with --pipe.
		rd.b.Release()
		rd.b = nil
	}
	return res
}

func (f *rrFeed) release() {
	if f.first != nil {
		f.first.Release()
		f.first = nil
	}
}

// rrReader feeds one round-robin job: the header, its first block, then
// the blocks it takes, until the input ends or the job stops reading.
type rrReader struct {
	rr  *roundRobin
	ctx context.Context
	b   *pipe.Block // the block being fed; nil between blocks
	hdr bool        // the header is out

	rd io.Reader // Read's reader of b
}

// WriteTo feeds the job through w, its stdin pipe: the runner calls it.
// A block not written whole goes back to the others.
func (r *rrReader) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for {
		if r.b == nil {
			b, err := r.rr.take(r.ctx, w)
			if b == nil {
				return n, err
			}
			r.b = b
		}
		if !r.hdr {
			r.hdr = true
			if h := r.b.Header(); len(h) > 0 {
				k, err := w.Write(h)
				n += int64(k)
				if err != nil {
					r.rr.giveBack(r.b)
					r.b = nil
					return n, err
				}
			}
		}
		k, err := r.b.WriteDataTo(w)
		n += k
		if err != nil {
			r.rr.giveBack(r.b)
			r.b = nil
			return n, err
		}
		r.b.Release()
		r.b = nil
	}
}

// Read reads the same bytes as WriteTo writes; a block read in part when
// the reader stops is lost with it.
func (r *rrReader) Read(p []byte) (int, error) {
	for {
		if r.rd == nil {
			if r.b == nil {
				b, err := r.rr.take(r.ctx, nil)
				if b == nil {
					if err == nil {
						err = io.EOF
					}
					return 0, err
				}
				r.b = b
			}
			r.rd = r.b.Reader()
			if r.hdr {
				if _, err := io.CopyN(io.Discard, r.rd, int64(len(r.b.Header()))); err != nil {
					return 0, err
				}
			}
			r.hdr = true
		}
		k, err := r.rd.Read(p)
		if errors.Is(err, io.EOF) {
			r.b.Release()
			r.b, r.rd = nil, nil
			err = nil
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

package output

import (
	"io"
	"sync"

	"github.com/gopool/gopool/output/spool"
)

// scratch holds read buffers for Live.ReadFrom, so that jobs that print
// little do not each allocate one.
var scratch = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// Live is one job's stream that is held in a Buffer until Promote, and
// from then on written straight through to the destination: in map mode
// the job at the head of the output order streams while it runs, instead of
// waiting on disk. One goroutine writes (the job's copier) while another
// may promote; both are safe together.
type Live struct {
	mu  sync.Mutex
	buf *spool.Buffer
	dst io.Writer // nil until promoted
	n   int64     // bytes written through to dst
	err error     // first write error of dst
}

// NewLive returns a Live that holds output in buf until promoted.
func NewLive(buf *spool.Buffer) *Live { return &Live{buf: buf} }

// Write appends p to the Buffer, or writes it to the destination once
// promoted. A write error of the destination is kept (see Err) and
// returned, so that the copier stops and the job gets EPIPE.
func (l *Live) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dst == nil {
		return l.buf.Write(p)
	}
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.dst.Write(p)
	l.n += int64(n)
	if err != nil {
		l.err = err
	}
	return n, err
}

// ReadFrom copies r into the Live through a pooled scratch buffer. The
// lock is not held while reading, so Promote never waits for a silent job.
func (l *Live) ReadFrom(r io.Reader) (int64, error) {
	bp := scratch.Get().(*[]byte)
	defer scratch.Put(bp)
	buf := *bp
	var total int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			m, werr := l.Write(buf[:n])
			total += int64(m)
			if werr != nil {
				return total, werr
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Promote writes what the Buffer holds to dst and sends everything written
// from now on straight to dst. The Buffer is emptied (closed and replaced).
// A write error is kept, returned, and returned again by later Writes.
func (l *Live) Promote(dst io.Writer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dst != nil {
		return l.err
	}
	l.dst = dst
	n, err := l.buf.WriteTo(dst)
	l.n += n
	if err == nil {
		err = l.buf.Err()
	}
	if err != nil {
		l.err = err
	}
	l.buf.Close()
	l.buf = spool.NewBuffer("", 0)
	return err
}

// Buffer is the held part: all of the output if never promoted, nothing
// once promoted. Call it after the writer is done.
func (l *Live) Buffer() *spool.Buffer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf
}

// Written is the number of bytes written straight through to dst.
func (l *Live) Written() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// Err is the first write error of the destination, if any.
func (l *Live) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Spill parks finished jobs' buffers that must wait for an earlier job, so
// that the number of open files stays bounded however far ahead the run
// gets. It is used from one goroutine.
//
// Parked buffers that spilled are appended to one shared temporary file
// (unlinked at once) and read back from their segment of it; small
// in-memory buffers stay in memory while their total is within the budget.
// A parked Buffer may be read and closed from another goroutine. The shared
// file is truncated whenever no parked buffer uses it any more.
type Spill struct {
	dir    string
	budget int64
	create createFunc // nil means createTemp

	mu      sync.Mutex // guards the fields below and the shared file's offset
	f       file
	end     int64 // bytes used in f
	live    int   // open buffers with a segment in f
	memUsed int64 // bytes of parked in-memory buffers
	buf     []byte
	closed  bool
}

// NewSpill returns a Spill that writes to one temporary file in dir and
// keeps at most memBudget bytes of small buffers in memory.
func NewSpill(dir string, memBudget int) *Spill {
	return &Spill{dir: dir, budget: int64(max(memBudget, 0))}
}

// Park moves b's content out of its own temporary file (which is closed)
// into the Spill's shared file, or keeps it in memory while the budget
// allows. b stays readable through Reader and WriteTo until closed.
//
// Parking a buffer that failed to spill closes its file and returns its
// error; parking a parked buffer does nothing. On error b keeps its
// content where it was.
func (s *Spill) Park(b *Buffer) error {
	if b.closed {
		return errClosed
	}
	if b.spill != nil {
		return nil
	}
	if b.err != nil {
		if b.own != nil {
			b.own.Close()
			b.own, b.src = nil, nil
		}
		b.mem = nil
		return b.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("output: park in a closed spill")
	}
	if b.own == nil && s.memUsed+int64(cap(b.mem)) <= s.budget {
		b.spill = s
		b.parkedMem = cap(b.mem)
		s.memUsed += int64(b.parkedMem)
		return nil
	}
	own := b.own
	if err := s.append(b); err != nil {
		return err
	}
	if own != nil {
		// The content is safe in the shared file; the descriptor is gone
		// whatever Close says.
		if err := own.Close(); err != nil {
			return fmt.Errorf("close temp file: %w", err)
		}
	}
	return nil
}

// append copies b's whole content to the end of the shared file and points
// b at that segment. s.mu is held.
func (s *Spill) append(b *Buffer) error {
	if s.f == nil {
		var err error
		if s.create != nil {
			s.f, err = s.create(s.dir)
		} else {
			s.f, err = createTemp(s.dir)
		}
		if err != nil {
			s.f = nil
			return spillError(err)
		}
	}
	start := s.end
	if _, err := s.f.Seek(start, io.SeekStart); err != nil {
		return spillError(err)
	}
	err := s.copyIn(b)
	if err != nil {
		// Drop what was written; b keeps its own copy.
		if terr := s.f.Truncate(start); terr != nil {
			err = errors.Join(err, terr)
		}
		return spillError(err)
	}
	s.end = start + b.n
	s.live++
	b.spill = s
	b.inShared = true
	b.own, b.src = nil, s.f
	b.off, b.flen = start, b.n
	b.mem = nil
	return nil
}

// copyIn writes b's content at the shared file's offset.
func (s *Spill) copyIn(b *Buffer) error {
	if len(b.mem) > 0 {
		m, err := s.f.Write(b.mem)
		if err == nil && m < len(b.mem) {
			err = io.ErrShortWrite
		}
		if err != nil {
			return err
		}
	}
	if b.flen == 0 {
		return nil
	}
	dst, ok1 := s.f.(*os.File)
	src, ok2 := b.own.(*os.File)
	if ok1 && ok2 {
		if _, err := src.Seek(b.off, io.SeekStart); err != nil {
			return err
		}
		n, err := io.Copy(dst, &io.LimitedReader{R: src, N: b.flen})
		if err == nil && n < b.flen {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return b.fileChunks(&s.buf, func(p []byte) error {
		m, err := s.f.Write(p)
		if err == nil && m < len(p) {
			err = io.ErrShortWrite
		}
		return err
	})
}

// release forgets a parked buffer being closed.
func (s *Spill) release(b *Buffer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.memUsed -= int64(b.parkedMem)
	b.parkedMem = 0
	if !b.inShared {
		return nil
	}
	b.inShared = false
	s.live--
	if s.live > 0 || s.closed || s.f == nil {
		return nil
	}
	s.end = 0
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("truncate spill file: %w", err)
	}
	return nil
}

// Close releases the Spill's file. Buffers still parked in it can no
// longer be read.
func (s *Spill) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.buf = nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	if err != nil {
		return fmt.Errorf("close spill file: %w", err)
	}
	return nil
}

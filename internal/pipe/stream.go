package pipe

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// Stream cuts a stream (a pipe) into blocks. It reads straight into the
// buffer of the next block, searches the cut from the end and copies only
// the partial record it carries into the next block. Its buffers are
// reused: as long as the caller holds at most J blocks (Options.Slots)
// when it calls Next, there are at most J+1 of them (one more for a moment
// when a record grows the block). Blocks over Options.MemLimit are kept
// in unlinked temp files instead of memory.
//
// Next is not safe for concurrent use; Block.Release is, from any
// goroutine. Close releases the buffers once every block is released.
type Stream struct {
	r       io.Reader
	rl      *rules
	srch    searcher
	temp    string
	lim     int64
	hdr     []byte
	hdrDone bool
	seq     int64
	eof     bool
	err     error
	cur     *buffer // the buffer being read; its data is [start, end)
	start   int64
	end     int64
	scratch []byte

	mu      sync.Mutex // guards the fields below and buffer.refs
	free    []*buffer
	live    int // buffers allocated and not dropped
	maxLive int
	closed  bool
}

// NewStream returns a splitter of r. Options.BlockSize must be set (a
// negative --block needs the input's size: see Open).
func NewStream(r io.Reader, o Options) (*Stream, error) {
	rl, err := o.compile()
	if err != nil {
		return nil, err
	}
	lim := o.MemLimit
	if lim <= 0 {
		lim = DefaultMemLimit
	}
	if rl.rrs || rl.skipBlank {
		lim = 1<<63 - 1 // the filters work in memory
	}
	s := &Stream{r: r, rl: rl, temp: o.TempDir, lim: lim}
	s.srch.r = rl
	return s, nil
}

// Header returns the header taken from the start of the input (nil
// without one). It is known after the first call of Next.
func (s *Stream) Header() []byte { return s.hdr }

// Next returns the next block, or io.EOF after the last one. It blocks
// until the block is read whole: a block is cut only from a full buffer
// or at the end of the input.
func (s *Stream) Next() (*Block, error) {
	if s.err != nil {
		return nil, s.err
	}
	b, err := s.next()
	if err != nil {
		s.err = err
		s.dropCur()
	}
	return b, err
}

func (s *Stream) next() (*Block, error) {
	if !s.hdrDone {
		if err := s.readHeader(); err != nil {
			return nil, err
		}
	}
	for {
		n, bs := s.end-s.start, s.rl.bs
		if !s.eof && n < bs {
			if n > 0 && s.rl.prefixCut() {
				c, err := s.srch.nthCut(s.cur.st, s.start, n, s.rl.records)
				if err != nil {
					return nil, err
				}
				if c > 0 {
					if b := s.emit(c); b != nil {
						return b, nil
					}
					continue
				}
			}
			if err := s.fill(bs); err != nil {
				return nil, err
			}
			continue
		}
		if n == 0 {
			return nil, io.EOF
		}
		// After a long header there may be more than a block at hand: the
		// block is cut from its first bs bytes, as from a file.
		n = min(n, bs)
		c, err := s.srch.cut(s.cur.st, s.start, n, n >= bs)
		if err != nil {
			return nil, err
		}
		if c == 0 {
			if err := s.rl.grow(); err != nil {
				return nil, err
			}
			continue
		}
		if b := s.emit(c); b != nil {
			return b, nil
		}
	}
}

// fill reads into the current buffer until it holds want bytes from start
// or the input ends, first moving the data to the front of a buffer with
// room if need be.
func (s *Stream) fill(want int64) error {
	if s.cur == nil || s.start+want > s.cur.st.capacity() {
		size := want
		if s.rl.re != nil && s.rl.records > 0 {
			// A regexp -N block is cut from a full buffer only: room for
			// two makes the moves of the records carried over rare.
			size *= 2
		}
		if err := s.relocate(size); err != nil {
			return err
		}
	}
	k, eof, err := s.cur.st.fill(s.r, s.end, s.start+want-s.end)
	s.end += k
	if err != nil {
		return fmt.Errorf("read input: %w", err)
	}
	s.eof = eof
	return nil
}

// relocate moves the data [start, end) to the front of a buffer of at
// least size bytes: the current one if no block holds it, else another.
func (s *Stream) relocate(size int64) error {
	n := s.end - s.start
	s.mu.Lock()
	mine := s.cur != nil && s.cur.refs == 1 && s.cur.st.capacity() >= size && s.cur.temp == (size > s.lim)
	s.mu.Unlock()
	if mine {
		if n > 0 && s.start > 0 {
			if err := copyWithin(s.cur, 0, s.cur, s.start, n, s.scratchBuf()); err != nil {
				return err
			}
		}
		s.start, s.end = 0, n
		return nil
	}
	nb, err := s.getBuffer(size)
	if err != nil {
		return err
	}
	if n > 0 {
		if err := copyWithin(nb, 0, s.cur, s.start, n, s.scratchBuf()); err != nil {
			s.unref(nb)
			return err
		}
	}
	s.dropCur()
	s.cur, s.start, s.end = nb, 0, n
	return nil
}

// scratchBuf returns a buffer for copies between temp files.
func (s *Stream) scratchBuf() []byte {
	if s.scratch == nil {
		s.scratch = make([]byte, 256<<10)
	}
	return s.scratch
}

// getBuffer returns a buffer of at least size bytes, held once: a free one
// or a new one. Free buffers too small or of the wrong kind are dropped.
func (s *Stream) getBuffer(size int64) (*buffer, error) {
	temp := size > s.lim
	s.mu.Lock()
	for len(s.free) > 0 {
		b := s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		if b.temp == temp && b.st.capacity() >= size {
			b.refs = 1
			s.mu.Unlock()
			return b, nil
		}
		s.live--
		_ = b.st.close()
	}
	s.live++
	s.maxLive = max(s.maxLive, s.live)
	s.mu.Unlock()
	b := &buffer{temp: temp, refs: 1}
	if temp {
		st, err := newTempStore(s.temp, size)
		if err != nil {
			s.mu.Lock()
			s.live--
			s.mu.Unlock()
			return nil, err
		}
		b.st = st
	} else {
		b.st = newMemStore(size)
	}
	return b, nil
}

// unref lets go of one hold on b; with none left it goes to the free list
// (or is closed after Close).
func (s *Stream) unref(b *buffer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b.refs--
	if b.refs > 0 {
		return
	}
	if s.closed {
		s.live--
		_ = b.st.close()
		return
	}
	s.free = append(s.free, b)
}

// dropCur lets go of the buffer being read.
func (s *Stream) dropCur() {
	if s.cur != nil {
		s.unref(s.cur)
		s.cur = nil
	}
}

// emit cuts the block [start, start+c) and returns it, or nil when -r
// leaves nothing of it.
func (s *Stream) emit(c int64) *Block {
	cur, off := s.cur, s.start
	s.start += c
	if s.rl.rrs || s.rl.skipBlank {
		c = int64(len(s.rl.filter(cur.st.mem(off, c))))
		if c == 0 && s.rl.skipBlank {
			return nil
		}
	}
	s.mu.Lock()
	cur.refs++
	s.mu.Unlock()
	s.seq++
	return &Block{seq: s.seq, hdr: s.hdr, st: cur.st, off: off, n: c, rel: func() { s.unref(cur) }}
}

// readHeader takes the header from the start of the input: it reads a
// first block (more for a header of lines that needs it) and matches the
// header there.
func (s *Stream) readHeader() error {
	s.hdrDone = true
	if s.rl.hdrLines == 0 && s.rl.hdrRE == nil {
		return nil
	}
	for want := s.rl.bs; ; want *= 2 {
		if err := s.fill(want); err != nil {
			return err
		}
		h, more, err := s.srch.header(s.cur.st, 0, s.end, s.eof)
		if err != nil {
			return err
		}
		if !more {
			if h > 0 {
				s.hdr = make([]byte, h)
				if _, err := s.cur.st.ReadAt(s.hdr, 0); err != nil {
					return fmt.Errorf("read header: %w", err)
				}
				s.start = h
			}
			return nil
		}
		if want > 1<<62/2 {
			return errors.New("--header: header too large")
		}
	}
}

// Close releases the splitter's buffers and temp files: at once those
// that no block holds, the others when their blocks are released. Next
// must not be called after Close.
func (s *Stream) Close() error {
	s.dropCur()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var errs []error
	for _, b := range s.free {
		s.live--
		errs = append(errs, b.st.close())
	}
	s.free = nil
	if s.err == nil {
		s.err = errors.New("pipe: splitter closed")
	}
	return errors.Join(errs...)
}

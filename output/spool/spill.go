package spool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Spill parks finished Buffers that must wait (for an earlier job, in map
// mode), so that the number of open files stays bounded however far ahead
// the run gets. Park is called from one goroutine; what it hands out may be
// read and closed from another.
//
// A Buffer that spilled is copied to the end of one shared temporary file
// (unlinked at once) and handed back as a Segment of it; its own file is
// closed. Small in-memory Buffers stay in memory, as a Held, while their
// total is within the budget. The shared file is truncated whenever no
// Segment uses it any more.
type Spill struct {
	dir    string
	budget int64
	create createFunc // nil means createTemp

	mu      sync.Mutex // guards the fields below and the shared file's offset
	f       file
	end     int64 // bytes used in f
	live    int   // open segments in f
	memUsed int64 // bytes of held in-memory buffers
	buf     []byte
	closed  bool
}

// NewSpill returns a Spill that writes to one temporary file in dir and
// keeps at most memBudget bytes of small buffers in memory.
func NewSpill(dir string, memBudget int) *Spill {
	return &Spill{dir: dir, budget: int64(max(memBudget, 0))}
}

// Park takes b, whose writer is done, and returns Content that stands for
// it: a *Held (b kept in memory, within the budget) or a *Segment of the
// shared file (b's content copied there and b closed).
//
// On error (a full disk, a closed Spill, a Buffer that failed to spill)
// Park returns b itself with the error: b keeps its content where it was,
// and only keeps its own file open a little longer.
func (s *Spill) Park(b *Buffer) (Content, error) {
	switch {
	case b.closed:
		return b, errClosed
	case b.err != nil:
		// Its content is lost anyway: free its file now.
		if b.own != nil {
			b.own.Close()
			b.own = nil
		}
		b.mem = nil
		return b, b.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return b, errors.New("spool: park in a closed spill")
	}
	if b.own == nil && s.memUsed+int64(cap(b.mem)) <= s.budget {
		h := &Held{Buffer: b, s: s, cost: int64(cap(b.mem))}
		s.memUsed += h.cost
		return h, nil
	}
	seg, err := s.append(b)
	if err != nil {
		return b, err
	}
	// The content is safe in the shared file.
	if err := b.Close(); err != nil {
		return seg, err
	}
	return seg, nil
}

// append copies b's whole content to the end of the shared file and returns
// its segment. s.mu is held.
func (s *Spill) append(b *Buffer) (*Segment, error) {
	if err := s.open(); err != nil {
		return nil, err
	}
	start := s.end
	if _, err := s.f.Seek(start, io.SeekStart); err != nil {
		return nil, spillError(err)
	}
	if err := s.copyIn(b); err != nil {
		// Drop what was written; b keeps its own copy.
		if terr := s.f.Truncate(start); terr != nil {
			err = errors.Join(err, terr)
		}
		return nil, spillError(err)
	}
	s.end = start + b.n
	s.live++
	return &Segment{s: s, sec: section{f: s.f, off: start, n: b.n, mu: &s.mu}}, nil
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
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return err
		}
		n, err := io.Copy(dst, &io.LimitedReader{R: src, N: b.flen})
		if err == nil && n < b.flen {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return section{f: b.own, n: b.flen}.chunks(&s.buf, func(p []byte) error {
		m, err := s.f.Write(p)
		if err == nil && m < len(p) {
			err = io.ErrShortWrite
		}
		return err
	})
}

// releaseSegment forgets a segment being closed; the shared file is
// truncated once no segment uses it.
func (s *Spill) releaseSegment() error {
	s.mu.Lock()
	defer s.mu.Unlock()
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

// releaseHeld gives a held buffer's memory back to the budget.
func (s *Spill) releaseHeld(cost int64) {
	s.mu.Lock()
	s.memUsed -= cost
	s.mu.Unlock()
}

// Close releases the Spill's file. Segments still open can no longer be
// read.
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

// Segment is a parked Buffer's content in a Spill's shared file. It is
// Content; Close gives its space back.
type Segment struct {
	s      *Spill
	sec    section
	closed bool
}

// Len is the number of bytes in the segment.
func (g *Segment) Len() int64 { return g.sec.n }

// Err is always nil: a Buffer that failed is never made a Segment.
func (g *Segment) Err() error { return nil }

// Reader returns a reader over the segment.
func (g *Segment) Reader() io.Reader {
	if g.closed {
		return errReader{errClosed}
	}
	return contentReader(nil, g.sec)
}

// WriteTo copies the segment to w.
func (g *Segment) WriteTo(w io.Writer) (int64, error) {
	if g.closed {
		return 0, errClosed
	}
	return writeContent(w, nil, g.sec)
}

// Chunks calls fn with the segment read into *buf piece by piece.
func (g *Segment) Chunks(buf *[]byte, fn func(p []byte) error) error {
	if g.closed {
		return errClosed
	}
	return g.sec.chunks(buf, fn)
}

// Close releases the segment.
func (g *Segment) Close() error {
	if g.closed {
		return nil
	}
	g.closed = true
	return g.s.releaseSegment()
}

// Held is a parked Buffer kept in memory, counted in its Spill's budget
// until closed.
type Held struct {
	*Buffer
	s    *Spill
	cost int64
	done bool
}

// Close closes the Buffer and gives its memory back to the budget.
func (h *Held) Close() error {
	if h.done {
		return nil
	}
	h.done = true
	h.s.releaseHeld(h.cost)
	return h.Buffer.Close()
}

// Ref is where Store put a record in a Spill's shared file: a few bytes,
// whatever the record holds, so that a caller can keep millions of them.
type Ref struct {
	off  int64
	head uint32 // bytes of the record's header: the sizes and meta
}

// maxRecordMeta bounds the meta of one record.
const maxRecordMeta = 1 << 30

// Store appends a record to the shared file: meta (the caller's own bytes
// about it) and the content of each of cs in order, and closes cs. Nothing
// of it stays in memory: Load reads it back. A nil element of cs is empty.
//
// On error nothing is stored and cs are left open and whole.
func (s *Spill) Store(meta []byte, cs ...Content) (Ref, error) {
	if len(meta) > maxRecordMeta {
		return Ref{}, errors.New("spool: record meta too large")
	}
	head := binary.AppendUvarint(nil, uint64(len(meta)))
	head = append(head, meta...)
	head = binary.AppendUvarint(head, uint64(len(cs)))
	for _, c := range cs {
		n := int64(0)
		if c != nil {
			if err := c.Err(); err != nil {
				return Ref{}, err
			}
			n = c.Len()
		}
		head = binary.AppendUvarint(head, uint64(n))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return Ref{}, errors.New("spool: store in a closed spill")
	}
	if err := s.open(); err != nil {
		return Ref{}, err
	}
	start := s.end
	err := s.writeRecord(start, head, cs)
	if err != nil {
		if terr := s.f.Truncate(start); terr != nil {
			err = errors.Join(err, terr)
		}
		return Ref{}, spillError(err)
	}
	end, err := s.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return Ref{}, spillError(err)
	}
	s.end = end
	s.live++
	for _, c := range cs {
		if c != nil {
			c.Close()
		}
	}
	return Ref{off: start, head: uint32(len(head))}, nil
}

// open makes the shared file if there is none yet. s.mu is held.
func (s *Spill) open() error {
	if s.f != nil {
		return nil
	}
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
	return nil
}

// writeRecord writes head and the contents at start. s.mu is held.
func (s *Spill) writeRecord(start int64, head []byte, cs []Content) error {
	if _, err := s.f.Seek(start, io.SeekStart); err != nil {
		return err
	}
	if _, err := s.f.Write(head); err != nil {
		return err
	}
	for _, c := range cs {
		if c == nil || c.Len() == 0 {
			continue
		}
		if b, ok := c.(*Buffer); ok {
			if err := s.copyIn(b); err != nil {
				return err
			}
			continue
		}
		err := c.Chunks(&s.buf, func(p []byte) error {
			_, err := s.f.Write(p)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Load reads back the record at ref: its meta, and its contents as Content
// that reads from the shared file. Load takes the record: call it once per
// Ref, and Close each Content returned.
func (s *Spill) Load(ref Ref) (meta []byte, cs []Content, err error) {
	s.mu.Lock()
	f := s.f
	closed := s.closed
	s.mu.Unlock()
	if closed || f == nil {
		return nil, nil, errors.New("spool: load from a closed spill")
	}
	head := make([]byte, ref.head)
	if _, err := f.ReadAt(head, ref.off); err != nil {
		return nil, nil, &ReadError{Err: err}
	}
	bad := &ReadError{Err: errors.New("bad record header")}
	n, k := binary.Uvarint(head)
	if k <= 0 || uint64(len(head)-k) < n {
		return nil, nil, bad
	}
	meta, rest := head[k:k+int(n)], head[k+int(n):]
	count, k := binary.Uvarint(rest)
	if k <= 0 || count > uint64(len(rest)) {
		return nil, nil, bad
	}
	rest = rest[k:]
	off := ref.off + int64(ref.head)
	s.mu.Lock()
	defer s.mu.Unlock()
	for range count {
		size, k := binary.Uvarint(rest)
		if k <= 0 {
			return nil, nil, bad
		}
		rest = rest[k:]
		s.live++
		cs = append(cs, &Segment{s: s, sec: section{f: f, off: off, n: int64(size), mu: &s.mu}})
		off += int64(size)
	}
	s.live-- // the record is now its segments
	if s.live == 0 && !s.closed {
		s.end = 0
		if err := s.f.Truncate(0); err != nil {
			return nil, nil, fmt.Errorf("truncate spill file: %w", err)
		}
	}
	return meta, cs, nil
}

package report

import (
	"errors"
	"io"
)

// sizedReaderAt is a stream whose size is known and that can be read at
// any offset (*io.SectionReader, *bytes.Reader, *strings.Reader): the
// clipper reads only its head and tail.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// clipped is what a clipper keeps of a stream: all of it in head when it
// fits the limit, else the first half of the limit in head and the last
// half in tail, both cut at rune boundaries.
type clipped struct {
	head, tail []byte
	total      int64 // bytes in the stream (read so far, after an error)
	cut        bool  // the middle was left out
	err        error // a read error; head and tail hold what came before
}

// clipper reads streams into buffers it reuses, so that memory stays at
// about 1.5 times the limit however many streams it reads.
type clipper struct {
	head, ring, tail, scratch []byte
}

// read reads r to its end and keeps at most limit bytes of it.
func (c *clipper) read(r io.Reader, limit int64) clipped {
	if r == nil || limit <= 0 {
		return clipped{}
	}
	headN := limit / 2
	tailN := limit - headN
	if sr, ok := r.(sizedReaderAt); ok {
		return c.readAt(sr, limit, headN, tailN)
	}
	c.head = grow(c.head, limit)
	n, err := io.ReadFull(r, c.head)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = nil
		}
		return clipped{head: c.head[:n], total: int64(n), err: err}
	}
	// The stream fills the limit; the tail window starts as the second
	// half of what was read and slides over the rest.
	c.ring = grow(c.ring, tailN)
	copy(c.ring, c.head[headN:])
	ring := ringBuffer{buf: c.ring}
	total := limit
	if c.scratch == nil {
		c.scratch = make([]byte, 32<<10)
	}
	for {
		m, err := r.Read(c.scratch)
		if m > 0 {
			ring.write(c.scratch[:m])
			total += int64(m)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			c.tail = ring.appendTo(c.tail[:0])
			return finishCut(clipped{head: c.head[:headN], tail: c.tail, total: total, err: err})
		}
	}
	if total == limit {
		return clipped{head: c.head, total: total}
	}
	c.tail = ring.appendTo(c.tail[:0])
	return finishCut(clipped{head: c.head[:headN], tail: c.tail, total: total})
}

// readAt reads the head and tail of a stream of known size.
func (c *clipper) readAt(r sizedReaderAt, limit, headN, tailN int64) clipped {
	size := r.Size()
	if size <= limit {
		c.head = grow(c.head, size)
		n, err := r.ReadAt(c.head, 0)
		if err == io.EOF && int64(n) == size {
			err = nil
		}
		return clipped{head: c.head[:n], total: int64(n), err: err}
	}
	c.head = grow(c.head, headN)
	n, err := r.ReadAt(c.head, 0)
	if err != nil && (err != io.EOF || int64(n) < headN) {
		return clipped{head: c.head[:n], total: int64(n), err: err}
	}
	c.tail = grow(c.tail, tailN)
	m, err := r.ReadAt(c.tail, size-tailN)
	if err == io.EOF && int64(m) == tailN {
		err = nil
	}
	return finishCut(clipped{head: c.head, tail: c.tail[:m], total: size, err: err})
}

// finishCut marks a clipped stream as cut and moves both cuts to rune
// boundaries.
func finishCut(c clipped) clipped {
	c.cut = true
	c.head = c.head[:incompleteTail(c.head)]
	c.tail = c.tail[continuationPrefix(c.tail):]
	return c
}

// kept is the number of bytes of the stream that c holds.
func (c clipped) kept() int64 { return int64(len(c.head) + len(c.tail)) }

// end is the last part of what c holds (the tail when cut).
func (c clipped) end() []byte {
	if c.cut {
		return c.tail
	}
	return c.head
}

// grow returns b resized to n bytes, reusing its memory when it can.
func grow(b []byte, n int64) []byte {
	if int64(cap(b)) >= n {
		return b[:n]
	}
	return make([]byte, n)
}

// ringBuffer keeps the last len(buf) bytes written to it. It starts full.
type ringBuffer struct {
	buf []byte
	pos int // where the oldest byte is, and the next write goes
}

func (r *ringBuffer) write(p []byte) {
	n := len(r.buf)
	if n == 0 {
		return
	}
	if len(p) >= n {
		copy(r.buf, p[len(p)-n:])
		r.pos = 0
		return
	}
	k := copy(r.buf[r.pos:], p)
	copy(r.buf, p[k:])
	r.pos = (r.pos + len(p)) % n
}

// appendTo appends the content, oldest byte first.
func (r *ringBuffer) appendTo(dst []byte) []byte {
	dst = append(dst, r.buf[r.pos:]...)
	return append(dst, r.buf[:r.pos]...)
}

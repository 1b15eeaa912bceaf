// Package spool stores job output: bytes written once, then read back any
// number of times, with bounded memory however much is written.
//
// A Buffer keeps a small amount in memory and spills the rest to a private
// temporary file (mode 0600, unlinked at once, so nothing is left behind on
// any exit path, SIGKILL included). A Spill keeps finished Buffers that must
// wait (in map mode, for an earlier job) in one shared file, so that the
// number of open files stays bounded however far ahead a run gets: Park
// hands out a Segment of that file in place of the Buffer.
//
// Both a Buffer and what Park returns are Content. spool knows nothing of
// jobs, processes or formatting; package output presents Content.
package spool

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// ChunkSize is the size of the pieces Chunks reads spilled output in.
const ChunkSize = 64 << 10

// copyBufSize is the size of the scratch buffers used to stream spilled
// output.
const copyBufSize = ChunkSize

// minGrow is the smallest capacity the in-memory part grows to, so that
// many tiny writes do not reallocate at every step.
const minGrow = 64

var errClosed = errors.New("spool: buffer is closed")

// Content is stored output, complete: a Buffer whose writer is done, or
// what Spill.Park handed out for one. It may be read any number of times,
// and from another goroutine than the one that wrote it, until Close.
type Content interface {
	// Len is the number of bytes stored.
	Len() int64
	// Err is the error that made the content incomplete (a full disk), if
	// any; reads then return it too.
	Err() error
	// Reader returns a reader over the whole content, from the start.
	Reader() io.Reader
	// WriteTo copies the whole content to w, through the kernel where it
	// can (sendfile to a pipe, copy_file_range to a file).
	WriteTo(w io.Writer) (int64, error)
	// Chunks calls fn with the content in order, in pieces; buf is scratch
	// space for the file part, allocated into *buf when nil and reused
	// across calls. An error of fn stops it and is returned as is.
	Chunks(buf *[]byte, fn func(p []byte) error) error
	// Close releases the memory and file space.
	Close() error
}

// file is what a Buffer and a Spill need of their temporary file. *os.File
// implements it; tests substitute files that fail.
type file interface {
	io.Writer
	io.ReaderAt
	io.Seeker
	io.Closer
	Truncate(size int64) error
}

// createFunc creates an anonymous temporary file (already unlinked).
type createFunc func(dir string) (file, error)

// Buffer holds one stream of one job. Write may be called from one
// goroutine at a time; after the writer is done, the Buffer is Content and
// can be read any number of times. A Buffer must be closed to release its
// file.
//
// The content is the in-memory part followed by the file part, in the
// Buffer's own temporary file once it spilled.
type Buffer struct {
	mem      []byte
	memLimit int
	dir      string
	create   createFunc // nil means createTemp

	own    file  // the Buffer's own temporary file, if it spilled
	flen   int64 // bytes in own
	n      int64
	err    error
	closed bool
}

// NewBuffer returns a Buffer that keeps up to memLimit bytes in memory and
// spills to a temporary file in dir ("" means os.TempDir()) beyond that.
func NewBuffer(dir string, memLimit int) *Buffer {
	return &Buffer{dir: dir, memLimit: max(memLimit, 0)}
}

// Write appends p. A failed spill (full disk) returns an error that says
// so ("spill to temp file: no space left on device"); the Buffer then
// reports that error from Err and from every read.
func (b *Buffer) Write(p []byte) (int, error) {
	switch {
	case b.err != nil:
		return 0, b.err
	case b.closed:
		return 0, errClosed
	}
	n := 0
	if b.own == nil {
		room := b.memLimit - len(b.mem)
		if len(p) <= room {
			b.appendMem(p)
			b.n += int64(len(p))
			return len(p), nil
		}
		b.appendMem(p[:room])
		b.n += int64(room)
		n, p = room, p[room:]
		f, err := b.createFile()
		if err != nil {
			b.err = spillError(err)
			return n, b.err
		}
		b.own = f
	}
	m, err := b.own.Write(p)
	m = max(m, 0)
	b.flen += int64(m)
	b.n += int64(m)
	n += m
	if err == nil && m < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		b.err = spillError(err)
		return n, b.err
	}
	return n, nil
}

// scratch holds read buffers for ReadFrom: a cache, so that jobs that
// print little do not each allocate one.
var scratch = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// ReadFrom reads r until EOF into the Buffer; io.Copy uses it. Past the
// memory limit, an *os.File source such as a pipe goes to the temp file
// with splice(2) on Linux, without passing through user space. As with
// Write, a failure of the temp file (full disk) is kept and reported by Err;
// a read error of r is returned only.
func (b *Buffer) ReadFrom(r io.Reader) (int64, error) {
	bp := scratch.Get().(*[]byte)
	defer scratch.Put(bp)
	buf := *bp
	var total int64
	for b.own == nil {
		switch {
		case b.err != nil:
			return total, b.err
		case b.closed:
			return total, errClosed
		}
		// Once memory is full, one more read tells whether a file is
		// needed at all.
		room := max(b.memLimit-len(b.mem), 1)
		n, err := r.Read(buf[:min(room, len(buf))])
		if n > 0 {
			if _, werr := b.Write(buf[:n]); werr != nil {
				return total, werr
			}
			total += int64(n)
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
	if b.err != nil {
		return total, b.err
	}
	f, ok := b.own.(*os.File)
	if !ok {
		n, err := io.CopyBuffer(writerOnly{b}, r, buf)
		return total + n, err
	}
	n, err := f.ReadFrom(r)
	b.flen += n
	b.n += n
	total += n
	if err != nil && isSpillFault(err) {
		b.err = spillError(err)
		return total, b.err
	}
	return total, err
}

// writerOnly hides ReadFrom so that io.CopyBuffer does not recurse.
type writerOnly struct{ io.Writer }

// appendMem appends p to the in-memory part, growing it geometrically but
// never beyond memLimit.
func (b *Buffer) appendMem(p []byte) {
	if len(p) == 0 {
		return
	}
	need := len(b.mem) + len(p)
	if need > cap(b.mem) {
		c := min(max(need, 2*cap(b.mem), minGrow), b.memLimit)
		grown := make([]byte, len(b.mem), c)
		copy(grown, b.mem)
		b.mem = grown
	}
	b.mem = append(b.mem, p...)
}

func (b *Buffer) createFile() (file, error) {
	if b.create != nil {
		return b.create(b.dir)
	}
	return createTemp(b.dir)
}

// spillError wraps an error of the temporary file. The path of the
// (already unlinked) file says nothing useful, so a *fs.PathError of a
// write is reduced to its cause.
func spillError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Op == "write" {
		err = pe.Err
	}
	return fmt.Errorf("spill to temp file: %w", err)
}

// Len is the number of bytes written.
func (b *Buffer) Len() int64 { return b.n }

// Err is the first write error, if any.
func (b *Buffer) Err() error { return b.err }

// Reader returns a reader over the whole content, from the start.
func (b *Buffer) Reader() io.Reader {
	switch {
	case b.err != nil:
		return errReader{b.err}
	case b.closed:
		return errReader{errClosed}
	}
	return contentReader(b.mem, section{f: b.own, n: b.flen})
}

// WriteTo copies the whole content to w. When w is a regular file, the
// kernel copies the spilled part (copy_file_range on Linux); when it is a
// pipe, sendfile does.
func (b *Buffer) WriteTo(w io.Writer) (int64, error) {
	switch {
	case b.err != nil:
		return 0, b.err
	case b.closed:
		return 0, errClosed
	}
	return writeContent(w, b.mem, section{f: b.own, n: b.flen})
}

// Chunks calls fn with the content in order: the in-memory part, then the
// file part read into *buf piece by piece. Read errors are wrapped with
// "read spilled output"; errors of fn are returned as is.
func (b *Buffer) Chunks(buf *[]byte, fn func(p []byte) error) error {
	switch {
	case b.err != nil:
		return b.err
	case b.closed:
		return errClosed
	}
	if len(b.mem) > 0 {
		if err := fn(b.mem); err != nil {
			return err
		}
	}
	return section{f: b.own, n: b.flen}.chunks(buf, fn)
}

// Close releases memory and the temporary file.
func (b *Buffer) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	var err error
	if b.own != nil {
		if cerr := b.own.Close(); cerr != nil {
			err = fmt.Errorf("close temp file: %w", cerr)
		}
	}
	b.mem, b.own = nil, nil
	return err
}

// section is n bytes at off of a file that may be shared: mu, when set,
// guards the file's offset.
type section struct {
	f   file
	off int64
	n   int64
	mu  *sync.Mutex
}

// contentReader reads mem, then sec.
func contentReader(mem []byte, sec section) io.Reader {
	switch {
	case len(mem) == 0 && sec.n == 0:
		return emptyReader{}
	case sec.n == 0:
		return bytes.NewReader(mem)
	case len(mem) == 0:
		return io.NewSectionReader(sec.f, sec.off, sec.n)
	}
	return io.MultiReader(bytes.NewReader(mem), io.NewSectionReader(sec.f, sec.off, sec.n))
}

// writeContent writes mem, then sec, to w.
func writeContent(w io.Writer, mem []byte, sec section) (int64, error) {
	var n int64
	if len(mem) > 0 {
		m, err := w.Write(mem)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	if sec.n == 0 {
		return n, nil
	}
	if m, ok, err := sec.kernelCopy(w); ok {
		return n + m, err
	}
	var buf []byte
	err := sec.chunks(&buf, func(p []byte) error {
		m, err := w.Write(p)
		n += int64(m)
		return err
	})
	return n, err
}

// kernelCopy copies the section to w without going through user space
// when both ends are files that allow it. ok is false when it did not try.
func (sec section) kernelCopy(w io.Writer) (n int64, ok bool, err error) {
	dst, isFile := w.(*os.File)
	src, srcFile := sec.f.(*os.File)
	if !isFile || !srcFile {
		return 0, false, nil
	}
	if !kernelCopyOK(dst) {
		// Not a regular file: a pipe or terminal, or a file opened for
		// appending. sendfile reads at an offset, so no lock is needed.
		return sendfileCopy(dst, src, sec.off, sec.n)
	}
	if sec.mu != nil {
		sec.mu.Lock()
		defer sec.mu.Unlock()
	}
	if _, err := src.Seek(sec.off, io.SeekStart); err != nil {
		return 0, true, &ReadError{Err: err}
	}
	n, err = io.Copy(dst, &io.LimitedReader{R: src, N: sec.n})
	if err == nil && n < sec.n {
		err = &ReadError{Err: io.ErrUnexpectedEOF}
	}
	return n, true, err
}

// chunks calls fn with the section read into *buf (allocated when nil)
// piece by piece.
func (sec section) chunks(buf *[]byte, fn func(p []byte) error) error {
	if sec.n == 0 {
		return nil
	}
	if len(*buf) == 0 {
		*buf = make([]byte, copyBufSize)
	}
	p := *buf
	for done := int64(0); done < sec.n; {
		k := int(min(int64(len(p)), sec.n-done))
		m, err := sec.f.ReadAt(p[:k], sec.off+done)
		if m > 0 {
			if werr := fn(p[:m]); werr != nil {
				return werr
			}
			done += int64(m)
		}
		if m < k {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return &ReadError{Err: err}
		}
	}
	return nil
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, io.EOF }

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// ReadError is a failed read of the spilled part of stored content.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "read spilled output: " + e.Err.Error() }

func (e *ReadError) Unwrap() error { return e.Err }

// CreateTemp creates an anonymous temporary file in dir ("" means
// os.TempDir()) for reading and writing, mode 0600: with O_TMPFILE on Linux
// it never has a name; elsewhere it is unlinked at once. Nothing is left
// behind on any exit path, SIGKILL included.
func CreateTemp(dir string) (*os.File, error) {
	f, err := createTemp(dir)
	if err != nil {
		return nil, err
	}
	return f.(*os.File), nil
}

// IsReadError reports whether err is a failure to read stored content: a
// read of a spilled file that failed, or content already closed.
func IsReadError(err error) bool {
	var re *ReadError
	return errors.Is(err, errClosed) || errors.As(err, &re)
}

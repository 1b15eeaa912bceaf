// Package output turns finished jobs into gopool's output: one block per
// job (stdout, then stderr), optional tags, JSON Lines, and live lines with
// LineBuffer. It knows nothing of processes or scheduling: it is handed
// finished jobs in the order they must be printed.
//
// Memory stays bounded however much jobs print: a Buffer keeps a small
// amount in memory and spills the rest to a private temporary file (mode
// 0600, unlinked at once, so nothing is left behind on any exit path, SIGKILL
// included). A Spill keeps the output of finished jobs that wait for an
// earlier one in a bounded number of open files.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// copyBufSize is the size of the scratch buffers used to stream spilled
// output.
const copyBufSize = 64 << 10

// minGrow is the smallest capacity the in-memory part grows to, so that
// many tiny writes do not reallocate at every step.
const minGrow = 64

var (
	errClosed = errors.New("output: buffer is closed")
	errParked = errors.New("output: write to a parked buffer")
)

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
// goroutine at a time; after the writer is done, the Buffer can be read any
// number of times. A Buffer must be closed to release its file.
//
// The content is the in-memory part followed by the file part, which lives
// either in the Buffer's own temporary file or, once parked, in a segment
// of a Spill's shared file.
type Buffer struct {
	mem      []byte
	memLimit int
	dir      string
	create   createFunc // nil means createTemp

	own       file  // the Buffer's own temporary file, if it spilled
	src       file  // where the file part lives: own or a Spill's file
	off, flen int64 // file part: flen bytes at off in src
	n         int64
	err       error

	spill     *Spill // set once parked
	parkedMem int    // bytes of mem counted in spill's budget
	inShared  bool   // the file part is a segment of spill's file
	closed    bool
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
	case b.spill != nil:
		return 0, errParked
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
		b.own, b.src = f, f
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
		case b.spill != nil:
			return total, errParked
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
	case b.n == 0:
		return emptyReader{}
	case b.flen == 0:
		return bytes.NewReader(b.mem)
	case len(b.mem) == 0:
		return io.NewSectionReader(b.src, b.off, b.flen)
	}
	return io.MultiReader(bytes.NewReader(b.mem), io.NewSectionReader(b.src, b.off, b.flen))
}

// WriteTo copies the whole content to w. When w is a regular file, the
// kernel copies the spilled part (copy_file_range on Linux).
func (b *Buffer) WriteTo(w io.Writer) (int64, error) {
	var buf []byte
	return b.writeTo(w, &buf)
}

// writeTo is WriteTo with a scratch buffer, allocated into *buf when nil
// and needed, so that a caller can reuse it.
func (b *Buffer) writeTo(w io.Writer, buf *[]byte) (int64, error) {
	switch {
	case b.err != nil:
		return 0, b.err
	case b.closed:
		return 0, errClosed
	}
	var n int64
	if len(b.mem) > 0 {
		m, err := w.Write(b.mem)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	if b.flen == 0 {
		return n, nil
	}
	if m, ok, err := b.kernelCopy(w); ok {
		return n + m, err
	}
	err := b.fileChunks(buf, func(p []byte) error {
		m, err := w.Write(p)
		n += int64(m)
		return err
	})
	return n, err
}

// kernelCopy copies the file part to w without going through user space
// when both ends are files that allow it. ok is false when it did not try.
func (b *Buffer) kernelCopy(w io.Writer) (n int64, ok bool, err error) {
	dst, isFile := w.(*os.File)
	src, srcFile := b.src.(*os.File)
	if !isFile || !srcFile {
		return 0, false, nil
	}
	if !kernelCopyOK(dst) {
		// Not a regular file: a pipe or terminal, or a file opened for
		// appending. sendfile reads at an offset, so no lock is needed.
		return sendfileCopy(dst, src, b.off, b.flen)
	}
	if b.inShared {
		b.spill.mu.Lock()
		defer b.spill.mu.Unlock()
	}
	if _, err := src.Seek(b.off, io.SeekStart); err != nil {
		return 0, true, &readError{err}
	}
	n, err = io.Copy(dst, &io.LimitedReader{R: src, N: b.flen})
	if err == nil && n < b.flen {
		err = &readError{io.ErrUnexpectedEOF}
	}
	return n, true, err
}

// chunks calls fn with the content in order: the in-memory part, then the
// file part read into *buf (allocated when nil) piece by piece. Read errors
// are wrapped with "read spilled output"; errors of fn are returned as is.
func (b *Buffer) chunks(buf *[]byte, fn func(p []byte) error) error {
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
	if b.flen == 0 {
		return nil
	}
	return b.fileChunks(buf, fn)
}

func (b *Buffer) fileChunks(buf *[]byte, fn func(p []byte) error) error {
	if len(*buf) == 0 {
		*buf = make([]byte, copyBufSize)
	}
	p := *buf
	for done := int64(0); done < b.flen; {
		k := int(min(int64(len(p)), b.flen-done))
		m, err := b.src.ReadAt(p[:k], b.off+done)
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
			return &readError{err}
		}
	}
	return nil
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
	if b.spill != nil {
		if rerr := b.spill.release(b); rerr != nil && err == nil {
			err = rerr
		}
	}
	b.mem, b.own, b.src = nil, nil, nil
	return err
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, io.EOF }

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// readError is a failed read of the spilled part of a Buffer.
type readError struct{ err error }

func (e *readError) Error() string { return "read spilled output: " + e.err.Error() }

func (e *readError) Unwrap() error { return e.err }

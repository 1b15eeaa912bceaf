package pipe

import (
	"fmt"
	"io"
	"os"
)

// store holds the bytes of blocks: a buffer in memory, a temp file, or
// the input file itself.
type store interface {
	text
	// writeTo writes [off, off+n) to w.
	writeTo(w io.Writer, off, n int64) (int64, error)
}

// memStore is a buffer in memory.
type memStore struct{ b []byte }

func newMemStore(n int64) *memStore { return &memStore{b: make([]byte, n)} }

func (m *memStore) ReadAt(p []byte, off int64) (int, error) { return memText(m.b).ReadAt(p, off) }
func (m *memStore) mem(off, n int64) []byte                 { return m.b[off : off+n : off+n] }
func (m *memStore) capacity() int64                         { return int64(len(m.b)) }
func (m *memStore) close() error                            { return nil }

func (m *memStore) writeTo(w io.Writer, off, n int64) (int64, error) {
	k, err := w.Write(m.b[off : off+n])
	return int64(k), err
}

// fill reads from r into [off, off+n) until it is full or r ends.
func (m *memStore) fill(r io.Reader, off, n int64) (int64, bool, error) {
	k, err := io.ReadFull(r, m.b[off:off+n])
	switch err {
	case nil:
		return int64(k), false, nil
	case io.EOF, io.ErrUnexpectedEOF:
		return int64(k), true, nil
	}
	return int64(k), false, err
}

func (m *memStore) writeAt(p []byte, off int64) error {
	copy(m.b[off:], p)
	return nil
}

// fileData is a range of a file: the input of NewFile and NewPart.
type fileData struct{ f *os.File }

func (d fileData) ReadAt(p []byte, off int64) (int, error) { return d.f.ReadAt(p, off) }
func (fileData) mem(int64, int64) []byte                   { return nil }

func (d fileData) writeTo(w io.Writer, off, n int64) (int64, error) {
	return copyRange(w, d.f, off, n)
}

// copyRange writes n bytes at off of f to w, with sendfile(2) when w is a
// file on Linux, without moving f's offset.
func copyRange(w io.Writer, f *os.File, off, n int64) (int64, error) {
	if wf, ok := w.(*os.File); ok {
		if k, ok, err := sendfile(wf, f, off, n); ok {
			return k, err
		}
	}
	k, err := io.Copy(w, io.NewSectionReader(f, off, n))
	if err == nil && k < n {
		err = &os.PathError{Op: "read", Path: f.Name(), Err: io.ErrUnexpectedEOF}
	}
	return k, err
}

// tempStore is a buffer in an unlinked temp file, for large blocks.
type tempStore struct {
	f   *os.File
	cap int64
}

func newTempStore(dir string, n int64) (*tempStore, error) {
	f, err := createTemp(dir)
	if err != nil {
		return nil, fmt.Errorf("temp file for a block: %w", err)
	}
	return &tempStore{f: f, cap: n}, nil
}

func (t *tempStore) ReadAt(p []byte, off int64) (int, error) { return t.f.ReadAt(p, off) }
func (t *tempStore) mem(int64, int64) []byte                 { return nil }
func (t *tempStore) capacity() int64                         { return t.cap }
func (t *tempStore) close() error                            { return t.f.Close() }

func (t *tempStore) writeTo(w io.Writer, off, n int64) (int64, error) {
	return copyRange(w, t.f, off, n)
}

func (t *tempStore) fill(r io.Reader, off, n int64) (int64, bool, error) {
	if _, err := t.f.Seek(off, io.SeekStart); err != nil {
		return 0, false, fmt.Errorf("temp file for a block: %w", err)
	}
	k, err := t.f.ReadFrom(io.LimitReader(r, n))
	if err != nil {
		return k, false, err
	}
	return k, k < n, nil
}

func (t *tempStore) writeAt(p []byte, off int64) error {
	if _, err := t.f.WriteAt(p, off); err != nil {
		return fmt.Errorf("temp file for a block: %w", err)
	}
	return nil
}

// buffer is a reusable store of NewStream, shared by the blocks cut from
// it.
type buffer struct {
	st interface {
		store
		capacity() int64
		fill(r io.Reader, off, n int64) (int64, bool, error)
		writeAt(p []byte, off int64) error
		close() error
	}
	temp bool
	refs int // blocks held, plus one while it is the buffer being read
}

// copyWithin copies n bytes at src of from to dst of to, in windows of
// scratch; from and to may be the same buffer with dst < src.
func copyWithin(to *buffer, dst int64, from *buffer, src, n int64, scratch []byte) error {
	if b := from.st.mem(src, n); b != nil {
		return to.st.writeAt(b, dst)
	}
	for n > 0 {
		k := min(n, int64(len(scratch)))
		if _, err := from.st.ReadAt(scratch[:k], src); err != nil {
			return fmt.Errorf("temp file for a block: %w", err)
		}
		if err := to.st.writeAt(scratch[:k], dst); err != nil {
			return err
		}
		src, dst, n = src+k, dst+k, n-k
	}
	return nil
}

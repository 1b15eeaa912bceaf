package pipe

import (
	"bytes"
	"errors"
	"io"
	"sync"
)

// ErrReleased is returned by a Block's methods after Release.
var ErrReleased = errors.New("pipe: block already released")

// Block is one block of input: a header (the same for every block) and
// its data, in memory, in a temp file or as a range of the input file.
// A Block can be written any number of times (a retried job is fed the
// same block again) until Release; its methods may be called from any
// goroutine, but not concurrently with Release.
type Block struct {
	seq  int64
	hdr  []byte
	st   store
	off  int64
	n    int64
	rel  func() // gives the buffer back; nil for a file range
	once sync.Once
	done bool
}

// Seq returns the block's number, from 1: {#} of its job.
func (b *Block) Seq() int64 { return b.seq }

// Header returns the header put in front of the block (nil without
// --header). The caller must not modify it.
func (b *Block) Header() []byte { return b.hdr }

// Size returns the bytes WriteTo writes: header and data (joblog's Send).
func (b *Block) Size() int64 { return int64(len(b.hdr)) + b.n }

// DataSize returns the bytes WriteDataTo writes: the data alone.
func (b *Block) DataSize() int64 { return b.n }

// WriteTo writes the header and the data to w. When w is an *os.File (a
// pipe to a job's stdin, say) and the data is in a file, the data goes
// with sendfile(2) on Linux, without passing through user space.
func (b *Block) WriteTo(w io.Writer) (int64, error) {
	if b.done {
		return 0, ErrReleased
	}
	var n int64
	if len(b.hdr) > 0 {
		k, err := w.Write(b.hdr)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	k, err := b.WriteDataTo(w)
	return n + k, err
}

// WriteDataTo writes the data alone to w, without the header: with
// --round-robin the header goes once per job, not once per block.
func (b *Block) WriteDataTo(w io.Writer) (int64, error) {
	if b.done {
		return 0, ErrReleased
	}
	if b.n == 0 {
		return 0, nil
	}
	return b.st.writeTo(w, b.off, b.n)
}

// Reader returns a new reader of the header and the data, valid until
// Release.
func (b *Block) Reader() io.Reader {
	if b.done {
		return errorReader{ErrReleased}
	}
	return io.MultiReader(bytes.NewReader(b.hdr), io.NewSectionReader(b.st, b.off, b.n))
}

// Release gives the block's buffer back to its splitter, for a later
// block. Call it once the block's job will not be fed again (its last
// attempt is done); calling it again does nothing.
func (b *Block) Release() {
	b.once.Do(func() {
		b.done = true
		if b.rel != nil {
			b.rel()
		}
	})
}

// errorReader fails every read with err.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

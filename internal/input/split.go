package input

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// readBufSize is the size of the read buffer of a splitter. Records longer
// than it are assembled in the splitter's own growing buffer.
const readBufSize = 64 << 10

// splitter cuts a reader into records at a delimiter of one or more bytes.
// It holds at most one record (plus a read buffer) in memory. Delimiter
// matches do not overlap and are found left to right, so the records are
// those of strings.Split, without the empty record after a final delimiter.
type splitter struct {
	r     *bufio.Reader
	delim []byte
	last  byte   // last byte of delim: ReadSlice stops on it
	buf   []byte // the record being assembled, reused between records
	done  bool
}

// newSplitter returns a splitter that reads r; delim must not be empty.
func newSplitter(r io.Reader, delim string) *splitter {
	return &splitter{
		r:     bufio.NewReaderSize(r, readBufSize),
		delim: []byte(delim),
		last:  delim[len(delim)-1],
	}
}

// next returns the next record without its delimiter, or io.EOF after the
// last one. Any other error comes from the reader, unwrapped.
func (sp *splitter) next() (string, error) {
	if sp.done {
		return "", io.EOF
	}
	sp.buf = sp.buf[:0]
	for {
		chunk, err := sp.r.ReadSlice(sp.last)
		switch {
		case err == nil:
			// chunk ends with the delimiter's last byte.
			if len(sp.buf) == 0 && bytes.HasSuffix(chunk, sp.delim) {
				return string(chunk[:len(chunk)-len(sp.delim)]), nil
			}
			sp.buf = append(sp.buf, chunk...)
			if bytes.HasSuffix(sp.buf, sp.delim) {
				return string(sp.buf[:len(sp.buf)-len(sp.delim)]), nil
			}
		case errors.Is(err, bufio.ErrBufferFull):
			sp.buf = append(sp.buf, chunk...)
		case errors.Is(err, io.EOF):
			sp.done = true
			sp.buf = append(sp.buf, chunk...)
			if len(sp.buf) == 0 {
				return "", io.EOF
			}
			return string(sp.buf), nil
		default:
			sp.done = true
			return "", err
		}
	}
}

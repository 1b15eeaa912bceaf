package pipe

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Splitter yields the blocks of an input one at a time: Next returns the
// next block, or io.EOF after the last one; Close releases what the
// splitter holds. *Stream and *File are Splitters.
type Splitter interface {
	Next() (*Block, error)
	Header() []byte
	Close() error
}

// File cuts a seekable file (a regular file or a block device) without
// reading its blocks: it reads only around each cut with pread, and a
// block is a range of the file that Block.WriteTo sends with sendfile(2).
// It starts at the file's offset and leaves the offset at the end of what
// it cut, after the last block or on Close. Next is not safe for
// concurrent use; its blocks are, until Close.
type File struct {
	f      *os.File
	rl     *rules
	srch   searcher
	part   bool
	pos    int64
	size   int64
	hdr    []byte
	seq    int64
	err    error
	seeked bool
}

// NewFile returns a splitter of f for --pipe: its cuts are exactly those
// NewStream makes of the same bytes from a pipe. Options.RemoveSeps and
// Options.SkipBlank need the data in memory: they are an error here (use
// NewStream on the file). Options.PerSlot counts what is left of the
// file (see BlockFor).
func NewFile(f *os.File, o Options) (*File, error) {
	return newFile(f, o, false)
}

// NewPart returns a splitter of f for --pipepart, GNU parallel's way:
// the first block starts after the header and each block ends after the
// first record end at or after its start plus the block size, so blocks
// are at least the block size. -N and -L do not apply (an error), nor
// --rrs and -r. Options.PerSlot counts the whole file, header included,
// as GNU parallel does (its default for --pipepart is -10: PerSlot 10).
func NewPart(f *os.File, o Options) (*File, error) {
	if o.Records > 0 || o.Lines > 0 {
		return nil, errors.New("--pipepart cuts by size: -N and -L do not apply")
	}
	return newFile(f, o, true)
}

func newFile(f *os.File, o Options, part bool) (*File, error) {
	if o.RemoveSeps || o.SkipBlank {
		return nil, errors.New("--rrs and -r need the blocks in memory: cut the file as a stream")
	}
	pos, size, err := seekable(f)
	if err != nil {
		return nil, err
	}
	if o.BlockSize == 0 && o.PerSlot > 0 {
		whole := size - pos
		if part {
			whole = size
		}
		if o.BlockSize, err = BlockFor(whole, o.PerSlot, max(o.Slots, 1)); err != nil {
			return nil, err
		}
	}
	rl, err := o.compile()
	if err != nil {
		return nil, err
	}
	s := &File{f: f, rl: rl, part: part, pos: pos, size: size}
	s.srch.r = rl
	t := fileData{f}
	h, _, err := s.srch.header(t, pos, size-pos, true)
	if err != nil {
		return nil, err
	}
	if h > 0 {
		s.hdr = make([]byte, h)
		if _, err := f.ReadAt(s.hdr, pos); err != nil {
			return nil, fmt.Errorf("read header: %w", err)
		}
		s.pos += h
	}
	return s, nil
}

// seekable returns the offset and size of f, or an error when f cannot be
// cut by offsets (a pipe, a terminal).
func seekable(f *os.File) (pos, size int64, err error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	if m := fi.Mode(); !m.IsRegular() && (m&os.ModeDevice == 0 || m&os.ModeCharDevice != 0) {
		return 0, 0, fmt.Errorf("%s: not a regular file or block device", f.Name())
	}
	if pos, err = f.Seek(0, io.SeekCurrent); err != nil {
		return 0, 0, err
	}
	if size, err = f.Seek(0, io.SeekEnd); err != nil {
		return 0, 0, err
	}
	if _, err := f.Seek(pos, io.SeekStart); err != nil {
		return 0, 0, err
	}
	return pos, max(size, pos), nil
}

// Header returns the header taken from the start of the file (nil
// without one).
func (s *File) Header() []byte { return s.hdr }

// Next returns the next block, a range of the file, or io.EOF after the
// last one.
func (s *File) Next() (*Block, error) {
	if s.err != nil {
		return nil, s.err
	}
	b, err := s.next()
	if err != nil {
		s.err = err
		if err == io.EOF {
			err = s.seekEnd()
			if err != nil {
				s.err = err
			}
			return nil, s.err
		}
	}
	return b, err
}

func (s *File) next() (*Block, error) {
	rem := s.size - s.pos
	if rem <= 0 {
		return nil, io.EOF
	}
	t := fileData{s.f}
	var c int64
	if s.part {
		c = rem
		if bs := s.rl.bs; bs < rem {
			k, err := s.srch.firstCutFrom(t, s.pos, bs, rem)
			if err != nil {
				return nil, err
			}
			if k > 0 {
				c = k
			}
		}
	} else {
		for {
			n := min(s.rl.bs, rem)
			k, err := s.srch.cut(t, s.pos, n, n >= s.rl.bs)
			if err != nil {
				return nil, err
			}
			if k > 0 {
				c = k
				break
			}
			if err := s.rl.grow(); err != nil {
				return nil, err
			}
		}
	}
	s.seq++
	b := &Block{seq: s.seq, hdr: s.hdr, st: t, off: s.pos, n: c}
	s.pos += c
	return b, nil
}

// seekEnd leaves the file's offset after what was cut, once.
func (s *File) seekEnd() error {
	if s.seeked {
		return nil
	}
	s.seeked = true
	if _, err := s.f.Seek(s.pos, io.SeekStart); err != nil {
		return fmt.Errorf("seek input: %w", err)
	}
	return nil
}

// Close leaves the file's offset after the blocks cut so far. It does not
// close the file, which the blocks still read.
func (s *File) Close() error {
	if s.err == nil {
		s.err = errors.New("pipe: splitter closed")
	}
	return s.seekEnd()
}

// Open returns the splitter for --pipe on in: NewFile when in is a
// regular file or a block device and the options allow it (no --rrs, no
// -r), else NewStream. Options.PerSlot needs the input's size: a stream is
// first copied to an unlinked temp file in Options.TempDir, then cut as a
// file (with --rrs or -r, as a stream of that file); Close closes it.
func Open(in io.Reader, o Options) (Splitter, error) {
	f, isFile := in.(*os.File)
	if isFile {
		if _, _, err := seekable(f); err != nil {
			isFile = false
		}
	}
	var spooled *os.File
	if o.BlockSize == 0 && o.PerSlot > 0 && !isFile {
		var err error
		if spooled, err = spool(in, o.TempDir); err != nil {
			return nil, err
		}
		in, f, isFile = spooled, spooled, true
	}
	s, err := open(in, f, isFile, o)
	if spooled != nil {
		if err != nil {
			return nil, errors.Join(err, spooled.Close())
		}
		return closeAlso{s, spooled}, nil
	}
	return s, err
}

func open(in io.Reader, f *os.File, isFile bool, o Options) (Splitter, error) {
	if isFile && !o.RemoveSeps && !o.SkipBlank {
		return NewFile(f, o)
	}
	if o.BlockSize == 0 && o.PerSlot > 0 {
		pos, size, err := seekable(f)
		if err != nil {
			return nil, err
		}
		if o.BlockSize, err = BlockFor(size-pos, o.PerSlot, max(o.Slots, 1)); err != nil {
			return nil, err
		}
	}
	return NewStream(in, o)
}

// closeAlso is a Splitter that closes c after it.
type closeAlso struct {
	Splitter
	c io.Closer
}

func (s closeAlso) Close() error { return errors.Join(s.Splitter.Close(), s.c.Close()) }

// spool copies r to an unlinked temp file in dir and returns it at offset
// 0.
func spool(r io.Reader, dir string) (*os.File, error) {
	f, err := createTemp(dir)
	if err != nil {
		return nil, fmt.Errorf("spool input: %w", err)
	}
	if _, err := io.Copy(f, r); err != nil {
		return nil, errors.Join(fmt.Errorf("spool input: %w", err), f.Close())
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, errors.Join(fmt.Errorf("spool input: %w", err), f.Close())
	}
	return f, nil
}

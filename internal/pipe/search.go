package pipe

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// text is the bytes a cut is searched in: a buffer in memory, or a file
// read with pread around the cut. Offsets are absolute in the text.
type text interface {
	io.ReaderAt
	// mem returns the bytes [off, off+n) without copying, or nil when the
	// text is not in memory.
	mem(off, n int64) []byte
}

// memText is a text in memory.
type memText []byte

func (t memText) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(t)) {
		return 0, io.EOF
	}
	n := copy(p, t[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (t memText) mem(off, n int64) []byte { return t[off : off+n : off+n] }

// searcher finds record ends in a text. Each search covers [base,
// base+n) and returns positions relative to base. A text in memory is
// searched in one piece, a file in windows of r.window bytes, with the
// same results.
type searcher struct {
	r       *rules
	scratch []byte
	rr      runeReader
}

// view returns the bytes [off, off+n) of t, read into s.scratch when t is
// not in memory.
func (s *searcher) view(t text, off, n int64) ([]byte, error) {
	if b := t.mem(off, n); b != nil {
		return b, nil
	}
	if int64(cap(s.scratch)) < n {
		s.scratch = make([]byte, n)
	}
	b := s.scratch[:n]
	m, err := t.ReadAt(b, off)
	if int64(m) == n {
		return b, nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return nil, fmt.Errorf("read input at %d: %w", off+int64(m), err)
}

// window returns how many bytes of t a search reads at once.
func (s *searcher) window(t text) int64 {
	if t.mem(0, 0) != nil {
		return 1 << 62
	}
	return int64(s.r.window)
}

// lastCut returns the last record end in (0, n] of [base, base+n), or -1.
func (s *searcher) lastCut(t text, base, n int64) (int64, error) {
	switch {
	case s.r.lines > 0:
		return s.lastLines(t, base, n, s.r.lines)
	case s.r.fixed:
		return n, nil
	case s.r.re != nil:
		from, last := int64(0), int64(-1)
		for {
			c, next, err := s.nextSep(t, base, from, n)
			if err != nil || c < 0 {
				return last, err
			}
			if c > max(last, 0) {
				last = c
			}
			from = next
		}
	}
	return s.lastSep(t, base, n)
}

// nthCut returns the end of the k-th record of [base, base+n), relative to
// base, or -1 when it holds fewer.
func (s *searcher) nthCut(t text, base, n, k int64) (int64, error) {
	switch {
	case s.r.lines > 0:
		return s.nthLine(t, base, n, k*s.r.lines)
	case s.r.fixed:
		if k <= n {
			return k, nil
		}
		return -1, nil
	}
	from, last := int64(0), int64(0)
	for count := int64(0); count < k; {
		c, next, err := s.nextSep(t, base, from, n)
		if err != nil || c < 0 {
			return -1, err
		}
		if c > last {
			last = c
			count++
		}
		from = next
	}
	return last, nil
}

// firstCutFrom returns the end of the first record end whose separator
// starts at or after from, or -1 (--pipepart's rule).
func (s *searcher) firstCutFrom(t text, base, from, n int64) (int64, error) {
	if s.r.fixed {
		return from, nil
	}
	c, _, err := s.nextSep(t, base, from, n)
	return c, err
}

// lastSep returns the end of the last record in [base, base+n) (after the
// last literal RecEnd+RecStart), relative to base and above 0, or -1.
func (s *searcher) lastSep(t text, base, n int64) (int64, error) {
	sep, k, w := s.r.sep, int64(len(s.r.sep)), s.window(t)
	for hi := n; hi >= k; {
		lo := max(0, hi-w)
		b, err := s.view(t, base+lo, hi-lo)
		if err != nil {
			return -1, err
		}
		if i := bytes.LastIndex(b, sep); i >= 0 {
			if c := lo + int64(i) + int64(s.r.endLen); c > 0 {
				return c, nil
			}
			return -1, nil // a RecStart at the very start ends no record
		}
		if lo == 0 {
			break
		}
		hi = lo + k - 1
	}
	return -1, nil
}

// nextSep returns the first record end whose separator lies in [base+from,
// base+n), relative to base, and where the search for the one after it
// starts; c is -1 when there is none. A literal separator is searched with
// bytes.Index, a regexp in the text [from, n) alone.
func (s *searcher) nextSep(t text, base, from, n int64) (c, next int64, err error) {
	if s.r.re != nil {
		return s.nextRE(t, base, from, n)
	}
	sep, k, w := s.r.sep, int64(len(s.r.sep)), s.window(t)
	for n-from >= k {
		hi := from + min(n-from, w)
		b, err := s.view(t, base+from, hi-from)
		if err != nil {
			return -1, n, err
		}
		if i := bytes.Index(b, sep); i >= 0 {
			at := from + int64(i)
			return at + int64(s.r.endLen), at + k, nil
		}
		if hi == n {
			break
		}
		from = hi - k + 1
	}
	return -1, n, nil
}

// nextRE is nextSep for regular expressions: the first match of
// (RecEnd)RecStart in the text [from, n) alone; the next search starts at
// its end, or one byte on if it is empty.
func (s *searcher) nextRE(t text, base, from, n int64) (c, next int64, err error) {
	if from > n {
		return -1, n, nil
	}
	var loc []int
	if b := t.mem(base+from, n-from); b != nil {
		loc = s.r.re.FindSubmatchIndex(b)
	} else {
		rr := s.runes(t, base+from, base+n)
		loc = s.r.re.FindReaderSubmatchIndex(rr)
		if rr.err != nil {
			return -1, n, fmt.Errorf("read input: %w", rr.err)
		}
	}
	if loc == nil {
		return -1, n, nil
	}
	next = from + int64(loc[1])
	if loc[1] == loc[0] {
		next++
	}
	return from + int64(loc[3]), next, nil
}

// runes returns a reader of the runes of t in [from, end) for a regexp,
// reusing the window of the last one: the matches that follow one
// another in a block read each byte of the file about once.
func (s *searcher) runes(t text, from, end int64) *runeReader {
	rr := &s.rr
	if rr.t != t {
		*rr = runeReader{t: t, buf: rr.buf[:0], win: max(int64(s.r.window), utf8.UTFMax)}
	}
	rr.pos, rr.end, rr.err = from, end, nil
	return rr
}

// runeReader is an io.RuneReader of a text in a file, through a window of
// it. It decodes as utf8.DecodeRune does on the same bytes in memory, and
// remembers a read error, which the regexp would take for the end of the
// text.
type runeReader struct {
	t        text
	buf      []byte // the bytes of t at [bufOff, bufOff+len(buf))
	bufOff   int64
	pos, end int64
	win      int64 // bytes read at once
	err      error
}

func (r *runeReader) ReadRune() (rune, int, error) {
	if r.pos >= r.end || r.err != nil {
		return 0, 0, io.EOF
	}
	bufEnd := r.bufOff + int64(len(r.buf))
	if r.pos < r.bufOff || r.pos >= bufEnd || (r.pos+utf8.UTFMax > bufEnd && bufEnd < r.end) {
		n := min(r.end-r.pos, r.win)
		if int64(cap(r.buf)) < n {
			r.buf = make([]byte, r.win)
		}
		r.buf = r.buf[:n]
		if m, err := r.t.ReadAt(r.buf, r.pos); int64(m) < n {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			r.err, r.buf = err, r.buf[:0]
			return 0, 0, io.EOF
		}
		r.bufOff = r.pos
	}
	b := r.buf[r.pos-r.bufOff : min(int64(len(r.buf)), r.end-r.bufOff)]
	c, size := utf8.DecodeRune(b)
	r.pos += int64(size)
	return c, size, nil
}

// nthLine returns the position after the k-th '\n' of [base, base+n),
// relative to base, or -1.
func (s *searcher) nthLine(t text, base, n, k int64) (int64, error) {
	w := s.window(t)
	for from := int64(0); from < n; {
		hi := from + min(n-from, w)
		b, err := s.view(t, base+from, hi-from)
		if err != nil {
			return -1, err
		}
		if c := int64(bytes.Count(b, nl)); c < k {
			k -= c
		} else {
			for i := 0; ; i++ {
				j := bytes.IndexByte(b[i:], '\n')
				i += j
				if k--; k == 0 {
					return from + int64(i) + 1, nil
				}
			}
		}
		from = hi
	}
	return -1, nil
}

// lastLines returns the position after the last whole group of k lines of
// [base, base+n), relative to base, or -1.
func (s *searcher) lastLines(t text, base, n, k int64) (int64, error) {
	w := s.window(t)
	total := int64(0)
	for from := int64(0); from < n; {
		hi := from + min(n-from, w)
		b, err := s.view(t, base+from, hi-from)
		if err != nil {
			return -1, err
		}
		total += int64(bytes.Count(b, nl))
		from = hi
	}
	whole := total - total%k
	if whole == 0 {
		return -1, nil
	}
	// The whole-th newline is the (total-whole+1)-th from the end.
	skip := total - whole
	for hi := n; hi > 0; {
		lo := max(0, hi-w)
		b, err := s.view(t, base+lo, hi-lo)
		if err != nil {
			return -1, err
		}
		for j := len(b); ; {
			j = bytes.LastIndexByte(b[:j], '\n')
			if j < 0 {
				break
			}
			if skip == 0 {
				return lo + int64(j) + 1, nil
			}
			skip--
		}
		hi = lo
	}
	return -1, nil
}

var nl = []byte{'\n'}

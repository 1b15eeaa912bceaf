package pipe

import "fmt"

// cut decides where the block that starts at base ends: n bytes of data
// [base, base+n) are at hand, full says whether n reached the block size
// (when not, they are the rest of the input). It returns the block's
// length, or 0 when the block must grow: no record ends within a full
// block. The rules are GNU parallel's:
//   - plain: a full block ends after its last record end, the rest of the
//     input is one block;
//   - -L: the block ends after its last whole group of lines, full or not;
//   - -N: the block ends after its n-th record, or at the end of the input.
func (s *searcher) cut(t text, base, n int64, full bool) (int64, error) {
	var c int64
	var err error
	switch {
	case s.r.records > 0:
		c, err = s.nthCut(t, base, n, s.r.records)
	case s.r.lines == 0 && !full:
		return n, nil
	default:
		c, err = s.lastCut(t, base, n)
	}
	switch {
	case err != nil:
		return 0, err
	case c > 0:
		return c, nil
	case full:
		return 0, nil
	}
	return n, nil
}

// prefixCut reports whether a cut found in part of a block's data is the
// one the whole block would give, so that a stream need not read more
// before cutting: true for -N with literal separators or lines.
func (r *rules) prefixCut() bool { return r.records > 0 && r.re == nil }

// grow grows the block size after a record did not fit, and warns.
func (r *rules) grow() error {
	nb, err := grownBlock(r.bs)
	if err != nil {
		return err
	}
	if r.warn != nil {
		r.warn(growWarning(r.bs, nb))
	}
	r.bs = nb
	return nil
}

// maxHeaderTry is how far past the first block a --header regexp is
// looked for.
const maxHeaderTry = 1 << 20

// header returns the length of the header at the start of [base,
// base+n), which holds the whole input when eof. A header of lines is
// looked for as far as need be; a regexp in the first block, then, as GNU
// parallel reads on while it does not match, in twice as much, and so on
// up to 1 MiB (or the block). more asks for more data.
func (s *searcher) header(t text, base, n int64, eof bool) (h int64, more bool, err error) {
	switch {
	case s.r.hdrLines > 0:
		c, err := s.nthLine(t, base, n, s.r.hdrLines)
		if err != nil {
			return 0, false, err
		}
		if c < 0 {
			return 0, !eof, nil
		}
		return c, false, nil
	case s.r.hdrRE != nil:
		limit := max(s.r.bs, maxHeaderTry)
		for size := s.r.bs; ; size *= 2 {
			m := min(size, n)
			var loc []int
			if b := t.mem(base, m); b != nil {
				loc = s.r.hdrRE.FindIndex(b)
			} else {
				rr := s.runes(t, base, base+m)
				loc = s.r.hdrRE.FindReaderIndex(rr)
				if rr.err != nil {
					return 0, false, fmt.Errorf("read header: %w", rr.err)
				}
			}
			switch {
			case loc != nil:
				return int64(loc[1]), false, nil
			case m == n && !eof && size < limit:
				return 0, true, nil
			case m == n || size >= limit:
				return 0, false, nil
			}
		}
	}
	return 0, false, nil
}

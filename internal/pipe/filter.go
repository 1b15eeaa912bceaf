package pipe

import "bytes"

// filter applies -r and --rrs to the data of a block in place and returns
// what is left of it: first the lines of only white space go (-r), then
// the separators (--rrs).
func (r *rules) filter(b []byte) []byte {
	if r.skipBlank {
		b = dropBlankLines(b)
	}
	if r.rrs {
		b = r.removeSeps(b)
	}
	return b
}

// dropBlankLines removes, in place, the newline-ended lines of b that hold
// only white space (space, \t, \r, \v, \f), as GNU parallel's -r does
// under --pipe. A last line without a newline stays.
func dropBlankLines(b []byte) []byte {
	out := 0
	for i := 0; i < len(b); {
		// i starts a line: skip the white space, newlines included, up to
		// the last newline of the run.
		j := i
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if k := bytes.LastIndexByte(b[i:j], '\n'); k >= 0 {
			i += k + 1
		}
		end := len(b)
		if k := bytes.IndexByte(b[i:], '\n'); k >= 0 {
			end = i + k + 1
		}
		out += copy(b[out:], b[i:end])
		i = end
	}
	return b[:out]
}

// isSpace reports whether c is ASCII white space, Perl's \s.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// removeSeps removes the record separators from b in place, as GNU
// parallel's --rrs does: every RecEnd followed by RecStart, then a
// RecStart at the start, then a RecEnd at the end.
func (r *rules) removeSeps(b []byte) []byte {
	if r.re != nil {
		out := b
		if r.rrsMid != nil {
			out = r.rrsMid.ReplaceAll(b, nil)
		}
		if r.rrsStart != nil {
			if loc := r.rrsStart.FindIndex(out); loc != nil {
				out = out[loc[1]:]
			}
		}
		if r.rrsEnd != nil {
			if loc := r.rrsEnd.FindIndex(out); loc != nil {
				out = out[:loc[0]]
			}
		}
		return b[:copy(b, out)]
	}
	if len(r.sep) == 0 {
		return b
	}
	out := 0
	for i := 0; ; {
		k := bytes.Index(b[i:], r.sep)
		if k < 0 {
			out += copy(b[out:], b[i:])
			break
		}
		out += copy(b[out:], b[i:i+k])
		i += k + len(r.sep)
	}
	b = b[:out]
	if len(r.start) > 0 && bytes.HasPrefix(b, r.start) {
		b = b[:copy(b, b[len(r.start):])]
	}
	if end := r.sep[:r.endLen]; len(end) > 0 && bytes.HasSuffix(b, end) {
		b = b[:len(b)-len(end)]
	}
	return b
}

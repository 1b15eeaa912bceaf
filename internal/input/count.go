package input

import (
	"math"
	"math/bits"
)

// Count returns the number of records the Stream yields in all, when that
// can be known apart from reading them: every source is a ::: group or a
// regular file (read a second time, on its own, to count its values), no
// record can be skipped (SkipEmpty off) and records are not batched to fit
// a command line (Batch). ok is false otherwise: stdin and pipes are
// streamed and cannot be counted ahead. Count does not touch the Stream's
// own reading, so it may run on another goroutine.
func (s *Stream) Count() (n int64, ok bool) {
	if s.skipEmpty || s.batch != nil || len(s.srcs) == 0 {
		return 0, false
	}
	lens := make([]int64, len(s.srcs))
	allEmpty := true
	for i, src := range s.srcs {
		if src.recount == nil {
			return 0, false
		}
		l, ok := src.recount()
		if !ok {
			return 0, false
		}
		if s.header && l > 0 {
			l-- // the header line
		}
		lens[i] = l
		allEmpty = allEmpty && l == 0
	}
	if allEmpty {
		return 0, true
	}
	for i := range lens {
		lens[i] = max(lens[i], 1) // an empty source is one empty value
	}
	if s.link {
		for _, l := range lens {
			n = max(n, l)
		}
	} else {
		n = 1
		for _, c := range chains(s.srcs) {
			rows := lens[c.start]
			for _, l := range lens[c.start+1 : c.end] {
				rows = min(rows, l)
			}
			hi, lo := bits.Mul64(uint64(n), uint64(rows))
			if hi != 0 || lo > math.MaxInt64 {
				return 0, false
			}
			n = int64(lo)
		}
	}
	if !s.noArgs && s.maxArgs > 1 {
		n = (n + int64(s.maxArgs) - 1) / int64(s.maxArgs)
	}
	return n, true
}

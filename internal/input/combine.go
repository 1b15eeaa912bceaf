package input

import (
	"errors"
	"io"
)

// combiner yields the combined values of the sources, one per source, into
// vals, or io.EOF.
type combiner interface {
	next(vals []string) error
}

// nextValues returns one value per source for the next combined record. The
// slice is reused by the next call.
func (s *Stream) nextValues() ([]string, error) {
	if s.done {
		return nil, io.EOF
	}
	if !s.loaded {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	if s.done {
		return nil, io.EOF
	}
	if err := s.comb.next(s.vals); err != nil {
		if errors.Is(err, io.EOF) {
			s.done = true
		}
		return nil, err
	}
	return s.vals, nil
}

// chain is a run of sources linked to each other (:::+): sources
// [start, end) of the Stream. Loaded, it has the values of each member.
type chain struct {
	start, end int
	vals       [][]string // per member, once loaded
	rows       int        // rows once loaded: the shortest member
}

// chains cuts the sources into runs of linked sources.
func chains(srcs []*source) []*chain {
	var out []*chain
	for i, src := range srcs {
		if i == 0 || !src.linked {
			out = append(out, &chain{start: i})
		}
		out[len(out)-1].end = i + 1
	}
	return out
}

// load reads the headers, then the first value of the streamed sources,
// then the other sources whole, and sets up the combiner. An empty source
// stands for one empty value unless all are empty, as in GNU parallel.
func (s *Stream) load() error {
	s.loaded = true
	if err := s.readHeaders(); err != nil {
		return err
	}
	s.vals = make([]string, len(s.srcs))
	// The streamed sources: the first, or with Link the first alone, or
	// the first chain. Shuffle streams nothing.
	streamed := 0
	cs := chains(s.srcs)
	switch {
	case s.shuffle:
	case s.link:
		streamed = 1
	default:
		streamed = cs[0].end
	}
	for _, src := range s.srcs[:streamed] {
		ok, err := src.peek()
		if err != nil {
			return err
		}
		src.empty = !ok
	}
	all := make([][]string, len(s.srcs))
	for i, src := range s.srcs[streamed:] {
		vals, err := src.all()
		if err != nil {
			return err
		}
		all[streamed+i] = vals
		src.empty = len(vals) == 0
	}
	allEmpty := true
	for _, src := range s.srcs {
		allEmpty = allEmpty && src.empty
	}
	if allEmpty {
		s.done = true
		return nil
	}
	for i, src := range s.srcs {
		if !src.empty {
			continue
		}
		if i < streamed {
			src.r, src.hasBack = &valueList{vals: []string{""}}, false
		} else {
			all[i] = []string{""}
		}
	}
	switch {
	case s.shuffle:
		s.comb = newShuffled(s.link, cs, all, s.rand)
	case s.link:
		c := &linked{first: s.srcs[0], rest: all[1:]}
		for _, vals := range c.rest {
			c.restMax = max(c.restMax, len(vals))
		}
		s.comb = c
	default:
		for _, c := range cs[1:] {
			c.load(all)
		}
		s.comb = &cross{first: cs[0], srcs: s.srcs, rest: cs[1:], idx: make([]int, len(cs)-1)}
	}
	return nil
}

// load takes the chain's values from all and counts its rows.
func (c *chain) load(all [][]string) {
	c.vals = all[c.start:c.end]
	c.rows = len(c.vals[0])
	for _, v := range c.vals[1:] {
		c.rows = min(c.rows, len(v))
	}
}

// fill puts row r of a loaded chain into vals.
func (c *chain) fill(vals []string, r int) {
	for m, v := range c.vals {
		vals[c.start+m] = v[r]
	}
}

// cross is the cross product of chains: the first chain is streamed and
// varies slowest, the last chain varies fastest.
type cross struct {
	first  *chain
	srcs   []*source
	rest   []*chain
	idx    []int // row of each later chain (an odometer)
	hasCur bool  // vals holds a row of the first chain
}

func (c *cross) next(vals []string) error {
	if !c.hasCur {
		// One value of each member of the first chain; the chain ends
		// with its shortest member.
		for i := c.first.start; i < c.first.end; i++ {
			v, err := c.srcs[i].next()
			if err != nil {
				return err
			}
			vals[i] = v
		}
		c.hasCur = true
	}
	for i, ch := range c.rest {
		ch.fill(vals, c.idx[i])
	}
	// Advance the odometer; when it rolls over, move the first chain on.
	i := len(c.idx) - 1
	for ; i >= 0; i-- {
		c.idx[i]++
		if c.idx[i] < c.rest[i].rows {
			break
		}
		c.idx[i] = 0
	}
	if i < 0 {
		c.hasCur = false
	}
	return nil
}

// linked pairs all sources up (Link). The row count is that of the longest
// source; shorter sources wrap around. Values of the first source are kept
// only while they may be needed to wrap it around, that is up to the length
// of the longest later source.
type linked struct {
	first     *source
	rest      [][]string
	restMax   int      // length of the longest later source
	firstDone bool     // the first source has no more values
	row       int      // index of the next row
	saved     []string // first-source values kept for wrapping around
}

func (l *linked) next(vals []string) error {
	row := l.row
	if !l.firstDone {
		v, err := l.first.next()
		switch {
		case err == nil:
			if row < l.restMax {
				l.saved = append(l.saved, v)
			} else {
				l.saved = nil // the first source is the longest: no wrap
			}
			vals[0] = v
		case errors.Is(err, io.EOF):
			l.firstDone = true
		default:
			return err
		}
	}
	if l.firstDone {
		if row >= l.restMax || len(l.saved) == 0 {
			return io.EOF
		}
		vals[0] = l.saved[row%len(l.saved)]
	}
	for i, v := range l.rest {
		vals[i+1] = v[row%len(v)]
	}
	l.row++
	return nil
}

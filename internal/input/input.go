// Package input turns gopool's input sources into a stream of records.
//
// A source is a list of values given on the command line (::: a b c), a file
// (:::: FILE, -a FILE; "-" is standard input) or standard input. Files are
// split into records at a delimiter (newline by default, NUL with -0, any
// string with -d). Several sources combine as a cross product in GNU
// parallel's order (the last source varies fastest), or pair up with Link.
// Records are bytes held in Go strings: any length, any encoding.
//
// The first source is streamed: a Stream never holds more than the current
// record of it, so memory does not grow with the number of records. Later
// sources of a cross product are read whole (they are iterated many times).
package input

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
)

// SourceSpec is one input source.
type SourceSpec struct {
	// Values holds the values of a ::: group. Used when IsValues is true.
	Values   []string
	IsValues bool
	// Path is a file to read records from when IsValues is false; "-" means
	// Config.Stdin.
	Path string
}

// Config says where records come from and how they are cut.
type Config struct {
	// Sources in command-line order. Empty means standard input.
	Sources []SourceSpec
	// Stdin is read for "-" and when Sources is empty. Nil means os.Stdin.
	Stdin io.Reader
	// Delim ends a record in files and stdin. Empty means "\n". A trailing
	// "\r" is kept. A last record without a delimiter is still a record.
	Delim string
	// Link pairs the sources up (the n-th value of each) instead of the cross
	// product; shorter sources wrap around, like GNU parallel's --link.
	Link bool
	// MaxArgs puts up to MaxArgs records in one Record (-n). 0 means 1.
	MaxArgs int
	// ColSep, when set, splits each value into columns (--colsep).
	ColSep *regexp.Regexp
	// SkipEmpty drops records that are empty or only white space (-r).
	SkipEmpty bool
}

// Record is one job's input.
type Record struct {
	// Args are the job's arguments in order: one per source, or one per
	// column with ColSep, or MaxArgs records' worth with MaxArgs.
	// {N} in a template is Args[N-1].
	Args []string
}

// errIsDir is the reason a directory cannot be an input file.
var errIsDir = errors.New("is a directory")

// Stream yields records one at a time. It is not safe for concurrent use.
//
// The first source is read as Next asks for records; the later sources are
// read whole by the first call to Next.
type Stream struct {
	link      bool
	maxArgs   int
	colSep    *regexp.Regexp
	skipEmpty bool

	srcs    []*source
	closers []io.Closer

	loaded bool       // later sources read
	rest   [][]string // values of the later sources, once loaded
	done   bool       // no more records
	err    error      // sticky error, returned by every later Next

	// Cross product state.
	cur    string // current value of the first source
	hasCur bool
	idx    []int // index into rest for each later source (odometer)

	// Link state.
	firstDone bool     // the first source has no more records
	row       int      // index of the next linked row
	saved     []string // first-source values kept for wrapping around
	restMax   int      // length of the longest later source

	vals []string // scratch: the values of one combined record
}

// source is one input source: a list of values or a stream of records.
type source struct {
	name   string
	values []string
	pos    int
	sp     *splitter
	// path and delim are set for a regular file, which Count can read a
	// second time on its own.
	path, delim string
}

// next returns the source's next value or io.EOF. A read error is wrapped
// with the source's name.
func (src *source) next() (string, error) {
	if src.sp == nil {
		if src.pos >= len(src.values) {
			return "", io.EOF
		}
		v := src.values[src.pos]
		src.pos++
		return v, nil
	}
	v, err := src.sp.next()
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read %s: %w", src.name, err)
	}
	return v, err
}

// all reads the rest of the source into memory.
func (src *source) all() ([]string, error) {
	if src.sp == nil {
		return src.values[src.pos:], nil
	}
	var out []string
	for {
		v, err := src.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// Open checks and opens every source. An unreadable file is an error that
// names it ("open FILE: ..."); nothing is read from the first source yet.
func Open(cfg Config) (*Stream, error) {
	delim := cfg.Delim
	if delim == "" {
		delim = "\n"
	}
	stdin := cfg.Stdin
	if stdin == nil {
		stdin = os.Stdin
	}
	specs := cfg.Sources
	if len(specs) == 0 {
		specs = []SourceSpec{{Path: "-"}}
	}
	s := &Stream{
		link:      cfg.Link,
		maxArgs:   max(cfg.MaxArgs, 1),
		colSep:    cfg.ColSep,
		skipEmpty: cfg.SkipEmpty,
	}
	for _, spec := range specs {
		switch {
		case spec.IsValues:
			s.srcs = append(s.srcs, &source{name: ":::", values: spec.Values})
		case spec.Path == "-":
			s.srcs = append(s.srcs, &source{name: "stdin", sp: newSplitter(stdin, delim)})
		default:
			f, err := os.Open(spec.Path)
			if err != nil {
				_ = s.Close()
				return nil, err // *PathError: "open FILE: ..."
			}
			s.closers = append(s.closers, f)
			if fi, err := f.Stat(); err == nil && fi.IsDir() {
				_ = s.Close()
				return nil, &os.PathError{Op: "open", Path: spec.Path, Err: errIsDir}
			}
			src := &source{name: spec.Path, sp: newSplitter(f, delim)}
			if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
				src.path, src.delim = spec.Path, delim
			}
			s.srcs = append(s.srcs, src)
		}
	}
	return s, nil
}

// Next returns the next record, or io.EOF after the last one. A read error
// is returned wrapped with the source's name.
func (s *Stream) Next() (Record, error) {
	if s.err != nil {
		return Record{}, s.err
	}
	var args []string
	for n := 0; n < s.maxArgs; {
		vals, err := s.nextValues()
		if errors.Is(err, io.EOF) && n > 0 {
			break
		}
		if err != nil {
			s.err = err
			return Record{}, err
		}
		if s.skipEmpty && allBlank(vals) {
			continue
		}
		args = s.appendArgs(args, vals)
		n++
	}
	return Record{Args: args}, nil
}

// appendArgs appends the values of one combined record to args, split into
// columns when ColSep is set.
func (s *Stream) appendArgs(args, vals []string) []string {
	if s.colSep == nil {
		return append(args, vals...)
	}
	for _, v := range vals {
		args = append(args, s.colSep.Split(v, -1)...)
	}
	return args
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
	if s.link {
		return s.nextLinked()
	}
	return s.nextCross()
}

// load reads the later sources whole and sets up the iteration state.
func (s *Stream) load() error {
	s.loaded = true
	s.rest = make([][]string, len(s.srcs)-1)
	for i, src := range s.srcs[1:] {
		vals, err := src.all()
		if err != nil {
			return err
		}
		if len(vals) == 0 {
			// An empty source leaves no combination (cross product) and
			// nothing to wrap around (link).
			s.done = true
		}
		s.rest[i] = vals
		s.restMax = max(s.restMax, len(vals))
	}
	s.idx = make([]int, len(s.rest))
	s.vals = make([]string, len(s.srcs))
	return nil
}

// nextCross returns the next combination of the cross product: the first
// source varies slowest, the last fastest.
func (s *Stream) nextCross() ([]string, error) {
	if !s.hasCur {
		v, err := s.srcs[0].next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				s.done = true
			}
			return nil, err
		}
		s.cur, s.hasCur = v, true
	}
	s.vals[0] = s.cur
	for i, vals := range s.rest {
		s.vals[i+1] = vals[s.idx[i]]
	}
	// Advance the odometer; when it rolls over, move the first source on.
	i := len(s.idx) - 1
	for ; i >= 0; i-- {
		s.idx[i]++
		if s.idx[i] < len(s.rest[i]) {
			break
		}
		s.idx[i] = 0
	}
	if i < 0 {
		s.hasCur = false
	}
	return s.vals, nil
}

// nextLinked returns the next row of linked sources. The row count is that
// of the longest source; shorter sources wrap around. Values of the first
// source are kept only while they may be needed to wrap it around, that is
// up to the length of the longest later source.
func (s *Stream) nextLinked() ([]string, error) {
	row := s.row
	if !s.firstDone {
		v, err := s.srcs[0].next()
		switch {
		case err == nil:
			if row < s.restMax {
				s.saved = append(s.saved, v)
			} else {
				s.saved = nil // the first source is the longest: no wrap
			}
			s.vals[0] = v
		case errors.Is(err, io.EOF):
			s.firstDone = true
		default:
			return nil, err
		}
	}
	if s.firstDone {
		if row >= s.restMax || len(s.saved) == 0 {
			s.done = true
			return nil, io.EOF
		}
		s.vals[0] = s.saved[row%len(s.saved)]
	}
	for i, vals := range s.rest {
		s.vals[i+1] = vals[row%len(vals)]
	}
	s.row++
	return s.vals, nil
}

// allBlank reports whether every value is empty or only white space.
func allBlank(vals []string) bool {
	for _, v := range vals {
		for i := 0; i < len(v); i++ {
			switch v[i] {
			case ' ', '\t', '\n', '\v', '\f', '\r':
			default:
				return false
			}
		}
	}
	return true
}

// Close closes the files that Open opened.
func (s *Stream) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c.Close())
	}
	s.closers = nil
	return errors.Join(errs...)
}

// Count returns the number of records the Stream yields in all, when that
// can be known apart from reading them: every source is a ::: group or a
// regular file (read a second time, on its own, to count its records) and
// no record can be skipped (SkipEmpty off). ok is false otherwise: stdin
// and pipes are streamed and cannot be counted ahead. Count does not touch
// the Stream's own reading, so it may run on another goroutine.
func (s *Stream) Count() (n int64, ok bool) {
	if s.skipEmpty || len(s.srcs) == 0 {
		return 0, false
	}
	for i, src := range s.srcs {
		var l int64
		switch {
		case src.sp == nil:
			l = int64(len(src.values))
		case src.path != "":
			c, err := countRecords(src.path, src.delim)
			if err != nil {
				return 0, false
			}
			l = c
		default:
			return 0, false
		}
		switch {
		case i == 0:
			n = l
		case l == 0:
			n = 0
		case s.link:
			if n > 0 {
				n = max(n, l)
			}
		default:
			n *= l
		}
	}
	if s.maxArgs > 1 {
		n = (n + int64(s.maxArgs) - 1) / int64(s.maxArgs)
	}
	return n, true
}

// countRecords counts the records of the file at path, split at delim.
func countRecords(path, delim string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sp := newSplitter(f, delim)
	var n int64
	for {
		_, err := sp.next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

// Package input turns gopool's input sources into a stream of records.
//
// A source is a list of values given on the command line (::: a b c), a file
// (:::: FILE, -a FILE; "-" is standard input) or standard input. Each source
// is cut into values at a delimiter (newline by default, NUL with -0, any
// string with -d); ::: values are cut too, as GNU parallel does. Several
// sources combine as a cross product in GNU parallel's order (the last
// source varies fastest); a linked source (:::+) pairs up with the one
// before it, and Link pairs them all up. Records are bytes held in Go
// strings: any length, any encoding.
//
// The first source (or the first chain of linked sources) is streamed: a
// Stream never holds more than the current record of it, so memory does not
// grow with the number of records. Later sources of a cross product are read
// whole (they are iterated many times), and so is everything with Shuffle.
package input

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
)

// SourceSpec is one input source.
type SourceSpec struct {
	// Values holds the values of a ::: group. Used when IsValues is true.
	Values   []string
	IsValues bool
	// Path is a file to read records from when IsValues is false; "-" means
	// Config.Stdin.
	Path string
	// Linked pairs this source up with the one before it (:::+, ::::+): the
	// n-th value of each, stopping at the shorter, instead of the cross
	// product. Ignored on the first source.
	Linked bool
}

// Config says where records come from and how they are cut.
type Config struct {
	// Sources in command-line order. Empty means standard input.
	Sources []SourceSpec
	// Stdin is read for "-" and when Sources is empty. Nil means os.Stdin.
	// Several "-" sources share it: each reads on where the last stopped.
	Stdin io.Reader
	// Delim ends a value in files, stdin and ::: groups. Empty means "\n".
	// A trailing "\r" is kept. A last value without a delimiter is still a
	// value.
	Delim string
	// Link pairs all the sources up (the n-th value of each) instead of the
	// cross product; shorter sources wrap around, like GNU parallel's --link.
	Link bool
	// MaxArgs puts up to MaxArgs records in one Record (-n, -N, -L). 0
	// means 1.
	MaxArgs int
	// NoArgs makes each record a Record with no arguments (-n 0, -N 0, -L
	// 0): the command runs once per record, with nothing of it.
	NoArgs bool
	// ColSep, when set, splits each value into columns (--colsep).
	ColSep *regexp.Regexp
	// Trim removes white space around each value, or each column (--trim).
	// The zero value trims columns on both sides when ColSep is set.
	Trim Trim
	// SkipEmpty drops records that are empty or only white space (-r).
	SkipEmpty bool
	// EOF ends each source at a value equal to it (-E), before trimming or
	// continuation; the rest of that source is not read. "" means none.
	EOF string
	// Continue joins a value that ends in white space with the next value
	// of its source, as xargs -L does (-L, -l, --max-lines).
	Continue bool
	// Header makes the first value of each source the names of its columns
	// (--header): see Stream.Header. Without ColSep, values and header are
	// split into columns at TAB, as in GNU parallel.
	Header bool
	// Shuffle yields the records in random order (--shuf). Every source is
	// read whole before the first record.
	Shuffle bool
	// Rand is the randomness of Shuffle; nil means a random seed.
	Rand *rand.Rand
	// Batch, when set, makes each Record as many records as fit one
	// command line (-X, -m, --xargs); MaxArgs is then ignored.
	Batch *Batch
}

// Record is one job's input.
type Record struct {
	// Args are the job's arguments in order: one per source, or one per
	// column with ColSep, or MaxArgs records' worth with MaxArgs.
	// {N} in a template is Args[N-1].
	Args []string
	// Err, when not nil, says why this record cannot be a command line
	// (ErrNUL). The job should fail with it; the stream goes on.
	Err error
}

// ErrNUL is the Err of a record that holds a NUL byte: an argument of a
// command cannot hold one.
var ErrNUL = errors.New("NUL byte in the input (an argument cannot hold one; for NUL-separated input use -0 or --null)")

// errIsDir is the reason a directory cannot be an input file.
var errIsDir = errors.New("is a directory")

// Stream yields records one at a time. It is not safe for concurrent use,
// except for Count.
//
// Open reads nothing. The first call to Next (or Header) reads the header
// of each source, the first value of the first source, and then the later
// sources whole; after it, Empty is known.
type Stream struct {
	link      bool
	maxArgs   int
	noArgs    bool
	cols      *columns
	trim      Trim
	skipEmpty bool
	header    bool
	shuffle   bool
	rand      *rand.Rand
	batch     *batchState
	pipe      pipeline

	srcs    []*source
	closers []io.Closer

	headRead bool     // headers read
	names    []string // column names from the headers
	loaded   bool     // later sources read
	done     bool     // no more combined values
	err      error    // sticky error, returned by every later Next

	comb combiner // yields the combined values of the sources
	vals []string // scratch: the values of one combined record
}

// Open checks and opens every source. An unreadable file is an error that
// names it ("open FILE: ..."); nothing is read from any source yet.
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
	colSep := cfg.ColSep
	if colSep == nil && cfg.Header {
		colSep = tabSep
	}
	s := &Stream{
		link:      cfg.Link,
		maxArgs:   max(cfg.MaxArgs, 1),
		noArgs:    cfg.NoArgs,
		cols:      newColumns(colSep),
		trim:      cfg.Trim.resolve(cfg.ColSep != nil),
		skipEmpty: cfg.SkipEmpty,
		header:    cfg.Header,
		shuffle:   cfg.Shuffle,
		rand:      cfg.Rand,
		pipe:      pipeline{eof: cfg.EOF, cont: cfg.Continue},
	}
	if cfg.Batch != nil && !cfg.NoArgs {
		s.batch = &batchState{Batch: *cfg.Batch}
	}
	var shared *splitter
	stdinSplitter := func() *splitter {
		if shared == nil {
			shared = newSplitter(stdin, delim)
		}
		return shared
	}
	for _, spec := range specs {
		src, c, err := openSource(spec, delim, s.pipe, stdinSplitter)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		if c != nil {
			s.closers = append(s.closers, c)
		}
		s.srcs = append(s.srcs, src)
	}
	return s, nil
}

// tabSep splits columns at TAB: --header without --colsep.
var tabSep = regexp.MustCompile(`\t`)

// Header returns the names of the columns when Config.Header is set,
// reading the first value of each source if Next has not yet: names[i] is
// the name of Args[i] ({i+1}) in the first record of each job. Names are
// not trimmed. A source with no header line has one unnamed ("") column.
// Without Config.Header it returns nil. An error is a read error.
func (s *Stream) Header() ([]string, error) {
	if err := s.readHeaders(); err != nil {
		s.err = err
		return nil, err
	}
	return s.names, nil
}

// Columns turns header names into a map from each name to its column
// number, 1-based as in {N}. The first of two equal names wins; "" is left
// out.
func Columns(names []string) map[string]int {
	m := make(map[string]int, len(names))
	for i, n := range names {
		if _, dup := m[n]; n != "" && !dup {
			m[n] = i + 1
		}
	}
	return m
}

// readHeaders reads the header value of each source, once.
func (s *Stream) readHeaders() error {
	if s.headRead || !s.header {
		s.headRead = true
		return nil
	}
	s.headRead = true
	for _, src := range s.srcs {
		v, err := src.next()
		if errors.Is(err, io.EOF) {
			s.names = append(s.names, "")
			continue
		}
		if err != nil {
			return err
		}
		s.names = s.cols.appendSplit(s.names, v)
	}
	return nil
}

// Empty returns the sources that had no value (after their header line), as
// indexes into Config.Sources (0 for standard input when Sources is empty).
// It is known after the first call to Next. When some but not all sources
// are empty, each empty one stands for one empty value, as in GNU parallel:
// "echo ::: a b :::: /dev/null" runs echo with a and an empty argument, then
// with b and an empty argument. When all are empty, there is no record.
func (s *Stream) Empty() []int {
	var out []int
	for i, src := range s.srcs {
		if src.empty {
			out = append(out, i)
		}
	}
	return out
}

// Next returns the next record, or io.EOF after the last one. A read error
// is returned wrapped with the source's name, and again by every later call.
func (s *Stream) Next() (Record, error) {
	if s.err != nil {
		return Record{}, s.err
	}
	var rec Record
	var err error
	if s.batch != nil {
		rec, err = s.nextBatch()
	} else {
		rec, err = s.nextGroup()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		s.err = err
	}
	return rec, err
}

// nextGroup returns up to maxArgs records as one.
func (s *Stream) nextGroup() (Record, error) {
	var args []string
	for n := 0; n < s.maxArgs; {
		vals, err := s.nextValues()
		if errors.Is(err, io.EOF) && n > 0 {
			break
		}
		if err != nil {
			return Record{}, err
		}
		if s.skipEmpty && allBlank(vals) {
			continue
		}
		if s.noArgs {
			return Record{Args: []string{}}, nil
		}
		args = s.appendArgs(args, vals)
		n++
	}
	return Record{Args: args, Err: checkNUL(args)}, nil
}

// nextOne returns the args of the next record that is not skipped.
func (s *Stream) nextOne() ([]string, error) {
	for {
		vals, err := s.nextValues()
		if err != nil {
			return nil, err
		}
		if s.skipEmpty && allBlank(vals) {
			continue
		}
		return s.appendArgs(nil, vals), nil
	}
}

// checkNUL returns ErrNUL, naming the argument, if an argument holds a NUL.
func checkNUL(args []string) error {
	for i, a := range args {
		if strings.IndexByte(a, 0) >= 0 {
			return fmt.Errorf("argument %d: %w", i+1, ErrNUL)
		}
	}
	return nil
}

// appendArgs appends the values of one combined record to args, split into
// columns when ColSep is set, and trimmed.
func (s *Stream) appendArgs(args, vals []string) []string {
	if s.cols == nil {
		if s.trim == TrimNone {
			return append(args, vals...)
		}
		for _, v := range vals {
			args = append(args, s.trim.apply(v))
		}
		return args
	}
	if args == nil {
		args = make([]string, 0, 4*len(vals)) // room for a few columns
	}
	for _, v := range vals {
		n := len(args)
		args = s.cols.appendSplit(args, v)
		if s.trim != TrimNone {
			for i := n; i < len(args); i++ {
				args[i] = s.trim.apply(args[i])
			}
		}
	}
	return args
}

// allBlank reports whether every value is empty or only white space.
func allBlank(vals []string) bool {
	for _, v := range vals {
		for i := 0; i < len(v); i++ {
			if !isBlank(v[i]) {
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

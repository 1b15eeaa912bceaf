package pipe

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/gopool/gopool/internal/input"
)

// DefaultMemLimit is the block size above which [NewStream] stages blocks
// in unlinked temp files rather than memory.
const DefaultMemLimit = 64 << 20

// Options says how to cut an input into blocks. The zero value is not
// usable: BlockSize must be set.
type Options struct {
	// BlockSize is --block in bytes, and PerSlot a negative --block: that
	// many blocks per job slot, the size worked out from the input's
	// (BlockSize 0; see BlockFor). ParseBlockSize returns both.
	BlockSize int64
	PerSlot   int
	// RecEnd and RecStart are the record separators, as bytes (or RE2
	// regular expressions with Regexp); see Separators for the flags'
	// defaults and escapes. Both empty cuts fixed-size blocks.
	RecEnd, RecStart string
	// Regexp makes RecEnd and RecStart Go RE2 regular expressions
	// (--regexp).
	Regexp bool
	// RemoveSeps removes the separators from each block's data (--rrs):
	// every RecEnd followed by RecStart, a RecStart at the start and a
	// RecEnd at the end. NewStream only.
	RemoveSeps bool
	// Records, when positive, puts that many records in each block (-N);
	// the last block may have fewer. An empty record is a record.
	Records int64
	// Lines, when positive, makes that many newline-ended lines one record
	// (-L), whatever RecEnd and RecStart say. Unlike without it, at the
	// end of the input the last whole records and the partial one are
	// separate blocks (GNU parallel's behaviour).
	Lines int64
	// Header is --header: "" for none, ":" for the first line, a number N
	// for N lines, or an RE2 regular expression matched at the start of
	// the input: in the first block, else (as GNU parallel reads on) in
	// twice as much, and so on up to 1 MiB. The header is taken once and
	// put in front of every block (see Block.Header); a header with no
	// data after it makes no block.
	Header string
	// SkipBlank (-r) removes the lines of only white space (space, \t,
	// \r, \v, \f) from each block once it is cut, and drops a block left
	// empty, as GNU parallel does (so with -N blank records count). A
	// dropped block takes no block number. NewStream only.
	SkipBlank bool
	// Warn, if not nil, receives GNU parallel's warning when a record
	// longer than the block grows it: "A record was longer than N.
	// Increasing to --blocksize M." It is called from Next.
	Warn func(msg string)
	// TempDir holds the temp files of large blocks ("" is os.TempDir()).
	TempDir string
	// MemLimit is the block size above which NewStream keeps blocks in
	// unlinked temp files (0 is DefaultMemLimit). It does not apply with
	// RemoveSeps or SkipBlank, whose blocks are always in memory.
	MemLimit int64
	// Slots is the number of job slots J: NewStream holds at most J+1
	// buffers as long as the caller holds at most J blocks when it calls
	// Next. Zero is taken as 1.
	Slots int
	// window is the size of the reads around a cut in files (tests make
	// it small); 0 is 64 KiB.
	window int
}

// Separators turns the values of --recend and --recstart into record
// separators: C escapes (\n \t \r \0 \\ \xHH, octal \NNN and the like)
// decoded unless regexp, RecEnd defaulting to "\n", or to "" when only
// --recstart is given (GNU parallel's defaults). set says whether each
// flag was given.
func Separators(recend, recstart string, recendSet, recstartSet, regexp bool) (end, start string, err error) {
	if !recendSet {
		recend = "\n"
		if recstartSet {
			recend = ""
		}
	} else if !regexp {
		if recend, err = unescape(recend); err != nil {
			return "", "", fmt.Errorf("--recend: %w", err)
		}
	}
	if recstartSet && !regexp {
		if recstart, err = unescape(recstart); err != nil {
			return "", "", fmt.Errorf("--recstart: %w", err)
		}
	}
	return recend, recstart, nil
}

// unescape decodes the C escapes of a separator; "" stays "".
func unescape(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	return input.ParseDelimiter(s)
}

// rules are Options checked and compiled: what a record is and how a block
// ends.
type rules struct {
	bs      int64
	sep     []byte // RecEnd + RecStart, literal
	endLen  int    // len(RecEnd), literal
	re      *regexp.Regexp
	fixed   bool // no separator: any byte boundary is a record end
	records int64
	lines   int64
	window  int
	warn    func(string)

	hdrLines int64          // header of this many lines
	hdrRE    *regexp.Regexp // or matched by this (anchored)

	// --rrs with regexps
	rrsMid, rrsStart, rrsEnd *regexp.Regexp
	start                    []byte // RecStart, literal
	rrs, skipBlank           bool
}

// compile checks o and compiles its rules.
func (o *Options) compile() (*rules, error) {
	if o.BlockSize <= 0 {
		if o.PerSlot > 0 {
			return nil, errors.New("blocks per job slot need the input's size: a file, or Open")
		}
		return nil, fmt.Errorf("block size %d: must be positive", o.BlockSize)
	}
	if o.Records < 0 || o.Lines < 0 {
		return nil, errors.New("records and lines per block must not be negative")
	}
	r := &rules{
		bs: o.BlockSize, records: o.Records, lines: o.Lines, window: o.window, warn: o.Warn,
		rrs: o.RemoveSeps, skipBlank: o.SkipBlank,
	}
	if r.window <= 0 {
		r.window = 64 << 10
	}
	switch {
	case o.RecEnd == "" && o.RecStart == "":
		r.fixed = true
	case o.Regexp:
		for _, p := range []struct{ flag, re string }{{"--recend", o.RecEnd}, {"--recstart", o.RecStart}} {
			if _, err := regexp.Compile(p.re); err != nil {
				return nil, fmt.Errorf("%s %q: %w", p.flag, p.re, err)
			}
		}
		r.re = regexp.MustCompile("(" + o.RecEnd + ")(?:" + o.RecStart + ")")
		if o.RemoveSeps {
			r.rrsMid = regexp.MustCompile("(?:" + o.RecEnd + ")(?:" + o.RecStart + ")")
			if o.RecStart != "" {
				r.rrsStart = regexp.MustCompile("^(?:" + o.RecStart + ")")
			}
			if o.RecEnd != "" {
				r.rrsEnd = regexp.MustCompile("(?:" + o.RecEnd + ")$")
			}
		}
	default:
		r.sep = []byte(o.RecEnd + o.RecStart)
		r.endLen = len(o.RecEnd)
		r.start = []byte(o.RecStart)
	}
	// A literal separator must fit a window with room to move on.
	if r.window < 2*len(r.sep) {
		r.window = 2 * len(r.sep)
	}
	switch h := o.Header; {
	case h == "":
	case h == ":":
		r.hdrLines = 1
	case isDigits(h):
		n, err := strconv.ParseInt(h, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--header %q: %w", h, err)
		}
		r.hdrLines = n
	default:
		re, err := regexp.Compile("^(?:" + h + ")")
		if err != nil {
			return nil, fmt.Errorf("--header %q: %w", h, err)
		}
		if _, err := regexp.Compile(h); err != nil { // a clean error for unbalanced groups
			return nil, fmt.Errorf("--header %q: %w", h, err)
		}
		r.hdrRE = re
	}
	return r, nil
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

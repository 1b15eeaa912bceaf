package input

import (
	"errors"
	"io"
)

// Batch says how many records make one command line with -X, -m and
// --xargs: as many as fit, as in GNU parallel.
type Batch struct {
	// Max is the most records in one batch (-n or -N with -X); 0 means no
	// limit but the budget.
	Max int
	// Budget is the room for the records on one command line: -s (or the
	// OS limit) less the template's own size and the environment.
	Budget int64
	// Cost is what one record adds to the command line, given its args
	// (GNU parallel counts each argument's length plus one for -m, the
	// word around {} repeated for -X). It is called once per record.
	// Nil counts 1 per record.
	Cost func(args []string) int64
	// Slots spreads the last batch over this many job slots (-j): when the
	// input ends while a batch is filled, its records are shared out
	// evenly, ceil(n/Slots) to a command line, so that all slots work. This
	// is GNU parallel's -X and -m; --xargs does not spread (0 or 1).
	Slots int
}

// batchState is a Batch and where the Stream is in it.
type batchState struct {
	Batch
	ahead    []string // a record read but not yet used
	hasAhead bool
	eof      bool // the input has no more records
	spread   int  // records per batch once spread; 0 before
	pending  [][]string
}

// nextBatch returns the next batch of records as one Record. A record that
// does not fit alone is a batch of its own (the job fails as too long, the
// run goes on); so is a record with a NUL byte, with Err set.
func (s *Stream) nextBatch() (Record, error) {
	b := s.batch
	if len(b.pending) > 0 {
		return b.take(), nil
	}
	var recs [][]string
	var used int64
	for b.Max <= 0 || len(recs) < b.Max {
		args, err := b.pull(s)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Record{}, err
		}
		if nulErr := checkNUL(args); nulErr != nil {
			if len(recs) == 0 {
				return Record{Args: args, Err: nulErr}, nil
			}
			b.push(args)
			break
		}
		c := int64(1)
		if b.Cost != nil {
			c = b.Cost(args)
		}
		if len(recs) > 0 && used+c > b.Budget {
			b.push(args)
			break
		}
		recs = append(recs, args)
		used += c
	}
	if len(recs) == 0 {
		return Record{}, io.EOF
	}
	if !b.eof && !b.hasAhead {
		// Full: see whether the input ends here, to spread this batch.
		args, err := b.pull(s)
		switch {
		case err == nil:
			b.push(args)
		case !errors.Is(err, io.EOF):
			return Record{}, err
		}
	}
	if b.eof && !b.hasAhead && b.Slots > 1 && b.spread == 0 {
		b.spread = (len(recs) + b.Slots - 1) / b.Slots
		b.pending = recs
		return b.take(), nil
	}
	return Record{Args: flatten(recs)}, nil
}

// pull returns the args of the next record, the one pushed back first.
func (b *batchState) pull(s *Stream) ([]string, error) {
	if b.hasAhead {
		b.hasAhead = false
		args := b.ahead
		b.ahead = nil
		return args, nil
	}
	if b.eof {
		return nil, io.EOF
	}
	args, err := s.nextOne()
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return args, err
}

// push keeps a record for the next batch.
func (b *batchState) push(args []string) {
	b.ahead, b.hasAhead = args, true
}

// take returns the next spread batch of the pending records.
func (b *batchState) take() Record {
	n := min(b.spread, len(b.pending))
	recs := b.pending[:n]
	b.pending = b.pending[n:]
	return Record{Args: flatten(recs)}
}

// flatten joins the args of records into one slice.
func flatten(recs [][]string) []string {
	n := 0
	for _, r := range recs {
		n += len(r)
	}
	out := make([]string, 0, n)
	for _, r := range recs {
		out = append(out, r...)
	}
	return out
}

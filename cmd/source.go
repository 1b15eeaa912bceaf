package cmd

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/gopool/gopool/internal/input"
)

// source turns records into jobs for the pool: it numbers them, skips the
// jobs an earlier joblog ran (--resume), spaces job starts (--delay), stops
// once the run drains, and tells the progress bar how many jobs there are.
// next is called by the pool, one call at a time; read may be called from
// any goroutine.
type source struct {
	stream   records
	commands bool // no template: each record is a command line
	exp      expander
	resume   *resumer // nil without --resume
	delay    time.Duration
	ctl      *control
	progress *progress // nil without a progress bar

	seq   int64
	prev  *job // the job started last, for --delay
	nRead atomic.Int64
}

// next returns the next job to run, or false once there is none: the input
// ended (a read error is a Fail of the run), or the run drains.
func (s *source) next() (*job, bool) {
	for {
		j, err := s.stream.next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.ctl.Fail(err)
			}
			if s.progress != nil {
				s.progress.endInput()
			}
			return nil, false
		}
		if s.commands && blank(j.args) {
			continue // a blank line of a command file is no command
		}
		s.seq++
		j.seq = s.seq
		if s.resume != nil {
			skip, err := s.resume.skip(j, s.exp)
			if err != nil {
				j.releaseInput()
				s.ctl.Fail(err)
				return nil, false
			}
			if skip {
				j.releaseInput()
				continue
			}
		}
		if s.ctl.halting() || (s.delay > 0 && !s.waitDelay()) {
			j.releaseInput()
			return nil, false
		}
		if s.delay > 0 {
			j.started = make(chan struct{})
			s.prev = j
		}
		s.nRead.Add(1)
		if s.progress != nil {
			s.progress.addTotal()
		}
		return j, true
	}
}

// read is the number of jobs handed out so far.
func (s *source) read() int64 { return s.nRead.Load() }

// waitDelay waits until --delay has passed since the previous job's
// process started, so that process starts are at least --delay apart; it
// reports false when the run drains meanwhile.
func (s *source) waitDelay() bool {
	p := s.prev
	if p == nil {
		return true
	}
	select {
	case <-p.started:
	case <-s.ctl.drain:
		return false
	}
	if d := time.Until(p.startedAt.Add(s.delay)); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.ctl.drain:
			return false
		}
	}
	return true
}

// resumer knows the jobs of an earlier joblog (--resume, --resume-failed).
type resumer struct {
	path   string
	failed bool // --resume-failed: run the logged jobs that failed again
	logged map[int64]loggedJob
}

// skip reports whether j ran before and is skipped. A job number logged
// with another command is an error: the input or the template changed, and
// resuming would skip the wrong jobs.
func (r *resumer) skip(j *job, exp expander) (bool, error) {
	l, ok := r.logged[j.seq]
	if !ok {
		return false, nil
	}
	delete(r.logged, j.seq)
	// A template with {%} depends on the slot, unknown until the job
	// starts: such a command is matched on its job number alone.
	if cmd := exp.logged(j.args, j.seq, 1); cmd != l.command && !exp.usesSlot(j.args, j.seq) {
		return false, fmt.Errorf("--resume: joblog %s: job %d was %q, now %q: the input or the command changed (use a new joblog)",
			r.path, j.seq, l.command, cmd)
	}
	return !r.failed || l.ok, nil
}

// countTotal tells the progress bar the number of jobs when the input can
// be counted ahead (::: values, regular files): on the side, while the run
// starts. Stdin is only counted as it is read.
func countTotal(recs records, p *progress) {
	go func() {
		if n, ok := recs.count(); ok {
			p.setTotal(n)
		}
	}()
}

// records are what a source makes jobs of: the records of the input
// (recordStream), or pipe mode's blocks (pipe.go).
type records interface {
	// next returns a new job with its arguments (and input), not yet
	// numbered; io.EOF after the last.
	next() (*job, error)
	// count is the number of jobs, when it can be known ahead.
	count() (int64, bool)
	close() error
}

// openRecords opens the input of the run set; stdin is gopool's, stderr
// gets the input's warnings.
func openRecords(set *settings, stdin io.Reader, stderr io.Writer) (records, error) {
	if set.pipe != nil {
		return set.pipe.open(set, stdin, stderr)
	}
	in := set.input
	in.Stdin = stdin
	stream, err := input.Open(in)
	if err != nil {
		return nil, err
	}
	return recordStream{stream}, nil
}

// recordStream is an input stream's records, a job each.
type recordStream struct{ s *input.Stream }

func (r recordStream) next() (*job, error) {
	rec, err := r.s.Next()
	if err != nil {
		return nil, err
	}
	return &job{args: rec.Args}, nil
}

func (r recordStream) count() (int64, bool) { return r.s.Count() }
func (r recordStream) close() error         { return r.s.Close() }

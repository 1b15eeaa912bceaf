package cmd

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/remote"
)

// source turns records into jobs for the pool: it numbers them, skips the
// jobs an earlier joblog ran (--resume), spaces job starts (--delay), stops
// once the run drains, and tells the progress bar how many jobs there are.
// next is called by the pool, one call at a time; read may be called from
// any goroutine.
type source struct {
	stream   records
	fed      fedRecords // pipe mode: stream, whose jobs are fed (pipe.go); nil otherwise
	commands bool       // no template: each record is a command line
	exp      expander
	resume   *resumer // nil without --resume
	delay    time.Duration
	ctl      *control
	progress *progress // nil without a progress bar
	// first is called once, after the first record is read (or the input
	// found empty).
	first func()
	// batch is the budget of -X, -m and --xargs (nil without): a record
	// over it alone fails its job, or with stopLong the run.
	batch    *input.Batch
	stopLong bool
	fan      *fanOut // --onall, --nonall: each record on every host; nil for none

	seq   int64
	prev  *job // the job started last, for --delay
	nRead atomic.Int64
}

// next returns the next job to run, or false once there is none: the input
// ended (a read error is a Fail of the run), or the run drains.
func (s *source) next() (*job, bool) {
	for {
		pin, rec, ok := s.record()
		if !ok {
			return nil, false
		}
		s.seq++
		j := &job{seq: s.seq, args: rec.Args, inputErr: rec.Err}
		j.remote.pin = pin
		if s.fed != nil {
			j.in = s.fed.input()
		}
		run, stop := s.admit(j) // stop is never with run
		if !run {
			j.releaseInput()
			if stop {
				return nil, false
			}
			continue
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

// record reads the next record, from --onall's fan-out (pin is then its
// host) or the input; false once the input has ended.
func (s *source) record() (*remote.Host, input.Record, bool) {
	for {
		pin, rec, fanned := s.fan.next()
		if fanned {
			s.callFirst()
			return pin, rec, true
		}
		rec, err := s.stream.Next()
		s.callFirst()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.ctl.Fail(err)
			}
			if s.progress != nil {
				s.progress.endInput()
			}
			return nil, rec, false
		}
		if s.commands && blank(rec.Args) {
			continue // a blank line of a command file is no command
		}
		if s.fan != nil {
			s.fan.record(rec)
			pin, rec, _ = s.fan.next()
		}
		return pin, rec, true
	}
}

// callFirst calls first once.
func (s *source) callFirst() {
	if s.first != nil {
		s.first()
		s.first = nil
	}
}

// admit decides on job j: run it, skip it (it keeps its number), or stop
// handing out jobs (a --halt, a drain, a record too long for the batch).
func (s *source) admit(j *job) (run, stop bool) {
	if s.exp.skip(j.args) {
		return false, false // --plus {uniq}, {choose_k}
	}
	if err := s.tooLong(j); err != nil {
		return false, true
	}
	if s.resume != nil {
		skip, err := s.resume.skip(j, s.exp)
		if err != nil {
			s.ctl.Fail(err)
			return false, true
		}
		if skip {
			return false, false
		}
	}
	if s.ctl.halting() || (s.delay > 0 && !s.waitDelay()) {
		return false, true
	}
	return true, false
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
func countTotal(stream *input.Stream, p *progress) {
	go func() {
		if n, ok := stream.Count(); ok {
			p.setTotal(n)
		}
	}()
}

// tooLong checks j's arguments against the budget of -X, -m and --xargs:
// a record over it alone fails its job (j.inputErr), or with -x stops the
// run (a Fail, whose error is returned).
func (s *source) tooLong(j *job) error {
	if s.batch == nil || s.batch.Cost == nil || j.inputErr != nil {
		return nil
	}
	if c := s.batch.Cost(j.args); c > s.batch.Budget {
		err := fmt.Errorf("job %d: its arguments take %d bytes, over the %d a command line has room for (-s)", j.seq, c, s.batch.Budget)
		if s.stopLong {
			s.ctl.Fail(fmt.Errorf("%w; -x stops the run", err))
			return err
		}
		j.inputErr = fmt.Errorf("its arguments take %d bytes, over the %d a command line has room for (-s)", c, s.batch.Budget)
	}
	return nil
}

// openInput opens the input of the run into src: pipe mode's blocks
// (pipe.go), or the records of the input sources, prepared
// (prepareSource). It returns the number of jobs (-1 when it is not known
// ahead), the stream the progress bar may count them on (nil for none),
// and what closes the input.
func openInput(set *settings, streams *Streams, src *source) (int64, *input.Stream, func(), error) {
	if set.pipe != nil {
		fed, err := set.pipe.open(set, streams.In, streams.Err)
		if err != nil {
			return -1, nil, nil, err
		}
		src.stream, src.fed = fed, fed
		return -1, nil, func() { _ = fed.close() }, nil
	}
	in := set.input
	in.Stdin = streams.In
	stream, err := input.Open(in)
	if err != nil {
		return -1, nil, nil, err
	}
	src.stream = stream
	total, err := prepareSource(set, stream, src, streams.Err)
	if err != nil {
		stream.Close()
		return -1, nil, nil, err
	}
	return total, stream, func() { stream.Close() }, nil
}

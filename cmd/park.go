package cmd

import (
	"encoding/binary"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/gopool/gopool/output/spool"
)

// done is a finished job as the pool hands it on: the job itself, or, once
// parked (in map mode, a job that finished before an earlier one), only
// where the spill keeps it. A parked job costs a few dozen bytes of memory
// however many wait: its command, result and output are in the spill file.
type done struct {
	j   *job
	ref spool.Ref // where the job is, when j is nil
}

// heldJobs is how many waiting jobs stay in memory, whole, before the next
// ones go to the spill. Jobs that finish about in order (a few wait at a
// time) cost no copy through the spill; a long wait behind a slow head
// costs at most this many jobs' memory buffers (64 KiB each), and a few
// dozen bytes for every job past them.
const heldJobs = 16

// parker keeps waiting jobs in a spill file (map mode).
type parker struct {
	spill *spool.Spill
	buf   []byte
	held  int // waiting jobs kept in memory
}

// park keeps j, completed, in memory while fewer than heldJobs wait there,
// else moves it into the spill. On error (a full disk) j stays in memory,
// whole. park and unpark are called on the pool's goroutine only.
func (p *parker) park(j *job) done {
	if j.ci.kept != [2]*keptEnds{} {
		return done{j: j} // --line-buffer's ends for --junit stay in memory
	}
	if p.held < heldJobs {
		p.held++
		j.held = true // on the job, not in done: the pool keeps a done per waiting job
		return done{j: j}
	}
	p.buf = encodeJob(p.buf[:0], j)
	ref, err := p.spill.Store(p.buf, j.out.stdout, j.out.stderr)
	if err != nil {
		return done{j: j}
	}
	j.out.stdout, j.out.stderr = nil, nil
	return done{ref: ref}
}

// unpark returns the job d stands for.
func (p *parker) unpark(d done) (*job, error) {
	if d.j != nil {
		if d.j.held {
			d.j.held = false
			p.held--
		}
		return d.j, nil
	}
	meta, cs, err := p.spill.Load(d.ref)
	if err != nil {
		return nil, fmt.Errorf("read a waiting job back: %w", err)
	}
	j, err := decodeJob(meta)
	if err != nil || len(cs) != 2 {
		for _, c := range cs {
			c.Close()
		}
		return nil, fmt.Errorf("read a waiting job back: %w", cmpErr(err, errors.New("bad record")))
	}
	j.out.stdout, j.out.stderr = cs[0], cs[1]
	return j, nil
}

func (p *parker) close() {
	if p != nil {
		p.spill.Close()
	}
}

// cmpErr is err, or else fallback.
func cmpErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// Flags of an encoded job.
const (
	encTimedOut = 1 << iota
	encStopped
	encHasArgv
	encHasErr
)

// encodeJob appends what printing j needs: its number, slot, arguments,
// command, result and gopool's note. Its output goes to the spill apart.
func encodeJob(b []byte, j *job) []byte {
	flags := byte(0)
	if j.res.TimedOut {
		flags |= encTimedOut
	}
	if j.res.Stopped {
		flags |= encStopped
	}
	if j.argv != nil {
		flags |= encHasArgv
	}
	if j.res.Err != nil {
		flags |= encHasErr
	}
	b = append(b, flags)
	b = binary.AppendVarint(b, j.seq)
	b = binary.AppendVarint(b, int64(j.slot))
	b = appendStrings(b, j.args)
	if j.argv != nil {
		b = appendStrings(b, j.argv)
	}
	b = binary.AppendVarint(b, int64(j.res.ExitCode))
	b = binary.AppendVarint(b, int64(j.res.Signal))
	b = binary.AppendVarint(b, j.res.Start.UnixNano())
	b = binary.AppendVarint(b, int64(j.res.Duration))
	b = binary.AppendVarint(b, j.res.Sent)
	if j.res.Err != nil {
		b = appendString(b, j.res.Err.Error())
	}
	b = binary.AppendVarint(b, j.out.streamed)
	return appendString(b, j.out.note)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

// decoder reads what encodeJob wrote; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

var errBadJob = errors.New("bad job record")

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errBadJob, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || uint64(len(d.b)-k) < n {
		d.err, d.b = errBadJob, nil
		return ""
	}
	s := string(d.b[k : k+int(n)])
	d.b = d.b[k+int(n):]
	return s
}

func (d *decoder) strings() []string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)) {
		d.err, d.b = errBadJob, nil
		return nil
	}
	d.b = d.b[k:]
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.string()
	}
	return ss
}

// decodeJob makes a completed job of what encodeJob wrote.
func decodeJob(b []byte) (*job, error) {
	if len(b) == 0 {
		return nil, errBadJob
	}
	flags := b[0]
	d := &decoder{b: b[1:]}
	j := &job{completed: true}
	j.seq = d.varint()
	j.slot = int(d.varint())
	j.args = d.strings()
	if flags&encHasArgv != 0 {
		j.argv = d.strings()
	}
	j.res.ExitCode = int(d.varint())
	j.res.Signal = syscall.Signal(d.varint())
	j.res.Start = time.Unix(0, d.varint())
	j.res.Duration = time.Duration(d.varint())
	j.res.Sent = d.varint()
	j.res.TimedOut = flags&encTimedOut != 0
	j.res.Stopped = flags&encStopped != 0
	if flags&encHasErr != 0 {
		j.res.Err = errors.New(d.string())
	}
	j.out.streamed = d.varint()
	j.out.note = d.string()
	return j, d.err
}

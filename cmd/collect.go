package cmd

import (
	"errors"
	"syscall"
)

// collector takes finished jobs from the pool, on the pool's goroutine: it
// counts each (tally), logs it (--joblog), ticks the progress bar and acts
// on --halt, once per job in completion order; and it prints each in
// output order through the sink. A write error stops the printing and the
// run.
type collector struct {
	tally  tally
	joblog *joblog // nil without --joblog
	// logLate writes a job's joblog row after its output (--joblog - shares
	// stdout with it, as GNU parallel does), not as it completes.
	logLate  bool
	progress *progress // nil without a progress bar
	rep      *reports  // nil without --junit, --summary or --ci-groups
	sink     sink
	parker   *parker // map mode: keeps waiting jobs in the spill
	ctl      *control
	src      *source
	exp      expander
	quiet    bool // printing stopped: stdout is gone or failed
	// tty: jobs have the terminal (--tty), so the terminal's Ctrl-C and
	// Ctrl-\ reach the job, not gopool: a job they end stops the run.
	tty bool
}

// park completes j, which finished before an earlier job (map mode), and
// moves it into the spill while it waits.
func (c *collector) park(d done) done {
	c.complete(d.j)
	return c.parker.park(d.j)
}

// emit completes a job, if park did not, and prints it.
func (c *collector) emit(d done) {
	j, err := c.parker.unpark(d)
	if err != nil {
		c.quiet = true
		c.ctl.Fail(err)
		return
	}
	if !j.completed {
		c.complete(j)
	}
	// The reports read the output before the sink releases it, printed
	// or not.
	if err := c.rep.add(j, c.ctl); err != nil {
		c.ctl.Fail(err)
	}
	if c.quiet || c.ctl.stopCode() == ExitBrokenPipe {
		c.quiet = true
		j.out.release()
		return
	}
	rowLen := j.out.received()
	if err := c.sink.print(j); err != nil {
		c.quiet = true
		if errors.Is(err, syscall.EPIPE) {
			c.ctl.Stop(ExitBrokenPipe)
		} else {
			c.ctl.Fail(err)
		}
		return
	}
	if c.logLate {
		c.log(j, rowLen)
	}
}

// complete counts and logs a finished job and checks --halt.
func (c *collector) complete(j *job) {
	j.completed = true
	failed := c.tally.countsFailed(j)
	halt := c.tally.add(j, c.src.read())
	if !c.logLate {
		c.log(j, j.out.received())
	}
	if c.progress != nil {
		c.progress.jobDone(failed)
	}
	if halt != haltNever {
		c.ctl.Halt(halt == haltNow)
	}
	if c.tty {
		switch j.res.Signal {
		case syscall.SIGINT:
			c.ctl.Stop(ExitInterrupted)
		case sigQuit:
			c.ctl.Stop(ExitQuit)
		}
	}
}

// log writes j's joblog row, if there is a joblog; received is the bytes of
// output j printed. A failed write is a failure of the run.
func (c *collector) log(j *job, received int64) {
	if c.joblog == nil {
		return
	}
	err := c.joblog.write(&joblogRow{
		seq: j.seq, start: j.res.Start, runtime: j.res.Duration,
		send: j.res.Sent, receive: received,
		exitCode: joblogExit(j.res), signal: int(j.res.Signal),
		command: c.exp.command(j.args, j.seq, j.slot, j.argv),
	})
	if err != nil {
		c.joblog = nil
		c.ctl.Fail(err)
	}
}

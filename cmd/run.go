package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gopool/gopool/output/spool"
	"github.com/gopool/gopool/pool"
)

// runJobs runs map or submit with checked settings: records from the
// source become jobs, the executor runs them with l (nil: chosen from the
// settings) on the pool's slots, and the collector counts, logs and prints
// them through the sink. control carries every early end back.
func runJobs(ctx context.Context, streams *Streams, set *settings, l launcher) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if l == nil {
		l = set.launcher()
	}
	var guard *guard
	if _, local := l.(localLauncher); local {
		guard = startGuard()
		defer guard.close()
	}
	if !set.dryRun {
		// Output past the memory buffer goes to temp storage: make sure it
		// works before anything runs, rather than lose output later.
		if err := checkTemp(set.tmpDir); err != nil {
			return usageErr("%w", err)
		}
	}
	stream, err := openRecords(set, streams.In, streams.Err)
	if err != nil {
		return usageErr("%w", err)
	}
	defer stream.close()
	src := &source{stream: stream, commands: set.tmpl == nil, exp: set.expander(), delay: set.delay}
	if set.resume != resumeNone {
		logged, err := readJoblog(set.joblog)
		if err != nil {
			return usageErr("%w", err)
		}
		src.resume = &resumer{path: set.joblog, failed: set.resume == resumeFailed, logged: logged}
	}
	rep, err := newReports(set, streams)
	if err != nil {
		return err
	}
	defer rep.close()
	c := &collector{tally: tally{halt: set.halt}, src: src, exp: src.exp, rep: rep}
	if set.joblog != "" && !set.dryRun { // a dry run runs nothing to log
		if c.joblog, err = openJoblog(set.joblog, set.joblogAppend, streams.Out, streams.Err); err != nil {
			return usageErr("%w", err)
		}
		defer c.joblog.close()
		c.logLate = set.joblogOnStream()
	}
	if c.progress = newProgress(streams, set); c.progress != nil {
		if set.resume == resumeNone {
			countTotal(stream, c.progress)
		}
		src.progress = c.progress
	}
	c.sink = newSink(set, streams, c.progress)
	defer c.sink.close()

	procs := newProcs(l)
	procs.guard = guard
	c.ctl = newControl(ctx, procs)
	defer c.ctl.close()
	src.ctl = c.ctl
	watchDrain(stream, c.ctl.drain)
	sig := watchSignals(c.ctl, procs, streams.Err)
	defer sig.stop()
	sig.watchOutput(streams.Out)

	exe := &executor{exp: src.exp, launch: procs, sink: c.sink, env: os.Environ(),
		timeout: set.timeout, termSeq: set.termSeq, retries: set.retries}
	popt := pool.Options[*job]{Workers: set.workers, Ordered: set.mode == modeMap, Drain: c.ctl.drain}
	if popt.Ordered {
		popt.Park = c.park
	}
	pool.Run(c.ctl.jobs, popt, src.next, exe.run, c.emit)
	return c.finish(streams, set.joblog)
}

// finish ends the run: the JUnit report, the bar's last line, the joblog
// closed, the summary line (and --summary table), and the error that
// carries the exit code.
func (c *collector) finish(streams *Streams, joblogPath string) error {
	c.rep.finish(c.ctl, streams.Err) // the JUnit report, however the run ended
	if c.progress != nil {
		c.progress.close()
	}
	if c.joblog != nil {
		if err := c.joblog.close(); err != nil {
			c.ctl.Fail(err)
		}
	}
	code, err := c.ctl.result()
	switch {
	case code != 0:
		return &ExitError{Code: code}
	case err != nil:
		return &ExitError{Code: ExitCannotRun, Err: err}
	}
	command := func(j *job) string { return c.exp.command(j.args, j.seq, j.slot, j.argv) }
	if line := c.tally.summary(joblogPath, command); line != "" {
		fmt.Fprintln(streams.Err, line)
		c.rep.printSummary(streams.Err)
	}
	if code := c.tally.exitCode(); code != ExitOK {
		return &ExitError{Code: code}
	}
	return nil
}

// checkTemp checks that a temp file can be made in dir ("" is $TMPDIR or
// /tmp).
func checkTemp(dir string) error {
	f, err := spool.CreateTemp(dir)
	if err != nil {
		if dir == "" {
			dir = os.TempDir()
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is a temp name: say the directory instead
		}
		return fmt.Errorf("temp storage %s: %w (set TMPDIR or --tmpdir)", dir, err)
	}
	return f.Close()
}

package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gopool/gopool/output/spool"
	"github.com/gopool/gopool/pool"
	"github.com/gopool/gopool/runner"
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
	if _, local := l.(localLauncher); local && set.remote.local() {
		guard = newGuard()
		defer guard.close()
	}
	if !set.dryRun {
		// Output past the memory buffer goes to temp storage: make sure it
		// works before anything runs, rather than lose output later.
		if err := checkTemp(set.tmpDir); err != nil {
			return usageErr("%w", err)
		}
	}
	rr, err := newRemoteRun(ctx, set, streams.Err)
	if err != nil {
		return err
	}
	defer rr.close()
	src := &source{commands: set.tmpl == nil, exp: set.expander(), delay: set.delay}
	total, stream, closeInput, err := openInput(set, streams, src)
	if err != nil {
		return usageErr("%w", err)
	}
	defer closeInput()
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
	c := &collector{tally: tally{halt: set.halt, total: max(total, 0)}, src: src, exp: src.exp, rep: rep}
	if set.joblog != "" && !set.dryRun { // a dry run runs nothing to log
		if c.joblog, err = openJoblog(set.joblog, set.joblogAppend, streams.Out, streams.Err); err != nil {
			return usageErr("%w", err)
		}
		defer c.joblog.close()
		c.logLate = set.joblogOnStream()
	}
	if c.progress = newProgress(streams, set); c.progress != nil {
		switch {
		case rr.fanOut() != nil:
			// --onall: one job per record and host, the count unknown
		case total >= 0:
			c.progress.setTotal(total)
		case set.resume == resumeNone && stream != nil:
			countTotal(stream, c.progress)
		}
		src.progress = c.progress
	}
	c.sink = newSink(set, streams, c.progress)
	defer c.sink.close()

	procs := newProcs(l)
	procs.guard = guard
	procs.throttle = newThrottle(streams.Err)
	c.ctl = newControl(ctx, procs)
	defer c.ctl.close()
	src.ctl = c.ctl
	watchDrain(src.fed, c.ctl.drain)
	sig := watchSignals(c.ctl, procs, streams.Err)
	defer sig.stop()
	sig.watchOutput(streams.Out)
	var tty *os.File
	if set.tty {
		if tty, err = openTTY(); err != nil {
			return usageErr("%w", err)
		}
		defer tty.Close()
		if !runner.ForegroundOf(tty) {
			fmt.Fprintln(streams.Err, "gopool: --tty: gopool is not in the terminal's foreground, so its jobs cannot have it")
			tty = nil
		}
		c.tty = true
	} else if guard != nil {
		defer watchTTY(procs, streams.Err).stop()
	}

	exe := &executor{exp: src.exp, launch: procs, sink: c.sink, env: os.Environ(),
		timeout: set.timeout, termSeq: set.termSeq, retries: set.retries, tty: tty, echo: newEchoer(set, streams, c.progress)}
	workers := set.workers
	if guard != nil { // local jobs: mind `ulimit -u`
		workers = fitProcesses(workers, procHeadroom(), streams.Err)
	}
	if rr != nil {
		workers, exe.remote, src.fan = rr.wire(c.ctl.jobs, procs, c.progress), rr, rr.fanOut()
	}
	popt := pool.Options[done]{Workers: workers, Ordered: set.mode == modeMap, Drain: c.ctl.drain}
	if popt.Ordered {
		c.parker = &parker{spill: spool.NewSpill(set.tmpDir, 0)}
		defer c.parker.close()
		popt.Park = c.park
	}
	run := func(ctx context.Context, slot int, j *job) done { return done{j: exe.run(ctx, slot, j)} }
	pool.Run(c.ctl.jobs, popt, src.next, run, c.emit)
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
	command := func(j *job) string { return c.exp.on(j.hostName()).command(j.args, j.seq, j.slot, j.argv) }
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

package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gopool/gopool/internal/input"
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
	var undo cleanups
	defer undo.run()
	r, err := setUp(ctx, streams, set, l, &undo)
	if err != nil {
		return err
	}
	tty, err := r.startControl(ctx, &undo)
	if err != nil {
		return err
	}
	c, src := r.c, r.src
	exe := &executor{exp: src.exp, launch: r.procs, sink: c.sink, env: os.Environ(),
		timeout: set.timeout, termSeq: set.termSeq, retries: set.retries, tty: tty,
		echo: newEchoer(set, streams, c.progress)}
	workers := set.workers
	if r.guard != nil { // local jobs: mind `ulimit -u`
		workers = fitProcesses(workers, procHeadroom(), streams.Err)
	}
	if r.remote != nil {
		workers, exe.remote, src.fan = r.remote.wire(c.ctl.jobs, r.procs, c.progress), r.remote, r.remote.fanOut()
	}
	popt := pool.Options[done]{Workers: workers, Ordered: set.mode == modeMap, Drain: c.ctl.drain}
	if popt.Ordered {
		c.parker = &parker{spill: spool.NewSpill(set.tmpDir, 0)}
		undo.add(c.parker.close)
		popt.Park = c.park
	}
	runJob := func(ctx context.Context, slot int, j *job) done { return done{j: exe.run(ctx, slot, j)} }
	pool.Run(c.ctl.jobs, popt, src.next, runJob, c.emit)
	return c.finish(streams, set.joblog)
}

// cleanups undoes a run's setup, in reverse order.
type cleanups []func()

func (u *cleanups) add(f func()) { *u = append(*u, f) }

// run undoes everything added, last first. It must be deferred as
// undo.run() on a cleanups variable: the pointer receiver sees what is
// added after the defer.
func (u *cleanups) run() {
	for i := len(*u) - 1; i >= 0; i-- {
		(*u)[i]()
	}
}

// run is the stages of one run, wired.
type run struct {
	set     *settings
	streams *Streams
	launch  launcher
	guard   *guard     // the watchdog of local jobs; nil for none
	remote  *remoteRun // nil without -S
	src     *source
	c       *collector
	procs   *procs
}

// setUp sets up everything that may refuse to run, before anything runs:
// an error is a usage error (exit 255) with nothing run.
func setUp(ctx context.Context, streams *Streams, set *settings, l launcher, undo *cleanups) (*run, error) {
	r := &run{set: set, streams: streams, launch: l}
	if _, local := l.(localLauncher); local && set.remote.local() {
		r.guard = newGuard()
		undo.add(r.guard.close)
	}
	if !set.dryRun {
		// Output past the memory buffer goes to temp storage: make sure it
		// works before anything runs, rather than lose output later.
		if err := checkTemp(set.tmpDir); err != nil {
			return nil, usageErr("%w", err)
		}
	}
	var err error
	if r.remote, err = newRemoteRun(ctx, set, streams.Err); err != nil {
		return nil, err
	}
	undo.add(func() { r.remote.close() })
	r.src = &source{commands: set.tmpl == nil, exp: set.expander(), delay: set.delay}
	total, stream, closeInput, err := openInput(set, streams, r.src)
	if err != nil {
		return nil, usageErr("%w", err)
	}
	undo.add(closeInput)
	if set.resume != resumeNone {
		logged, err := readJoblog(set.joblog)
		if err != nil {
			return nil, usageErr("%w", err)
		}
		r.src.resume = &resumer{path: set.joblog, failed: set.resume == resumeFailed, logged: logged}
	}
	if r.c, err = r.newCollector(total, stream, undo); err != nil {
		return nil, err
	}
	return r, nil
}

// newCollector opens what the collector writes to: the reports, the
// joblog, the progress bar and the sink.
func (r *run) newCollector(total int64, stream *input.Stream, undo *cleanups) (*collector, error) {
	set, streams := r.set, r.streams
	rep, err := newReports(set, streams)
	if err != nil {
		return nil, err
	}
	undo.add(rep.close)
	c := &collector{tally: tally{halt: set.halt, total: max(total, 0)}, src: r.src, exp: r.src.exp, rep: rep}
	if set.joblog != "" && !set.dryRun { // a dry run runs nothing to log
		if c.joblog, err = openJoblog(set.joblog, set.joblogAppend, streams.Out, streams.Err); err != nil {
			return nil, usageErr("%w", err)
		}
		undo.add(func() { c.joblog.close() })
		c.logLate = set.joblogOnStream()
	}
	if c.progress = newProgress(streams, set); c.progress != nil {
		switch {
		case r.remote.fanOut() != nil:
			// --onall: one job per record and host, the count unknown
		case total >= 0:
			c.progress.setTotal(total)
		case set.resume == resumeNone && stream != nil:
			countTotal(stream, c.progress)
		}
		r.src.progress = c.progress
	}
	c.sink = newSink(set, streams, c.progress)
	undo.add(c.sink.close)
	return c, nil
}

// startControl sets up the run's stop paths: the control of every early
// end, the processes it reaches, the signals, and --tty's terminal (nil
// without it) or the watch for jobs stopped on the terminal.
func (r *run) startControl(ctx context.Context, undo *cleanups) (*os.File, error) {
	c, streams := r.c, r.streams
	r.procs = newProcs(r.launch)
	r.procs.guard = r.guard
	r.procs.throttle = newThrottle(streams.Err)
	c.ctl = newControl(ctx, r.procs)
	undo.add(c.ctl.close)
	r.src.ctl = c.ctl
	watchDrain(r.src.fed, c.ctl.drain)
	sig := watchSignals(c.ctl, r.procs, streams.Err)
	undo.add(sig.stop)
	sig.watchOutput(streams.Out)
	if !r.set.tty {
		if r.guard != nil {
			w := watchTTY(r.procs, streams.Err)
			undo.add(w.stop)
		}
		return nil, nil
	}
	tty, err := openTTY()
	if err != nil {
		return nil, usageErr("%w", err)
	}
	undo.add(func() { tty.Close() })
	c.tty = true
	if !runner.ForegroundOf(tty) {
		fmt.Fprintln(streams.Err, "gopool: --tty: gopool is not in the terminal's foreground, so its jobs cannot have it")
		return nil, nil
	}
	return tty, nil
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

package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/internal/tmpl"
	"github.com/gopool/gopool/output"
	"github.com/gopool/gopool/pool"
	"github.com/gopool/gopool/runner"
)

// bufferMem is how much of each job's stdout and stderr stays in memory
// before it spills to a temp file; spillMem bounds the small outputs kept
// in memory while they wait for an earlier job in map mode.
const (
	bufferMem = 64 << 10
	spillMem  = 4 << 20
)

func newRunCmd(streams *Streams, m mode) *cobra.Command {
	return newRunCmdWith(streams, &runOptions{mode: m})
}

// newRunCmdWith builds map or submit (after o.mode) with its flags bound
// to o.
func newRunCmdWith(streams *Streams, o *runOptions) *cobra.Command {
	m := o.mode
	c := &cobra.Command{
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.splitPositional(args); err != nil {
				return err
			}
			for _, name := range []string{"replace", "delimiter", "tmpdir"} {
				if fl := c.Flags().Lookup(name); fl.Changed && fl.Value.String() == "" {
					return usageErr("bad --%s: must not be empty", name)
				}
			}
			return runJobs(c.Context(), streams, o)
		},
	}
	if m == modeMap {
		c.Use = "map [flags] [--] [TEMPLATE...] [::: VALUE...]... [:::: FILE...]..."
		c.Short = "Run a command for each record; print output in input order"
		c.Long = `map runs the command template once for each input record on a bounded pool
of processes and prints each job's output as one block, in input order, like
Python's Pool.map. A slow early job never stops later jobs from running: their
output waits on disk. The job at the head of the order streams its stdout
live (with plain output: no --tag, --json, --retries or progress bar), and
gopool stops at once when the reader of its stdout goes away.`
		c.Example = `  # One job per argument, 4 at a time, output in input order
  gopool map -j 4 -- echo {} ::: a b c

  # Records from stdin; {.} is the record without its extension
  ls *.wav | gopool map -- ffmpeg -i {} {.}.mp3

  # NUL-separated file names, safe with any name
  find . -name '*.log' -print0 | gopool map -0 -- gzip -k {}

  # Cross product of two sources: a 1, a 2, b 1, b 2
  gopool map -- echo {1} {2} ::: a b ::: 1 2

  # One word with shell syntax runs under sh -c, values single-quoted
  gopool map 'grep -c error {} | sed "s/^/{}: /"' ::: *.log

  # Results to a file, a progress bar on the terminal, a resumable log
  gopool map --progress --joblog jobs.log --resume -- ./fetch {} :::: urls > out.txt

  # Stop everything at the first failure; exit with its code
  gopool map --fail-fast --retries 2 -- ./test.sh {} ::: unit integration`
	} else {
		c.Use = "submit [flags] [--] [TEMPLATE...] [::: VALUE...]... [:::: FILE...]..."
		c.Short = "Run a command for each record; print output as jobs finish"
		c.Long = `submit runs the command template once for each input record on a bounded pool
of processes and prints each job's output as one block as soon as the job
finishes, like ProcessPoolExecutor.submit with as_completed.`
		c.Example = `  # Results in completion order: prints 1, then 2, then 3
  gopool submit -j 3 -- sh -c 'sleep $1; echo $1' _ {} ::: 3 2 1

  # Tag each line with its input
  gopool submit --tag -- ping -c1 {} ::: host1 host2

  # Each line of a file is a whole command line
  gopool submit -j 8 :::: commands.txt`
	}
	f := c.Flags()
	f.SetInterspersed(false)
	f.StringVarP(&o.jobs, "jobs", "j", "", "run N jobs at once; N% of the cores; 0 for no limit (default: cores, or $GOPOOL_JOBS)")
	f.StringArrayVarP(&o.argFiles, "arg-file", "a", nil, "read records from `FILE` (repeatable; - is stdin)")
	f.BoolVarP(&o.null, "null", "0", false, "records end at NUL, not newline")
	f.StringVarP(&o.delimiter, "delimiter", "d", "", "records end at `STR` (C escapes like \\t, \\x1f allowed)")
	f.BoolVar(&o.link, "link", false, "pair up the input sources instead of their cross product")
	f.IntVarP(&o.maxArgs, "max-args", "n", 1, "put `N` records in one job")
	f.StringVar(&o.colsep, "colsep", "", "split each record into columns {1} {2}... at `REGEX`")
	f.BoolVarP(&o.noRunIfEmpty, "no-run-if-empty", "r", false, "skip records that are empty or only white space")
	f.StringVarP(&o.replace, "replace", "I", "", "use `STR` instead of {} for the record")
	f.BoolVar(&o.shell, "shell", false, "always run the command under a shell")
	f.StringVar(&o.shellPath, "shell-path", "/bin/sh", "the shell for commands with shell syntax")
	f.BoolVar(&o.tag, "tag", false, "prefix each output line with the record and a TAB")
	f.StringVar(&o.tagString, "tagstring", "", "prefix each output line with `STR` (templated) and a TAB")
	f.BoolVar(&o.lineBuffer, "line-buffer", false, "print output lines as they come; lines of jobs may interleave, never inside a line")
	f.BoolVar(&o.dryRun, "dry-run", false, "print each command, quoted for a shell, and run nothing")
	f.StringVar(&o.tmpDir, "tmpdir", "", "where output past the memory buffer spills (default $TMPDIR or /tmp)")
	f.StringVar(&o.timeout, "timeout", "", "stop a job after `D` (1.5 = seconds, 500ms, 2m); it counts as failed")
	f.StringVar(&o.termSeq, "termseq", "", "how a job is stopped: signals and waits (default TERM,2s,KILL)")
	f.StringVar(&o.joblog, "joblog", "", "log each finished job to `FILE` (GNU parallel's format); +FILE appends")
	f.BoolVar(&o.resume, "resume", false, "skip the jobs already in the --joblog")
	f.BoolVar(&o.resumeFailed, "resume-failed", false, "skip the jobs that succeeded in the --joblog; run the failed ones again")
	f.IntVar(&o.retries, "retries", 0, "run a failed job up to `N` more times; only the last attempt is printed and logged")
	f.StringVar(&o.halt, "halt", "", "stop early: never, soon|now,fail|success|done=N or N% (soon: start nothing new; now: also stop running jobs)")
	f.BoolVar(&o.failFast, "fail-fast", false, "stop at the first failed job: --halt now,fail=1")
	f.StringVar(&o.delay, "delay", "", "wait `D` between job starts (1.5 = seconds, 500ms)")
	f.BoolVar(&o.json, "json", false, "print one JSON object per job (JSON Lines) instead of raw output")
	f.StringVar(&o.progress, "progress", "auto", "progress bar on stderr: auto (stderr is a terminal, stdout is not), always, never")
	f.Lookup("progress").NoOptDefVal = "always"
	return c
}

// job is one record on its way through the run.
type job struct {
	seq    int64
	args   []string
	slot   int
	pid    int
	argv   []string
	res    runner.Result
	stdout *output.Buffer
	stderr *output.Buffer
	dry    string
	live   int64 // stdout bytes streamed live (map mode, head of the order)
	// liveErr is a write error of the live stream (EPIPE).
	liveErr error

	completed bool // counted and logged (on the emit goroutine)
}

// run holds the state of one map or submit run.
type run struct {
	streams *Streams
	opt     *runOptions
	set     *settings
	env     []string
	resolve runner.Resolver
	printer *output.Printer
	lines   [2]*output.Lines
	spill   *output.Spill
	sig     *signals

	head     *liveHead // nil unless the head job's stdout streams live
	joblog   *joblog   // nil without --joblog
	progress *progress // nil without a progress bar

	// halted is set on the emit goroutine when --halt triggers and read
	// by next; read counts the jobs read, for --halt N%.
	halted     atomic.Bool
	read       atomic.Int64
	haltCancel context.CancelFunc // --halt now: stop the running jobs
	haltDrain  func()             // --halt soon: start nothing new

	// Written on the pool's emit goroutine only.
	done, failed, timedOut  int
	succeeded, killedByHalt int
	firstFail, haltJob      *job
	writeErr, joblogErr     error

	// Used by next only (one call at a time), read after pool.Run.
	readErr   error
	resumeErr error
	resumed   map[int64]loggedJob
	lastStart time.Time
}

func runJobs(ctx context.Context, streams *Streams, o *runOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	set, err := o.check()
	if err != nil {
		return err
	}
	set.input.Stdin = streams.In
	stream, err := input.Open(set.input)
	if err != nil {
		return usageErr("%v", err)
	}
	defer stream.Close()

	r := &run{streams: streams, opt: o, set: set}
	if set.resume != resumeNone {
		if r.resumed, err = readJoblog(set.joblog); err != nil {
			return usageErr("%v", err)
		}
	}
	if set.joblog != "" {
		if r.joblog, err = openJoblog(set.joblog, set.joblogAppend); err != nil {
			return usageErr("%v", err)
		}
		defer r.joblog.close()
	}
	r.env = os.Environ()
	stdout, stderr := streams.Out, streams.Err
	if set.progress.show(streams) {
		r.progress = newProgress(streams.Err)
		if set.resume == resumeNone {
			// ::: values and regular files are counted ahead, files on the
			// side while the run starts; stdin only as it is read.
			p := r.progress
			go func() {
				if n, ok := stream.Count(); ok {
					p.setTotal(n)
				}
			}()
		}
		if o.lineBuffer {
			// Live lines clear the bar; the next tick redraws it.
			stderr = r.progress.writer(stderr)
			if streams.OutTTY {
				stdout = r.progress.writer(stdout)
			}
		}
	}
	r.printer = output.NewPrinter(output.Config{Stdout: streams.Out, Stderr: streams.Err,
		Tag: o.tag || o.tagString != "", JSON: o.json})
	if o.lineBuffer {
		r.lines = [2]*output.Lines{output.NewLines(stdout), output.NewLines(stderr)}
	}
	if o.mode == modeMap {
		r.spill = output.NewSpill(o.tmpDir, spillMem)
		defer r.spill.Close()
		// Plain output streams the head job's stdout while it runs; tags,
		// JSON, retries and the bar need the whole block first.
		if !o.lineBuffer && !o.json && !o.dryRun && !o.tag && o.tagString == "" &&
			set.retries == 0 && r.progress == nil {
			r.head = newLiveHead(streams.Out)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.sig = watchSignals(cancel)
	defer r.sig.stop()
	// A reader that goes away (gopool ... | head -1) stops the run at
	// once, even while no job prints.
	r.sig.watchOutput(streams.Out)
	r.sig.noticesTo(streams.Err)

	// Jobs run under jobCtx, which --halt now cancels; --halt soon closes
	// a drain channel of its own that SIGHUP's drain also closes.
	jobCtx, haltCancel := context.WithCancel(ctx)
	defer haltCancel()
	r.haltCancel = haltCancel
	drain := r.sig.drain
	if set.halt.when == haltSoon {
		d := make(chan struct{})
		var once sync.Once
		r.haltDrain = func() { once.Do(func() { close(d) }) }
		quit := make(chan struct{})
		defer close(quit)
		go func() {
			select {
			case <-r.sig.drain:
				r.haltDrain()
			case <-quit:
			}
		}()
		drain = d
	}

	var seq int64
	next := func() (*job, bool) {
		for {
			rec, err := stream.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					r.readErr = err
				}
				if r.progress != nil {
					r.progress.endInput()
				}
				return nil, false
			}
			if set.tmpl == nil && blank(rec.Args) {
				continue // a blank line of a command file is no command
			}
			seq++
			j := &job{seq: seq, args: rec.Args}
			if r.resumed != nil {
				skip, err := r.skipResumed(j)
				if err != nil {
					r.resumeErr = err
					return nil, false
				}
				if skip {
					continue
				}
			}
			if r.halted.Load() || (set.delay > 0 && !r.waitDelay(jobCtx, drain)) {
				return nil, false
			}
			r.read.Add(1)
			if r.progress != nil {
				r.progress.addTotal()
			}
			return j, true
		}
	}
	popt := pool.Options[*job]{Workers: set.workers, Ordered: o.mode == modeMap, Drain: drain}
	if popt.Ordered {
		popt.Park = r.park
	}
	pool.Run(jobCtx, popt, next, r.runJob, func(j *job) { r.emit(j, cancel) })
	if r.progress != nil {
		r.progress.close()
	}
	if r.joblog != nil {
		if err := r.joblog.close(); err != nil && r.joblogErr == nil {
			r.joblogErr = err
		}
		r.joblog.f = nil
	}

	switch {
	case r.sig.code() != 0:
		return &ExitError{Code: r.sig.code()}
	case r.writeErr != nil:
		if isBrokenPipe(r.writeErr) {
			return &ExitError{Code: ExitBrokenPipe}
		}
		return &ExitError{Code: ExitCannotRun, Err: r.writeErr}
	case r.joblogErr != nil:
		return &ExitError{Code: ExitCannotRun, Err: r.joblogErr}
	case r.readErr != nil:
		return &ExitError{Code: ExitCannotRun, Err: r.readErr}
	case r.resumeErr != nil:
		return &ExitError{Code: ExitCannotRun, Err: r.resumeErr}
	}
	if r.failed > 0 || r.killedByHalt > 0 {
		fmt.Fprintln(streams.Err, r.summary())
	}
	if r.haltJob != nil {
		if code := haltExitCode(r.haltJob.res); code != ExitOK {
			return &ExitError{Code: code}
		}
		return nil
	}
	if r.failed > 0 {
		return &ExitError{Code: failedCode(r.failed)}
	}
	return nil
}

// waitDelay waits until --delay has passed since the last job start; it
// reports false when the run stops meanwhile. Called by next only.
func (r *run) waitDelay(ctx context.Context, drain <-chan struct{}) bool {
	if !r.lastStart.IsZero() {
		if d := time.Until(r.lastStart.Add(r.set.delay)); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return false
			case <-drain:
				return false
			}
		}
	}
	r.lastStart = time.Now()
	return true
}

// skipResumed reports whether --resume or --resume-failed skips j. A job
// number logged with another command is an error: the input or the
// template changed, and resuming would skip the wrong jobs. Called by
// next only.
func (r *run) skipResumed(j *job) (bool, error) {
	l, ok := r.resumed[j.seq]
	if !ok {
		return false, nil
	}
	delete(r.resumed, j.seq)
	// A template with {%} depends on the slot, unknown until the job
	// starts: such a command is matched on its job number alone.
	if cmd := r.commandOf(j.args, j.seq, 1); cmd != l.command && (r.set.tmpl == nil || cmd == r.commandOf(j.args, j.seq, 2)) {
		return false, fmt.Errorf("--resume: joblog %s: job %d was %q, now %q: the input or the command changed (use a new joblog)",
			r.set.joblog, j.seq, l.command, cmd)
	}
	return r.set.resume == resumeAll || l.ok, nil
}

// argvOf expands a job's command for a slot.
func (r *run) argvOf(args []string, seq int64, slot int) ([]string, error) {
	if r.set.tmpl != nil {
		return r.set.tmpl.Expand(args, seq, slot), nil
	}
	return tmpl.CommandLine(strings.Join(args, " "), r.set.tmplOpt)
}

// commandOf is a job's command as the joblog shows it.
func (r *run) commandOf(args []string, seq int64, slot int) string {
	argv, err := r.argvOf(args, seq, slot)
	if err != nil {
		return joblogCommand(strings.Join(args, " "))
	}
	return joblogCommand(r.dryLine(args, seq, slot, argv))
}

// runJob runs one job on a pool slot.
func (r *run) runJob(ctx context.Context, slot int, j *job) *job {
	j.slot = slot
	var err error
	j.argv, err = r.argvOf(j.args, j.seq, slot)
	j.stdout = output.NewBuffer(r.opt.tmpDir, bufferMem)
	j.stderr = output.NewBuffer(r.opt.tmpDir, bufferMem)
	if err != nil {
		j.res = runner.Result{ExitCode: 127, Err: err}
		fmt.Fprintf(j.stderr, "gopool: job %d: %v\n", j.seq, err)
		return j
	}
	if r.opt.dryRun {
		j.dry = r.dryLine(j.args, j.seq, slot, j.argv)
		return j
	}
	spec := runner.Spec{
		Argv:      j.argv,
		Env:       r.jobEnv(j.args, j.seq, slot),
		Stdout:    j.stdout,
		Stderr:    j.stderr,
		Timeout:   r.set.timeout,
		TermSeq:   r.set.termSeq,
		Kill:      r.sig.kill,
		Started:   func(pid int) { j.pid = pid; r.sig.add(pid) },
		StartLock: r.sig.startLock(),
	}
	var live *output.Live
	if r.head != nil {
		live = output.NewLive(j.stdout)
		spec.Stdout = live
		r.head.start(j.seq, live)
	}
	var lw [2]*output.LineWriter
	if r.lines[0] != nil {
		tag, tagged := r.tagFor(j)
		lw[0], lw[1] = r.lines[0].Writer(tag, tagged), r.lines[1].Writer(tag, tagged)
		spec.Stdout, spec.Stderr = lw[0], lw[1]
	}
	if len(j.argv) > 0 {
		if p, err := r.resolve.Look(j.argv[0]); err == nil {
			spec.Path = p
		}
	}
	for attempt := 0; ; attempt++ {
		j.res = runner.Run(ctx, spec)
		if j.pid != 0 {
			r.sig.remove(j.pid)
			j.pid = 0
		}
		if attempt >= r.set.retries || !j.res.Failed() || ctx.Err() != nil {
			break
		}
		// Retry: only the last attempt's output is kept.
		j.stdout.Close()
		j.stderr.Close()
		j.stdout = output.NewBuffer(r.opt.tmpDir, bufferMem)
		j.stderr = output.NewBuffer(r.opt.tmpDir, bufferMem)
		if lw[0] == nil {
			spec.Stdout, spec.Stderr = j.stdout, j.stderr
		}
	}
	if lw[0] != nil {
		lw[0].Close()
		lw[1].Close()
	}
	if live != nil {
		r.head.finish(j.seq)
		j.stdout, j.live, j.liveErr = live.Buffer(), live.Written(), live.Err()
	}
	if j.res.Err != nil {
		if j.res.Start.IsZero() {
			j.res.Start = time.Now() // it could not start: log when it tried
		}
		fmt.Fprintf(j.stderr, "gopool: job %d: %v\n", j.seq, j.res.Err)
	}
	return j
}

// jobEnv is a job's environment: gopool's, GOPOOL_SEQ, GOPOOL_SLOT and
// the variables that pass the job's values to its shell as data.
func (r *run) jobEnv(args []string, seq int64, slot int) []string {
	env := make([]string, len(r.env), len(r.env)+2+len(args))
	copy(env, r.env)
	env = append(env, "GOPOOL_SEQ="+strconv.FormatInt(seq, 10), "GOPOOL_SLOT="+strconv.Itoa(slot))
	if r.set.tmpl != nil {
		env = r.set.tmpl.AppendEnv(env, args)
	}
	return env
}

// dryLine is a job's command as --dry-run and the joblog show it.
func (r *run) dryLine(args []string, seq int64, slot int, argv []string) string {
	if r.set.tmpl != nil {
		return r.set.tmpl.DryRun(args, seq, slot)
	}
	return tmpl.Quote(argv)
}

// tagFor returns the tag of a job's lines and whether to tag at all.
func (r *run) tagFor(j *job) (string, bool) {
	switch {
	case r.set.tag != nil:
		return r.set.tag.ExpandString(j.args, j.seq, j.slot), true
	case r.opt.tag:
		return strings.Join(j.args, "\t"), true
	}
	return "", false
}

// park counts and logs a job that finished before an earlier one, and
// moves its waiting output out of its own files (map mode).
func (r *run) park(j *job) *job {
	r.complete(j)
	if r.spill == nil {
		return j
	}
	for _, b := range []*output.Buffer{j.stdout, j.stderr} {
		// A failed park (full disk) leaves the buffer as it was, whole and
		// readable: it only keeps its own file open a little longer.
		_ = r.spill.Park(b)
	}
	return j
}

// complete counts a finished job, logs it and checks --halt. It runs on
// the pool's goroutine, once per job, in completion order: from park for a
// job that must wait for an earlier one, else from emit.
func (r *run) complete(j *job) {
	j.completed = true
	r.done++
	failed := j.res.Failed()
	byHalt := failed && j.res.Stopped && !j.res.TimedOut && r.halted.Load() && r.sig.code() == 0
	switch {
	case byHalt:
		r.killedByHalt++
	case failed:
		r.failed++
		if j.res.TimedOut {
			r.timedOut++
		}
		if r.firstFail == nil || j.seq < r.firstFail.seq {
			r.firstFail = j
		}
	default:
		r.succeeded++
	}
	if r.joblog != nil && r.joblogErr == nil {
		cmd := j.dry
		if cmd == "" {
			cmd = r.dryLine(j.args, j.seq, j.slot, j.argv)
			if j.argv == nil {
				cmd = strings.Join(j.args, " ")
			}
		}
		err := r.joblog.write(&joblogRow{
			seq: j.seq, start: j.res.Start, runtime: j.res.Duration,
			receive:  j.live + j.stdout.Len() + j.stderr.Len(),
			exitCode: joblogExit(j.res), signal: int(j.res.Signal), command: cmd,
		})
		if err != nil {
			r.joblogErr = err
			r.haltCancel()
		}
	}
	if r.progress != nil {
		r.progress.jobDone(failed && !byHalt)
	}
	if r.set.halt.when != haltNever && !byHalt && r.haltJob == nil {
		r.checkHalt(j, failed)
	}
}

// checkHalt stops the run when j is the job that reaches the --halt
// policy: soon starts nothing new, now also stops the running jobs.
func (r *run) checkHalt(j *job, failed bool) {
	h := r.set.halt
	var count int
	switch h.kind {
	case haltFail:
		if !failed {
			return
		}
		count = r.failed
	case haltSuccess:
		if failed {
			return
		}
		count = r.succeeded
	case haltDone:
		count = r.failed + r.succeeded
	}
	if !h.reached(int64(count), r.read.Load()) {
		return
	}
	r.haltJob = j
	r.halted.Store(true)
	if h.when == haltNow {
		r.haltCancel()
	} else {
		r.haltDrain()
	}
}

// haltExitCode is the exit status of the job that triggered --halt, as a
// shell reports it: its exit code, or 128+N for signal N.
func haltExitCode(res runner.Result) ExitCode {
	switch {
	case res.Signal != 0:
		return ExitCode(128 + int(res.Signal))
	case res.ExitCode > 0:
		return ExitCode(min(res.ExitCode, 255))
	case res.Failed():
		return 1
	}
	return ExitOK
}

// emit prints a finished job; it runs on the pool's goroutine, one job at
// a time, in output order.
func (r *run) emit(j *job, cancel context.CancelFunc) {
	defer j.stdout.Close()
	defer j.stderr.Close()
	if !j.completed {
		r.complete(j)
	}
	if r.writeErr == nil && r.sig.code() == ExitBrokenPipe {
		r.writeErr = syscall.EPIPE
	}
	if r.writeErr == nil && j.liveErr != nil {
		r.writeErr = j.liveErr
		cancel()
	}
	if r.writeErr != nil {
		return
	}
	if r.head != nil {
		defer r.head.advance(j.seq)
	}
	var err error
	if r.progress != nil && r.toTerminal(j) {
		err = r.progress.around(func() error { return r.print(j) })
	} else {
		err = r.print(j)
	}
	if err != nil {
		r.writeErr = err
		cancel()
	}
}

// toTerminal reports whether printing j writes to the terminal of the
// progress bar.
func (r *run) toTerminal(j *job) bool {
	if j.stderr.Len() > 0 {
		return true
	}
	return r.streams.OutTTY && (j.stdout.Len() > 0 || j.dry != "" || r.opt.json)
}

// print writes one job's output.
func (r *run) print(j *job) error {
	var err error
	switch {
	case j.dry != "":
		_, err = fmt.Fprintln(r.streams.Out, j.dry)
	case r.lines[0] != nil:
		// Already printed live; a start error went to the buffer.
		if j.res.Err != nil {
			_, err = j.stderr.WriteTo(r.streams.Err)
		}
	default:
		tag, _ := r.tagFor(j)
		err = r.printer.Print(&output.Job{
			Seq: j.seq, Input: j.args, Argv: j.argv,
			ExitCode: j.res.ExitCode, Signal: int(j.res.Signal), TimedOut: j.res.TimedOut,
			Start: j.res.Start, Duration: j.res.Duration,
			Stdout: j.stdout, Stderr: j.stderr, Tag: tag,
		})
	}
	return err
}

// summary is the one line printed on stderr when jobs failed.
func (r *run) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gopool: %d of %d jobs failed", r.failed, r.done)
	var counts []string
	if r.timedOut > 0 {
		counts = append(counts, fmt.Sprintf("%d timed out", r.timedOut))
	}
	if r.killedByHalt > 0 {
		counts = append(counts, fmt.Sprintf("%d stopped by --halt", r.killedByHalt))
	}
	if len(counts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(counts, ", "))
	}
	if j := r.firstFail; j != nil {
		fmt.Fprintf(&b, "; first: job %d %s %s", j.seq, clip(tmpl.Quote(j.argv), maxSummaryCommand), describe(j.res))
	}
	if j := r.haltJob; j != nil {
		fmt.Fprintf(&b, "; halted (--halt %s) after job %d, no new jobs started", r.set.halt, j.seq)
	}
	if r.joblog != nil {
		fmt.Fprintf(&b, "; joblog: %s", r.set.joblog)
	}
	return b.String()
}

// blank reports whether args are all empty or white space.
func blank(args []string) bool {
	for _, a := range args {
		if strings.TrimSpace(a) != "" {
			return false
		}
	}
	return true
}

// joblogExit is a job's Exitval in the joblog, as GNU parallel writes it:
// -1 for a job gopool stopped, else the exit status (0 when a signal the
// job did not get from gopool ended it).
func joblogExit(res runner.Result) int {
	switch {
	case res.Stopped:
		return -1
	case res.Signal != 0:
		return 0
	}
	return res.ExitCode
}

// maxSummaryCommand bounds the command shown in the summary line.
const maxSummaryCommand = 200

// clip makes s fit on one line of at most max bytes: control bytes are
// escaped Go-style and the rest is cut at a rune boundary with "…".
func clip(s string, max int) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		q := strconv.Quote(s)
		s = q[1 : len(q)-1]
	}
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// describe says how a failed job ended.
func describe(res runner.Result) string {
	switch {
	case res.TimedOut:
		return "timed out"
	case res.Err != nil:
		return fmt.Sprintf("could not start (exit %d)", res.ExitCode)
	case res.Signal != 0:
		return fmt.Sprintf("killed by signal %d (%v)", int(res.Signal), res.Signal)
	}
	return fmt.Sprintf("exited %d", res.ExitCode)
}

func isBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE)
}

package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

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
	o := &runOptions{mode: m}
	c := &cobra.Command{
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.splitPositional(args); err != nil {
				return err
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
output waits on disk.`
		c.Example = `  # One job per argument, 4 at a time, output in input order
  gopool map -j 4 -- echo {} ::: a b c

  # Records from stdin; {.} is the record without its extension
  ls *.wav | gopool map -- ffmpeg -i {} {.}.mp3

  # NUL-separated file names, safe with any name
  find . -name '*.log' -print0 | gopool map -0 -- gzip -k {}

  # Cross product of two sources: a 1, a 2, b 1, b 2
  gopool map -- echo {1} {2} ::: a b ::: 1 2

  # One word with shell syntax runs under sh -c, values single-quoted
  gopool map 'grep -c error {} | sed "s/^/{}: /"' ::: *.log`
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
	f.IntVarP(&o.maxArgs, "max-args", "n", 0, "put `N` records in one job")
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

	// Written on the pool's emit goroutine only.
	done, failed, timedOut int
	firstFail              *job
	writeErr               error

	readErr error // set by next, read after pool.Run
}

func runJobs(ctx context.Context, streams *Streams, o *runOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var stdinFile *os.File
	if f, ok := streams.In.(*os.File); ok {
		stdinFile = f
	}
	set, err := o.check(stdinFile)
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
	r.env = os.Environ()
	r.printer = output.NewPrinter(output.Config{Stdout: streams.Out, Stderr: streams.Err, Tag: o.tag || o.tagString != ""})
	if o.lineBuffer {
		r.lines = [2]*output.Lines{output.NewLines(streams.Out), output.NewLines(streams.Err)}
	}
	if o.mode == modeMap {
		r.spill = output.NewSpill(o.tmpDir, spillMem)
		defer r.spill.Close()
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.sig = watchSignals(cancel)
	defer r.sig.stop()

	var seq int64
	next := func() (*job, bool) {
		rec, err := stream.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				r.readErr = err
			}
			return nil, false
		}
		seq++
		return &job{seq: seq, args: rec.Args}, true
	}
	popt := pool.Options[*job]{Workers: set.workers, Ordered: o.mode == modeMap, Drain: r.sig.drain}
	if r.spill != nil {
		popt.Park = r.park
	}
	pool.Run(ctx, popt, next, r.runJob, func(j *job) { r.emit(j, cancel) })

	switch {
	case r.sig.code() != 0:
		return &ExitError{Code: r.sig.code()}
	case r.writeErr != nil:
		if isBrokenPipe(r.writeErr) {
			return &ExitError{Code: ExitBrokenPipe}
		}
		return &ExitError{Code: ExitCannotRun, Err: fmt.Errorf("write output: %w", r.writeErr)}
	case r.readErr != nil:
		return &ExitError{Code: ExitCannotRun, Err: r.readErr}
	}
	if r.failed > 0 {
		fmt.Fprintln(streams.Err, r.summary())
		return &ExitError{Code: failedCode(r.failed)}
	}
	return nil
}

// runJob runs one job on a pool slot.
func (r *run) runJob(ctx context.Context, slot int, j *job) *job {
	j.slot = slot
	var err error
	if r.set.tmpl != nil {
		j.argv = r.set.tmpl.Expand(j.args, j.seq, slot)
	} else {
		j.argv, err = tmpl.CommandLine(strings.Join(j.args, " "), r.set.tmplOpt)
	}
	j.stdout = output.NewBuffer(r.opt.tmpDir, bufferMem)
	j.stderr = output.NewBuffer(r.opt.tmpDir, bufferMem)
	if err != nil {
		j.res = runner.Result{ExitCode: 127, Err: err}
		fmt.Fprintf(j.stderr, "gopool: job %d: %v\n", j.seq, err)
		return j
	}
	if r.opt.dryRun {
		j.dry = r.dryLine(j.argv)
		return j
	}
	spec := runner.Spec{
		Argv:    j.argv,
		Env:     r.jobEnv(j.seq, slot),
		Stdout:  j.stdout,
		Stderr:  j.stderr,
		Timeout: r.set.timeout,
		TermSeq: r.set.termSeq,
		Kill:    r.sig.kill,
		Started: func(pid int) { j.pid = pid; r.sig.add(pid) },
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
	j.res = runner.Run(ctx, spec)
	if j.pid != 0 {
		r.sig.remove(j.pid)
	}
	if lw[0] != nil {
		lw[0].Close()
		lw[1].Close()
	}
	if j.res.Err != nil {
		fmt.Fprintf(j.stderr, "gopool: job %d: %v\n", j.seq, j.res.Err)
	}
	return j
}

func (r *run) jobEnv(seq int64, slot int) []string {
	env := make([]string, len(r.env), len(r.env)+2)
	copy(env, r.env)
	return append(env, "GOPOOL_SEQ="+strconv.FormatInt(seq, 10), "GOPOOL_SLOT="+strconv.Itoa(slot))
}

func (r *run) dryLine(argv []string) string {
	if r.set.tmpl != nil && r.set.tmpl.Shell() && len(argv) == 3 {
		return argv[2]
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

// park moves a waiting job's output out of its own files (map mode).
func (r *run) park(j *job) *job {
	for _, b := range []*output.Buffer{j.stdout, j.stderr} {
		if err := r.spill.Park(b); err != nil && r.writeErr == nil {
			r.writeErr = err
		}
	}
	return j
}

// emit prints a finished job and counts it; it runs on the pool's
// goroutine, one job at a time, in output order.
func (r *run) emit(j *job, cancel context.CancelFunc) {
	defer j.stdout.Close()
	defer j.stderr.Close()
	r.done++
	if j.res.Failed() {
		r.failed++
		if j.res.TimedOut {
			r.timedOut++
		}
		if r.firstFail == nil {
			r.firstFail = j
		}
	}
	if r.writeErr != nil {
		return
	}
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
	if err != nil {
		r.writeErr = err
		cancel()
	}
}

// summary is the one line printed on stderr when jobs failed.
func (r *run) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gopool: %d of %d jobs failed", r.failed, r.done)
	if r.timedOut > 0 {
		fmt.Fprintf(&b, " (%d timed out)", r.timedOut)
	}
	if j := r.firstFail; j != nil {
		fmt.Fprintf(&b, "; first: job %d %s %s", j.seq, tmpl.Quote(j.argv), describe(j.res))
	}
	return b.String()
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

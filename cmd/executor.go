package cmd

import (
	"context"
	"os"
	"strconv"
	"time"

	"github.com/gopool/gopool/runner"
)

// executor runs one job on a pool slot: it expands the command, starts it
// with the launcher, tries a failed job again (--retries), and hands its
// output to the sink. It is called on a goroutine per job.
type executor struct {
	exp     expander
	launch  launcher
	sink    sink
	env     []string // the jobs' environment, before GOPOOL_SEQ and GOPOOL_SLOT
	timeout time.Duration
	termSeq runner.TermSeq
	retries int
	tty     *os.File // --tty: the terminal each job gets; nil for none
	resolve runner.Resolver
	echo    *echoer    // -t, -v: each command on stderr; nil for none
	remote  *remoteRun // -S: attempts run on the hosts' slots; nil locally
}

// run runs j on slot; it returns j with its Result and output.
func (e *executor) run(ctx context.Context, slot int, j *job) *job {
	defer j.markStarted() // a job that could not start counts as started
	defer j.releaseInput()
	j.slot = slot
	if j.inputErr != nil {
		j.res = runner.Result{ExitCode: 126, Start: time.Now(), Err: j.inputErr}
		e.sink.finish(j, j.inputErr)
		return j
	}
	argv, err := e.exp.argv(j.args, j.seq, slot)
	if err != nil {
		j.res = runner.Result{ExitCode: 127, Start: time.Now(), Err: err}
		e.sink.finish(j, err)
		return j
	}
	j.argv = argv
	spec := runner.Spec{
		Argv:     argv,
		Env:      e.jobEnv(j.args, j.seq, slot),
		Timeout:  e.timeout,
		TermSeq:  e.termSeq,
		Terminal: e.tty,
	}
	if len(argv) > 0 {
		if p, err := e.resolve.Look(argv[0]); err == nil {
			spec.Path = p
		}
	}
	// --retries N: N attempts in all, as in GNU parallel (0 is 1).
	for attempt := 1; ; attempt++ {
		spec.Stdout, spec.Stderr = e.sink.open(j)
		e.echo.show(e.exp.command(j.args, j.seq, slot, argv))
		j.res = e.attempt(ctx, j, spec)
		if attempt >= e.retries || !j.res.Failed() || ctx.Err() != nil {
			break
		}
		// Retry: only the last attempt's output is kept.
		e.sink.retry(j)
	}
	e.sink.finish(j, j.res.Err)
	return j
}

// attempt starts j once and waits for it; a pipe-mode job is fed its
// input meanwhile.
func (e *executor) attempt(ctx context.Context, j *job, spec runner.Spec) runner.Result {
	if e.remote != nil {
		return e.remote.attempt(withJobSeq(ctx, j.seq), e, j, spec)
	}
	var p process // the attempt's process, once started
	start := func(spec runner.Spec) (process, error) {
		var err error
		p, err = e.launch.start(withJobSeq(ctx, j.seq), spec)
		j.markStarted()
		return p, err
	}
	var res runner.Result
	if j.in != nil {
		res = j.in.attempt(ctx, spec, start)
	} else {
		res = waitStarted(start(spec))
	}
	if t, ok := p.(*tracked); ok && t.ttyStopped.Load() {
		res.Stopped = false // killed for hanging on the terminal: the job failed
	}
	return res
}

// jobEnv is a job's environment: gopool's, GOPOOL_SEQ, GOPOOL_SLOT and
// the variables that pass the job's values to its shell as data.
func (e *executor) jobEnv(args []string, seq int64, slot int) []string {
	env := make([]string, len(e.env), len(e.env)+2+len(args))
	copy(env, e.env)
	env = append(env, "GOPOOL_SEQ="+strconv.FormatInt(seq, 10), "GOPOOL_SLOT="+strconv.Itoa(slot))
	return e.exp.env(env, args)
}

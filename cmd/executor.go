package cmd

import (
	"context"
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
	resolve runner.Resolver
}

// run runs j on slot; it returns j with its Result and output.
func (e *executor) run(ctx context.Context, slot int, j *job) *job {
	defer j.markStarted() // a job that could not start counts as started
	defer j.releaseInput()
	j.slot = slot
	argv, err := e.exp.argv(j.args, j.seq, slot)
	if err != nil {
		j.res = runner.Result{ExitCode: 127, Start: time.Now(), Err: err}
		e.sink.finish(j, err)
		return j
	}
	j.argv = argv
	spec := runner.Spec{
		Argv:    argv,
		Env:     e.jobEnv(j.args, j.seq, slot),
		Timeout: e.timeout,
		TermSeq: e.termSeq,
	}
	if len(argv) > 0 {
		if p, err := e.resolve.Look(argv[0]); err == nil {
			spec.Path = p
		}
	}
	for attempt := 0; ; attempt++ {
		spec.Stdout, spec.Stderr = e.sink.open(j)
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
	start := func(spec runner.Spec) (process, error) {
		p, err := e.launch.start(ctx, spec)
		j.markStarted()
		return p, err
	}
	if j.in != nil {
		return j.in.attempt(ctx, spec, start)
	}
	return waitStarted(start(spec))
}

// jobEnv is a job's environment: gopool's, GOPOOL_SEQ, GOPOOL_SLOT and
// the variables that pass the job's values to its shell as data.
func (e *executor) jobEnv(args []string, seq int64, slot int) []string {
	env := make([]string, len(e.env), len(e.env)+2+len(args))
	copy(env, e.env)
	env = append(env, "GOPOOL_SEQ="+strconv.FormatInt(seq, 10), "GOPOOL_SLOT="+strconv.Itoa(slot))
	return e.exp.env(env, args)
}

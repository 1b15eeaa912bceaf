package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gopool/gopool/runner"
)

// tally counts finished jobs and decides what they mean for the run: when
// --halt is reached, the one-line summary, and the exit code. It is a pure
// value: fed finished jobs one at a time (in completion order), it does no
// I/O and starts nothing.
type tally struct {
	halt haltPolicy
	// total is the number of jobs when it was known before the first
	// (read ahead for --halt N%), else 0: N% is then of the jobs read.
	total int64

	done, failed, timedOut int
	succeeded, byHalt      int
	firstFail              *job     // the failed job with the lowest number
	haltJob                *job     // the job that reached --halt
	haltCode               ExitCode // the exit code fixed when --halt was reached
}

// add counts j, a finished job, with read the number of jobs read so far
// (for --halt N%). It returns haltNow or haltSoon when j is the job that
// reaches the --halt policy, else haltNever. A job that --halt now stopped
// counts apart: it neither failed nor succeeded.
func (t *tally) add(j *job, read int64) haltWhen {
	t.done++
	failed := j.res.Failed()
	switch {
	case t.stoppedByHalt(j):
		t.byHalt++
		return haltNever
	case failed:
		t.failed++
		if j.res.TimedOut {
			t.timedOut++
		}
		if t.firstFail == nil || j.seq < t.firstFail.seq {
			t.firstFail = j
		}
	default:
		t.succeeded++
	}
	if t.halt.when == haltNever || t.haltJob != nil {
		return haltNever
	}
	var count int
	switch t.halt.kind {
	case haltFail:
		if !failed {
			return haltNever
		}
		count = t.failed
	case haltSuccess:
		if failed {
			return haltNever
		}
		count = t.succeeded
	case haltDone:
		count = t.failed + t.succeeded
	}
	if t.total > 0 {
		read = t.total
	}
	if !t.halt.reached(int64(count), read) {
		return haltNever
	}
	t.haltJob = j
	t.haltCode = t.haltStatus(j, read)
	return t.halt.when
}

// haltStatus is the exit code of a run that j stopped by reaching --halt,
// out of total jobs, by GNU parallel's rule: with success=, 0; with fail=
// or done=, the number of failed jobs so far (101 for more than 100), or
// with N% their percentage of all the jobs, rounded up; but when the
// policy is reached at one job (fail=1, done=1, or N% of the jobs is
// exactly one), that job's own status, as a shell reports it.
func (t *tally) haltStatus(j *job, total int64) ExitCode {
	h := t.halt
	switch {
	case h.kind == haltSuccess:
		return ExitOK
	case !h.pct && h.n == 1, h.pct && int64(h.n)*total == 100:
		return haltExitCode(j.res)
	case h.pct:
		return percentCode(t.failed, total)
	}
	return failedCode(t.failed)
}

// percentCode is failed as a percentage of total, rounded up.
func percentCode(failed int, total int64) ExitCode {
	total = max(total, 1)
	return ExitCode((int64(failed)*100 + total - 1) / total)
}

// stoppedByHalt reports whether j failed only because --halt now stopped
// it.
func (t *tally) stoppedByHalt(j *job) bool {
	return t.haltJob != nil && j.res.Failed() && j.res.Stopped && !j.res.TimedOut
}

// countsFailed reports whether j counts as failed for the progress bar.
func (t *tally) countsFailed(j *job) bool {
	return j.res.Failed() && !t.stoppedByHalt(j)
}

// summary is the one line printed on stderr when jobs failed or --halt
// stopped some, "" otherwise. joblog is the --joblog path, "" for none;
// command renders a job's command line.
func (t *tally) summary(joblog string, command func(*job) string) string {
	if t.failed == 0 && t.byHalt == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gopool: %d of %d jobs failed", t.failed, t.done)
	var counts []string
	if t.timedOut > 0 {
		counts = append(counts, fmt.Sprintf("%d timed out", t.timedOut))
	}
	if t.byHalt > 0 {
		counts = append(counts, fmt.Sprintf("%d stopped by --halt", t.byHalt))
	}
	if len(counts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(counts, ", "))
	}
	if j := t.firstFail; j != nil {
		fmt.Fprintf(&b, "; first: job %d %s %s", j.seq, clip(command(j), maxSummaryCommand), describe(j.res))
	}
	if j := t.haltJob; j != nil {
		fmt.Fprintf(&b, "; halted (--halt %s) after job %d, no new jobs started", t.halt, j.seq)
	}
	if joblog != "" {
		fmt.Fprintf(&b, "; joblog: %s", joblog)
	}
	return b.String()
}

// exitCode is the run's exit code from its jobs, GNU parallel's (see
// docs/exit-codes.md): with --halt reached, the code fixed then
// (haltStatus); else the number of failed jobs (101 for more than 100), or
// with a --halt N% never reached their percentage of the jobs run.
func (t *tally) exitCode() ExitCode {
	switch {
	case t.haltJob != nil:
		return t.haltCode
	case t.halt.when != haltNever && t.halt.pct:
		return percentCode(t.failed, int64(t.done))
	}
	return failedCode(t.failed)
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

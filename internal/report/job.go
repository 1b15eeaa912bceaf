// Package report turns finished jobs into reports for CI: a JUnit XML file
// (JUnit), fold markers around each job's output block in GitHub Actions
// and GitLab CI logs (Folder), and a short table of failed and slow jobs
// for the end of a run (Summary).
//
// It knows nothing of processes, pools or flags: cmd fills a Job from its
// own job record and hands it to each report that is on. Every report keeps
// a bounded amount of memory however many jobs a run has: JUnit streams its
// cases to a private temporary file, Summary keeps only the jobs it shows.
package report

import (
	"fmt"
	"io"
	"time"
)

// Job is one job as the reports see it: a job that ran, one that gopool
// stopped, or one that never started because the run stopped.
type Job struct {
	// Seq is the job number, 1 for the first job.
	Seq int64
	// Name names the job: the expanded --tagstring when given, else the
	// job's input values joined by spaces. Empty means "job SEQ".
	Name string
	// Template is the command template (the JUnit classname). Empty means
	// "gopool".
	Template string
	// Command is the command as it ran, quoted for a shell; the summary
	// shows it. Empty means Name.
	Command string

	// Start is when the job started; Duration how long it ran.
	Start    time.Time
	Duration time.Duration

	// ExitCode is the exit status; -1 when a signal ended the job.
	ExitCode int
	// Signal is the number of the signal that ended the job, 0 if none.
	Signal int
	// TimedOut is true when the job's timeout stopped it; Timeout is that
	// timeout (--timeout), shown as "timed out after D". A zero Timeout
	// shows Duration instead.
	TimedOut bool
	Timeout  time.Duration
	// StartErr says why the job could not start (`"foo": command not
	// found`); empty when it started.
	StartErr string
	// Stopped says why gopool stopped the job while it ran ("SIGINT",
	// "SIGTERM", "--halt now,fail=1"); empty when gopool did not stop it.
	// A timeout is not a stop: it is a failure, given by TimedOut.
	Stopped string
	// NotStarted is true when the run stopped before the job could start;
	// Stopped then says why.
	NotStarted bool

	// Stdout and Stderr are the job's output, read by JUnit.Add before it
	// returns; nil means none. One that has ReadAt and Size
	// (*io.SectionReader, *bytes.Reader, *strings.Reader) is read at
	// offsets from its start, its head and tail only; any other is read to
	// its end. spool.Buffer.Reader() fits. The other reports ignore them.
	Stdout, Stderr io.Reader
}

// Status is how a job ended, in the terms of the reports.
type Status int

const (
	// Passed: the job ran and exited 0.
	Passed Status = iota
	// Failed: a nonzero exit, a signal the job did not get from gopool, a
	// timeout, or a failure to start. A JUnit <failure>.
	Failed
	// Stopped: gopool stopped the running job (Ctrl-C, SIGTERM, --halt
	// now). A JUnit <error>: the job has no result of its own.
	Stopped
	// NotStarted: the run stopped before the job started. A JUnit
	// <skipped>.
	NotStarted
)

// String is "passed", "failed", "stopped" or "not started".
func (s Status) String() string {
	switch s {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case Stopped:
		return "stopped"
	case NotStarted:
		return "not started"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Status classifies j. A timeout wins over a stop (a job that timed out
// while the run was stopping failed by itself), and a stop wins over the
// signal that gopool sent.
func (j *Job) Status() Status {
	switch {
	case j.NotStarted:
		return NotStarted
	case j.TimedOut:
		return Failed
	case j.Stopped != "":
		return Stopped
	case j.StartErr != "" || j.Signal != 0 || j.ExitCode != 0:
		return Failed
	}
	return Passed
}

// Result says in a few words how j ended: "exit code 2", "killed by
// signal 9 (SIGKILL)", "timed out after 2s", "could not start (exit code
// 127): ...", "stopped by gopool (SIGINT)", "not started (SIGINT)" or
// "passed".
func (j *Job) Result() string {
	switch j.Status() {
	case NotStarted:
		return "not started" + because(j.Stopped)
	case Stopped:
		return "stopped by gopool" + because(j.Stopped)
	case Passed:
		return "passed"
	}
	switch {
	case j.TimedOut:
		return "timed out after " + fmtTimeout(j)
	case j.StartErr != "":
		return fmt.Sprintf("could not start (exit code %d): %s", j.ExitCode, j.StartErr)
	case j.Signal != 0:
		return "killed by signal " + signalText(j.Signal)
	}
	return fmt.Sprintf("exit code %d", j.ExitCode)
}

// shortResult is Result for a table column: "exit 2", "signal 9
// (SIGKILL)", "timed out after 2s", "could not start", "stopped".
func (j *Job) shortResult() string {
	switch j.Status() {
	case NotStarted:
		return "not started"
	case Stopped:
		return "stopped"
	case Passed:
		return "passed"
	}
	switch {
	case j.TimedOut:
		return "timed out after " + fmtTimeout(j)
	case j.StartErr != "":
		return fmt.Sprintf("could not start (%d)", j.ExitCode)
	case j.Signal != 0:
		return "signal " + signalText(j.Signal)
	}
	return fmt.Sprintf("exit %d", j.ExitCode)
}

// title is the job's name for people: Name, else "job SEQ".
func (j *Job) title() string {
	if j.Name != "" {
		return j.Name
	}
	return fmt.Sprintf("job %d", j.Seq)
}

func because(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + reason + ")"
}

func fmtTimeout(j *Job) string {
	if j.Timeout > 0 {
		return j.Timeout.String()
	}
	return j.Duration.Round(time.Millisecond).String()
}

// signalText is "9 (SIGKILL)", or "70" for a signal without a name.
func signalText(n int) string {
	if name := signalName(n); name != "" {
		return fmt.Sprintf("%d (%s)", n, name)
	}
	return fmt.Sprint(n)
}

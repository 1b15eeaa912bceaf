package cmd

import (
	"errors"
	"fmt"
)

// ExitCode is gopool's exit status. The codes are GNU parallel's.
type ExitCode int

// The exit codes that gopool itself chooses. 1..100 are the number of
// failed jobs, and with --halt the exit code of the job that triggered it.
const (
	ExitOK           ExitCode = 0   // every job succeeded
	ExitManyFailed   ExitCode = 101 // more than 100 jobs failed
	ExitInterrupted  ExitCode = 130 // stopped by SIGINT
	ExitQuit         ExitCode = 131 // stopped by SIGQUIT
	ExitBrokenPipe   ExitCode = 141 // stdout was closed early (128+SIGPIPE)
	ExitTerminated   ExitCode = 143 // stopped by SIGTERM
	ExitCannotRun    ExitCode = 255 // bad flag, bad template, unreadable input
	maxCountedFailed          = 100
)

// ExitError carries an exit code up to Main. Err, if set, is printed as one
// line on stderr.
type ExitError struct {
	Code ExitCode
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageErr is a user error: one line on stderr, exit 255, nothing run.
func usageErr(format string, a ...any) error {
	return &ExitError{Code: ExitCannotRun, Err: fmt.Errorf(format, a...)}
}

// exitCodeOf maps an error from a command to the exit code.
func exitCodeOf(err error) ExitCode {
	if err == nil {
		return ExitOK
	}
	var e *ExitError
	if errors.As(err, &e) {
		return e.Code
	}
	return ExitCannotRun
}

// failedCode is the exit code for n failed jobs.
func failedCode(n int) ExitCode {
	if n > maxCountedFailed {
		return ExitManyFailed
	}
	return ExitCode(n)
}

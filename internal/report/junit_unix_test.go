//go:build unix

package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/output/spool"
	"github.com/gopool/gopool/runner"
)

// jobOf fills a Job from runner's Result the way cmd does: a job that
// gopool stopped before it started has Stopped and a start error.
func jobOf(seq int64, name, template string, spec runner.Spec, res runner.Result, stdout, stderr *spool.Buffer, stopReason string) *Job {
	j := &Job{
		Seq: seq, Name: name, Template: template, Command: strings.Join(spec.Argv, " "),
		Start: res.Start, Duration: res.Duration,
		ExitCode: res.ExitCode, Signal: int(res.Signal), TimedOut: res.TimedOut, Timeout: spec.Timeout,
		Stdout: stdout.Reader(), Stderr: stderr.Reader(),
	}
	switch {
	case res.Stopped && res.Err != nil:
		j.NotStarted, j.Stopped = true, stopReason
	case res.Stopped && !res.TimedOut:
		j.Stopped = stopReason
	case res.Err != nil:
		j.StartErr = res.Err.Error()
	}
	return j
}

// marker closes a channel at the first write: the job has started.
type marker struct {
	w    *spool.Buffer
	once sync.Once
	c    chan struct{}
}

func (m *marker) Write(p []byte) (int, error) {
	n, err := m.w.Write(p)
	m.once.Do(func() { close(m.c) })
	return n, err
}

// TestJUnitRealJobs runs real processes with runner, output in
// spool.Buffers that spill, and checks the report they make: a pass, an
// exit code, binary output, a signal, a timeout, a job stopped while it
// ran (Ctrl-C), one never started, and a missing command.
func TestJUnitRealJobs(t *testing.T) {
	sh := func(script string) []string { return []string{"/bin/sh", "-c", script} }
	type run struct {
		name   string
		argv   []string
		spec   func(*runner.Spec)
		cancel string // "before": ctx done before the start; "running": once the job printed
		want   xCase
	}
	usr1 := int(syscall.SIGUSR1)
	runs := []run{
		{name: "ok", argv: sh(`echo ok`), want: xCase{SystemOut: str("ok\n")}},
		{name: "exit 3", argv: sh(`echo out; echo err >&2; exit 3`), want: xCase{
			Failure:   &xOutcome{Type: "exit", Message: "exit code 3", Text: "exit code 3\nlast lines of stderr:\nerr"},
			SystemOut: str("out\n"), SystemErr: str("err\n")}},
		{name: "binary", argv: sh(`printf 'a\000b\033[1m\377]]>\n'`), want: xCase{SystemOut: str("a\\x00b\\x1b[1m\uFFFD]]>\n")}},
		{name: "signal", argv: sh(`kill -USR1 $$`), want: xCase{
			Failure: &xOutcome{Type: "signal", Message: fmt.Sprintf("killed by signal %d (SIGUSR1)", usr1),
				Text: fmt.Sprintf("killed by signal %d (SIGUSR1)", usr1)}}},
		{name: "timeout", argv: sh(`echo started; exec sleep 30`), spec: func(s *runner.Spec) { s.Timeout = 200 * time.Millisecond },
			want: xCase{Failure: &xOutcome{Type: "timeout", Message: "timed out after 200ms", Text: "timed out after 200ms\nlast lines of stdout:\nstarted"},
				SystemOut: str("started\n")}},
		{name: "ctrl-c", argv: sh(`echo started; exec sleep 30`), cancel: "running",
			want: xCase{Error: &xOutcome{Type: "stopped", Message: "stopped by gopool (SIGINT)", Text: "stopped by gopool (SIGINT)\nlast lines of stdout:\nstarted"},
				SystemOut: str("started\n")}},
		{name: "never started", argv: sh(`echo never`), cancel: "before",
			want: xCase{Skipped: &xOutcome{Message: "not started (SIGINT)"}}},
		{name: "missing", argv: []string{"no-such-command-gopool-report"}, want: xCase{
			Failure: &xOutcome{Type: "start", Message: `could not start (exit code 127): "no-such-command-gopool-report": command not found`,
				Text: `could not start (exit code 127): "no-such-command-gopool-report": command not found`}}},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "junit.xml")
	w, err := NewJUnit(path, JUnitOptions{OutputLimit: DefaultOutputLimit, TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i, r := range runs {
		// Tiny memory limits make every output spill to a temp file.
		stdout, stderr := spool.NewBuffer(dir, 2), spool.NewBuffer(dir, 2)
		spec := runner.Spec{Argv: r.argv, Stdout: stdout, Stderr: stderr}
		if r.spec != nil {
			r.spec(&spec)
		}
		ctx, cancel := context.WithCancel(context.Background())
		switch r.cancel {
		case "before":
			cancel()
		case "running":
			m := &marker{w: stdout, c: make(chan struct{})}
			spec.Stdout = m
			go func() { <-m.c; cancel() }()
		}
		res := runner.Run(ctx, spec)
		cancel()
		if err := w.Add(jobOf(int64(i+1), r.name, "sh -c {}", spec, res, stdout, stderr, "SIGINT")); err != nil {
			t.Fatal(err)
		}
		stdout.Close()
		stderr.Close()
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	if p, err := lookPathXmllint(); err == nil {
		validate(t, p, path)
	} else {
		t.Log("xmllint not found (Debian: libxml2-utils): schema validation skipped")
	}
	s := parseReport(t, path)
	cases := s.Suites[0].Cases
	if len(cases) != len(runs) {
		t.Fatalf("got %d cases, want %d", len(cases), len(runs))
	}
	for i, r := range runs {
		got, want := cases[i], r.want
		want.Name, want.Classname, want.Time = r.name, "sh -c {}", got.Time
		if !equalCase(got, want) {
			t.Errorf("%s:\ngot  %s\nwant %s", r.name, showCase(got), showCase(want))
		}
	}
	if s.Tests != 8 || s.Failures != 4 || s.Errors != 1 || s.Skipped != 1 {
		t.Errorf("got tests=%d failures=%d errors=%d skipped=%d, want 8 4 1 1", s.Tests, s.Failures, s.Errors, s.Skipped)
	}
	if os.Getenv("GOPOOL_REPORT_SAMPLE") != "" {
		data, _ := os.ReadFile(path)
		t.Logf("report:\n%s", data)
	}
}

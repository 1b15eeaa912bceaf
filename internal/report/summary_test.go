package report

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSummaryTable(t *testing.T) {
	many := func() []*Job {
		var jobs []*Job
		// Added in reverse, as submit mode may finish them.
		for i := int64(14); i >= 1; i-- {
			j := &Job{Seq: i, Name: fmt.Sprint("in", i), Command: "./test.sh --suite " + strings.Repeat("x", int(i)*5) + " end",
				Duration: time.Duration(i) * 7 * time.Second}
			switch i % 4 {
			case 0:
				j.ExitCode = int(i)
			case 1:
				j.ExitCode, j.Signal = -1, 11
			case 2:
				j.TimedOut, j.Timeout, j.ExitCode, j.Signal = true, 90*time.Second, -1, 15
			case 3:
				j.StartErr, j.ExitCode = "x", 127
			}
			jobs = append(jobs, j)
		}
		return append(jobs,
			&Job{Seq: 15, Stopped: "SIGINT", ExitCode: -1, Signal: 15, Duration: time.Hour + 3*time.Minute},
			&Job{Seq: 16, Stopped: "SIGINT", NotStarted: true})
	}
	tests := []struct {
		name string
		jobs []*Job
		wall time.Duration
		want string
	}{
		{
			name: "one failure",
			jobs: []*Job{
				{Seq: 1, Command: "make lint", Duration: 300 * time.Millisecond},
				{Seq: 2, Command: "make unit", ExitCode: 2, Duration: 3210 * time.Millisecond},
				{Seq: 3, Command: "make e2e", Duration: 1200 * time.Millisecond},
			},
			wall: 4500 * time.Millisecond,
			want: `Failed jobs (1 of 3):
  JOB  RESULT  TIME  COMMAND
    2  exit 2  3.2s  make unit
Slowest jobs:
  JOB  TIME  COMMAND
    2  3.2s  make unit
    3  1.2s  make e2e
    1  0.3s  make lint
Total: 3 done, 1 failed, 0 timed out, wall time 4.5s
`,
		},
		{
			name: "many failures, long commands, stopped and not started",
			jobs: many(),
			wall: 2*time.Hour + 5*time.Minute + 31*time.Second,
			want: `Failed jobs (14 of 15, the first 10 shown):
  JOB  RESULT                  TIME  COMMAND
    1  signal 11 (SIGSEGV)     7.0s  ./test.sh --suite xxxxx end
    2  timed out after 1m30s  14.0s  ./test.sh --suite xxxxxxxxxx end
    3  could not start (127)  21.0s  ./test.sh --suite xxxxxxxxxxxxxxx end
    4  exit 4                 28.0s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxx end
    5  signal 11 (SIGSEGV)    35.0s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxx…
    6  timed out after 1m30s  42.0s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxx…
    7  could not start (127)  49.0s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxx…
    8  exit 8                 56.0s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxx…
    9  signal 11 (SIGSEGV)    1m03s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxx…
   10  timed out after 1m30s  1m10s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxx…
Slowest jobs:
  JOB   TIME  COMMAND
   15  1h03m  job 15
   14  1m38s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
   13  1m31s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
   12  1m24s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
   11  1m17s  ./test.sh --suite xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
Total: 15 done, 14 failed, 4 timed out, 1 stopped, 1 not started,
       wall time 2h06m
`,
		},
		{
			name: "control characters and names",
			jobs: []*Job{
				{Seq: 1, Name: "a\tb", ExitCode: 1, Duration: time.Second},
				{Seq: 2, Command: "printf '\x1b[1m'\n", ExitCode: 3},
			},
			wall: time.Second,
			want: `Failed jobs (2 of 2):
  JOB  RESULT  TIME  COMMAND
    1  exit 1  1.0s  a\tb
    2  exit 3  0.0s  printf '\x1b[1m'\n
Slowest jobs:
  JOB  TIME  COMMAND
    1  1.0s  a\tb
    2  0.0s  printf '\x1b[1m'\n
Total: 2 done, 2 failed, 0 timed out, wall time 1.0s
`,
		},
		{
			name: "no jobs",
			want: "Total: 0 done, 0 failed, 0 timed out, wall time 0.0s\n",
		},
		{
			name: "only not started",
			jobs: []*Job{{Seq: 1, NotStarted: true, Stopped: "SIGTERM"}},
			wall: 61 * time.Second,
			want: "Total: 0 done, 0 failed, 0 timed out, 1 not started, wall time 1m01s\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Summary
			for _, j := range tt.jobs {
				s.Add(j)
			}
			got := s.Table(tt.wall)
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			assertFits(t, got)
		})
	}
}

func assertFits(t *testing.T, table string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimSuffix(table, "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n > tableWidth {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
}

// TestSummaryFitsExtremes checks the 80 columns with huge job numbers, a
// long result and counts in the billions.
func TestSummaryFitsExtremes(t *testing.T) {
	var s Summary
	long := strings.Repeat("very long command with spaces ", 20)
	for i := 0; i < 3; i++ {
		s.Add(&Job{Seq: 1<<62 + int64(i), Command: long, ExitCode: -1, Signal: 64, Duration: 1000 * time.Hour})
		s.Add(&Job{Seq: 1<<62 + 10 + int64(i), Command: long, StartErr: long, ExitCode: 126})
	}
	s.done, s.nFailed, s.timedOut, s.stopped, s.notStarted = 4e9, 3e9, 2e9, 1e9, 1e9
	assertFits(t, s.Table(100000*time.Hour))
}

// TestSummaryKeepsFew checks that Summary holds at most the rows it shows.
func TestSummaryKeepsFew(t *testing.T) {
	var s Summary
	for i := int64(1); i <= 10000; i++ {
		s.Add(&Job{Seq: i, ExitCode: int(i % 2), Duration: time.Duration(i%997) * time.Millisecond})
	}
	if len(s.failed) != maxFailed || len(s.slowest) != maxSlowest || s.Failed() != 5000 {
		t.Fatalf("got %d failed rows, %d slowest rows, %d failed, want %d %d 5000", len(s.failed), len(s.slowest), s.Failed(), maxFailed, maxSlowest)
	}
	for i, r := range s.failed {
		if want := int64(2*i + 1); r.seq != want {
			t.Errorf("failed row %d: got job %d, want %d", i, r.seq, want)
		}
	}
	// 996ms is the longest; jobs 996, 1993, 2990, ... have it.
	for i, r := range s.slowest {
		if want := int64(996 + 997*i); r.seq != want || r.duration != 996*time.Millisecond {
			t.Errorf("slowest row %d: got job %d (%v), want %d (996ms)", i, r.seq, r.duration, want)
		}
	}
}

func TestShortDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0.0s"}, {-time.Second, "0.0s"}, {49 * time.Millisecond, "0.0s"}, {50 * time.Millisecond, "0.1s"},
		{1234 * time.Millisecond, "1.2s"}, {59949 * time.Millisecond, "59.9s"}, {59950 * time.Millisecond, "1m00s"},
		{61 * time.Second, "1m01s"}, {3599 * time.Second, "59m59s"}, {3600 * time.Second, "1h00m"},
		{26*time.Hour + 7*time.Minute, "26h07m"},
	}
	for _, tt := range tests {
		if got := shortDuration(tt.in); got != tt.want {
			t.Errorf("shortDuration(%v): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{Passed: "passed", Failed: "failed", Stopped: "stopped", NotStarted: "not started", 9: "Status(9)"} {
		if got := s.String(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestJobResult(t *testing.T) {
	tests := []struct {
		name   string
		job    Job
		status Status
		result string
	}{
		{name: "passed", job: Job{}, status: Passed, result: "passed"},
		{name: "exit", job: Job{ExitCode: 2}, status: Failed, result: "exit code 2"},
		{name: "signal", job: Job{ExitCode: -1, Signal: 9}, status: Failed, result: "killed by signal 9 (SIGKILL)"},
		{name: "unnamed signal", job: Job{ExitCode: -1, Signal: 200}, status: Failed, result: "killed by signal 200"},
		{name: "timeout", job: Job{TimedOut: true, Timeout: 1500 * time.Millisecond}, status: Failed, result: "timed out after 1.5s"},
		{name: "timeout without the setting", job: Job{TimedOut: true, Duration: 2001234 * time.Microsecond}, status: Failed, result: "timed out after 2.001s"},
		{name: "timeout while stopping", job: Job{TimedOut: true, Timeout: time.Second, Stopped: "SIGINT"}, status: Failed, result: "timed out after 1s"},
		{name: "start", job: Job{ExitCode: 126, StartErr: `"./x": permission denied`}, status: Failed, result: `could not start (exit code 126): "./x": permission denied`},
		{name: "stopped", job: Job{ExitCode: -1, Signal: 15, Stopped: "SIGTERM"}, status: Stopped, result: "stopped by gopool (SIGTERM)"},
		{name: "stopped without reason", job: Job{Stopped: ""}, status: Passed, result: "passed"},
		{name: "not started", job: Job{NotStarted: true, Stopped: "--halt now,fail=1"}, status: NotStarted, result: "not started (--halt now,fail=1)"},
		{name: "not started without reason", job: Job{NotStarted: true}, status: NotStarted, result: "not started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.job.Status(); got != tt.status {
				t.Errorf("got status %v, want %v", got, tt.status)
			}
			if got := tt.job.Result(); got != tt.result {
				t.Errorf("got %q, want %q", got, tt.result)
			}
		})
	}
}

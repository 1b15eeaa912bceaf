package report_test

import (
	"fmt"
	"time"

	"github.com/gopool/gopool/internal/report"
)

// Summary collects jobs as they finish and renders the --summary table at
// the end of the run.
func ExampleSummary() {
	var s report.Summary
	s.Add(&report.Job{Seq: 1, Command: "./test.sh unit", Duration: 2 * time.Second})
	s.Add(&report.Job{Seq: 2, Command: "./test.sh integration", ExitCode: 1, Duration: 9 * time.Second})
	s.Add(&report.Job{Seq: 3, Command: "./test.sh e2e", TimedOut: true, Timeout: 30 * time.Second,
		ExitCode: -1, Signal: 15, Duration: 30 * time.Second})
	if s.Failed() > 0 {
		fmt.Print(s.Table(31 * time.Second))
	}
	// Output:
	// Failed jobs (2 of 3):
	//   JOB  RESULT                TIME  COMMAND
	//     2  exit 1                9.0s  ./test.sh integration
	//     3  timed out after 30s  30.0s  ./test.sh e2e
	// Slowest jobs:
	//   JOB   TIME  COMMAND
	//     3  30.0s  ./test.sh e2e
	//     2   9.0s  ./test.sh integration
	//     1   2.0s  ./test.sh unit
	// Total: 3 done, 2 failed, 1 timed out, wall time 31.0s
}

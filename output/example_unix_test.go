//go:build unix

package output_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/gopool/gopool/output"
	"github.com/gopool/gopool/output/spool"
	"github.com/gopool/gopool/pool"
	"github.com/gopool/gopool/runner"
)

// Example is gopool map in miniature: pool schedules, runner runs each
// command with a timeout, each job's output goes to a Buffer, and a Printer
// writes the finished jobs with their tag, in input order. The first job
// finishes last (it waits for the second to print), the third times out.
func Example() {
	dir, err := os.MkdirTemp("", "gopool-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	commands := [][]string{
		{"/bin/sh", "-c", `while [ ! -e "$0/b" ]; do sleep 0.01; done; echo waited for b`, dir},
		{"/bin/sh", "-c", `echo b; : > "$0/b"`, dir},
		{"sleep", "60"},
	}
	type job struct {
		output.Job
		res runner.Result
	}
	seq := int64(0)
	next := func() (*job, bool) {
		if len(commands) == 0 {
			return nil, false
		}
		seq++
		j := &job{Job: output.Job{Seq: seq, Argv: commands[0], Tag: fmt.Sprint("job", seq)}}
		commands = commands[1:]
		return j, true
	}
	printer := output.NewPrinter(output.Config{Stdout: os.Stdout, Stderr: os.Stdout, Tag: true})
	pool.Run(context.Background(), pool.Options[*job]{Workers: 3, Ordered: true},
		next,
		func(ctx context.Context, _ int, j *job) *job {
			out := spool.NewBuffer("", 64<<10)
			j.Stdout = out
			j.res = runner.Run(ctx, runner.Spec{Argv: j.Argv, Stdout: out, Timeout: 200 * time.Millisecond})
			return j
		},
		func(j *job) {
			defer j.Stdout.Close()
			if err := printer.Print(&j.Job); err != nil {
				fmt.Println(err)
			}
			if j.res.TimedOut {
				fmt.Printf("%s: timed out\n", strings.Join(j.Argv, " "))
			}
		})
	// Output:
	// job1	waited for b
	// job2	b
	// sleep 60: timed out
}

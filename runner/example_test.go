//go:build unix

package runner_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopool/gopool/pool"
	"github.com/gopool/gopool/runner"
)

// Run starts one child, waits for it and reports how it ended.
func ExampleRun() {
	var out bytes.Buffer
	res := runner.Run(context.Background(), runner.Spec{
		Argv:   []string{"echo", "hello", "world"},
		Stdout: &out,
	})
	fmt.Printf("exit %d, failed %v: %s", res.ExitCode, res.Failed(), out.String())
	// Output:
	// exit 0, failed false: hello world
}

// A job that runs past its Timeout is stopped with the termination
// sequence, sent to its whole process group: here TERM, which ends it.
func ExampleRun_timeout() {
	res := runner.Run(context.Background(), runner.Spec{
		Argv:    []string{"/bin/sh", "-c", "sleep 60"},
		Timeout: 100 * time.Millisecond, // TermSeq nil: TERM, 2s, KILL
	})
	fmt.Printf("timed out %v, stopped %v, exit %d, signal %q, failed %v\n",
		res.TimedOut, res.Stopped, res.ExitCode, res.Signal, res.Failed())
	// Output:
	// timed out true, stopped true, exit -1, signal "terminated", failed true
}

// A start failure is a Result, not a panic: exit 127 with an error that
// names the command, as a shell would report it.
func ExampleRun_notFound() {
	res := runner.Run(context.Background(), runner.Spec{Argv: []string{"no-such-command-gopool"}})
	fmt.Println(res.ExitCode, res.Err)
	// Output:
	// 127 "no-such-command-gopool": command not found
}

// tempDir makes a directory for an example's files and returns it with a
// function that removes it.
func tempDir() (string, func()) {
	dir, err := os.MkdirTemp("", "gopool-example-")
	if err != nil {
		panic(err)
	}
	return dir, func() { os.RemoveAll(dir) }
}

// job is one command and what it printed.
type job struct {
	argv []string
	out  bytes.Buffer
	res  runner.Result
}

// runAll runs each argv with at most 2 at once through pool and runner,
// the way gopool map and gopool submit do, and prints each job as it is
// emitted.
func runAll(ordered bool, timeout time.Duration, argvs ...[]string) {
	runAllThen(ordered, timeout, nil, argvs...)
}

// runAllThen is runAll with a hook called after each job is printed.
func runAllThen(ordered bool, timeout time.Duration, printed func(out string), argvs ...[]string) {
	next := func() (*job, bool) {
		if len(argvs) == 0 {
			return nil, false
		}
		j := &job{argv: argvs[0]}
		argvs = argvs[1:]
		return j, true
	}
	var resolver runner.Resolver // looks each command up in PATH once
	pool.Run(context.Background(), pool.Options[*job]{Workers: 2, Ordered: ordered},
		next,
		func(ctx context.Context, _ int, j *job) *job {
			path, err := resolver.Look(j.argv[0])
			if err != nil {
				j.res = runner.Result{ExitCode: 127, Err: err}
				return j
			}
			j.res = runner.Run(ctx, runner.Spec{Argv: j.argv, Path: path, Stdout: &j.out, Timeout: timeout})
			return j
		},
		func(j *job) {
			switch {
			case j.res.TimedOut:
				fmt.Printf("%s: timed out\n", strings.Join(j.argv, " "))
			case j.res.Failed():
				fmt.Printf("%s: failed with %d\n", strings.Join(j.argv, " "), j.res.ExitCode)
			default:
				fmt.Print(j.out.String())
			}
			if printed != nil {
				printed(j.out.String())
			}
		})
}

// Commands run two at a time; their output comes out in input order, as
// with gopool map, although the first job finishes last. The first job
// waits until the second has written its file.
func Example_inOrder() {
	dir, cleanup := tempDir()
	defer cleanup()
	runAll(true, 0,
		[]string{"/bin/sh", "-c", `while [ ! -e "$0/second" ]; do sleep 0.01; done; echo first`, dir},
		[]string{"/bin/sh", "-c", `echo second; : > "$0/second"`, dir},
		[]string{"echo", "third"},
	)
	// Output:
	// first
	// second
	// third
}

// Without order, each job is printed as it finishes, as with gopool
// submit: the first job waits for the second, so it comes out second.
func Example_asCompleted() {
	dir, cleanup := tempDir()
	defer cleanup()
	// The slow job waits until the fast one has been printed.
	runAllThen(false, 0, func(out string) {
		if out == "fast\n" {
			_ = os.WriteFile(filepath.Join(dir, "done"), nil, 0o644)
		}
	},
		[]string{"/bin/sh", "-c", `while [ ! -e "$0/done" ]; do sleep 0.01; done; echo slow`, dir},
		[]string{"echo", "fast"},
	)
	// Output:
	// fast
	// slow
}

// A timeout applies to each job on its own: the job that hangs is stopped
// and reported, the others are not affected.
func Example_timeout() {
	runAll(true, 200*time.Millisecond,
		[]string{"echo", "one"},
		[]string{"sleep", "60"},
		[]string{"echo", "three"},
	)
	// Output:
	// one
	// sleep 60: timed out
	// three
}

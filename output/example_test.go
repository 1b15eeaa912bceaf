package output_test

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopool/gopool/output"
	"github.com/gopool/gopool/output/spool"
)

// ExamplePrinter prints two jobs with --tag: each line gets its tag, and
// a last line without a newline stays without one, as with GNU parallel.
func ExamplePrinter() {
	p := output.NewPrinter(output.Config{Stdout: os.Stdout, Stderr: os.Stdout, Tag: true})
	for i, text := range []string{"one\ntwo\n", "three"} {
		out := spool.NewBuffer("", 64<<10)
		io.WriteString(out, text)
		if err := p.Print(&output.Job{Seq: int64(i + 1), Tag: fmt.Sprint("job", i+1), Stdout: out}); err != nil {
			fmt.Println(err)
		}
		out.Close()
	}
	fmt.Println()
	// Output:
	// job1	one
	// job1	two
	// job2	three
}

// With Config.JSON a job is one line of JSON (gopool --json). Output that is
// valid UTF-8 is a string; a job with no output has empty strings.
func ExamplePrinter_json() {
	p := output.NewPrinter(output.Config{Stdout: os.Stdout, Stderr: os.Stderr, JSON: true})
	stdout := spool.NewBuffer("", 64<<10)
	defer stdout.Close()
	io.WriteString(stdout, "partial\n")
	err := p.Print(&output.Job{
		Seq:      2,
		Input:    []string{"big.iso"},
		Argv:     []string{"sha256sum", "big.iso"},
		ExitCode: -1,
		Signal:   15,
		TimedOut: true,
		Start:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Duration: 1500 * time.Millisecond,
		Stdout:   stdout,
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"seq":2,"input":["big.iso"],"argv":["sha256sum","big.iso"],"exit_code":-1,"signal":15,"timed_out":true,"start":"2026-01-02T03:04:05Z","duration_s":1.5,"stdout":"partial\n","stderr":""}
}

// Lines is --line-buffer: complete lines of concurrent jobs go out at
// once, each whole; a last partial line waits for Close.
func ExampleLines() {
	lines := output.NewLines(os.Stdout)
	a := lines.Writer("a", true)
	b := lines.Writer("b", true)
	io.WriteString(a, "1st line of a\npartial ")
	io.WriteString(b, "1st line of b\n")
	io.WriteString(a, "line of a\n")
	b.Close()
	a.Close()
	// Output:
	// a	1st line of a
	// b	1st line of b
	// a	partial line of a
}

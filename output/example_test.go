package output_test

import (
	"fmt"
	"io"
	"os"

	"github.com/gopool/gopool/output"
)

// ExamplePrinter prints two jobs with --tag: each line gets its tag, and
// a last line without a newline stays without one, as with GNU parallel.
func ExamplePrinter() {
	p := output.NewPrinter(output.Config{Stdout: os.Stdout, Stderr: os.Stdout, Tag: true})
	for i, text := range []string{"one\ntwo\n", "three"} {
		out := output.NewBuffer("", 64<<10)
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

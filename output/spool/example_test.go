package spool_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/gopool/gopool/output/spool"
)

// Buffer keeps a job's output in memory up to a limit and spills the rest
// to an unlinked temporary file: the content reads back whole either way.
func ExampleBuffer() {
	b := spool.NewBuffer("", 8) // 8 bytes in memory, the rest on disk
	defer b.Close()
	fmt.Fprintf(b, "%s\n", strings.Repeat("x", 20))
	fmt.Println(b.Len(), b.Err())
	b.WriteTo(os.Stdout)
	// Output:
	// 21 <nil>
	// xxxxxxxxxxxxxxxxxxxx
}

// A Spill parks finished Buffers that must wait in one shared file, so
// that thousands of waiting jobs need two open files, not thousands: Park
// hands back Content that reads the same as the Buffer did.
func ExampleSpill() {
	s := spool.NewSpill("", 0) // no memory budget: everything to the file
	defer s.Close()
	var parked []spool.Content
	for _, word := range []string{"first", "second"} {
		b := spool.NewBuffer("", 4)
		fmt.Fprintln(b, word)
		c, err := s.Park(b)
		if err != nil {
			panic(err)
		}
		parked = append(parked, c)
	}
	for _, c := range parked {
		c.WriteTo(os.Stdout)
		c.Close()
	}
	// Output:
	// first
	// second
}

package pipe_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gopool/gopool/internal/pipe"
)

// Example cuts seq 10 into blocks of at most 6 bytes, as
// `seq 10 | parallel --pipe --block 6` does.
func Example() {
	size, perSlot, err := pipe.ParseBlockSize("6")
	if err != nil {
		panic(err)
	}
	end, start, err := pipe.Separators("", "", false, false, false)
	if err != nil {
		panic(err)
	}
	o := pipe.Options{BlockSize: size, PerSlot: perSlot, RecEnd: end, RecStart: start, Slots: 2}
	sp, err := pipe.Open(strings.NewReader("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"), o)
	if err != nil {
		panic(err)
	}
	defer sp.Close()
	for {
		b, err := sp.Next() // when a job slot is free
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Printf("==%d\n", b.Seq())
		if _, err := b.WriteTo(os.Stdout); err != nil { // the job's stdin
			panic(err)
		}
		b.Release() // after the block's last attempt
	}
	// Output:
	// ==1
	// 1
	// 2
	// 3
	// ==2
	// 4
	// 5
	// 6
	// ==3
	// 7
	// 8
	// 9
	// ==4
	// 10
}

package input

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
)

// benchStream measures Next over cfg, whose stdin is reset to data each round.
func benchStream(b *testing.B, cfg Config, data []byte, want int) {
	b.Helper()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	r := bytes.NewReader(data)
	for b.Loop() {
		r.Reset(data)
		cfg.Stdin = r
		s, err := Open(cfg)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != want {
			b.Fatalf("got %d records, want %d", n, want)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(want), "ns/record")
}

// BenchmarkStream measures whole records out of Next: lines of stdin, alone,
// crossed with a ::: group, and split into columns.
func BenchmarkStream(b *testing.B) {
	const lines = 1 << 14
	plain := []byte(strings.Repeat(strings.Repeat("y", 63)+"\n", lines))
	cols := []byte(strings.Repeat("a b,c d,"+strings.Repeat("z", 55)+"\n", lines))
	b.Run("stdin", func(b *testing.B) {
		benchStream(b, Config{}, plain, lines)
	})
	b.Run("cross", func(b *testing.B) {
		benchStream(b, Config{Sources: []SourceSpec{{Path: "-"}, {Values: []string{"x", "y"}, IsValues: true}}}, plain, 2*lines)
	})
	b.Run("maxargs", func(b *testing.B) {
		benchStream(b, Config{MaxArgs: 8}, plain, lines/8)
	})
	b.Run("colsep", func(b *testing.B) {
		benchStream(b, Config{ColSep: regexp.MustCompile(",")}, cols, lines)
	})
}

package pipe

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchSize is the input of the benchmarks: 256 MiB of 64-byte lines.
const benchSize = 256 << 20

// benchData returns benchSize bytes of 64-byte lines.
func benchData() []byte {
	return bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"), benchSize/64)
}

// benchFile writes benchData to a file in a temp dir and returns its name.
func benchFile(b *testing.B) string {
	name := filepath.Join(b.TempDir(), "in")
	if err := os.WriteFile(name, benchData(), 0o600); err != nil {
		b.Fatal(err)
	}
	return name
}

// drainPipe returns the write end of a pipe whose read end is read to the
// end by a goroutine, and a function that closes the write end and waits.
func drainPipe(b *testing.B) (*os.File, func()) {
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, r)
		r.Close()
		close(done)
	}()
	return w, func() { w.Close(); <-done }
}

// runSplit takes every block of sp, feeding it to feed when not nil.
func runSplit(b *testing.B, sp Splitter, feed io.Writer) {
	for {
		blk, err := sp.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if feed != nil {
			if _, err := blk.WriteTo(feed); err != nil {
				b.Fatal(err)
			}
		}
		blk.Release()
	}
	if err := sp.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSplitPipe cuts 256 MiB of 64-byte lines from a real pipe into
// 1M and 10M blocks ("cut"), and also feeds each block to another pipe
// ("feed").
func BenchmarkSplitPipe(b *testing.B) {
	data := benchData()
	for _, feed := range []bool{false, true} {
		for _, bs := range []int64{1 << 20, 10 << 20} {
			name := fmt.Sprintf("cut/block=%dM", bs>>20)
			if feed {
				name = fmt.Sprintf("feed/block=%dM", bs>>20)
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					r, w, err := os.Pipe()
					if err != nil {
						b.Fatal(err)
					}
					go func() {
						_, _ = w.Write(data)
						w.Close()
					}()
					s, err := NewStream(r, Options{BlockSize: bs, RecEnd: "\n", Slots: 2})
					if err != nil {
						b.Fatal(err)
					}
					if feed {
						w, wait := drainPipe(b)
						runSplit(b, s, w)
						wait()
					} else {
						runSplit(b, s, nil)
					}
					r.Close()
				}
			})
		}
	}
}

// BenchmarkSplitFile cuts a 256 MiB file into 1M and 10M blocks for
// --pipe and --pipepart ("cut": the cuts alone), and feeds each block to a
// pipe with sendfile ("feed").
func BenchmarkSplitFile(b *testing.B) {
	name := benchFile(b)
	for _, feed := range []bool{false, true} {
		for _, part := range []bool{false, true} {
			for _, bs := range []int64{1 << 20, 10 << 20} {
				what := map[bool]string{false: "cut", true: "feed"}[feed] + "/" +
					map[bool]string{false: "pipe", true: "pipepart"}[part]
				b.Run(fmt.Sprintf("%s/block=%dM", what, bs>>20), func(b *testing.B) {
					b.SetBytes(benchSize)
					for b.Loop() {
						f, err := os.Open(name)
						if err != nil {
							b.Fatal(err)
						}
						o := Options{BlockSize: bs, RecEnd: "\n"}
						var s *File
						if part {
							s, err = NewPart(f, o)
						} else {
							s, err = NewFile(f, o)
						}
						if err != nil {
							b.Fatal(err)
						}
						if feed {
							w, wait := drainPipe(b)
							runSplit(b, s, w)
							wait()
						} else {
							runSplit(b, s, nil)
						}
						f.Close()
					}
				})
			}
		}
	}
}

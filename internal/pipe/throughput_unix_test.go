//go:build unix

package pipe

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// runJobs is the wiring cmd needs, in small: J slots; Next is called only
// when a slot is free; each block is the stdin of a new `wc -l`, fed
// through a pipe gopool owns (sendfile for file ranges); the block is
// released when its job is done. It returns the lines counted.
func runJobs(t *testing.T, sp Splitter, j int) int64 {
	t.Helper()
	slots := make(chan struct{}, j)
	var mu sync.Mutex
	var total int64
	var errs []error
	var wg sync.WaitGroup
	for {
		slots <- struct{}{} // a free slot
		b, err := sp.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer func() { b.Release(); <-slots; wg.Done() }()
			n, err := wcLines(b)
			mu.Lock()
			defer mu.Unlock()
			total += n
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	return total
}

// wcLines runs wc -l with b on its stdin.
func wcLines(b *Block) (int64, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command("wc", "-l")
	cmd.Stdin = r // an *os.File: the child gets the pipe itself
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return 0, err
	}
	r.Close()
	_, ferr := b.WriteTo(w)
	w.Close()
	if err := cmd.Wait(); err != nil {
		return 0, err
	}
	if ferr != nil {
		return 0, ferr
	}
	return strconv.ParseInt(strings.TrimSpace(out.String()), 10, 64)
}

// TestThroughput measures by hand what the design reaches here: it feeds
// GOPOOL_PIPE_MB MiB of 64-byte lines (from a pipe, from a file and as
// --pipepart) to `wc -l` jobs, two at a time, and logs MB/s next to the
// floor, `cat f | wc -l`. Run it with
//
//	GOPOOL_PIPE_MB=256 go test -run Throughput -v ./internal/pipe/
func TestThroughput(t *testing.T) {
	mb, _ := strconv.Atoi(os.Getenv("GOPOOL_PIPE_MB"))
	if mb <= 0 {
		t.Skip("set GOPOOL_PIPE_MB to measure")
	}
	line := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"
	n := int64(mb) << 20 / 64
	name := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(name, bytes.Repeat([]byte(line), int(n)), 0o600); err != nil {
		t.Fatal(err)
	}
	size := float64(n * 64)
	report := func(what string, d time.Duration) {
		t.Logf("%-36s %6.0f MB/s (%v)", what, size/d.Seconds()/1e6, d.Round(time.Millisecond))
	}
	for round := 1; round <= 3; round++ {
		t.Logf("round %d", round)
		start := time.Now()
		out, err := exec.Command("sh", "-c", `cat "$1" | wc -l`, "sh", name).Output()
		if err != nil || strings.TrimSpace(string(out)) != strconv.FormatInt(n, 10) {
			t.Fatalf("cat | wc -l: %q, %v", out, err)
		}
		report("floor: cat f | wc -l", time.Since(start))
		for _, bs := range []int64{1 << 20, 10 << 20} {
			for _, how := range []string{"pipe", "file", "pipepart"} {
				o := Options{BlockSize: bs, RecEnd: "\n", Slots: 2}
				start := time.Now()
				f, err := os.Open(name)
				if err != nil {
					t.Fatal(err)
				}
				var sp Splitter
				var cat *exec.Cmd
				switch how {
				case "pipe":
					cat = exec.Command("cat", name)
					stdout, err := cat.StdoutPipe()
					if err != nil {
						t.Fatal(err)
					}
					if err := cat.Start(); err != nil {
						t.Fatal(err)
					}
					sp, err = Open(stdout.(*os.File), o)
					if err != nil {
						t.Fatal(err)
					}
				case "file":
					sp, err = Open(f, o)
				case "pipepart":
					sp, err = NewPart(f, o)
				}
				if err != nil {
					t.Fatal(err)
				}
				got := runJobs(t, sp, 2)
				if cat != nil {
					if err := cat.Wait(); err != nil {
						t.Fatal(err)
					}
				}
				f.Close()
				if got != n {
					t.Fatalf("%s: counted %d lines, want %d", how, got, n)
				}
				report(fmt.Sprintf("%s --block %dM -j2 wc -l", how, bs>>20), time.Since(start))
			}
		}
	}
}

//go:build unix

package cmd

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Timing promises are measured here, not asserted in tests: a loaded
// machine can stretch any gap, and a test that times them would fail for
// that. Run with: go test -run '^$' -bench 'Timing' ./cmd/

// BenchmarkTimingDelay measures --delay 20ms: the gaps between job starts
// (from the joblog) are at least the delay by construction; the metric is
// how much longer they are.
func BenchmarkTimingDelay(b *testing.B) {
	const delay = 20 * time.Millisecond
	dir := b.TempDir()
	var overshoot, minGap time.Duration
	minGap = time.Hour
	for b.Loop() {
		jl := filepath.Join(dir, "jl")
		code := Execute(&Streams{In: strings.NewReader(""), Out: discard{}, Err: discard{}}, BuildInfo{},
			[]string{"submit", "-j", "4", "--delay", delay.String(), "--joblog", jl, "--", "true", ":::", "1", "2", "3", "4", "5"})
		if code != 0 {
			b.Fatalf("exit %d", code)
		}
		starts := joblogStarts(b, jl)
		for i := 1; i < len(starts); i++ {
			gap := starts[i] - starts[i-1]
			overshoot += gap - delay
			minGap = min(minGap, gap)
		}
	}
	b.ReportMetric(float64(overshoot.Microseconds())/float64(4*b.N), "µs-over-delay/gap")
	b.ReportMetric(float64(minGap.Microseconds()), "µs-min-gap")
}

// BenchmarkTimingSleep is W4 in small: 8 jobs of sleep 0.1 at -j 8; the
// metric is the wall time beyond the 100ms the jobs take.
func BenchmarkTimingSleep(b *testing.B) {
	var over time.Duration
	for b.Loop() {
		begin := time.Now()
		code := Execute(&Streams{In: strings.NewReader(""), Out: discard{}, Err: discard{}}, BuildInfo{},
			[]string{"submit", "-j", "8", "--", "sleep", "{}", ":::", "0.1", "0.1", "0.1", "0.1", "0.1", "0.1", "0.1", "0.1"})
		if code != 0 {
			b.Fatalf("exit %d", code)
		}
		over += time.Since(begin) - 100*time.Millisecond
	}
	b.ReportMetric(float64(over.Microseconds())/float64(b.N), "µs-over-sleep")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// joblogStarts returns the sorted start times of a joblog's rows.
func joblogStarts(b *testing.B, path string) []time.Duration {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var starts []time.Duration
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 3 || fields[0] == "Seq" {
			continue
		}
		s, err := strconv.ParseFloat(fields[2], 64)
		if err != nil {
			b.Fatal(err)
		}
		starts = append(starts, time.Duration(s*float64(time.Second)))
	}
	slices.Sort(starts)
	return starts
}

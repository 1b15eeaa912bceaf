package progress

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable clock, safe to read from the meter's goroutine.
type clock struct{ ns atomic.Int64 }

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func (c *clock) now() time.Time      { return t0.Add(time.Duration(c.ns.Load())) }
func (c *clock) set(d time.Duration) { c.ns.Store(int64(d)) }

// drawn is what the meter writes to show line over the bar old.
func drawn(old, line string) string {
	return "\r" + line + strings.Repeat(" ", max(0, len([]rune(old))-len([]rune(line))))
}

// erased is what the meter writes to erase the bar old.
func erased(old string) string { return "\r" + strings.Repeat(" ", len([]rune(old))) + "\r" }

func TestMeterBar(t *testing.T) {
	var buf bytes.Buffer
	var clk clock
	m := newMeter(&buf, Options{Width: func() int { return 40 }, Now: clk.now})
	m.SetTotal(4)
	m.AddTotal() // counted ahead: no change
	clk.set(2 * time.Second)
	m.JobDone(false)
	if err := m.Around(func() error { _, err := io.WriteString(&buf, "out-1\n"); return err }); err != nil {
		t.Fatal(err)
	}
	bar1 := " 25% |██        | 1/4, 0 failed, eta 6s"
	m.JobDone(true)
	err := m.Around(func() error { io.WriteString(&buf, "out-2\n"); return fmt.Errorf("write: %w", io.ErrShortWrite) })
	if err == nil || !strings.Contains(err.Error(), "short write") {
		t.Errorf("got error %v, want print's error", err)
	}
	bar2 := " 50% |█████     | 2/4, 1 failed, eta 2s"
	w := m.Writer(&buf)
	io.WriteString(w, "live\n")
	io.WriteString(w, "more\n") // no bar to erase
	clk.set(5 * time.Second)
	m.JobDone(false)
	m.JobDone(false)
	m.Close()
	m.Close()                              // a second Close does nothing
	final := "100% 4/4, 1 failed, took 5s" // 48.0 jobs/min does not fit

	want := "out-1\n" + drawn("", bar1) +
		erased(bar1) + "out-2\n" + drawn("", bar2) +
		erased(bar2) + "live\n" + "more\n" +
		drawn("", final) + "\n"
	got := buf.String()
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("got %q, want no escape code", got)
	}
}

// TestMeterStreaming: while the input streams, the line shows counts and
// the time elapsed; EndInput turns them into a total with an ETA.
func TestMeterStreaming(t *testing.T) {
	var buf bytes.Buffer
	var clk clock
	m := newMeter(&buf, Options{Width: func() int { return 40 }, Now: clk.now})
	for range 3 {
		m.AddTotal()
	}
	clk.set(4 * time.Second)
	m.JobDone(false)
	m.Around(func() error { return nil })
	m.AddTotal()
	m.EndInput()
	m.JobDone(false)
	m.Around(func() error { return nil })
	m.Close()
	s1 := "1/3+, 0 failed, elapsed 4s" // 15.0 jobs/min does not fit
	s2 := " 50% |█████     | 2/4, 0 failed, eta 4s"
	s3 := " 50% 2/4, 0 failed, took 4s"
	want := drawn("", s1) + erased(s1) + drawn("", s2) + drawn(s2, s3) + "\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestMeterWidth(t *testing.T) {
	tests := []struct {
		name  string
		width func() int
		want  int // columns of the line
	}{
		{"nil is 80", nil, 79},
		{"0 is 80", func() int { return 0 }, 79},
		{"negative is 80", func() int { return -1 }, 79},
		{"given", func() int { return 60 }, 59},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			var clk clock
			m := newMeter(&buf, Options{Width: tc.width, Now: clk.now})
			m.SetTotal(10)
			m.Close()
			line := strings.TrimSuffix(strings.TrimPrefix(buf.String(), "\r"), "\n")
			if n := len([]rune(line)); n != tc.want {
				t.Errorf("got %d columns (%q), want %d", n, line, tc.want)
			}
		})
	}
}

// TestMeterTicks drives the goroutine with a tick channel: each tick
// redraws the bar if it changed.
func TestMeterTicks(t *testing.T) {
	var buf bytes.Buffer
	var clk clock
	m := newMeter(&buf, Options{Width: func() int { return 30 }, Now: clk.now})
	tick := make(chan time.Time)
	stopped := make(chan struct{})
	m.run(tick, func() { close(stopped) })
	m.SetTotal(2)
	tick <- time.Time{}
	tick <- time.Time{} // the same line: not drawn again
	clk.set(time.Second)
	m.JobDone(false)
	tick <- time.Time{}
	tick <- time.Time{} // the second send returns once the first tick is drawn
	m.Close()
	<-stopped
	s1 := "  0% 0/2, 0 failed"
	s2 := " 50% 1/2, 0 failed, eta 1s"
	s3 := " 50% 1/2, 0 failed, took 1s"
	want := drawn("", s1) + drawn(s1, s2) + drawn(s2, s3) + "\n"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestMeterPlain: each tick prints a line, Close prints the last one, and
// job output goes between them whole.
func TestMeterPlain(t *testing.T) {
	var buf bytes.Buffer
	var clk clock
	m := newMeter(&buf, Options{Plain: true, Now: clk.now})
	tick := make(chan time.Time)
	m.run(tick, func() {})
	m.SetTotal(1000)
	clk.set(27645 * time.Millisecond)
	for i := range 340 {
		m.JobDone(i < 2)
	}
	tick <- time.Time{}
	tick <- time.Time{}
	tick <- time.Time{}
	// The third tick's line may come before or after these.
	m.Around(func() error { _, err := io.WriteString(&buf, "job output\n"); return err })
	io.WriteString(m.Writer(&buf), "live\n")
	m.Close()

	got := buf.String()
	tickLine := "gopool: 340/1000 done, 2 failed, 12.3 jobs/s, eta 54s\n"
	lastLine := "gopool: 340/1000 done, 2 failed, 12.3 jobs/s, took 27s\n"
	lines := strings.SplitAfter(got, "\n")
	want := []string{"", tickLine, tickLine, tickLine, lastLine, "job output\n", "live\n"}
	sorted := slices.Clone(lines)
	slices.Sort(sorted)
	slices.Sort(want)
	if !slices.Equal(sorted, want) || lines[0] != tickLine || lines[len(lines)-2] != lastLine {
		t.Errorf("got %q, want 3 tick lines, the job output, a last line", got)
	}
	if strings.ContainsAny(got, "\r\x1b") {
		t.Errorf("got %q, want no carriage return or escape code", got)
	}
}

// TestMeterConcurrent runs every method at once with the real ticker; the
// race detector checks the locking, and the final line the counts.
func TestMeterConcurrent(t *testing.T) {
	var buf bytes.Buffer
	m := New(&buf, Options{Width: func() int { return 200 }})
	var wg sync.WaitGroup
	const n = 200
	for i := range n {
		wg.Go(func() {
			m.AddTotal()
			m.JobDone(i%10 == 0)
			m.Around(func() error { _, err := buf.WriteString("x\n"); return err })
			io.WriteString(m.Writer(&buf), "y\n")
		})
	}
	wg.Wait()
	m.EndInput()
	m.Close()
	got := buf.String()
	last := got[strings.LastIndexByte(got, '\r'):]
	if want := fmt.Sprintf("| %d/%d, %d failed, ", n, n, n/10); !strings.Contains(last, want) {
		t.Errorf("got final line %q, want it to hold %q", last, want)
	}
	if c := strings.Count(got, "x\n"); c != n {
		t.Errorf("got %d job outputs, want %d", c, n)
	}
}

package output

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// callRecorder records each Write call separately.
type callRecorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *callRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, string(p))
	return len(p), nil
}

func TestLineWriter(t *testing.T) {
	tests := []struct {
		name      string
		tag       string
		tagged    bool
		writes    []string
		wantCalls []string // Write calls on the destination, Close included
	}{
		{name: "nothing", writes: nil, wantCalls: nil},
		{name: "whole lines", writes: []string{"a\nb\n"}, wantCalls: []string{"a\nb\n"}},
		{name: "partial kept", writes: []string{"ab", "c\nd", "e\n"}, wantCalls: []string{"abc\n", "de\n"}},
		{name: "partial at close", writes: []string{"a\nb"}, wantCalls: []string{"a\n", "b"}},
		{name: "only partial", writes: []string{"x", "y"}, wantCalls: []string{"xy"}},
		{name: "empty lines", writes: []string{"\n\n"}, wantCalls: []string{"\n\n"}},
		{name: "tagged", tag: "t", tagged: true, writes: []string{"a\nb\n"}, wantCalls: []string{"t\ta\nt\tb\n"}},
		{name: "tagged partial", tag: "t", tagged: true, writes: []string{"a", "b\nc", "\n", "d"}, wantCalls: []string{"t\tab\n", "t\tc\n", "t\td"}},
		{name: "tagged lines in one write", tag: "t", tagged: true, writes: []string{"a", "b\nc\nd"}, wantCalls: []string{"t\tab\nt\tc\n", "t\td"}},
		{name: "tagged empty line", tag: "t", tagged: true, writes: []string{"\n"}, wantCalls: []string{"t\t\n"}},
		{name: "tag set but not tagged", tag: "t", writes: []string{"a\n"}, wantCalls: []string{"a\n"}},
		{name: "empty tag tagged", tagged: true, writes: []string{"a\n"}, wantCalls: []string{"\ta\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec callRecorder
			w := NewLines(&rec).Writer(tt.tag, tt.tagged)
			for _, s := range tt.writes {
				n, err := w.Write([]byte(s))
				if err != nil || n != len(s) {
					t.Fatalf("write %q: got (%d, %v), want (%d, nil)", s, n, err, len(s))
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprintf("%q", rec.calls), fmt.Sprintf("%q", tt.wantCalls); got != want {
				t.Errorf("got calls %s, want %s", got, want)
			}
			if _, err := w.Write([]byte("x\n")); err == nil {
				t.Error("write after close: got nil error, want one")
			}
		})
	}
}

func TestLineWriterError(t *testing.T) {
	w := NewLines(&failWriter{err: syscall.EPIPE}).Writer("", false)
	if _, err := w.Write([]byte("a\n")); err != syscall.EPIPE {
		t.Errorf("got %v, want EPIPE", err)
	}
}

// TestLinesConcurrent runs writers that split their lines at awkward
// places; run with -race. Every Write of the destination must hold whole
// lines of one writer only.
func TestLinesConcurrent(t *testing.T) {
	const writers, lines = 8, 300
	var rec callRecorder
	l := NewLines(&rec)
	var wg sync.WaitGroup
	for id := range writers {
		wg.Go(func() {
			w := l.Writer(fmt.Sprintf("w%d", id), id%2 == 0)
			var all strings.Builder
			for i := range lines {
				fmt.Fprintf(&all, "writer %d line %d %s\n", id, i, strings.Repeat("x", i%40))
			}
			s := all.String()
			for step := 1; len(s) > 0; step = step%13 + 1 {
				k := min(step*7, len(s))
				if _, err := w.Write([]byte(s[:k])); err != nil {
					t.Error(err)
					return
				}
				s = s[k:]
			}
			if err := w.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := make(map[string]int)
	for _, call := range rec.calls {
		if !strings.HasSuffix(call, "\n") {
			t.Fatalf("got a write not ending in a newline: %q", call)
		}
		owner := -1
		for _, line := range strings.SplitAfter(strings.TrimSuffix(call, "\n"), "\n") {
			line = strings.TrimSuffix(line, "\n")
			tag, rest, tagged := strings.Cut(line, "\t")
			if tagged {
				line = rest
			}
			var id, i int
			if _, err := fmt.Sscanf(line, "writer %d line %d", &id, &i); err != nil {
				t.Fatalf("got mangled line %q: %v", line, err)
			}
			if want := fmt.Sprintf("writer %d line %d %s", id, i, strings.Repeat("x", i%40)); line != want {
				t.Fatalf("got line %q, want %q", line, want)
			}
			if tagged && tag != fmt.Sprintf("w%d", id) {
				t.Errorf("line %q: got tag %q, want w%d", line, tag, id)
			}
			if tagged != (id%2 == 0) {
				t.Errorf("line %q: got tagged %v, want %v", line, tagged, id%2 == 0)
			}
			if owner >= 0 && owner != id {
				t.Errorf("got lines of writers %d and %d in one write", owner, id)
			}
			owner = id
			seen[line]++
		}
	}
	if len(seen) != writers*lines {
		t.Errorf("got %d distinct lines, want %d", len(seen), writers*lines)
	}
	for line, n := range seen {
		if n != 1 {
			t.Errorf("got line %q %d times, want once", line, n)
		}
	}
}

func BenchmarkLineWriterTagged(b *testing.B) {
	chunk := bytes.Repeat([]byte("a line of output of average length\n"), 900)
	l := NewLines(io.Discard)
	b.ReportAllocs()
	b.SetBytes(int64(len(chunk)))
	w := l.Writer("tag", true)
	for b.Loop() {
		w.Write(chunk)
	}
	w.Close()
}

// TestLineWriterLongLine: a line longer than MaxPartial is streamed, not
// held whole, and no other writer's line gets inside it.
func TestLineWriterLongLine(t *testing.T) {
	var out bytes.Buffer
	l := NewLines(&out)
	long := l.Writer("L", true)
	other := l.Writer("o", true)
	chunk := bytes.Repeat([]byte("x"), 1000)
	for written := 0; written <= MaxPartial; written += len(chunk) {
		if _, err := long.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if len(long.part) > MaxPartial {
		t.Fatalf("held %d bytes of the long line, want at most %d", len(long.part), MaxPartial)
	}
	if !long.holding {
		t.Fatal("the long line is not streaming")
	}
	// Another job's line must wait until the long line ends.
	done := make(chan struct{})
	go func() {
		defer close(done)
		other.Write([]byte("other line\n"))
	}()
	select {
	case <-done:
		t.Fatal("another line was written in the middle of the long line")
	case <-time.After(50 * time.Millisecond): // a bounded look for a bug, never a false failure
	}
	if _, err := long.Write([]byte("end\nnext")); err != nil {
		t.Fatal(err)
	}
	<-done
	long.Close()
	other.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3", len(lines))
	}
	want0 := "L\t" + strings.Repeat("x", len(lines[0])-len("L\tend")) + "end"
	if lines[0] != want0 {
		t.Errorf("long line torn or mistagged: got %d bytes starting %q", len(lines[0]), lines[0][:10])
	}
	if lines[1] != "o\tother line" || lines[2] != "L\tnext" {
		t.Errorf("got lines %q and %q, want %q and %q", lines[1], lines[2], "o\tother line", "L\tnext")
	}
}

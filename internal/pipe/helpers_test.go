package pipe

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// shortReader returns at most 1, 2, ... 7 bytes per read, in turn, like a
// pipe written in small pieces.
type shortReader struct {
	r io.Reader
	i int
}

func (s *shortReader) Read(p []byte) (int, error) {
	s.i = s.i%7 + 1
	if len(p) > s.i {
		p = p[:s.i]
	}
	return s.r.Read(p)
}

// got is what a splitter made of an input: each block as fed to a job
// (header and data), and the warnings.
type got struct {
	blocks []string
	warns  []string
}

// drain takes every block of sp, checking the sequence numbers and that
// WriteTo, Size and Reader agree, and releases each.
func drain(t testing.TB, sp Splitter) []string {
	t.Helper()
	return drainFrom(t, sp, 1)
}

// drainFrom is drain for a splitter whose next block is number first.
func drainFrom(t testing.TB, sp Splitter, first int64) []string {
	t.Helper()
	var out []string
	for i := first; ; i++ {
		b, err := sp.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if b.Seq() != i {
			t.Errorf("block %d: got Seq %d", i, b.Seq())
		}
		var w bytes.Buffer
		n, err := b.WriteTo(&w)
		if err != nil || n != b.Size() || int64(w.Len()) != n {
			t.Fatalf("block %d: WriteTo = %d, %v; Size %d, wrote %d", i, n, err, b.Size(), w.Len())
		}
		r, err := io.ReadAll(b.Reader())
		if err != nil || !bytes.Equal(r, w.Bytes()) {
			t.Fatalf("block %d: Reader gives %q, %v; WriteTo %q", i, r, err, w.Bytes())
		}
		out = append(out, w.String())
		b.Release()
	}
	if _, err := sp.Next(); err != io.EOF {
		t.Errorf("Next after the end: got %v, want io.EOF", err)
	}
	if err := sp.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	return out
}

// withWarn returns o recording its warnings in g.
func withWarn(o Options, g *got) Options {
	o.Warn = func(m string) { g.warns = append(g.warns, m) }
	return o
}

// splitStream cuts in from a pipe that gives short reads.
func splitStream(t testing.TB, in string, o Options) got {
	t.Helper()
	var g got
	sp, err := NewStream(&shortReader{r: bytes.NewReader([]byte(in))}, withWarn(o, &g))
	if err != nil {
		t.Fatalf("NewStream: %v", err)
	}
	g.blocks = drain(t, sp)
	return g
}

// tempInput writes in to a file and returns it open.
func tempInput(t testing.TB, in string) *os.File {
	t.Helper()
	name := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(name, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// splitFile cuts in as a file with NewFile (or NewPart).
func splitFile(t testing.TB, in string, o Options, part bool) got {
	t.Helper()
	var g got
	f := tempInput(t, in)
	var sp *File
	var err error
	if part {
		sp, err = NewPart(f, withWarn(o, &g))
	} else {
		sp, err = NewFile(f, withWarn(o, &g))
	}
	if err != nil {
		t.Fatalf("NewFile: %v", err)
	}
	g.blocks = drain(t, sp)
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != int64(len(in)) {
		t.Errorf("offset after the run: got %d, %v, want %d", off, err, len(in))
	}
	return g
}

// eqStrings reports whether a and b hold the same strings.
func eqStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

package pipe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
)

// lines returns n lines of 64 bytes (63 and a newline), numbered.
func lines(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "%-62d|\n", i)
	}
	return b.Bytes()
}

// pipeOf returns the read end of a real pipe that a goroutine writes data
// to.
func pipeOf(t testing.TB, data []byte) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		_, _ = w.Write(data)
		w.Close()
	}()
	t.Cleanup(func() { r.Close() })
	return r
}

// TestStreamBuffers holds J blocks whenever it calls Next, releasing them
// in a scrambled order, and checks that the splitter never has more than
// J+1 buffers and that a held block's bytes never change.
func TestStreamBuffers(t *testing.T) {
	data := lines(3000)
	modes := []struct {
		name string
		o    Options
	}{
		{"plain", Options{BlockSize: 1000}},
		{"-N1", Options{BlockSize: 1000, Records: 1}},
		{"-N5", Options{BlockSize: 1000, Records: 5}},
		{"-L3", Options{BlockSize: 1000, Lines: 3}},
		{"regexp -N2", Options{BlockSize: 1000, Records: 2, RecEnd: `\|\n`, Regexp: true}},
		{"header -N3", Options{BlockSize: 1000, Records: 3, Header: "2"}},
		{"temp files", Options{BlockSize: 1000, MemLimit: 100}},
		{"temp files -N7", Options{BlockSize: 1000, Records: 7, MemLimit: 100}},
	}
	for _, m := range modes {
		for _, j := range []int{1, 2, 5} {
			t.Run(fmt.Sprintf("%s J=%d", m.name, j), func(t *testing.T) {
				o := m.o
				o.Slots = j
				o.TempDir = t.TempDir()
				o.RecEnd = cmpOr(o.RecEnd, "\n")
				s, err := NewStream(pipeOf(t, data), o)
				if err != nil {
					t.Fatal(err)
				}
				type held struct {
					b    *Block
					data string
				}
				var hold []held
				var joined strings.Builder
				release := func(i int) {
					h := hold[i]
					if got := read(t, h.b); got != h.data {
						t.Fatalf("block %d changed while held:\ngot  %q\nwant %q", h.b.Seq(), got, h.data)
					}
					h.b.Release()
					hold = append(hold[:i], hold[i+1:]...)
				}
				for k := 0; ; k++ {
					if len(hold) > j {
						release((k * 7) % len(hold))
					}
					b, err := s.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					d := read(t, b)
					joined.WriteString(d[len(b.Header()):])
					hold = append(hold, held{b, d})
				}
				for len(hold) > 0 {
					release(0)
				}
				if want := string(data[len(s.Header()):]); joined.String() != want {
					t.Fatalf("blocks joined: %d bytes, want %d", joined.Len(), len(want))
				}
				if s.maxLive > j+1 {
					t.Errorf("got %d buffers, want at most J+1 = %d", s.maxLive, j+1)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				if s.live != 0 {
					t.Errorf("after Close: %d buffers left", s.live)
				}
				assertEmptyDir(t, o.TempDir)
			})
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// read returns a block as WriteTo writes it.
func read(t testing.TB, b *Block) string {
	t.Helper()
	var w bytes.Buffer
	if _, err := b.WriteTo(&w); err != nil {
		t.Fatal(err)
	}
	return w.String()
}

// assertEmptyDir fails unless dir has no entries.
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) > 0 {
		t.Errorf("%s: %d entries left, first %s", dir, len(ents), ents[0].Name())
	}
}

// TestStreamTempFiles checks that blocks over the memory limit live in
// unlinked temp files, leave no name in the temp dir, and feed a real pipe.
func TestStreamTempFiles(t *testing.T) {
	data := lines(5000)
	dir := t.TempDir()
	s, err := NewStream(pipeOf(t, data), Options{BlockSize: 100000, RecEnd: "\n", MemLimit: 50000, TempDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Next()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.st.(*tempStore); !ok {
		t.Fatalf("block of 100000 bytes with a limit of 50000: got a %T, want a temp file", b.st)
	}
	assertEmptyDir(t, dir)
	got := feedPipe(t, b, 2)
	want := string(data[:b.Size()])
	if got != want+want {
		t.Fatalf("fed twice: got %d bytes, want %d", len(got), 2*len(want))
	}
	b.Release()
	rest := drainFrom(t, s, 2)
	if all := want + strings.Join(rest, ""); all != string(data) {
		t.Fatalf("blocks joined: %d bytes, want %d", len(all), len(data))
	}
}

// feedPipe writes b to a real pipe times times and returns what the other
// end read.
func feedPipe(t *testing.T, b *Block, times int) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := make(chan []byte)
	go func() {
		d, _ := io.ReadAll(r)
		out <- d
	}()
	for range times {
		n, err := b.WriteTo(w)
		if err != nil || n != b.Size() {
			t.Fatalf("WriteTo: %d, %v; want %d", n, err, b.Size())
		}
	}
	w.Close()
	return string(<-out)
}

// TestFeed feeds blocks of each kind to a real pipe, twice (a retry), with
// and without a header, then after the reader is gone, then released.
func TestFeed(t *testing.T) {
	data := lines(4000)
	o := Options{BlockSize: 100000, RecEnd: "\n", Header: ":"}
	mk := map[string]func(t *testing.T) Splitter{
		"stream": func(t *testing.T) Splitter {
			s, err := NewStream(pipeOf(t, data), o)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		"temp file": func(t *testing.T) Splitter {
			o := o
			o.MemLimit = 1000
			s, err := NewStream(pipeOf(t, data), o)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		"file": func(t *testing.T) Splitter {
			s, err := NewFile(tempInput(t, string(data)), o)
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, f := range mk {
		t.Run(name, func(t *testing.T) {
			s := f(t)
			defer s.Close()
			b, err := s.Next()
			if err != nil {
				t.Fatal(err)
			}
			hdr := string(data[:64])
			if string(b.Header()) != hdr {
				t.Fatalf("header: got %q, want %q", b.Header(), hdr)
			}
			want := string(data[:64+b.DataSize()])
			if b.Size() != 64+b.DataSize() || b.DataSize() != 99968 {
				t.Fatalf("Size %d, DataSize %d; want 64 + 99968", b.Size(), b.DataSize())
			}
			if got := feedPipe(t, b, 2); got != want+want {
				t.Fatalf("fed twice: got %d bytes, want %d", len(got), 2*len(want))
			}
			var data bytes.Buffer
			if n, err := b.WriteDataTo(&data); err != nil || n != b.DataSize() || data.String() != want[64:] {
				t.Fatalf("WriteDataTo: %d, %v", n, err)
			}
			// A job that stops reading: EPIPE, not a crash.
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			if _, err := b.WriteTo(w); !errors.Is(err, syscall.EPIPE) {
				t.Errorf("WriteTo a pipe with no reader: got %v, want EPIPE", err)
			}
			w.Close()
			b.Release()
			b.Release()
			if _, err := b.WriteTo(io.Discard); err != ErrReleased {
				t.Errorf("WriteTo after Release: got %v, want ErrReleased", err)
			}
		})
	}
}

// TestFileOffset checks that a file is cut from its offset and left at
// its end, as stdin should be after a run.
func TestFileOffset(t *testing.T) {
	f := tempInput(t, "skip\na\nb\nc\n")
	if _, err := f.Seek(5, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	s, err := NewFile(f, Options{BlockSize: 4, RecEnd: "\n"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := drain(t, s), []string{"a\nb\n", "c\n"}; !eqStrings(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != 11 {
		t.Errorf("offset after the run: got %d, want 11", off)
	}
	// Closed before the end: the offset is after the blocks cut.
	if _, err := f.Seek(5, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	s, err = NewFile(f, Options{BlockSize: 4, RecEnd: "\n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != 9 {
		t.Errorf("offset after Close: got %d, want 9", off)
	}
}

func TestFileErrors(t *testing.T) {
	f := tempInput(t, "a\n")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"pipepart on a pipe", func() error { _, err := NewPart(r, Options{BlockSize: 10}); return err }, "not a regular file"},
		{"pipepart -N", func() error { _, err := NewPart(f, Options{BlockSize: 10, Records: 1}); return err }, "-N and -L"},
		{"pipepart -L", func() error { _, err := NewPart(f, Options{BlockSize: 10, Lines: 1}); return err }, "-N and -L"},
		{"file --rrs", func() error { _, err := NewFile(f, Options{BlockSize: 10, RemoveSeps: true}); return err }, "--rrs"},
		{"file -r", func() error { _, err := NewFile(f, Options{BlockSize: 10, SkipBlank: true}); return err }, "-r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// TestOpen checks which splitter Open picks, and that a negative block on
// a pipe spools the input first.
func TestOpen(t *testing.T) {
	data := string(lines(100)) // 6400 bytes
	tests := []struct {
		name   string
		in     func(t *testing.T) io.Reader
		o      Options
		stream bool
		sizes  []int64
	}{
		{"pipe", func(t *testing.T) io.Reader { return pipeOf(t, []byte(data)) }, Options{BlockSize: 4000}, true, []int64{3968, 2432}},
		{"reader", func(t *testing.T) io.Reader { return strings.NewReader(data) }, Options{BlockSize: 4000}, true, []int64{3968, 2432}},
		{"file", func(t *testing.T) io.Reader { return tempInput(t, data) }, Options{BlockSize: 4000}, false, []int64{3968, 2432}},
		{"file -r", func(t *testing.T) io.Reader { return tempInput(t, data) }, Options{BlockSize: 4000, SkipBlank: true}, true, []int64{3968, 2432}},
		// 6400/(2*2)+1 = 1601 bytes a block: 1600 and a partial line
		{"pipe -2 per slot", func(t *testing.T) io.Reader { return pipeOf(t, []byte(data)) }, Options{PerSlot: 2, Slots: 2}, false, []int64{1600, 1600, 1600, 1600}},
		{"pipe -2 per slot --rrs", func(t *testing.T) io.Reader { return pipeOf(t, []byte(data)) }, Options{PerSlot: 2, Slots: 2, RemoveSeps: true}, true, []int64{1575, 1575, 1575, 1575}},
		{"file -2 per slot", func(t *testing.T) io.Reader { return tempInput(t, data) }, Options{PerSlot: 2, Slots: 2}, false, []int64{1600, 1600, 1600, 1600}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.RecEnd = "\n"
			o.TempDir = t.TempDir()
			sp, err := Open(tt.in(t), o)
			if err != nil {
				t.Fatal(err)
			}
			_, stream := sp.(*Stream)
			if c, ok := sp.(closeAlso); ok {
				_, stream = c.Splitter.(*Stream)
			}
			if stream != tt.stream {
				t.Errorf("got a %T, want a stream: %v", sp, tt.stream)
			}
			var sizes []int64
			for _, b := range drain(t, sp) {
				sizes = append(sizes, int64(len(b)))
			}
			if fmt.Sprint(sizes) != fmt.Sprint(tt.sizes) {
				t.Errorf("block sizes: got %v, want %v", sizes, tt.sizes)
			}
			assertEmptyDir(t, o.TempDir)
		})
	}
}

// errAfter reads r, then fails with err.
type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestStreamReadError(t *testing.T) {
	boom := errors.New("boom")
	s, err := NewStream(&errAfter{strings.NewReader("a\nb\n"), boom}, Options{BlockSize: 2, RecEnd: "\n"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a\n", "b\n"} {
		b, err := s.Next()
		if err != nil || read(t, b) != want {
			t.Fatalf("got %v, want block %q", err, want)
		}
		b.Release()
	}
	for range 2 {
		if _, err := s.Next(); !errors.Is(err, boom) {
			t.Fatalf("got %v, want the read error", err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

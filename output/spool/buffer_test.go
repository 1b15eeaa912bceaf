package spool

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fakeFile is an in-memory file that fails with ENOSPC past limit bytes,
// like a full disk, and can fail reads.
type fakeFile struct {
	data      []byte
	off       int64
	limit     int   // writes past limit bytes fail
	shortOnly bool  // fail with a short write and no error
	readErr   error // returned by every ReadAt
	closed    bool
}

func (f *fakeFile) Write(p []byte) (int, error) {
	if f.closed {
		return 0, os.ErrClosed
	}
	n := len(p)
	if room := f.limit - int(f.off); n > room {
		n = max(room, 0)
	}
	end := int(f.off) + n
	if end > len(f.data) {
		f.data = append(f.data, make([]byte, end-len(f.data))...)
	}
	copy(f.data[f.off:], p[:n])
	f.off += int64(n)
	if n < len(p) {
		if f.shortOnly {
			return n, nil
		}
		return n, &os.PathError{Op: "write", Path: "/tmp/gopool-1", Err: syscall.ENOSPC}
	}
	return n, nil
}

func (f *fakeFile) ReadAt(p []byte, off int64) (int, error) {
	if f.readErr != nil {
		return 0, f.readErr
	}
	if off >= int64(len(f.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *fakeFile) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart {
		return 0, errors.New("fakeFile: only SeekStart")
	}
	f.off = off
	return off, nil
}

func (f *fakeFile) Truncate(size int64) error {
	f.data = f.data[:size]
	return nil
}

func (f *fakeFile) Close() error {
	f.closed = true
	return nil
}

// createFake returns a createFunc handing out f.
func createFake(f *fakeFile) createFunc {
	return func(string) (file, error) { return f, nil }
}

// pattern returns n bytes of a recognisable, position-dependent pattern.
func pattern(n int, seed byte) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = 'a' + byte((i+int(seed))%26)
	}
	return p
}

// assertEmptyDir fails when dir holds any entry.
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("got %d entries in temp dir (first %q), want 0", len(entries), entries[0].Name())
	}
}

// readAll reads the whole Buffer through Reader.
func readAll(t *testing.T, b Content) []byte {
	t.Helper()
	got, err := io.ReadAll(b.Reader())
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return got
}

func TestBuffer(t *testing.T) {
	tests := []struct {
		name        string
		memLimit    int
		writes      []int // sizes of successive writes
		wantSpilled bool
	}{
		{name: "empty", memLimit: 64, writes: nil},
		{name: "empty write", memLimit: 64, writes: []int{0}},
		{name: "under limit", memLimit: 64, writes: []int{10, 20}},
		{name: "exactly limit", memLimit: 64, writes: []int{64}},
		{name: "one over limit", memLimit: 64, writes: []int{65}, wantSpilled: true},
		{name: "big write", memLimit: 64, writes: []int{300 << 10}, wantSpilled: true},
		{name: "small writes across limit", memLimit: 100, writes: repeat(7, 1000), wantSpilled: true},
		{name: "limit zero", memLimit: 0, writes: []int{1, 2, 3}, wantSpilled: true},
		{name: "grows within limit", memLimit: 4096, writes: repeat(3, 1000)},
		{name: "beyond read chunk", memLimit: 10, writes: []int{copyBufSize*2 + 17}, wantSpilled: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			b := NewBuffer(dir, tt.memLimit)
			var want []byte
			for i, n := range tt.writes {
				p := pattern(n, byte(i))
				m, err := b.Write(p)
				if err != nil || m != n {
					t.Fatalf("write %d: got (%d, %v), want (%d, nil)", i, m, err, n)
				}
				want = append(want, p...)
			}
			assertEmptyDir(t, dir)
			if got := b.Len(); got != int64(len(want)) {
				t.Errorf("got Len %d, want %d", got, len(want))
			}
			if got := b.own != nil; got != tt.wantSpilled {
				t.Errorf("got spilled %v, want %v", got, tt.wantSpilled)
			}
			if got := len(b.mem); got > tt.memLimit {
				t.Errorf("got %d bytes in memory, want at most %d", got, tt.memLimit)
			}
			if cap(b.mem) > tt.memLimit {
				t.Errorf("got memory capacity %d, want at most %d", cap(b.mem), tt.memLimit)
			}
			for round := range 2 {
				if got := readAll(t, b); !bytes.Equal(got, want) {
					t.Errorf("round %d: Reader got %d bytes, want %d (equal %v)", round, len(got), len(want), bytes.Equal(got, want))
				}
				var out bytes.Buffer
				n, err := b.WriteTo(&out)
				if err != nil || n != int64(len(want)) || !bytes.Equal(out.Bytes(), want) {
					t.Errorf("round %d: WriteTo got (%d, %v), want (%d, nil) and same content", round, n, err, len(want))
				}
			}
			if err := b.Err(); err != nil {
				t.Errorf("got Err %v, want nil", err)
			}
			if err := b.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			assertEmptyDir(t, dir)
			if _, err := b.Write([]byte("x")); err == nil {
				t.Error("write after close: got nil error, want one")
			}
		})
	}
}

func repeat(n, times int) []int {
	s := make([]int, times)
	for i := range s {
		s[i] = n
	}
	return s
}

// TestBufferWriteToFile covers the kernel copy to a regular file, with and
// without O_APPEND (where copy_file_range fails), after other content.
func TestBufferWriteToFile(t *testing.T) {
	for _, flag := range []struct {
		name string
		flag int
	}{
		{"truncate", os.O_TRUNC},
		{"append", os.O_APPEND},
	} {
		t.Run(flag.name, func(t *testing.T) {
			dir := t.TempDir()
			b := NewBuffer(dir, 100)
			defer b.Close()
			want := pattern(200<<10, 3)
			if _, err := b.Write(want); err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(t.TempDir(), "out")
			f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|flag.flag, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			f.WriteString("head\n")
			for round := range 2 {
				n, err := b.WriteTo(f)
				if err != nil || n != int64(len(want)) {
					t.Fatalf("round %d: got (%d, %v), want (%d, nil)", round, n, err, len(want))
				}
			}
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			full := append(append([]byte("head\n"), want...), want...)
			if !bytes.Equal(got, full) {
				t.Errorf("got %d bytes in file, want %d (equal %v)", len(got), len(full), bytes.Equal(got, full))
			}
		})
	}
}

func TestBufferFullDisk(t *testing.T) {
	tests := []struct {
		name      string
		memLimit  int
		limit     int // bytes the file accepts
		shortOnly bool
		writes    []int
		wantN     int64 // bytes accepted in total
		wantMsg   string
	}{
		{name: "first spill", memLimit: 10, limit: 0, writes: []int{25}, wantN: 10, wantMsg: "spill to temp file: no space left on device"},
		{name: "short write", memLimit: 10, limit: 5, writes: []int{8, 20}, wantN: 15, wantMsg: "spill to temp file: no space left on device"},
		{name: "later write", memLimit: 0, limit: 30, writes: []int{20, 20, 20}, wantN: 30, wantMsg: "spill to temp file: no space left on device"},
		{name: "short write without error", memLimit: 0, limit: 4, shortOnly: true, writes: []int{8}, wantN: 4, wantMsg: "spill to temp file: short write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuffer("", tt.memLimit)
			f := &fakeFile{limit: tt.limit, shortOnly: tt.shortOnly}
			b.create = createFake(f)
			var werr error
			for _, n := range tt.writes {
				if _, werr = b.Write(pattern(n, 0)); werr != nil {
					break
				}
			}
			if werr == nil || werr.Error() != tt.wantMsg {
				t.Fatalf("got write error %v, want %q", werr, tt.wantMsg)
			}
			if !tt.shortOnly && !errors.Is(werr, syscall.ENOSPC) {
				t.Errorf("got %v, want it to wrap ENOSPC", werr)
			}
			if got := b.Len(); got != tt.wantN {
				t.Errorf("got Len %d, want %d", got, tt.wantN)
			}
			if got := b.Err(); got != werr {
				t.Errorf("got Err %v, want %v", got, werr)
			}
			if _, err := b.Write([]byte("more")); err != werr {
				t.Errorf("got next write error %v, want %v", err, werr)
			}
			if _, err := io.ReadAll(b.Reader()); err != werr {
				t.Errorf("got read error %v, want %v", err, werr)
			}
			if _, err := b.WriteTo(io.Discard); err != werr {
				t.Errorf("got WriteTo error %v, want %v", err, werr)
			}
			if err := b.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			if !f.closed {
				t.Error("got file open after Close, want closed")
			}
		})
	}
}

func TestBufferCreateFails(t *testing.T) {
	b := NewBuffer(filepath.Join(t.TempDir(), "missing"), 4)
	defer b.Close()
	_, err := b.Write([]byte("0123456789"))
	if err == nil || !strings.HasPrefix(err.Error(), "spill to temp file: open ") || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a spill error wrapping ErrNotExist", err)
	}
}

func TestBufferReadError(t *testing.T) {
	b := NewBuffer("", 0)
	f := &fakeFile{limit: 1 << 20}
	b.create = createFake(f)
	if _, err := b.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	f.readErr = syscall.EIO
	_, err := b.WriteTo(io.Discard)
	if !errors.Is(err, syscall.EIO) || !strings.HasPrefix(err.Error(), "read spilled output: ") {
		t.Errorf("got %v, want a read error wrapping EIO", err)
	}
	if _, err := io.ReadAll(b.Reader()); !errors.Is(err, syscall.EIO) {
		t.Errorf("got %v from Reader, want EIO", err)
	}
}

func TestBufferEmptyAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		b := NewBuffer("", 1024)
		b.Write(nil)
		io.Copy(io.Discard, b.Reader())
		b.WriteTo(io.Discard)
		b.Close()
	})
	if allocs > 1 {
		t.Errorf("got %v allocations for an empty buffer, want at most 1", allocs)
	}
}

func TestBufferSmallAllocs(t *testing.T) {
	p := pattern(100, 0)
	allocs := testing.AllocsPerRun(100, func() {
		b := NewBuffer("", 1024)
		b.Write(p)
		b.WriteTo(io.Discard)
		b.Close()
	})
	if allocs > 2 {
		t.Errorf("got %v allocations for a 100-byte buffer, want at most 2", allocs)
	}
}

func BenchmarkBufferSmall(b *testing.B) {
	p := pattern(100, 0)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		buf := NewBuffer("", 64<<10)
		buf.Write(p)
		buf.WriteTo(io.Discard)
		buf.Close()
	}
}

func BenchmarkBufferSpill(b *testing.B) {
	dir := b.TempDir()
	p := pattern(32<<10, 0)
	const total = 1 << 20
	b.ReportAllocs()
	b.SetBytes(total)
	for b.Loop() {
		buf := NewBuffer(dir, 64<<10)
		for range total / len(p) {
			if _, err := buf.Write(p); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := buf.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		buf.Close()
	}
}

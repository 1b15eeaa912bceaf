package spool

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// openFDs counts the process's open file descriptors (Linux only).
func openFDs(t *testing.T) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("counts /proc/self/fd, Linux only")
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(entries)
}

func TestSpillBoundsOpenFiles(t *testing.T) {
	dir := t.TempDir()
	before := openFDs(t)
	s := NewSpill(dir, 0)
	defer s.Close()
	const jobs = 1000
	bufs := make([]Content, jobs)
	wants := make([][]byte, jobs)
	maxFDs := 0
	for i := range jobs {
		b := NewBuffer(dir, 16)
		wants[i] = pattern(100+i, byte(i))
		if _, err := b.Write(wants[i]); err != nil {
			t.Fatal(err)
		}
		if b.own == nil {
			t.Fatalf("buffer %d: got no spill, want one", i)
		}
		c, err := s.Park(b)
		if err != nil {
			t.Fatalf("park %d: %v", i, err)
		}
		if _, ok := c.(*Segment); !ok {
			t.Fatalf("park %d: got %T, want a *Segment", i, c)
		}
		bufs[i] = c
		maxFDs = max(maxFDs, openFDs(t))
	}
	assertEmptyDir(t, dir)
	// One buffer's own file at a time plus the shared file.
	if maxFDs > before+2 {
		t.Errorf("got up to %d open files with %d parked buffers, want at most %d", maxFDs, jobs, before+2)
	}
	for i, b := range bufs {
		if got := readAll(t, b); !bytes.Equal(got, wants[i]) {
			t.Fatalf("buffer %d: got %q, want %q", i, got, wants[i])
		}
		var out bytes.Buffer
		if _, err := b.WriteTo(&out); err != nil || !bytes.Equal(out.Bytes(), wants[i]) {
			t.Fatalf("buffer %d: WriteTo got (%q, %v), want (%q, nil)", i, out.Bytes(), err, wants[i])
		}
	}
	for _, b := range bufs {
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if s.end != 0 || s.live != 0 {
		t.Errorf("got shared file end %d with %d live segments, want 0 and 0", s.end, s.live)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := openFDs(t); got > before {
		t.Errorf("got %d open files after Close, want at most %d", got, before)
	}
	assertEmptyDir(t, dir)
}

func TestSpillBudget(t *testing.T) {
	tests := []struct {
		name         string
		budget       int
		sizes        []int // memLimit is 1024: in-memory buffers of up to 64 bytes take 64
		wantInShared []bool
	}{
		{name: "all fit", budget: 2048, sizes: []int{10, 20, 30}, wantInShared: []bool{false, false, false}},
		{name: "over budget", budget: 100, sizes: []int{10, 20, 30}, wantInShared: []bool{false, true, true}},
		{name: "zero budget", budget: 0, sizes: []int{10, 20}, wantInShared: []bool{true, true}},
		{name: "empty buffers cost nothing", budget: 0, sizes: []int{0, 0}, wantInShared: []bool{false, false}},
		{name: "spilled always go to file", budget: 1 << 20, sizes: []int{2000, 5}, wantInShared: []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := NewSpill(dir, tt.budget)
			defer s.Close()
			var bufs []Content
			for i, n := range tt.sizes {
				b := NewBuffer(dir, 1024)
				want := pattern(n, byte(i))
				b.Write(want)
				c, err := s.Park(b)
				if err != nil {
					t.Fatal(err)
				}
				if _, inShared := c.(*Segment); inShared != tt.wantInShared[i] {
					t.Errorf("buffer %d: got in shared file %v, want %v", i, inShared, tt.wantInShared[i])
				}
				if got := readAll(t, c); !bytes.Equal(got, want) {
					t.Errorf("buffer %d: got %q, want %q", i, got, want)
				}
				bufs = append(bufs, c)
			}
			if s.memUsed > int64(tt.budget) {
				t.Errorf("got %d bytes parked in memory, want at most %d", s.memUsed, tt.budget)
			}
			for _, b := range bufs {
				b.Close()
			}
			if s.memUsed != 0 {
				t.Errorf("got %d bytes parked in memory after closing all, want 0", s.memUsed)
			}
			assertEmptyDir(t, dir)
		})
	}
}

func TestSpillFullDisk(t *testing.T) {
	s := NewSpill("", 0)
	shared := &fakeFile{limit: 150}
	s.create = createFake(shared)
	defer s.Close()

	first := NewBuffer("", 8)
	firstOwn := &fakeFile{limit: 1 << 20}
	first.create = createFake(firstOwn)
	want1 := pattern(100, 1)
	first.Write(want1)
	firstParked, err := s.Park(first)
	if err != nil {
		t.Fatal(err)
	}
	if !firstOwn.closed {
		t.Error("got own file open after park, want closed")
	}

	second := NewBuffer("", 8)
	own := &fakeFile{limit: 1 << 20}
	second.create = createFake(own)
	want2 := pattern(100, 2)
	second.Write(want2)
	secondParked, err := s.Park(second)
	if secondParked != Content(second) {
		t.Errorf("got %T after a failed park, want the buffer itself", secondParked)
	}
	if err == nil || err.Error() != "spill to temp file: no space left on device" || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("got %v, want spill to temp file: no space left on device", err)
	}
	if got := len(shared.data); got != 100 {
		t.Errorf("got %d bytes in shared file after failed park, want 100", got)
	}
	if own.closed {
		t.Error("got own file closed after failed park, want open")
	}
	for i, c := range []struct {
		b    Content
		want []byte
	}{{firstParked, want1}, {secondParked, want2}} {
		if got := readAll(t, c.b); !bytes.Equal(got, c.want) {
			t.Errorf("buffer %d: got %q, want %q", i, got, c.want)
		}
	}
}

func TestSpillParkErrored(t *testing.T) {
	s := NewSpill("", 0)
	defer s.Close()
	b := NewBuffer("", 0)
	f := &fakeFile{limit: 0}
	b.create = createFake(f)
	_, werr := b.Write([]byte("x"))
	if _, err := s.Park(b); err != werr || err == nil {
		t.Errorf("got %v, want the write error %v", err, werr)
	}
	if !f.closed {
		t.Error("got own file open after park, want closed")
	}
}

func TestSpillWriteToFile(t *testing.T) {
	dir := t.TempDir()
	s := NewSpill(dir, 0)
	defer s.Close()
	var bufs []Content
	var want []byte
	for i := range 3 {
		b := NewBuffer(dir, 10)
		p := pattern(100<<10+i, byte(i))
		b.Write(p)
		c, err := s.Park(b)
		if err != nil {
			t.Fatal(err)
		}
		bufs = append(bufs, c)
		want = append(want, p...)
	}
	name := filepath.Join(t.TempDir(), "out")
	out, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	for _, b := range bufs {
		if _, err := b.WriteTo(out); err != nil {
			t.Fatal(err)
		}
	}
	// Parking after a kernel copy moved the shared file's offset.
	late := NewBuffer(dir, 10)
	lateWant := pattern(5000, 9)
	late.Write(lateWant)
	lateParked, err := s.Park(late)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lateParked.WriteTo(out); err != nil {
		t.Fatal(err)
	}
	want = append(want, lateWant...)
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got %d bytes, want %d (equal %v)", len(got), len(want), bytes.Equal(got, want))
	}
	for _, b := range append(bufs, lateParked) {
		if got := readAll(t, b); int64(len(got)) != b.Len() {
			t.Errorf("got %d bytes, want %d", len(got), b.Len())
		}
	}
}

// TestSpillConcurrentClose parks buffers on one goroutine and reads and
// closes them on another, as a printer goroutine would; run with -race.
func TestSpillConcurrentClose(t *testing.T) {
	dir := t.TempDir()
	s := NewSpill(dir, 256)
	defer s.Close()
	type parked struct {
		b    Content
		want []byte
	}
	ch := make(chan parked, 4)
	errc := make(chan error, 1)
	go func() {
		defer close(ch)
		for i := range 200 {
			b := NewBuffer(dir, 32)
			want := pattern(i%70, byte(i))
			b.Write(want)
			c, err := s.Park(b)
			if err != nil {
				errc <- err
				return
			}
			ch <- parked{c, want}
		}
	}()
	for p := range ch {
		var out bytes.Buffer
		if _, err := p.b.WriteTo(&out); err != nil || !bytes.Equal(out.Bytes(), p.want) {
			t.Errorf("got (%q, %v), want (%q, nil)", out.Bytes(), err, p.want)
		}
		if err := p.b.Close(); err != nil {
			t.Error(err)
		}
	}
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	if s.memUsed != 0 || s.live != 0 {
		t.Errorf("got %d bytes in memory and %d live segments, want 0 and 0", s.memUsed, s.live)
	}
}

func TestSpillStoreLoad(t *testing.T) {
	dir := t.TempDir()
	s := NewSpill(dir, 0)
	defer s.Close()
	type rec struct {
		meta string
		outs []string
		ref  Ref
	}
	recs := []*rec{
		{meta: "one", outs: []string{"hello\n", ""}},
		{meta: "", outs: nil},
		{meta: strings.Repeat("m", 300), outs: []string{string(pattern(100<<10, 3)), "err\n"}}, // spilled
		{meta: "nil content", outs: []string{"\x00"}},
	}
	for i, r := range recs {
		var cs []Content
		for _, o := range r.outs {
			if o == "\x00" {
				cs = append(cs, nil)
				continue
			}
			b := NewBuffer(dir, 64)
			b.Write([]byte(o))
			cs = append(cs, b)
		}
		ref, err := s.Store([]byte(r.meta), cs...)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		r.ref = ref
	}
	for i := len(recs) - 1; i >= 0; i-- { // out of order
		r := recs[i]
		meta, cs, err := s.Load(r.ref)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if string(meta) != r.meta || len(cs) != len(r.outs) {
			t.Fatalf("record %d: got meta %q and %d contents, want %q and %d", i, meta, len(cs), r.meta, len(r.outs))
		}
		for k, c := range cs {
			want := r.outs[k]
			if want == "\x00" {
				want = ""
			}
			if got := readAll(t, c); string(got) != want {
				t.Errorf("record %d content %d: got %d bytes, want %d", i, k, len(got), len(want))
			}
			c.Close()
		}
	}
	if s.end != 0 || s.live != 0 {
		t.Errorf("got shared file end %d with %d live, want 0 and 0 once all is read and closed", s.end, s.live)
	}
	assertEmptyDir(t, dir)
}

func TestSpillStoreFullDisk(t *testing.T) {
	s := NewSpill("", 0)
	s.create = createFake(&fakeFile{limit: 10})
	defer s.Close()
	b := NewBuffer("", 1024)
	b.Write([]byte("more than ten bytes"))
	if _, err := s.Store([]byte("m"), b); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("got %v, want no space left", err)
	}
	if got := readAll(t, b); string(got) != "more than ten bytes" {
		t.Errorf("got %q after a failed store, want the buffer whole", got)
	}
}

package spool

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func TestBufferReadFrom(t *testing.T) {
	const limit = 1000
	tests := []struct {
		name     string
		size     int
		pipe     bool
		wantFile bool
	}{
		{"empty from reader", 0, false, false},
		{"empty from pipe", 0, true, false},
		{"under the limit", 999, true, false},
		{"exactly the limit", limit, true, false},
		{"one past the limit", limit + 1, true, true},
		{"one MiB from pipe", 1 << 20, true, true},
		{"one MiB from reader", 1 << 20, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := make([]byte, tc.size)
			for i := range want {
				want[i] = byte('a' + i%26)
			}
			var src io.Reader = bytes.NewReader(want)
			if tc.pipe {
				r, w, err := os.Pipe()
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				go func() {
					w.Write(want)
					w.Close()
				}()
				src = r
			}
			b := NewBuffer(t.TempDir(), limit)
			defer b.Close()
			n, err := io.Copy(b, src)
			if err != nil || n != int64(tc.size) {
				t.Fatalf("got %d, %v; want %d, nil", n, err, tc.size)
			}
			if got := b.Len(); got != int64(tc.size) {
				t.Errorf("got Len %d, want %d", got, tc.size)
			}
			if got := b.own != nil; got != tc.wantFile {
				t.Errorf("got temp file %v, want %v", got, tc.wantFile)
			}
			var out bytes.Buffer
			if _, err := b.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("content differs: got %d bytes, want %d", out.Len(), len(want))
			}
		})
	}
}

// TestWriteToPipe copies a spilled buffer into a pipe, the sendfile path
// on Linux, and checks every byte.
func TestWriteToPipe(t *testing.T) {
	want := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	b := NewBuffer(t.TempDir(), 100)
	defer b.Close()
	if _, err := b.Write(want); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte)
	go func() {
		all, _ := io.ReadAll(r)
		got <- all
	}()
	n, err := b.WriteTo(w)
	w.Close()
	if err != nil || n != int64(len(want)) {
		t.Fatalf("got %d, %v; want %d, nil", n, err, len(want))
	}
	if all := <-got; !bytes.Equal(all, want) {
		t.Errorf("content differs: got %d bytes, want %d", len(all), len(want))
	}
}

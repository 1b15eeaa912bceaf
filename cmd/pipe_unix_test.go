//go:build unix

package cmd

import (
	"bytes"
	"os"
	"testing"
)

// TestReaderGone checks how a feed that waits for input learns that its
// job's stdin has no reader left.
func TestReaderGone(t *testing.T) {
	tests := []struct {
		name string
		set  func(r, w *os.File) // what happens to the pipe
		want bool
	}{
		{"read end open", func(r, w *os.File) {}, false},
		{"read end closed", func(r, w *os.File) { r.Close() }, true},
		{"write end closed", func(r, w *os.File) { w.Close() }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			tt.set(r, w)
			if got := readerGone(w); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if readerGone(&bytes.Buffer{}) {
		t.Errorf("got true for a writer that is not a file, want false")
	}
}

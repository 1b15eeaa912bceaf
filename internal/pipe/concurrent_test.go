package pipe

import (
	"bytes"
	"io"
	"sync"
	"testing"
)

// TestConcurrentFeed feeds blocks from J goroutines while Next reads the
// next ones into the same buffers (-N shares a buffer among blocks), as
// cmd does: run it with -race.
func TestConcurrentFeed(t *testing.T) {
	data := lines(20000)
	for _, tt := range []struct {
		name string
		o    Options
	}{
		{"-N3", Options{BlockSize: 10000, RecEnd: "\n", Records: 3}},
		{"plain", Options{BlockSize: 10000, RecEnd: "\n"}},
		{"temp files -N5", Options{BlockSize: 10000, RecEnd: "\n", Records: 5, MemLimit: 1000}},
		{"filters -N2", Options{BlockSize: 10000, RecEnd: "\n", Records: 2, SkipBlank: true, RemoveSeps: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			const j = 3
			o.Slots = j
			o.TempDir = t.TempDir()
			s, err := NewStream(pipeOf(t, data), o)
			if err != nil {
				t.Fatal(err)
			}
			slots := make(chan struct{}, j)
			var mu sync.Mutex
			out := map[int64]string{}
			var wg sync.WaitGroup
			for {
				slots <- struct{}{}
				b, err := s.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				wg.Add(1)
				go func() {
					defer func() { b.Release(); <-slots; wg.Done() }()
					var w bytes.Buffer
					if _, err := b.WriteTo(&w); err != nil {
						t.Error(err)
					}
					mu.Lock()
					out[b.Seq()] = w.String()
					mu.Unlock()
				}()
			}
			wg.Wait()
			var joined bytes.Buffer
			for i := int64(1); i <= int64(len(out)); i++ {
				joined.WriteString(out[i])
			}
			want := data
			if o.RemoveSeps {
				want = bytes.ReplaceAll(data, []byte("\n"), nil)
			}
			if !bytes.Equal(joined.Bytes(), want) {
				t.Fatalf("blocks joined: %d bytes, want %d", joined.Len(), len(want))
			}
			if s.maxLive > j+1 {
				t.Errorf("got %d buffers, want at most %d", s.maxLive, j+1)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

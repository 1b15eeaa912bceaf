package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/gopool/gopool/internal/pipe"
)

// TestPipeSettings checks pipe mode's flags against the settings they
// give.
func TestPipeSettings(t *testing.T) {
	t.Setenv("GOPOOL_JOBS", "2")
	// want returns the settings of a plain --pipe, changed by edit.
	want := func(edit func(p *pipeSettings)) *pipeSettings {
		p := &pipeSettings{opt: pipe.Options{BlockSize: 1 << 20, RecEnd: "\n", Slots: 2}, stdinBuf: 1 << 20}
		if edit != nil {
			edit(p)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		want *pipeSettings
	}{
		{"defaults", []string{"--pipe", "cat"}, want(nil)},
		{"spreadstdin", []string{"--spreadstdin", "cat"}, want(nil)},
		{"block units", []string{"--pipe", "--block", "1.5M", "cat"}, want(func(p *pipeSettings) { p.opt.BlockSize = 1572864 })},
		{"block-size", []string{"--pipe", "--block-size", "10k", "cat"}, want(func(p *pipeSettings) {
			p.opt.BlockSize, p.stdinBuf = 10000, 0
		})},
		{"many jobs", []string{"-j", "17", "--pipe", "cat"}, want(func(p *pipeSettings) { p.opt.Slots, p.stdinBuf = 17, 0 })},
		{"blocks per slot", []string{"--pipe", "--block", "-3", "cat"}, want(func(p *pipeSettings) {
			p.opt.BlockSize, p.opt.PerSlot = 0, 3
		})},
		{"pipepart defaults to -10", []string{"--pipepart", "-a", "f", "cat"}, want(func(p *pipeSettings) {
			p.part, p.file, p.opt.BlockSize, p.opt.PerSlot = true, "f", 0, 10
		})},
		{"pipe-part of :::: FILE", []string{"--pipe-part", "cat", "::::", "f"}, want(func(p *pipeSettings) {
			p.part, p.file, p.opt.BlockSize, p.opt.PerSlot = true, "f", 0, 10
		})},
		{"-a - is stdin", []string{"--pipe", "-a", "-", "cat"}, want(nil)},
		{"recstart alone", []string{"--pipe", "--recstart", ">", "cat"}, want(func(p *pipeSettings) { p.opt.RecEnd, p.opt.RecStart = "", ">" })},
		{"recend escape", []string{"--pipe", "--recend", `\t`, "cat"}, want(func(p *pipeSettings) { p.opt.RecEnd = "\t" })},
		{"empty recend", []string{"--pipe", "--recend", "", "cat"}, want(func(p *pipeSettings) { p.opt.RecEnd = "" })},
		{"regexp", []string{"--pipe", "--regexp", "--recend", `\n+`, "cat"}, want(func(p *pipeSettings) {
			p.opt.Regexp, p.opt.RecEnd = true, `\n+`
		})},
		{"-0", []string{"--pipe", "-0", "cat"}, want(func(p *pipeSettings) { p.opt.RecEnd = "\x00" })},
		{"-d", []string{"--pipe", "-d", `\x1f`, "cat"}, want(func(p *pipeSettings) { p.opt.RecEnd = "\x1f" })},
		{"-d with --regexp is literal", []string{"--pipe", "--regexp", "-d", ".", "cat"}, want(func(p *pipeSettings) {
			p.opt.Regexp, p.opt.RecEnd = true, `\.`
		})},
		{"-N", []string{"--pipe", "-N", "3", "cat"}, want(func(p *pipeSettings) { p.opt.Records = 3 })},
		{"-n is -N", []string{"--pipe", "-n", "3", "cat"}, want(func(p *pipeSettings) { p.opt.Records = 3 })},
		{"-L", []string{"--pipe", "-L", "4", "cat"}, want(func(p *pipeSettings) { p.opt.Lines = 4 })},
		{"--max-lines", []string{"--pipe", "--max-lines=2", "cat"}, want(func(p *pipeSettings) { p.opt.Lines = 2 })},
		{"-N with -L", []string{"--pipe", "-N", "1", "-L", "4", "cat"}, want(func(p *pipeSettings) { p.opt.Records, p.opt.Lines = 1, 4 })},
		{"-r and --rrs", []string{"--pipe", "-r", "--remove-rec-sep", "cat"}, want(func(p *pipeSettings) {
			p.opt.SkipBlank, p.opt.RemoveSeps = true, true
		})},
		{"header", []string{"--pipe", "--header", ":", "cat"}, want(func(p *pipeSettings) { p.opt.Header = ":" })},
		{"cat", []string{"--pipe", "--cat", "cat"}, want(func(p *pipeSettings) { p.feed = feedCat })},
		{"fifo", []string{"--pipe", "--fifo", "cat"}, want(func(p *pipeSettings) { p.feed = feedFifo })},
		{"round", []string{"--pipe", "--round", "cat"}, want(func(p *pipeSettings) { p.rr = true })},
		{"tee", []string{"--pipe", "--tee", "cat", ":::", "a", "b", "c"}, want(func(p *pipeSettings) { p.tee = true })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRun(t, modeMap, tt.args...)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !reflect.DeepEqual(got.pipe, tt.want) {
				t.Errorf("got pipe settings\n%+v\nwant\n%+v", got.pipe, tt.want)
			}
		})
	}
}

// TestTeeSlots checks that --tee gives each job a slot of its own.
func TestTeeSlots(t *testing.T) {
	t.Setenv("GOPOOL_JOBS", "1")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"three values", []string{"--pipe", "--tee", "cat", ":::", "a", "b", "c"}, 3},
		{"cross product", []string{"--pipe", "--tee", "cat", ":::", "a", "b", ":::", "1", "2"}, 4},
		{"-j 0", []string{"-j", "0", "--pipe", "--tee", "cat", ":::", "a", "b"}, 2},
		{"-j above", []string{"-j", "5", "--pipe", "--tee", "cat", ":::", "a", "b"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRun(t, modeMap, tt.args...)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got.workers != tt.want {
				t.Errorf("got %d slots, want %d", got.workers, tt.want)
			}
		})
	}
}

// TestNoPipe checks that a run without --pipe has no pipe settings.
func TestNoPipe(t *testing.T) {
	got, err := parseRun(t, modeMap, "echo")
	if err != nil {
		t.Fatal(err)
	}
	if got.pipe != nil {
		t.Errorf("got pipe settings %+v without --pipe, want nil", got.pipe)
	}
}

// chunkWriter records what it accepted; fail makes a write fail with
// EPIPE, accepting nothing, after that many writes.
type chunkWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
	fail   int // 0: never
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	if w.fail > 0 && w.writes > w.fail {
		return 0, syscall.EPIPE
	}
	return w.buf.Write(p)
}

func (w *chunkWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// lines returns n numbered lines.
func lines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%06d\n", i)
	}
	return b.String()
}

// TestRoundRobinNothingLost feeds the blocks of an input to three feeds,
// one of which stops taking after its first block: every line reaches
// exactly one feed that took it.
func TestRoundRobinNothingLost(t *testing.T) {
	in := lines(20000)
	sp, err := pipe.NewStream(strings.NewReader(in), pipe.Options{BlockSize: 1000, RecEnd: "\n", Slots: 3})
	if err != nil {
		t.Fatal(err)
	}
	rr := newRoundRobin(sp, func() {})
	defer rr.close()
	ws := []*chunkWriter{{}, {fail: 1}, {}}
	var wg sync.WaitGroup
	for _, w := range ws {
		if _, err := rr.Next(); err != nil {
			t.Fatal(err)
		}
		f := rr.input().(*rrFeed)
		rd := &rrReader{rr: rr, ctx: context.Background(), b: f.first}
		f.first = nil
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = rd.WriteTo(w)
		}()
	}
	wg.Wait()
	// The block the failing feed gave back may be left for a new job.
	var rest bytes.Buffer
	for {
		_, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		f := rr.input().(*rrFeed)
		rd := &rrReader{rr: rr, ctx: context.Background(), b: f.first}
		if _, err := rd.WriteTo(&rest); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, w := range ws {
		got = append(got, strings.SplitAfter(w.String(), "\n")...)
	}
	got = append(got, strings.SplitAfter(rest.String(), "\n")...)
	got = slices.DeleteFunc(got, func(s string) bool { return s == "" })
	slices.Sort(got)
	want := strings.SplitAfter(strings.TrimSuffix(in, "\n"), "\n")
	want[len(want)-1] += "\n"
	if !slices.Equal(got, want) {
		t.Errorf("got %d lines fed, want the %d lines of the input, each once", len(got), len(want))
	}
	if ws[1].String() == "" {
		t.Errorf("got nothing fed to the feed that failed its second write, want its first block")
	}
}

// TestTeeEveryone checks that every member of a tee gets the whole input,
// however the others go: one stops after its first write, one never
// starts.
func TestTeeEveryone(t *testing.T) {
	in := lines(200000) // several chunks
	tee := newTee(strings.NewReader(in), func() {})
	feeds := make([]*teeFeed, 4)
	for i := range feeds {
		feeds[i] = tee.join()
	}
	tee.start()
	ws := []*chunkWriter{{}, {fail: 1}, {}}
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var feedErr error
			r := &teeReader{f: feeds[i], ctx: context.Background(), err: &feedErr}
			_, _ = r.WriteTo(w)
			feeds[i].leave()
			if feedErr != nil {
				t.Errorf("feed %d: got error %v, want none", i, feedErr)
			}
		}()
	}
	feeds[3].release() // a job that never started
	wg.Wait()
	tee.close()
	for _, i := range []int{0, 2} {
		if got := ws[i].String(); got != in {
			t.Errorf("feed %d: got %d bytes, want the %d of the input", i, len(got), len(in))
		}
	}
	if got := ws[1].String(); len(got) != teeChunkSize {
		t.Errorf("feed 1: got %d bytes, want one chunk of %d", len(got), teeChunkSize)
	}
}

// TestTeeDrain checks that the members of a tee end when the run drains,
// though the input goes on.
func TestTeeDrain(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	tee := newTee(r, func() {})
	drain := make(chan struct{})
	tee.drain = drain
	f := tee.join()
	tee.start()
	if _, err := w.Write([]byte("first\n")); err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		var out chunkWriter
		var feedErr error
		rd := &teeReader{f: f, ctx: context.Background(), err: &feedErr}
		_, _ = rd.WriteTo(&out)
		done <- out.String()
	}()
	close(drain)
	if got := <-done; got != "first\n" && got != "" {
		t.Errorf("got %q fed, want what came before the drain", got)
	}
	tee.close()
}

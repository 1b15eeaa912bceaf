package pipe

import (
	"bytes"
	"strings"
	"testing"
)

// fuzzSeps are the separators FuzzSplit picks from: recend, recstart,
// regexp.
var fuzzSeps = []struct {
	end, start string
	re         bool
}{
	{"\n", "", false},
	{"", "", false},
	{"+", "", false},
	{"", ">", false},
	{"\n", ">", false},
	{"ab", "", false},
	{"aa", "", false},
	{"\n", "aa", false},
	{`\n+`, "", true},
	{"", `S\d`, true},
	{`x?\n`, `>|S`, true},
	{`a*`, `b`, true},
}

// fuzzHeaders are the --header values FuzzSplit picks from.
var fuzzHeaders = []string{"", ":", "2", `[A-Z]+\n`, `(a|b)*`}

// FuzzSplit cuts random input with random options from a pipe giving
// short reads and from a file, and checks that both give the same blocks;
// that the blocks without their header, joined, are the input without the
// header; that every block but the last ends at a record end; that no
// block is over the block size unless a record grew it; and that
// --pipepart's blocks join up too and are at least the block size.
func FuzzSplit(f *testing.F) {
	f.Add([]byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"), uint16(6), uint8(0), uint8(0), uint8(0), uint8(0), uint8(64))
	f.Add([]byte(">a\nAA\n>b\nBB\nB2\n>c\nCC\n"), uint16(9), uint8(3), uint8(1), uint8(0), uint8(0), uint8(3))
	f.Add([]byte("H\nxxxxxxxxxxxxxxxxxxxxxxxxx\ny\nz\n"), uint16(10), uint8(0), uint8(0), uint8(0), uint8(1), uint8(2))
	f.Add([]byte("S1\nx\nS2\ny\nS3\n"), uint16(4), uint8(9), uint8(1), uint8(0), uint8(0), uint8(5))
	f.Add([]byte("aaaaabaaab\naab"), uint16(3), uint8(6), uint8(2), uint8(1), uint8(4), uint8(1))
	f.Add([]byte("HH\nI\n1\n\n\n2\n3"), uint16(2), uint8(4), uint8(0), uint8(3), uint8(3), uint8(7))
	f.Fuzz(func(t *testing.T, in []byte, block uint16, sepSel, records, lines, hdrSel, window uint8) {
		sep := fuzzSeps[int(sepSel)%len(fuzzSeps)]
		o := Options{
			BlockSize: int64(block%512) + 1,
			RecEnd:    sep.end, RecStart: sep.start, Regexp: sep.re,
			Records: int64(records % 4),
			Lines:   int64(lines % 4),
			Header:  fuzzHeaders[int(hdrSel)%len(fuzzHeaders)],
			window:  int(window%16) + 1,
		}
		pipe := splitStream(t, string(in), o)
		file := splitFile(t, string(in), o, false)
		if !eqStrings(pipe.blocks, file.blocks) {
			t.Fatalf("pipe and file differ:\npipe %q\nfile %q", pipe.blocks, file.blocks)
		}
		if !eqStrings(pipe.warns, file.warns) {
			t.Fatalf("pipe and file warn differently:\npipe %q\nfile %q", pipe.warns, file.warns)
		}
		hdr := header(t, in, o)
		checkBlocks(t, in, hdr, pipe.blocks, o, len(pipe.warns))

		if o.Records == 0 && o.Lines == 0 {
			part := splitFile(t, string(in), o, true)
			checkBlocks(t, in, hdr, part.blocks, o, -1)
		}
		// The filters must not fail; their output is checked by the table.
		o.SkipBlank, o.RemoveSeps = records&4 != 0, records&8 != 0
		if o.SkipBlank || o.RemoveSeps {
			splitStream(t, string(in), o)
		}
	})
}

// header returns the header a splitter takes from in, by NewFile.
func header(t *testing.T, in []byte, o Options) string {
	sp, err := NewFile(tempInput(t, string(in)), o)
	if err != nil {
		t.Fatal(err)
	}
	return string(sp.Header())
}

// checkBlocks checks blocks cut from in under o: each starts with hdr; the
// rest joined is in after hdr; each but the last ends at a record end; and
// with grows = 0 (-1 for --pipepart) none is over the block size.
func checkBlocks(t *testing.T, in []byte, hdr string, blocks []string, o Options, grows int) {
	t.Helper()
	var joined strings.Builder
	for i, b := range blocks {
		if !strings.HasPrefix(b, hdr) {
			t.Fatalf("block %d %q: no header %q", i+1, b, hdr)
		}
		data := b[len(hdr):]
		if data == "" {
			t.Fatalf("block %d: empty", i+1)
		}
		joined.WriteString(data)
		last := i == len(blocks)-1
		switch {
		case grows == 0 && o.Records == 0 && int64(len(data)) > o.BlockSize:
			t.Fatalf("block %d: %d bytes, over the block size %d with no record grown", i+1, len(data), o.BlockSize)
		case grows < 0 && !last && int64(len(data)) < o.BlockSize:
			t.Fatalf("--pipepart block %d: %d bytes, under the block size %d", i+1, len(data), o.BlockSize)
		}
		if last || o.Regexp {
			continue
		}
		switch {
		case o.Lines > 0:
			if n := int64(strings.Count(data, "\n")); !strings.HasSuffix(data, "\n") || n%o.Lines != 0 ||
				(o.Records > 0 && n != o.Records*o.Lines) {
				t.Fatalf("block %d %q: not whole groups of %d lines", i+1, data, o.Lines)
			}
		case o.RecEnd != "" && !strings.HasSuffix(data, o.RecEnd):
			t.Fatalf("block %d %q: does not end with %q", i+1, data, o.RecEnd)
		case o.RecStart != "" && !strings.HasPrefix(blocks[i+1][len(hdr):], o.RecStart):
			t.Fatalf("block %d %q: next does not start with %q", i+2, blocks[i+1], o.RecStart)
		}
	}
	if want := string(in)[len(hdr):]; joined.String() != want {
		t.Fatalf("blocks joined: got %q, want %q", joined.String(), want)
	}
	if !bytes.HasPrefix(in, []byte(hdr)) {
		t.Fatalf("header %q is not the start of the input", hdr)
	}
}

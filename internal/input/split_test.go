package input

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// splitAll returns every record the splitter finds in r.
func splitAll(r io.Reader, delim string) ([]string, error) {
	sp := newSplitter(r, delim)
	var out []string
	for {
		rec, err := sp.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// wantSplit is the reference: strings.Split without the empty record after a
// final delimiter, and no record at all for empty input.
func wantSplit(s, delim string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, delim)
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

func TestSplit(t *testing.T) {
	long := strings.Repeat("x", readBufSize-1)
	tests := []struct {
		name  string
		in    string
		delim string
		want  []string
	}{
		{"empty input", "", "\n", nil},
		{"one line", "a\n", "\n", []string{"a"}},
		{"no final delimiter", "a\nb", "\n", []string{"a", "b"}},
		{"empty lines", "\n\na\n\n", "\n", []string{"", "", "a", ""}},
		{"only delimiter", "\n", "\n", []string{""}},
		{"carriage return kept", "a\r\nb\r\n", "\n", []string{"a\r", "b\r"}},
		{"lone carriage return", "a\rb\n", "\n", []string{"a\rb"}},
		{"nul", "a\x00b\x00\x00", "\x00", []string{"a", "b", ""}},
		{"nul keeps newlines", "a\nb\x00c", "\x00", []string{"a\nb", "c"}},
		{"multi-byte", "a::b::::c", "::", []string{"a", "b", "", "c"}},
		{"multi-byte partial", "a:b::c:", "::", []string{"a:b", "c:"}},
		{"overlapping delimiter", "aaa", "aa", []string{"", "a"}},
		{"overlapping delimiter exact", "aaaa", "aa", []string{"", ""}},
		{"repeated prefix", "abababc", "abc", []string{"abab"}},
		{"crlf delimiter", "a\r\nb\nc\r\n", "\r\n", []string{"a", "b\nc"}},
		{"binary bytes", "\xff\xfe\n\x00\n", "\n", []string{"\xff\xfe", "\x00"}},
		{"delimiter across buffer", long + "::y", "::", []string{long, "y"}},
		{"delimiter after full buffer", long + "x::y", "::", []string{long + "x", "y"}},
		{"delimiter just before boundary", long[1:] + "::y", "::", []string{long[1:], "y"}},
		{"long record newline", long + long + "\nz", "\n", []string{long + long, "z"}},
	}
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"data with EOF", iotest.DataErrReader},
	}
	for _, tt := range tests {
		for _, rd := range readers {
			t.Run(tt.name+"/"+rd.name, func(t *testing.T) {
				got, err := splitAll(rd.wrap(strings.NewReader(tt.in)), tt.delim)
				if err != nil {
					t.Fatalf("got error %v, want nil", err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %q, want %q", abbrev(got), abbrev(tt.want))
				}
				if ref := wantSplit(tt.in, tt.delim); !slices.Equal(ref, tt.want) {
					t.Errorf("reference gives %q, want %q", abbrev(ref), abbrev(tt.want))
				}
			})
		}
	}
}

// abbrev shortens long records for test messages.
func abbrev(recs []string) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		if len(r) > 40 {
			r = r[:20] + "..." + r[len(r)-10:]
		}
		out[i] = r
	}
	return out
}

func TestSplitHugeRecord(t *testing.T) {
	huge := bytes.Repeat([]byte("0123456789abcdef"), 10<<20/16) // 10 MiB
	in := append(append(append([]byte("a\n"), huge...), '\n'), "b"...)
	got, err := splitAll(bytes.NewReader(in), "\n")
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d records, want 3", len(got))
	}
	if got[0] != "a" || got[1] != string(huge) || got[2] != "b" {
		t.Errorf("got records of lengths %d %d %d, want 1 %d 1", len(got[0]), len(got[1]), len(got[2]), len(huge))
	}
}

func TestSplitReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("a\nb"), iotest.ErrReader(boom))
	got, err := splitAll(r, "\n")
	if !errors.Is(err, boom) {
		t.Errorf("got error %v, want %v", err, boom)
	}
	if !slices.Equal(got, []string{"a"}) {
		t.Errorf("got %q, want [a]", got)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("a\nb\n", "\n")
	f.Add("a\r\nb", "\n")
	f.Add("", "\n")
	f.Add("\n\n", "\n")
	f.Add("aaa", "aa")
	f.Add("a::b::::c", "::")
	f.Add("x\x00y", "\x00")
	f.Fuzz(func(t *testing.T, in, delim string) {
		if delim == "" {
			return
		}
		want := wantSplit(in, delim)
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
			got, err := splitAll(r, delim)
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("split %q at %q: got %q, want %q", in, delim, got, want)
			}
		}
	})
}

// BenchmarkSplit measures record splitting of 64-byte lines.
func BenchmarkSplit(b *testing.B) {
	line := strings.Repeat("y", 63) + "\n"
	data := []byte(strings.Repeat(line, 1<<14)) // 1 MiB
	for _, delim := range []string{"\n", "\r\n"} {
		in := data
		if delim != "\n" {
			in = bytes.ReplaceAll(data, []byte("\n"), []byte(delim))
		}
		b.Run("delim="+strings.ReplaceAll(strings.ReplaceAll(delim, "\r", `\r`), "\n", `\n`), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			r := bytes.NewReader(in)
			for b.Loop() {
				r.Reset(in)
				sp := newSplitter(r, delim)
				n := 0
				for {
					_, err := sp.next()
					if err != nil {
						break
					}
					n++
				}
				if n != 1<<14 {
					b.Fatalf("got %d records, want %d", n, 1<<14)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(1<<14), "ns/record")
		})
	}
}

package input

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// collect opens cfg and returns the args of every record.
func collect(t *testing.T, cfg Config) [][]string {
	t.Helper()
	s, err := Open(cfg)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	defer s.Close()
	var out [][]string
	for {
		rec, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Next: got error %v, want nil", err)
		}
		out = append(out, rec.Args)
	}
}

// vals is a ::: source.
func vals(v ...string) SourceSpec {
	return SourceSpec{Values: v, IsValues: true}
}

// writeFile writes content to a new file in a test directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStream(t *testing.T) {
	abc := writeFile(t, "abc", "a\nb\nc\n")
	nums := writeFile(t, "nums", "1\n2")
	empty := writeFile(t, "empty", "")
	comma := regexp.MustCompile(",")
	tests := []struct {
		name string
		cfg  Config
		want [][]string
	}{
		{
			name: "stdin by default",
			cfg:  Config{Stdin: strings.NewReader("a\nb\n")},
			want: [][]string{{"a"}, {"b"}},
		},
		{
			name: "empty stdin",
			cfg:  Config{Stdin: strings.NewReader("")},
			want: nil,
		},
		{
			name: "empty line is empty record",
			cfg:  Config{Stdin: strings.NewReader("a\n\nb")},
			want: [][]string{{"a"}, {""}, {"b"}},
		},
		{
			name: "carriage return kept",
			cfg:  Config{Stdin: strings.NewReader("a\r\n")},
			want: [][]string{{"a\r"}},
		},
		{
			name: "nul delimiter",
			cfg:  Config{Stdin: strings.NewReader("a b\nc\x00d\x00"), Delim: "\x00"},
			want: [][]string{{"a b\nc"}, {"d"}},
		},
		{
			name: "multi-byte delimiter",
			cfg:  Config{Stdin: strings.NewReader("a::b::::c"), Delim: "::"},
			want: [][]string{{"a"}, {"b"}, {""}, {"c"}},
		},
		{
			name: "values",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b")}},
			want: [][]string{{"a"}, {"b"}},
		},
		{
			name: "cross product order",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals("1", "2")}},
			want: [][]string{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}},
		},
		{
			name: "cross product of three",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals("1"), vals("x", "y")}},
			want: [][]string{{"a", "1", "x"}, {"a", "1", "y"}, {"b", "1", "x"}, {"b", "1", "y"}},
		},
		{
			name: "cross product with empty group",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals()}},
			want: [][]string{{"a", ""}, {"b", ""}},
		},
		{
			name: "empty first group",
			cfg:  Config{Sources: []SourceSpec{vals(), vals("1")}},
			want: [][]string{{"", "1"}},
		},
		{
			name: "files and values",
			cfg:  Config{Sources: []SourceSpec{{Path: abc}, {Path: nums}, vals("z")}},
			want: [][]string{
				{"a", "1", "z"}, {"a", "2", "z"}, {"b", "1", "z"},
				{"b", "2", "z"}, {"c", "1", "z"}, {"c", "2", "z"},
			},
		},
		{
			name: "dash is stdin",
			cfg:  Config{Sources: []SourceSpec{vals("a"), {Path: "-"}}, Stdin: strings.NewReader("1\n2\n")},
			want: [][]string{{"a", "1"}, {"a", "2"}},
		},
		{
			name: "empty file",
			cfg:  Config{Sources: []SourceSpec{{Path: empty}}},
			want: nil,
		},
		{
			name: "link equal lengths",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals("1", "2")}, Link: true},
			want: [][]string{{"a", "1"}, {"b", "2"}},
		},
		{
			name: "link wraps later source",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c"), vals("1", "2"), vals("x")}, Link: true},
			want: [][]string{{"a", "1", "x"}, {"b", "2", "x"}, {"c", "1", "x"}},
		},
		{
			name: "link wraps first source",
			cfg:  Config{Sources: []SourceSpec{{Path: nums}, vals("a", "b", "c", "d", "e")}, Link: true},
			want: [][]string{{"1", "a"}, {"2", "b"}, {"1", "c"}, {"2", "d"}, {"1", "e"}},
		},
		{
			name: "link with empty source",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals()}, Link: true},
			want: [][]string{{"a", ""}, {"b", ""}},
		},
		{
			name: "link with empty first source",
			cfg:  Config{Sources: []SourceSpec{{Path: empty}, vals("a")}, Link: true},
			want: [][]string{{"", "a"}},
		},
		{
			name: "link single source",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b")}, Link: true},
			want: [][]string{{"a"}, {"b"}},
		},
		{
			name: "max args",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c", "d", "e")}, MaxArgs: 2},
			want: [][]string{{"a", "b"}, {"c", "d"}, {"e"}},
		},
		{
			name: "max args exact",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c", "d")}, MaxArgs: 2},
			want: [][]string{{"a", "b"}, {"c", "d"}},
		},
		{
			name: "max args over cross product",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals("1", "2")}, MaxArgs: 3},
			want: [][]string{{"a", "1", "a", "2", "b", "1"}, {"b", "2"}},
		},
		{
			name: "max args larger than input",
			cfg:  Config{Sources: []SourceSpec{vals("a")}, MaxArgs: 10},
			want: [][]string{{"a"}},
		},
		{
			name: "colsep",
			cfg:  Config{Stdin: strings.NewReader("a,b\nc\n,,\n"), ColSep: comma},
			want: [][]string{{"a", "b"}, {"c"}, {"", "", ""}},
		},
		{
			name: "colsep regexp",
			cfg:  Config{Stdin: strings.NewReader("a \t b  c\n"), ColSep: regexp.MustCompile(`\s+`)},
			want: [][]string{{"a", "b", "c"}},
		},
		{
			name: "colsep over sources",
			cfg:  Config{Sources: []SourceSpec{vals("a,b", "c"), vals("x,y")}, ColSep: comma},
			want: [][]string{{"a", "b", "x", "y"}, {"c", "x", "y"}},
		},
		{
			name: "colsep with max args",
			cfg:  Config{Sources: []SourceSpec{vals("a,b", "c,d", "e")}, ColSep: comma, MaxArgs: 2},
			want: [][]string{{"a", "b", "c", "d"}, {"e"}},
		},
		{
			name: "skip empty",
			cfg:  Config{Stdin: strings.NewReader("a\n\n \t\r\nb\n\n"), SkipEmpty: true},
			want: [][]string{{"a"}, {"b"}},
		},
		{
			name: "skip empty keeps colsep-only record",
			cfg:  Config{Stdin: strings.NewReader(",,\n\n"), SkipEmpty: true, ColSep: comma},
			want: [][]string{{"", "", ""}},
		},
		{
			name: "skip empty needs all args blank",
			cfg:  Config{Sources: []SourceSpec{vals("", "a"), vals("", " ")}, SkipEmpty: true},
			want: [][]string{{"a", ""}, {"a", " "}},
		},
		{
			name: "skip empty before grouping",
			cfg:  Config{Stdin: strings.NewReader("a\n\nb\n  \nc\n"), SkipEmpty: true, MaxArgs: 2},
			want: [][]string{{"a", "b"}, {"c"}},
		},
		{
			name: "skip empty everything",
			cfg:  Config{Stdin: strings.NewReader("\n\n"), SkipEmpty: true},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, tt.cfg)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamAfterEOF(t *testing.T) {
	s, err := Open(Config{Sources: []SourceSpec{vals("a")}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(); err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	for range 2 {
		if _, err := s.Next(); !errors.Is(err, io.EOF) {
			t.Errorf("got error %v, want io.EOF", err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	good := writeFile(t, "good", "a\n")
	tests := []struct {
		name    string
		sources []SourceSpec
		path    string
	}{
		{"missing file", []SourceSpec{{Path: missing}}, missing},
		{"missing later file", []SourceSpec{{Path: good}, vals("x"), {Path: missing}}, missing},
		{"directory", []SourceSpec{{Path: dir}}, dir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(Config{Sources: tt.sources})
			if err == nil {
				s.Close()
				t.Fatal("got nil error, want one")
			}
			if want := "open " + tt.path + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got error %q, want prefix %q", err, want)
			}
		})
	}
}

func TestOpenUnreadable(t *testing.T) {
	p := writeFile(t, "secret", "a\n")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("file mode 0 is readable here (running as root?)")
	}
	_, err := Open(Config{Sources: []SourceSpec{{Path: p}}})
	if !errors.Is(err, os.ErrPermission) {
		t.Errorf("got error %v, want %v", err, os.ErrPermission)
	}
}

func TestReadErrorNamesSource(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		cfg  Config
	}{
		{"first source", Config{Stdin: io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom))}},
		{"later source", Config{
			Sources: []SourceSpec{vals("a"), {Path: "-"}},
			Stdin:   io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for {
				_, err = s.Next()
				if err != nil {
					break
				}
			}
			if !errors.Is(err, boom) {
				t.Fatalf("got error %v, want %v", err, boom)
			}
			if want := "read stdin: boom"; err.Error() != want {
				t.Errorf("got error %q, want %q", err, want)
			}
			if _, again := s.Next(); !errors.Is(again, boom) {
				t.Errorf("got error %v after a failure, want %v again", again, boom)
			}
		})
	}
}

// countingReader counts calls to Read.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

func TestOpenReadsNothing(t *testing.T) {
	cr := &countingReader{r: strings.NewReader("a\n")}
	s, err := Open(Config{Stdin: cr, Sources: []SourceSpec{{Path: "-"}, vals("1")}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cr.reads != 0 {
		t.Errorf("got %d reads after Open, want 0", cr.reads)
	}
	rec, err := s.Next()
	if err != nil || !slices.Equal(rec.Args, []string{"a", "1"}) {
		t.Errorf("got %q, %v, want [a 1], nil", rec.Args, err)
	}
}

// TestStreamBeforeEOF proves streaming: the first record comes out while the
// writer still holds the input open.
func TestStreamBeforeEOF(t *testing.T) {
	pr, pw := io.Pipe()
	defer pr.Close()
	written := make(chan error, 1)
	release := make(chan struct{})
	go func() {
		_, err := pw.Write([]byte("first\nsec"))
		written <- err
		<-release
		_, err = pw.Write([]byte("ond\n"))
		pw.CloseWithError(err)
	}()
	s, err := Open(Config{Stdin: pr})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := s.Next()
	if err != nil || !slices.Equal(rec.Args, []string{"first"}) {
		t.Fatalf("got %q, %v, want [first], nil", rec.Args, err)
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	close(release) // only now may the rest of the input arrive
	rec, err = s.Next()
	if err != nil || !slices.Equal(rec.Args, []string{"second"}) {
		t.Fatalf("got %q, %v, want [second], nil", rec.Args, err)
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("got error %v, want io.EOF", err)
	}
}

// endless yields the same line forever.
type endless struct {
	line string
	off  int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], e.line[e.off:])
		n += c
		e.off = (e.off + c) % len(e.line)
	}
	return n, nil
}

// TestStreamAllocsPerRecord shows that a record costs a bounded number of
// allocations however many came before: nothing accumulates per record.
func TestStreamAllocsPerRecord(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"stdin", Config{Stdin: &endless{line: "some record\n"}}},
		{"cross", Config{Sources: []SourceSpec{{Path: "-"}, vals("x")}, Stdin: &endless{line: "r\n"}}},
		{"link", Config{Sources: []SourceSpec{{Path: "-"}, vals("x", "y")}, Link: true, Stdin: &endless{line: "r\n"}}},
		{"linked chain", Config{Sources: []SourceSpec{{Path: "-"}, {Path: "-", Linked: true}, vals("x", "y")}, Stdin: &endless{line: "r\n"}}},
		{"colsep and trim", Config{ColSep: regexp.MustCompile(","), Stdin: &endless{line: " a , b \n"}}},
		{"trim", Config{Trim: TrimBoth, Stdin: &endless{line: " a \n"}}},
		{"eof and continuation", Config{EOF: "END", Continue: true, Stdin: &endless{line: "a\n"}}},
		{"header", Config{Header: true, Stdin: &endless{line: "a\tb\n"}}},
		{"no args", Config{NoArgs: true, Stdin: &endless{line: "a\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for range 1000 { // warm up buffers
				if _, err := s.Next(); err != nil {
					t.Fatal(err)
				}
			}
			allocs := testing.AllocsPerRun(10000, func() {
				if _, err := s.Next(); err != nil {
					t.Fatal(err)
				}
			})
			if allocs > 2 {
				t.Errorf("got %v allocs per record, want at most 2", allocs)
			}
		})
	}
}

// TestBatchMemoryFlat streams a million records through batches and checks
// that the heap does not grow with them.
func TestBatchMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million records")
	}
	s, err := Open(Config{Stdin: &endless{line: "some/file/name.txt\n"}, Batch: &Batch{Budget: 64 << 10, Cost: argLen, Slots: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var before, after runtime.MemStats
	n := 0
	for n < 1_000_000 {
		rec, err := s.Next()
		if err != nil {
			t.Fatal(err)
		}
		n += len(rec.Args)
		if n > 10_000 && before.NumGC == 0 {
			runtime.GC()
			runtime.ReadMemStats(&before)
			before.NumGC++
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 4<<20 {
		t.Errorf("got the heap %d bytes larger after a million records, want at most 4 MiB", grew)
	}
}

func TestCloseClosesFiles(t *testing.T) {
	p := writeFile(t, "f", "a\n")
	s, err := Open(Config{Sources: []SourceSpec{{Path: p}, {Path: p}}})
	if err != nil {
		t.Fatal(err)
	}
	files := slices.Clone(s.closers)
	if err := s.Close(); err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	for _, c := range files {
		if err := c.Close(); !errors.Is(err, os.ErrClosed) {
			t.Errorf("closing again: got %v, want %v", err, os.ErrClosed)
		}
	}
}

func TestParseDelimiter(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: `\n`, want: "\n"},
		{in: `\t`, want: "\t"},
		{in: `\r\n`, want: "\r\n"},
		{in: `\0`, want: "\x00"},
		{in: `\\`, want: `\`},
		{in: `\a\b\f\v`, want: "\a\b\f\v"},
		{in: `\x41`, want: "A"},
		{in: `\xff`, want: "\xff"},
		{in: `\xA`, want: "\n"},
		{in: `\x4142`, want: "A42"},
		{in: `\101`, want: "A"},
		{in: `\012`, want: "\n"},
		{in: `\0a`, want: "\x00a"},
		{in: `\1234`, want: "S4"},
		{in: `::`, want: "::"},
		{in: `,`, want: ","},
		{in: `a\nb`, want: "a\nb"},
		{in: "é", want: "é"},
		{in: ``, wantErr: true},
		{in: `\`, wantErr: true},
		{in: `a\`, wantErr: true},
		{in: `\q`, wantErr: true},
		{in: `\8`, wantErr: true},
		{in: `\x`, wantErr: true},
		{in: `\xg`, wantErr: true},
		{in: `\400`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDelimiter(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Errorf("got %q, nil, want an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v, want %q, nil", got, err, tt.want)
			}
		})
	}
}

func FuzzParseDelimiter(f *testing.F) {
	for _, s := range []string{`\n`, `\x4`, `\0`, `\777`, `\`, `::`, `\x`, `a\tb`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDelimiter(s)
		if err == nil && got == "" {
			t.Errorf("ParseDelimiter(%q): got empty delimiter and no error", s)
		}
		if err == nil && !strings.Contains(s, `\`) && got != s {
			t.Errorf("ParseDelimiter(%q): got %q, want the input unchanged", s, got)
		}
	})
}

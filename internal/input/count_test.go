package input

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCount checks Count against the records Next really yields.
func TestCount(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := write("lines", "a\n\nb\nc\n")
	noLast := write("nolast", "a\nb")
	nul := write("nul", "a\x00b\nc\x00")
	empty := write("empty", "")
	vals := func(v ...string) SourceSpec { return SourceSpec{Values: v, IsValues: true} }
	tests := []struct {
		name   string
		cfg    Config
		wantOK bool
	}{
		{"one group", Config{Sources: []SourceSpec{vals("a", "b", "c")}}, true},
		{"cross product", Config{Sources: []SourceSpec{vals("a", "b"), vals("1", "2", "3")}}, true},
		{"empty group", Config{Sources: []SourceSpec{vals("a", "b"), vals()}}, true},
		{"link wraps to the longest", Config{Link: true, Sources: []SourceSpec{vals("a", "b"), vals("1", "2", "3")}}, true},
		{"link with an empty group", Config{Link: true, Sources: []SourceSpec{vals("a"), vals()}}, true},
		{"max args", Config{MaxArgs: 2, Sources: []SourceSpec{vals("a", "b", "c", "d", "e")}}, true},
		{"skip empty is not known", Config{SkipEmpty: true, Sources: []SourceSpec{vals("a", "")}}, false},
		{"stdin is not known", Config{Stdin: strings.NewReader("a\nb\n")}, false},
		{"a regular file", Config{Sources: []SourceSpec{{Path: file}}}, true},
		{"a file without a last delimiter, crossed", Config{Sources: []SourceSpec{{Path: noLast}, vals("x", "y")}}, true},
		{"a file with -0", Config{Delim: "\x00", Sources: []SourceSpec{{Path: nul}}}, true},
		{"values cut at -d", Config{Delim: ",", Sources: []SourceSpec{vals("a,b,", "c")}}, true},
		{"values cut at newline", Config{Sources: []SourceSpec{vals("a\nb", "c")}}, true},
		{"an empty later source", Config{Sources: []SourceSpec{vals("a", "b"), {Path: empty}}}, true},
		{"an empty first source", Config{Sources: []SourceSpec{{Path: empty}, vals("a", "b")}}, true},
		{"all empty", Config{Sources: []SourceSpec{{Path: empty}, vals()}}, true},
		{"linked chain", Config{Sources: []SourceSpec{vals("a", "b", "c"), {Values: []string{"1", "2"}, IsValues: true, Linked: true}, vals("x", "y")}}, true},
		{"linked empty", Config{Sources: []SourceSpec{vals("a", "b", "c"), {Path: empty, Linked: true}}}, true},
		{"eof", Config{EOF: "b", Sources: []SourceSpec{{Path: file}, vals("x", "b", "y")}}, true},
		{"continuation", Config{Continue: true, Sources: []SourceSpec{vals("a ", "b", "c \t", "d", "e ")}}, true},
		{"header", Config{Header: true, Sources: []SourceSpec{{Path: file}, vals("h", "x")}}, true},
		{"header only", Config{Header: true, Sources: []SourceSpec{vals("h"), vals("h2", "x")}}, true},
		{"no args", Config{NoArgs: true, MaxArgs: 3, Sources: []SourceSpec{vals("a", "b", "c", "d")}}, true},
		{"shuffled", Config{Shuffle: true, Sources: []SourceSpec{vals("a", "b"), vals("1", "2", "3")}}, true},
		{"batches are not known", Config{Batch: &Batch{Budget: 10}, Sources: []SourceSpec{vals("a", "b")}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n, ok := s.Count()
			if ok != tc.wantOK {
				t.Fatalf("got ok %v, want %v", ok, tc.wantOK)
			}
			var got int64
			for {
				_, err := s.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got++
			}
			if ok && n != got {
				t.Errorf("got Count %d, want %d (the records Next yields)", n, got)
			}
		})
	}
}

// TestCountWhileReading runs Count on another goroutine while Next reads,
// as the progress bar does; the race detector checks that they share
// nothing that Next changes.
func TestCountWhileReading(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("h\na\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(Config{Header: true, EOF: "c", Sources: []SourceSpec{
		{Path: file}, {Values: []string{"h", "1", "2"}, IsValues: true, Linked: true}, {Path: empty},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	counted := make(chan int64)
	go func() {
		n, _ := s.Count()
		counted <- n
	}()
	var got int64
	for {
		_, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got++
	}
	if n := <-counted; n != got {
		t.Errorf("got Count %d, want %d (the records Next yields)", n, got)
	}
}

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

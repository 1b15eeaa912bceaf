package input

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCount checks Count against the records Next really yields.
func TestCount(t *testing.T) {
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

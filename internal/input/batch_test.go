package input

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// seqVals is a ::: group of the numbers 1..n.
func seqVals(n int) SourceSpec {
	v := make([]string, n)
	for i := range v {
		v[i] = strconv.Itoa(i + 1)
	}
	return vals(v...)
}

// argLen is GNU parallel's cost of an argument on a command line: its
// length and a space.
func argLen(args []string) int64 {
	var n int64
	for _, a := range args {
		n += int64(len(a)) + 1
	}
	return n
}

// echoBudget is the budget of "parallel -s S echo": S less "echo" and its
// space.
func echoBudget(s int64) int64 { return s - 5 }

func TestBatch(t *testing.T) {
	unlimited := int64(1 << 40)
	tests := []struct {
		name    string
		sources []SourceSpec
		batch   Batch
		want    [][]string
	}{
		{
			name:    "-X -j4 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: unlimited, Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"10"}},
		},
		{
			name:    "-X -j3 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: unlimited, Cost: argLen, Slots: 3},
			want:    [][]string{{"1", "2", "3", "4"}, {"5", "6", "7", "8"}, {"9", "10"}},
		},
		{
			name:    "--xargs -j4 echo ::: 1..10 (no spreading)",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: unlimited, Cost: argLen, Slots: 1},
			want:    [][]string{{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}},
		},
		{
			name:    "-X -j4 -s 13 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: echoBudget(13), Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3", "4"}, {"5", "6", "7", "8"}, {"9"}, {"10"}},
		},
		{
			name:    "-X -j4 -s 20 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: echoBudget(20), Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3", "4", "5", "6", "7"}, {"8"}, {"9"}, {"10"}},
		},
		{
			name:    "-X -j4 -s 24 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: echoBudget(24), Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, {"10"}},
		},
		{
			name:    "-X -j4 -s 30 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Budget: echoBudget(30), Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"10"}},
		},
		{
			name:    "-X -j4 -s 20 echo ::: 1..30",
			sources: []SourceSpec{seqVals(30)},
			batch:   Batch{Budget: echoBudget(20), Cost: argLen, Slots: 4},
			want: [][]string{{"1", "2", "3", "4", "5", "6", "7"}, {"8", "9", "10", "11", "12"},
				{"13", "14", "15", "16", "17"}, {"18", "19", "20", "21", "22"}, {"23", "24", "25", "26", "27"},
				{"28"}, {"29"}, {"30"}},
		},
		{
			name:    "-X -j2 -s 17 echo ::: 1..12",
			sources: []SourceSpec{seqVals(12)},
			batch:   Batch{Budget: echoBudget(17), Cost: argLen, Slots: 2},
			want:    [][]string{{"1", "2", "3", "4", "5", "6"}, {"7", "8", "9", "10", "11"}, {"12"}},
		},
		{
			name:    "-X -j4 -n 5 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Max: 5, Budget: unlimited, Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3", "4", "5"}, {"6", "7"}, {"8", "9"}, {"10"}},
		},
		{
			name:    "-X -j4 -n 4 echo ::: 1..10",
			sources: []SourceSpec{seqVals(10)},
			batch:   Batch{Max: 4, Budget: unlimited, Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3", "4"}, {"5", "6", "7", "8"}, {"9"}, {"10"}},
		},
		{
			name:    "-X -j4 -n 4 echo ::: 1..8",
			sources: []SourceSpec{seqVals(8)},
			batch:   Batch{Max: 4, Budget: unlimited, Cost: argLen, Slots: 4},
			want:    [][]string{{"1", "2", "3", "4"}, {"5"}, {"6"}, {"7"}, {"8"}},
		},
		{
			name:    "-X -j4 echo ::: a b ::: 1 2",
			sources: []SourceSpec{vals("a", "b"), vals("1", "2")},
			batch:   Batch{Budget: unlimited, Cost: argLen, Slots: 4},
			want:    [][]string{{"a", "1"}, {"a", "2"}, {"b", "1"}, {"b", "2"}},
		},
		{
			name:    "-X -j1 -s 14 echo ::: a b ::: 1 2",
			sources: []SourceSpec{vals("a", "b"), vals("1", "2")},
			batch:   Batch{Budget: echoBudget(14), Cost: argLen, Slots: 1},
			want:    [][]string{{"a", "1", "a", "2"}, {"b", "1", "b", "2"}},
		},
		{
			name:    "a record over the budget is a batch of its own",
			sources: []SourceSpec{vals("a", "aaaaaaaaaaaaaa", "b")},
			batch:   Batch{Budget: echoBudget(10), Cost: argLen, Slots: 1},
			want:    [][]string{{"a"}, {"aaaaaaaaaaaaaa"}, {"b"}},
		},
		{
			name:    "no cost counts records",
			sources: []SourceSpec{seqVals(5)},
			batch:   Batch{Budget: 2},
			want:    [][]string{{"1", "2"}, {"3", "4"}, {"5"}},
		},
		{
			name:    "empty input",
			sources: []SourceSpec{vals()},
			batch:   Batch{Budget: unlimited, Slots: 4},
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.batch
			got := collect(t, Config{Sources: tt.sources, Batch: &b})
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBatchNUL(t *testing.T) {
	s, err := Open(Config{Stdin: strings.NewReader("a\nb\nc\x00\nd\n"), Batch: &Batch{Budget: 100}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []struct {
		args []string
		nul  bool
	}{{[]string{"a", "b"}, false}, {[]string{"c\x00"}, true}, {[]string{"d"}, false}}
	for i, w := range want {
		rec, err := s.Next()
		if err != nil {
			t.Fatalf("batch %d: got error %v, want nil", i+1, err)
		}
		if !slices.Equal(rec.Args, w.args) || errors.Is(rec.Err, ErrNUL) != w.nul {
			t.Errorf("batch %d: got %q, Err %v, want %q, NUL %v", i+1, rec.Args, rec.Err, w.args, w.nul)
		}
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("got error %v, want io.EOF", err)
	}
}

// TestBatchStreams shows that a full batch comes out while the input is
// still open, and that the batch at the end is spread.
func TestBatchStreams(t *testing.T) {
	pr, pw := io.Pipe()
	defer pr.Close()
	go pw.Write([]byte("1\n2\n3\n4\n"))
	s, err := Open(Config{Stdin: pr, Batch: &Batch{Budget: 3, Slots: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := s.Next()
	if err != nil || !slices.Equal(rec.Args, []string{"1", "2", "3"}) {
		t.Fatalf("got %q, %v, want [1 2 3], nil", rec.Args, err)
	}
	go func() {
		pw.Write([]byte("5\n"))
		pw.Close()
	}()
	for _, want := range [][]string{{"4"}, {"5"}} {
		rec, err := s.Next()
		if err != nil || !slices.Equal(rec.Args, want) {
			t.Fatalf("got %q, %v, want %q, nil", rec.Args, err, want)
		}
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("got error %v, want io.EOF", err)
	}
}

// TestBatchManyFiles is xargs' main use: 100,000 file names fit in a
// handful of command lines, in order, each within the budget.
func TestBatchManyFiles(t *testing.T) {
	const n = 100000
	var in strings.Builder
	for i := range n {
		fmt.Fprintf(&in, "dir/sub/file-%06d.txt\n", i)
	}
	const budget = 128 << 10
	s, err := Open(Config{Stdin: strings.NewReader(in.String()), Batch: &Batch{Budget: budget, Cost: argLen, Slots: 4}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	batches, seen := 0, 0
	for {
		rec, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		batches++
		if c := argLen(rec.Args); c > budget {
			t.Errorf("batch %d: got cost %d, want at most %d", batches, c, budget)
		}
		for _, a := range rec.Args {
			if want := fmt.Sprintf("dir/sub/file-%06d.txt", seen); a != want {
				t.Fatalf("got %q, want %q", a, want)
			}
			seen++
		}
	}
	if seen != n {
		t.Errorf("got %d names, want %d", seen, n)
	}
	if batches > 24 {
		t.Errorf("got %d batches, want a handful (at most 24)", batches)
	}
}

package input

import (
	"errors"
	"io"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Each case here was measured against GNU parallel 20221122: the comment
// holds the command line, and want is what GNU parallel gave each job.

// linkedVals is a :::+ source.
func linkedVals(v ...string) SourceSpec {
	return SourceSpec{Values: v, IsValues: true, Linked: true}
}

func TestGNUParity(t *testing.T) {
	hcsv := writeFile(t, "h.csv", "a,b\n1,2\n3,4\n")
	h2 := writeFile(t, "h2.csv", "a,b\n1,2,3\n4\n")
	htsv := writeFile(t, "h.tsv", "a\tb\n1\t2\n3\t4\n")
	f12 := writeFile(t, "f12", "1\n2\n")
	fpqr := writeFile(t, "fpqr", "p\nq\nr\n")
	fe := writeFile(t, "fe", "a\nb\nEND\nc\n")
	seq3to11 := writeFile(t, "seq3to11", "3\n4\n5\n6\n7\n8\n9\n10\n11\n")
	var seq1to100 strings.Builder
	for i := 1; i <= 100; i++ {
		seq1to100.WriteString(strconv.Itoa(i) + "\n")
	}
	percent := regexp.MustCompile("%+")
	comma := regexp.MustCompile(",")
	tests := []struct {
		name string
		cfg  Config
		want [][]string
	}{
		// -d cuts ::: values too: they are joined, each followed by the
		// delimiter, and cut again.
		{
			name: "-d ' ' echo ::: '1 done'",
			cfg:  Config{Delim: " ", Sources: []SourceSpec{vals("1 done")}},
			want: [][]string{{"1"}, {"done"}},
		},
		{
			name: `-d '\t' echo ::: '1<TAB>done' x`,
			cfg:  Config{Delim: "\t", Sources: []SourceSpec{vals("1\tdone", "x")}},
			want: [][]string{{"1"}, {"done"}, {"x"}},
		},
		{
			name: `-d '"' echo ::: 'a"b' c`,
			cfg:  Config{Delim: `"`, Sources: []SourceSpec{vals(`a"b`, "c")}},
			want: [][]string{{"a"}, {"b"}, {"c"}},
		},
		{
			name: "echo ::: 'a<NL>b' (the default newline cuts too)",
			cfg:  Config{Sources: []SourceSpec{vals("a\nb")}},
			want: [][]string{{"a"}, {"b"}},
		},
		{
			name: "-0 echo ::: 'a<NL>b'",
			cfg:  Config{Delim: "\x00", Sources: []SourceSpec{vals("a\nb")}},
			want: [][]string{{"a\nb"}},
		},
		{
			name: "-d , echo ::: 'a,b,' ',c' ',' ''",
			cfg:  Config{Delim: ",", Sources: []SourceSpec{vals("a,b,", ",c", ",", "")}},
			want: [][]string{{"a"}, {"b"}, {""}, {""}, {"c"}, {""}, {""}, {""}},
		},
		{
			name: "-d aa echo ::: a a (joined, then cut)",
			cfg:  Config{Delim: "aa", Sources: []SourceSpec{vals("a", "a")}},
			want: [][]string{{""}, {""}, {""}},
		},
		{
			name: "-d , echo ::: a,b ::: x,y",
			cfg:  Config{Delim: ",", Sources: []SourceSpec{vals("a,b"), vals("x,y")}},
			want: [][]string{{"a", "x"}, {"a", "y"}, {"b", "x"}, {"b", "y"}},
		},
		{
			name: "-d , -n 2 echo ::: a,b,c d",
			cfg:  Config{Delim: ",", MaxArgs: 2, Sources: []SourceSpec{vals("a,b,c", "d")}},
			want: [][]string{{"a", "b"}, {"c", "d"}},
		},

		// --colsep trims both sides of each column; --trim says otherwise.
		{
			name: "--colsep %+ echo ::: 'a% c %%b' 'a%c% b %d'",
			cfg:  Config{ColSep: percent, Sources: []SourceSpec{vals("a% c %%b", "a%c% b %d")}},
			want: [][]string{{"a", "c", "b"}, {"a", "c", "b", "d"}},
		},
		{
			name: "--colsep %+ --trim n",
			cfg:  Config{ColSep: percent, Trim: TrimNone, Sources: []SourceSpec{vals("a% c %%b")}},
			want: [][]string{{"a", " c ", "b"}},
		},
		{
			name: "--colsep , --trim l echo ::: ' a , b '",
			cfg:  Config{ColSep: comma, Trim: TrimLeft, Sources: []SourceSpec{vals(" a , b ")}},
			want: [][]string{{"a ", "b "}},
		},
		{
			name: "--colsep , --trim r echo ::: ' a , b '",
			cfg:  Config{ColSep: comma, Trim: TrimRight, Sources: []SourceSpec{vals(" a , b ")}},
			want: [][]string{{" a", " b"}},
		},
		{
			name: "--colsep , echo ::: '<VT>a<CR>,<FF>b'",
			cfg:  Config{ColSep: comma, Sources: []SourceSpec{vals("\va\r,\fb")}},
			want: [][]string{{"a", "b"}},
		},
		{
			name: "--colsep , keeps trailing empty columns",
			cfg:  Config{ColSep: comma, Sources: []SourceSpec{vals("a,b,,", ",,", " a , b , , ")}},
			want: [][]string{{"a", "b", "", ""}, {"", "", ""}, {"a", "b", "", ""}},
		},
		{
			name: "--trim lr echo ::: '<TAB> a <TAB>'",
			cfg:  Config{Trim: TrimBoth, Sources: []SourceSpec{vals("\t a \t")}},
			want: [][]string{{"a"}},
		},
		{
			name: "-0 --trim lr: only ASCII white space goes",
			cfg:  Config{Trim: TrimBoth, Delim: "\x00", Stdin: strings.NewReader("\n\na\n\x00\x85a\x85\x00\xa0a\xa0\x00  \x00")},
			want: [][]string{{"a"}, {"\x85a\x85"}, {"\xa0a\xa0"}, {""}},
		},
		{
			name: "--trim l and r on values",
			cfg:  Config{Trim: TrimRight, Sources: []SourceSpec{vals("  a  ")}},
			want: [][]string{{"  a"}},
		},

		// An empty source stands for one empty value, unless all are empty.
		{
			name: "echo ::: a b :::: /dev/null",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), {Path: writeFile(t, "null", "")}}},
			want: [][]string{{"a", ""}, {"b", ""}},
		},
		{
			name: "echo ::: ::: a :::",
			cfg:  Config{Sources: []SourceSpec{vals(), vals("a"), vals()}},
			want: [][]string{{"", "a", ""}},
		},
		{
			name: "echo ::: a b ::: ::: c d",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals(), vals("c", "d")}},
			want: [][]string{{"a", "", "c"}, {"a", "", "d"}, {"b", "", "c"}, {"b", "", "d"}},
		},
		{
			name: "echo ::: :::",
			cfg:  Config{Sources: []SourceSpec{vals(), vals()}},
			want: nil,
		},
		{
			name: "-n 2 echo ::: a b :::",
			cfg:  Config{MaxArgs: 2, Sources: []SourceSpec{vals("a", "b"), vals()}},
			want: [][]string{{"a", "", "b", ""}},
		},
		{
			name: "seq 3 | parallel -a - -a - echo",
			cfg:  Config{Stdin: strings.NewReader("1\n2\n3\n"), Sources: []SourceSpec{{Path: "-"}, {Path: "-"}}},
			want: [][]string{{"1", "2"}, {"1", "3"}},
		},
		{
			name: "seq 3 | parallel echo :::: - ::: a :::: -",
			cfg:  Config{Stdin: strings.NewReader("1\n2\n3\n"), Sources: []SourceSpec{{Path: "-"}, vals("a"), {Path: "-"}}},
			want: [][]string{{"1", "a", "2"}, {"1", "a", "3"}},
		},

		// -n 0 / -N 0: one job per record, with no argument.
		{
			name: "-N0 echo x ::: a b c",
			cfg:  Config{NoArgs: true, Sources: []SourceSpec{vals("a", "b", "c")}},
			want: [][]string{{}, {}, {}},
		},
		{
			name: "-N0 echo x ::: a b ::: 1 2",
			cfg:  Config{NoArgs: true, Sources: []SourceSpec{vals("a", "b"), vals("1", "2")}},
			want: [][]string{{}, {}, {}, {}},
		},
		{
			name: "printf 'a\\n\\n\\n' | parallel -r -N0 echo x",
			cfg:  Config{NoArgs: true, SkipEmpty: true, Stdin: strings.NewReader("a\n\n\n")},
			want: [][]string{{}},
		},
		{
			name: "-N0 echo x :::: /dev/null",
			cfg:  Config{NoArgs: true, Stdin: strings.NewReader("")},
			want: nil,
		},
		{
			name: "-N 3 echo ::: a '' c d ''",
			cfg:  Config{MaxArgs: 3, Sources: []SourceSpec{vals("a", "", "c", "d", "")}},
			want: [][]string{{"a", "", "c"}, {"d", ""}},
		},
		{
			name: "-N 3 echo ::: a b ::: x y",
			cfg:  Config{MaxArgs: 3, Sources: []SourceSpec{vals("a", "b"), vals("x", "y")}},
			want: [][]string{{"a", "x", "a", "y", "b", "x"}, {"b", "y"}},
		},

		// -L: n lines a job, a line ending in white space goes on.
		{
			name: "printf 'a \\nb\\nc\\nd\\n' | parallel -L 1",
			cfg:  Config{Continue: true, Stdin: strings.NewReader("a \nb\nc\nd\n")},
			want: [][]string{{"a b"}, {"c"}, {"d"}},
		},
		{
			name: "printf 'a \\nb\\nc\\nd\\n' | parallel -L 2",
			cfg:  Config{Continue: true, MaxArgs: 2, Stdin: strings.NewReader("a \nb\nc\nd\n")},
			want: [][]string{{"a b", "c"}, {"d"}},
		},
		{
			name: "printf 'a\\n\\nb\\n\\n\\nc\\n' | parallel -L 2 (blank lines count)",
			cfg:  Config{Continue: true, MaxArgs: 2, Stdin: strings.NewReader("a\n\nb\n\n\nc\n")},
			want: [][]string{{"a", ""}, {"b", ""}, {"", "c"}},
		},
		{
			name: "-L1: tab, VT, FF and CR go on",
			cfg:  Config{Continue: true, Stdin: strings.NewReader("a\t\nb\nc\v\nd\ne\f\nf\ng\r\nh\n")},
			want: [][]string{{"a\tb"}, {"c\vd"}, {"e\ff"}, {"g\rh"}},
		},
		{
			name: "printf 'a\\n \\nb\\n' | parallel -L 1",
			cfg:  Config{Continue: true, Stdin: strings.NewReader("a\n \nb\n")},
			want: [][]string{{"a"}, {" b"}},
		},
		{
			name: "printf 'a \\nb \\n' | parallel -L1 (white space at the end stays)",
			cfg:  Config{Continue: true, Stdin: strings.NewReader("a \nb \n")},
			want: [][]string{{"a b "}},
		},
		{
			name: "-0 -L1: a newline goes on",
			cfg:  Config{Continue: true, Delim: "\x00", Stdin: strings.NewReader("a\n\x00b\x00")},
			want: [][]string{{"a\nb"}},
		},
		{
			name: "-d , -L1",
			cfg:  Config{Continue: true, Delim: ",", Stdin: strings.NewReader("a ,b,c")},
			want: [][]string{{"a b"}, {"c"}},
		},
		{
			name: "-L 1 echo ::: 'a ' b c",
			cfg:  Config{Continue: true, Sources: []SourceSpec{vals("a ", "b", "c")}},
			want: [][]string{{"a b"}, {"c"}},
		},
		{
			name: "--max-lines 3 with '> ' '> ' '>'",
			cfg:  Config{Continue: true, MaxArgs: 3, Stdin: strings.NewReader("> \n> \n>\n")},
			want: [][]string{{"> > >"}},
		},
		{
			name: "-kr -L2 echo ::: foo '' 'ole ' bar quux",
			cfg:  Config{Continue: true, MaxArgs: 2, SkipEmpty: true, Sources: []SourceSpec{vals("foo", "", "ole ", "bar", "quux")}},
			want: [][]string{{"foo", "ole bar"}, {"quux"}},
		},
		{
			name: "-kr -L2 -E bar echo ::: foo '' 'ole ' bar quux",
			cfg:  Config{Continue: true, MaxArgs: 2, SkipEmpty: true, EOF: "bar", Sources: []SourceSpec{vals("foo", "", "ole ", "bar", "quux")}},
			want: [][]string{{"foo", "ole "}},
		},
		{
			name: "-L 0: a line a job, no argument",
			cfg:  Config{Continue: true, NoArgs: true, Stdin: strings.NewReader("a\nb\nc\n")},
			want: [][]string{{}, {}, {}},
		},

		// -E: a value equal to the string ends its source.
		{
			name: "printf 'a\\nb\\nEND\\nc\\n' | parallel -E END",
			cfg:  Config{EOF: "END", Stdin: strings.NewReader("a\nb\nEND\nc\n")},
			want: [][]string{{"a"}, {"b"}},
		},
		{
			name: "-E END echo ::: a END b ::: x",
			cfg:  Config{EOF: "END", Sources: []SourceSpec{vals("a", "END", "b"), vals("x")}},
			want: [][]string{{"a", "x"}},
		},
		{
			name: "-E END echo :::: fe :::: fe",
			cfg:  Config{EOF: "END", Sources: []SourceSpec{{Path: fe}, {Path: fe}}},
			want: [][]string{{"a", "a"}, {"a", "b"}, {"b", "a"}, {"b", "b"}},
		},
		{
			name: "-E END: 'END ' is not the end",
			cfg:  Config{EOF: "END", Stdin: strings.NewReader("a\nEND \nc\n")},
			want: [][]string{{"a"}, {"END "}, {"c"}},
		},
		{
			name: "-E END --trim lr: ' END' is not the end",
			cfg:  Config{EOF: "END", Trim: TrimBoth, Stdin: strings.NewReader("a\n END\nc\n")},
			want: [][]string{{"a"}, {"END"}, {"c"}},
		},
		{
			name: "-E END --colsep ,: the whole line counts",
			cfg:  Config{EOF: "END", ColSep: comma, Stdin: strings.NewReader("a,END\nEND\nc\n")},
			want: [][]string{{"a", "END"}},
		},
		{
			name: "-0 -E END",
			cfg:  Config{EOF: "END", Delim: "\x00", Stdin: strings.NewReader("a\x00END\x00b")},
			want: [][]string{{"a"}},
		},
		{
			name: "-E END -d , echo ::: 'a,END,b' c",
			cfg:  Config{EOF: "END", Delim: ",", Sources: []SourceSpec{vals("a,END,b", "c")}},
			want: [][]string{{"a"}},
		},
		{
			name: "seq 1 100 | parallel -E 3 echo :::: - ::: 2..10 :::: <(seq 3 11) (one empty)",
			cfg: Config{EOF: "3", Stdin: strings.NewReader(seq1to100.String()), Sources: []SourceSpec{
				{Path: "-"}, vals("2", "3", "4", "5", "6", "7", "8", "9", "10"), {Path: seq3to11}}},
			want: [][]string{{"1", "2", ""}, {"2", "2", ""}},
		},
		{
			name: "seq 1 100 | parallel -E 3 echo :::: - ::: 3..10 :::: <(seq 3 11) (two empty)",
			cfg: Config{EOF: "3", Stdin: strings.NewReader(seq1to100.String()), Sources: []SourceSpec{
				{Path: "-"}, vals("3", "4", "5", "6", "7", "8", "9", "10"), {Path: seq3to11}}},
			want: [][]string{{"1", "", ""}, {"2", "", ""}},
		},
		{
			name: "seq 3 100 | parallel -E 3 echo :::: - ::: 3..10 :::: <(seq 3 11) (all empty)",
			cfg: Config{EOF: "3", Stdin: strings.NewReader("3\n4\n"), Sources: []SourceSpec{
				{Path: "-"}, vals("3", "4", "5", "6", "7", "8", "9", "10"), {Path: seq3to11}}},
			want: nil,
		},

		// --header: the first value of each source names its columns.
		{
			name: "--header : --colsep , echo :::: h.csv",
			cfg:  Config{Header: true, ColSep: comma, Sources: []SourceSpec{{Path: hcsv}}},
			want: [][]string{{"1", "2"}, {"3", "4"}},
		},
		{
			name: "--header : echo :::: h.tsv (TAB splits, no trim)",
			cfg:  Config{Header: true, Stdin: strings.NewReader("a\tb\n 1 \t 2 \n"), Sources: []SourceSpec{{Path: "-"}}},
			want: [][]string{{" 1 ", " 2 "}},
		},
		{
			name: "--header : echo ::: x 1 2 ::: y 3 4",
			cfg:  Config{Header: true, Sources: []SourceSpec{vals("x", "1", "2"), vals("y", "3", "4")}},
			want: [][]string{{"1", "3"}, {"1", "4"}, {"2", "3"}, {"2", "4"}},
		},
		{
			name: "--header : --colsep , echo :::: h2.csv ::: c 5 6",
			cfg:  Config{Header: true, ColSep: comma, Sources: []SourceSpec{{Path: h2}, vals("c", "5", "6")}},
			want: [][]string{{"1", "2", "3", "5"}, {"1", "2", "3", "6"}, {"4", "5"}, {"4", "6"}},
		},
		{
			name: "--header : --colsep , with only a header",
			cfg:  Config{Header: true, ColSep: comma, Stdin: strings.NewReader("a\n")},
			want: nil,
		},
		{
			name: "--header : echo :::: h.tsv",
			cfg:  Config{Header: true, Sources: []SourceSpec{{Path: htsv}}},
			want: [][]string{{"1", "2"}, {"3", "4"}},
		},

		// :::+ and ::::+ pair a source up with the one before it, and stop
		// at the shorter.
		{
			name: "echo ::: a b c :::+ 1 2 3 ::: x y",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c"), linkedVals("1", "2", "3"), vals("x", "y")}},
			want: [][]string{{"a", "1", "x"}, {"a", "1", "y"}, {"b", "2", "x"}, {"b", "2", "y"}, {"c", "3", "x"}, {"c", "3", "y"}},
		},
		{
			name: "echo ::: a b c :::+ 1 2",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c"), linkedVals("1", "2")}},
			want: [][]string{{"a", "1"}, {"b", "2"}},
		},
		{
			name: "echo ::: a b :::+ 1 2 3",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), linkedVals("1", "2", "3")}},
			want: [][]string{{"a", "1"}, {"b", "2"}},
		},
		{
			name: "echo ::: a b ::: x y :::+ 1 2",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), vals("x", "y"), linkedVals("1", "2")}},
			want: [][]string{{"a", "x", "1"}, {"a", "y", "2"}, {"b", "x", "1"}, {"b", "y", "2"}},
		},
		{
			name: "echo ::: a b c :::+ 1 2 3 :::+ x y",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c"), linkedVals("1", "2", "3"), linkedVals("x", "y")}},
			want: [][]string{{"a", "1", "x"}, {"b", "2", "y"}},
		},
		{
			name: "echo ::: a b c ::::+ f12 fpqr",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b", "c"), {Path: f12, Linked: true}, {Path: fpqr, Linked: true}}},
			want: [][]string{{"a", "1", "p"}, {"b", "2", "q"}},
		},
		{
			name: "echo :::: f12 :::+ a b c (streamed chain)",
			cfg:  Config{Sources: []SourceSpec{{Path: f12}, linkedVals("a", "b", "c")}},
			want: [][]string{{"1", "a"}, {"2", "b"}},
		},
		{
			name: "--link echo ::: a b c :::+ 1 2 ::: x (--link wraps all)",
			cfg:  Config{Link: true, Sources: []SourceSpec{vals("a", "b", "c"), linkedVals("1", "2"), vals("x")}},
			want: [][]string{{"a", "1", "x"}, {"b", "2", "x"}, {"c", "1", "x"}},
		},
		{
			name: "echo ::: a b ::::+ /dev/null ::: x y",
			cfg:  Config{Sources: []SourceSpec{vals("a", "b"), {Path: writeFile(t, "null2", ""), Linked: true}, vals("x", "y")}},
			want: [][]string{{"a", "", "x"}, {"a", "", "y"}},
		},
		{
			name: "echo :::: /dev/null :::+ a b",
			cfg:  Config{Sources: []SourceSpec{vals(), linkedVals("a", "b")}},
			want: [][]string{{"", "a"}},
		},
		{
			name: "-a f12 echo :::+ x y z (a first :::+ is plain)",
			cfg:  Config{Sources: []SourceSpec{{Path: f12}, vals("x", "y", "z")}},
			want: [][]string{{"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}},
		},

		// A record holding NUL is still a record (Err says so).
		{
			name: "printf 'a\\0b\\nc\\n' | parallel echo",
			cfg:  Config{Stdin: strings.NewReader("a\x00b\nc\n")},
			want: [][]string{{"a\x00b"}, {"c"}},
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

func TestParseTrim(t *testing.T) {
	tests := []struct {
		in      string
		want    Trim
		wantErr bool
	}{
		{in: "n", want: TrimNone},
		{in: "l", want: TrimLeft},
		{in: "r", want: TrimRight},
		{in: "lr", want: TrimBoth},
		{in: "rl", want: TrimBoth},
		{in: "", wantErr: true},
		{in: "fj", wantErr: true},
		{in: "x", wantErr: true},
		{in: "LR", wantErr: true},
		{in: "lrl", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTrim(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Errorf("got %v, nil, want an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v, want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	null := writeFile(t, "null", "")
	tests := []struct {
		name string
		cfg  Config
		want []int
	}{
		{"none", Config{Sources: []SourceSpec{vals("a"), vals("b")}}, nil},
		{"a later file", Config{Sources: []SourceSpec{vals("a", "b"), {Path: null}}}, []int{1}},
		{"the first group", Config{Sources: []SourceSpec{vals(), vals("b")}}, []int{0}},
		{"all", Config{Sources: []SourceSpec{vals(), {Path: null}}}, []int{0, 1}},
		{"stdin", Config{Stdin: strings.NewReader("")}, []int{0}},
		{"stdin read by the first -a -", Config{Stdin: strings.NewReader("1\n"), Sources: []SourceSpec{{Path: "-"}, {Path: "-"}}}, []int{1}},
		{"a header only", Config{Header: true, Sources: []SourceSpec{vals("x", "1"), vals("y")}}, []int{1}},
		{"ended at once by -E", Config{EOF: "e", Sources: []SourceSpec{vals("a"), vals("e", "b")}}, []int{1}},
		{"shuffled", Config{Shuffle: true, Sources: []SourceSpec{vals("a"), vals()}}, []int{1}},
		{"linked", Config{Link: true, Sources: []SourceSpec{vals(), vals("a")}}, []int{0}},
		{"a streamed chain", Config{Sources: []SourceSpec{vals("a"), linkedVals()}}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Next(); err != nil && !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			if got := s.Empty(); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHeader(t *testing.T) {
	comma := regexp.MustCompile(",")
	tests := []struct {
		name      string
		cfg       Config
		want      []string
		wantFirst []string // the first record after the header
	}{
		{"off", Config{Sources: []SourceSpec{vals("a", "1")}}, nil, []string{"a"}},
		{"colsep", Config{Header: true, ColSep: comma, Stdin: strings.NewReader("a,b\n1,2\n")},
			[]string{"a", "b"}, []string{"1", "2"}},
		{"TAB without colsep", Config{Header: true, Stdin: strings.NewReader("a\tb c\n1\t2\n")},
			[]string{"a", "b c"}, []string{"1", "2"}},
		{"no TAB, no colsep", Config{Header: true, Stdin: strings.NewReader("a,b\n1,2\n")},
			[]string{"a,b"}, []string{"1,2"}},
		{"names are not trimmed", Config{Header: true, ColSep: comma, Stdin: strings.NewReader(" a , b \n1,2\n")},
			[]string{" a ", " b "}, []string{"1", "2"}},
		{"several sources", Config{Header: true, ColSep: comma, Sources: []SourceSpec{vals("a,b", "1,2"), vals("c", "3")}},
			[]string{"a", "b", "c"}, []string{"1", "2", "3"}},
		{"a source without header", Config{Header: true, Sources: []SourceSpec{vals(), vals("c", "3")}},
			[]string{"", "c"}, []string{"", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			got, err := s.Header()
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, %v, want %q, nil", got, err, tt.want)
			}
			rec, err := s.Next()
			if err != nil || !slices.Equal(rec.Args, tt.wantFirst) {
				t.Errorf("first record: got %q, %v, want %q, nil", rec.Args, err, tt.wantFirst)
			}
			if again, _ := s.Header(); !slices.Equal(again, tt.want) {
				t.Errorf("Header again: got %q, want %q", again, tt.want)
			}
		})
	}
}

func TestColumns(t *testing.T) {
	got := Columns([]string{"a", "b", "a", "", "c d"})
	want := map[string]int{"a": 1, "b": 2, "c d": 5}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("column %q: got %d, want %d", k, got[k], v)
		}
	}
}

func TestNUL(t *testing.T) {
	s, err := Open(Config{Stdin: strings.NewReader("a\x00b\nc\n\x00\n"), MaxArgs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wantNUL := []bool{true, false, true}
	for i, want := range wantNUL {
		rec, err := s.Next()
		if err != nil {
			t.Fatalf("record %d: got error %v, want nil (a NUL is not fatal)", i+1, err)
		}
		if got := errors.Is(rec.Err, ErrNUL); got != want {
			t.Errorf("record %d %q: got Err %v, want ErrNUL %v", i+1, rec.Args, rec.Err, want)
		}
		if rec.Err != nil && !strings.Contains(rec.Err.Error(), "-0") {
			t.Errorf("got message %q, want it to name -0", rec.Err)
		}
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("got error %v, want io.EOF", err)
	}
}

func TestShuffle(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"one group", Config{Sources: []SourceSpec{vals("1", "2", "3", "4", "5", "6", "7", "8")}}},
		{"cross", Config{Sources: []SourceSpec{vals("a", "b", "c"), vals("1", "2"), vals("x", "y")}}},
		{"chain", Config{Sources: []SourceSpec{vals("a", "b", "c"), linkedVals("1", "2"), vals("x", "y")}}},
		{"link", Config{Link: true, Sources: []SourceSpec{vals("a", "b", "c"), vals("1", "2", "3", "4", "5")}}},
		{"stdin and max args", Config{MaxArgs: 2, Stdin: strings.NewReader("1\n2\n3\n4\n5\n")}},
		{"empty source", Config{Sources: []SourceSpec{vals("a", "b"), vals()}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain := tt.cfg
			if r, ok := plain.Stdin.(*strings.Reader); ok {
				data, _ := io.ReadAll(r)
				plain.Stdin = strings.NewReader(string(data))
				tt.cfg.Stdin = strings.NewReader(string(data))
			}
			want := collect(t, plain)
			shuf := tt.cfg
			shuf.Shuffle = true
			seen := map[string]bool{}
			for seed := range uint64(20) {
				shuf.Rand = rand.New(rand.NewPCG(seed, 1))
				if r, ok := tt.cfg.Stdin.(*strings.Reader); ok {
					r.Seek(0, io.SeekStart)
				}
				got := collect(t, shuf)
				seen[strings.Join(flatten(got), " ")] = true
				if tt.cfg.MaxArgs > 1 {
					// Records are shuffled, then grouped.
					if g, w := slices.Sorted(slices.Values(flatten(got))), slices.Sorted(slices.Values(flatten(want))); !slices.Equal(g, w) {
						t.Fatalf("seed %d: got args %q, want a permutation of %q", seed, g, w)
					}
					continue
				}
				key := func(r []string) string { return strings.Join(r, "\x00") }
				g, w := make([]string, len(got)), make([]string, len(want))
				for i := range got {
					g[i] = key(got[i])
				}
				for i := range want {
					w[i] = key(want[i])
				}
				slices.Sort(g)
				slices.Sort(w)
				if !slices.Equal(g, w) {
					t.Fatalf("seed %d: got %q, want a permutation of %q", seed, got, want)
				}
			}
			if len(want) > 2 && len(seen) < 2 {
				t.Errorf("got the same order for 20 seeds, want different orders")
			}
		})
	}
}

// TestFeistel checks that the permutation used for huge shuffles is a
// bijection of [0, n).
func TestFeistel(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []uint64{1, 2, 3, 5, 17, 1000, 4096, 4097} {
		f := &feistel{n: n, half: uint((max(1, bitsLen(n-1)) + 1) / 2)}
		for i := range f.keys {
			f.keys[i] = r.Uint64()
		}
		seen := make([]bool, n)
		moved := 0
		for i := range int64(n) {
			j := f.at(i)
			if j < 0 || uint64(j) >= n || seen[j] {
				t.Fatalf("n=%d: at(%d) = %d, a repeat or out of range", n, i, j)
			}
			seen[j] = true
			if j != i {
				moved++
			}
		}
		if n >= 17 && moved < int(n)/2 {
			t.Errorf("n=%d: got %d of %d moved, want most", n, moved, n)
		}
	}
}

// bitsLen is the number of bits that hold x.
func bitsLen(x uint64) int {
	n := 0
	for ; x > 0; x >>= 1 {
		n++
	}
	return n
}

func TestStreamLinkedIsStreamed(t *testing.T) {
	// The first chain of linked sources is read as records are asked for:
	// the first record comes out while stdin is still open.
	pr, pw := io.Pipe()
	defer pr.Close()
	go pw.Write([]byte("first\n"))
	s, err := Open(Config{Stdin: pr, Sources: []SourceSpec{{Path: "-"}, linkedVals("a", "b")}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := s.Next()
	if err != nil || !slices.Equal(rec.Args, []string{"first", "a"}) {
		t.Fatalf("got %q, %v, want [first a], nil", rec.Args, err)
	}
	pw.Close()
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("got error %v, want io.EOF", err)
	}
}

package pipe

import (
	"strings"
	"testing"
)

// seqLines returns "1\n2\n...n\n", like seq n.
func seqLines(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(itoa(i))
		b.WriteByte('\n')
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// gnuCase is a command line of GNU parallel 20221122 and the blocks it
// fed its jobs (header included), run on the project's machine.
type gnuCase struct {
	name      string
	in        string
	block     string // --block; "" is 1M
	recend    *string
	recstart  *string
	regexp    bool
	rrs       bool
	records   int64 // -N
	lines     int64 // -L
	header    string
	skipBlank bool // -r
	part      bool // --pipepart -a FILE
	slots     int
	want      []string
	warns     []string
}

func sp(s string) *string { return &s }

var gnuCases = []gnuCase{
	// The outputs in shared/design/pipe.md.
	{name: "seq 10 --block 6", in: seqLines(10), block: "6",
		want: []string{"1\n2\n3\n", "4\n5\n6\n", "7\n8\n9\n", "10\n"}},
	{name: "no final newline --block 3", in: "a\nb\nc", block: "3", want: []string{"a\n", "b\n", "c"}},
	{name: "header :", in: "H\n1\n2\n3\n4\n", block: "4", header: ":", want: []string{"H\n1\n2\n", "H\n3\n4\n"}},
	{name: "empty input", in: "", want: nil},
	{name: "header alone", in: "H\n", header: ":", want: nil},
	{name: "long record grows the block", in: strings.Repeat("x", 25) + "\ny\nz\n", block: "10",
		want:  []string{strings.Repeat("x", 25) + "\n", "y\nz\n"},
		warns: []string{"A record was longer than 10. Increasing to --blocksize 14.", "A record was longer than 14. Increasing to --blocksize 20.", "A record was longer than 20. Increasing to --blocksize 27."}},
	{name: "-N3", in: seqLines(10), records: 3, want: []string{"1\n2\n3\n", "4\n5\n6\n", "7\n8\n9\n", "10\n"}},
	{name: "-L 4", in: seqLines(10), lines: 4, want: []string{"1\n2\n3\n4\n5\n6\n7\n8\n", "9\n10\n"}},
	{name: "-N1 --recstart >", in: ">a\nAA\n>b\nBB\nB2\n>c\nCC\n", recstart: sp(">"), records: 1,
		want: []string{">a\nAA\n", ">b\nBB\nB2\n", ">c\nCC\n"}},
	{name: "--pipepart --block 6", in: seqLines(10), part: true, block: "6",
		want: []string{"1\n2\n3\n4\n", "5\n6\n7\n8\n", "9\n10\n"}},
	{name: "--pipepart --header :", in: "H\n" + seqLines(10), part: true, block: "6", header: ":",
		want: []string{"H\n1\n2\n3\n4\n", "H\n5\n6\n7\n8\n", "H\n9\n10\n"}},
	{name: "--recend + -N1", in: "a,b+c,d+e", recend: sp("+"), records: 1, want: []string{"a,b+", "c,d+", "e"}},
	{name: "--rrs -N1", in: "a+b+c+", recend: sp("+"), rrs: true, records: 1, want: []string{"a", "b", "c"}},
	{name: "--regexp --recstart", in: "S1\nx\nS2\ny\nS3\n", regexp: true, recstart: sp(`S\d`), records: 1,
		want: []string{"S1\nx\n", "S2\ny\n", "S3\n"}},
	{name: "junk before the first recstart", in: "junk\n>a\nAA\n>b\nBB\n", recstart: sp(">"), records: 1,
		want: []string{"junk\n", ">a\nAA\n", ">b\nBB\n"}},

	// More, run with GNU parallel 20221122 here.
	{name: "end of input is one block", in: "a\nb\nc", want: []string{"a\nb\nc"}},
	{name: "a full block is cut", in: "a\nb\nc", block: "5", want: []string{"a\nb\n", "c"}},
	{name: "a full block is cut 4", in: "a\nb\nc", block: "4", want: []string{"a\nb\n", "c"}},
	{name: "a full block at a record end", in: "a\nb\nc\n", block: "6", want: []string{"a\nb\nc\n"}},
	{name: "-L 4 seq 30", in: seqLines(30), lines: 4, want: []string{seqLines(28), "29\n30\n"}},
	{name: "-L 3", in: seqLines(10), lines: 3, want: []string{seqLines(9), "10\n"}},
	{name: "-L 5", in: seqLines(10), lines: 5, want: []string{seqLines(10)}},
	{name: "-L 4 whole", in: seqLines(12), lines: 4, want: []string{seqLines(12)}},
	{name: "-L 1 cuts the last line", in: "a\nb\nc", lines: 1, want: []string{"a\nb\n", "c"}},
	{name: "-L 2 partial line", in: "a\nb\nc\nd", lines: 2, want: []string{"a\nb\n", "c\nd"}},
	{name: "-L 2 --block 6", in: "a\nb\nc\nd\ne\n", lines: 2, block: "6", want: []string{"a\nb\n", "c\nd\n", "e\n"}},
	{name: "-L counts newlines, not recend", in: "a+b+c+d+e", lines: 2, recend: sp("+"), want: []string{"a+b+c+d+e"}},
	{name: "-L 2 --block 5", in: seqLines(10), lines: 2, block: "5",
		want: []string{"1\n2\n", "3\n4\n", "5\n6\n", "7\n8\n", "9\n10\n"}},
	{name: "-L 4 -N 1", in: seqLines(10), lines: 4, records: 1, want: []string{"1\n2\n3\n4\n", "5\n6\n7\n8\n", "9\n10\n"}},
	{name: "-L 4 --block 3", in: seqLines(10), lines: 4, block: "3",
		want:  []string{"1\n2\n3\n4\n", "5\n6\n7\n8\n", "9\n10\n"},
		warns: []string{"A record was longer than 3. Increasing to --blocksize 5.", "A record was longer than 5. Increasing to --blocksize 8."}},
	{name: "-N3 --block 3 grows", in: seqLines(10), records: 3, block: "3",
		want:  []string{"1\n2\n3\n", "4\n5\n6\n", "7\n8\n9\n", "10\n"},
		warns: []string{"A record was longer than 3. Increasing to --blocksize 5.", "A record was longer than 5. Increasing to --blocksize 8."}},
	{name: "-N1 long record", in: strings.Repeat("a", 15) + "\nb\n", records: 1, block: "5",
		want:  []string{strings.Repeat("a", 15) + "\n", "b\n"},
		warns: []string{"A record was longer than 5. Increasing to --blocksize 8.", "A record was longer than 8. Increasing to --blocksize 12.", "A record was longer than 12. Increasing to --blocksize 17."}},
	{name: "-N2 --block 20", in: seqLines(30), records: 2, block: "20", want: func() []string {
		var w []string
		for i := 1; i < 30; i += 2 {
			w = append(w, itoa(i)+"\n"+itoa(i+1)+"\n")
		}
		return w
	}()},
	{name: "--recstart cuts by size", in: "junk\n>a\nAA\n>b\nBB\n", recstart: sp(">"), block: "8",
		want: []string{"junk\n", ">a\nAA\n", ">b\nBB\n"}},
	{name: "--recstart > --recend \\n", in: ">a\nx>y\n>b\nBB\n", recstart: sp(">"), recend: sp(`\n`), records: 1,
		want: []string{">a\nx>y\n", ">b\nBB\n"}},
	{name: "--recstart > --recend ''", in: ">a\nx>y\n>b\nBB\n", recstart: sp(">"), recend: sp(""), records: 1,
		want: []string{">a\nx", ">y\n", ">b\nBB\n"}},
	{name: "--recstart alone splits lines", in: "a>b\n>c\n", recstart: sp(">"), records: 1, want: []string{"a", ">b\n", ">c\n"}},
	{name: "--recstart at the end of input", in: ">a\n>b\n", recstart: sp(">"), want: []string{">a\n>b\n"}},
	{name: "--rrs -N2", in: "a+b+c+", recend: sp("+"), rrs: true, records: 2, want: []string{"ab", "c"}},
	{name: "--rrs recstart and recend", in: ">a\n>b\n>c\n", recstart: sp(">"), recend: sp(`\n`), rrs: true, records: 2,
		want: []string{"ab", "c"}},
	{name: "--rrs --regexp", in: "a12b3c", regexp: true, recend: sp("[0-9]+"), rrs: true, records: 1,
		want: []string{"a", "b", "c"}},
	{name: "--rrs whole block", in: "a\nb\nc\n", rrs: true, want: []string{"abc"}},
	{name: "-r -N1", in: "a\n\n\nb\n", skipBlank: true, records: 1, want: []string{"a\n", "b\n"}},
	{name: "-r white space lines", in: "a\n\n  \n\nb\n", skipBlank: true, want: []string{"a\nb\n"}},
	{name: "-r all blank", in: "\n\n  \n\n", skipBlank: true, want: nil},
	{name: "-r blank blocks", in: "a\n\n\n\n\n\nb\n", skipBlank: true, block: "3", want: []string{"a\n", "b\n"}},
	{name: "-r after the cut", in: "a\n\n\nb\nc\n", skipBlank: true, block: "4", want: []string{"a\n", "b\nc\n"}},
	{name: "-r keeps a last line without newline", in: "a\n  ", skipBlank: true, want: []string{"a\n  "}},
	{name: "-r spaces only", in: "  ", skipBlank: true, want: []string{"  "}},
	{name: "-r tab and cr", in: "a\n \t\r\nb\n", skipBlank: true, want: []string{"a\nb\n"}},
	{name: "-r keeps spaces in lines", in: "a  \n  b\n", skipBlank: true, want: []string{"a  \n  b\n"}},
	{name: "-r without newlines", in: "a+ + +b", skipBlank: true, recend: sp("+"), records: 1,
		want: []string{"a+", " +", " +", "b"}},
	{name: "--regexp end of input", in: "a\nb\nc", regexp: true, recend: sp(`\n`), want: []string{"a\nb\nc"}},
	{name: "--regexp --recstart end of input", in: ">a\n>b\n", regexp: true, recstart: sp(">"), want: []string{">a\n>b\n"}},
	{name: "--regexp full block", in: "a\nb\nc", regexp: true, recend: sp(`\n`), block: "5", want: []string{"a\nb\n", "c"}},
	{name: "--recend '' fixed size", in: "abcdefg", recend: sp(""), block: "3", want: []string{"abc", "def", "g"}},
	{name: "--recend \\0", in: "a\x00b\x00c", recend: sp(`\0`), records: 1, want: []string{"a\x00", "b\x00", "c"}},
	{name: "--recend \\t", in: "a\tb\tc", recend: sp(`\t`), records: 1, want: []string{"a\t", "b\t", "c"}},
	{name: "--header 2", in: "H\nI\n1\n2\n3\n", header: "2", block: "2", want: []string{"H\nI\n1\n", "H\nI\n2\n", "H\nI\n3\n"}},
	{name: "--header regexp", in: "HH\nI\n1\n2\n3\n", header: `[A-Z]+\n`, block: "2",
		want: []string{"HH\nI\n", "HH\n1\n", "HH\n2\n", "HH\n3\n"}},
	{name: "--header regexp read on", in: "HH\nI\n1\n2\n3\n", header: `([A-Z]+\n)+`, block: "2",
		want: []string{"HH\nI\n", "HH\n1\n", "HH\n2\n", "HH\n3\n"}},
	{name: "--header : without newline", in: "H", header: ":", want: []string{"H"}},
	{name: "--header no match", in: "1\n2\n", header: `X\n`, want: []string{"1\n2\n"}},
	{name: "--header -N1", in: "H\n1\n2\n3\n", header: ":", records: 1, want: []string{"H\n1\n", "H\n2\n", "H\n3\n"}},
	{name: "--header 0", in: "H\n1\n2\n3\n", header: "0", want: []string{"H\n1\n2\n3\n"}},
	{name: "--header is anchored", in: "1\nH\n2\n", header: `H\n`, want: []string{"1\nH\n2\n"}},
	{name: "--header with --recstart", in: "H\n>a\n>b\n", header: ":", recstart: sp(">"), records: 1,
		want: []string{"H\n>a\n", "H\n>b\n"}},
	{name: "--header greedy", in: "A\nB\n1\n2\n", header: `A\n(B\n)?`, records: 1, want: []string{"A\nB\n1\n", "A\nB\n2\n"}},
	{name: "--header a prefix", in: "AB\n1\n2\n", header: "A", records: 1, want: []string{"AB\n", "A1\n", "A2\n"}},
	{name: "--header two lines by regexp", in: "A\nB\nC\n1\n2\n", header: `.*\n.*\n`, records: 1,
		want: []string{"A\nB\nC\n", "A\nB\n1\n", "A\nB\n2\n"}},
	{name: "--header takes all", in: "A\nB\nC\n1\n2\n", header: `(.*\n)*`, records: 1, want: nil},
	{name: "--pipepart --recend +", in: "1+2+3+4+", part: true, recend: sp("+"), block: "3", want: []string{"1+2+", "3+4+"}},
	{name: "--pipepart --block -1", in: seqLines(10), part: true, block: "-1", slots: 2,
		want: []string{"1\n2\n3\n4\n5\n6\n", "7\n8\n9\n10\n"}},
	{name: "--pipepart --block -2", in: seqLines(10), part: true, block: "-2", slots: 2,
		want: []string{"1\n2\n3\n4\n", "5\n6\n7\n8\n", "9\n10\n"}},
	{name: "--pipepart default block", in: seqLines(10), part: true, block: "-10", slots: 2,
		want: []string{"1\n2\n", "3\n4\n", "5\n6\n", "7\n8\n", "9\n10\n"}},
	{name: "--pipepart --block -1 rounds up", in: "abcdefghij\nklmnopqr\n", part: true, block: "-1", slots: 2,
		want: []string{"abcdefghij\nklmnopqr\n"}},
	{name: "--pipepart --block -1 with header", in: "H\n" + seqLines(10), part: true, block: "-1", slots: 2, header: ":",
		want: []string{"H\n1\n2\n3\n4\n5\n6\n7\n", "H\n8\n9\n10\n"}},
}

// options turns a case's flags into Options.
func (c gnuCase) options(t *testing.T) Options {
	t.Helper()
	block := c.block
	if block == "" {
		block = "1M"
	}
	bs, perSlot, err := ParseBlockSize(block)
	if err != nil {
		t.Fatal(err)
	}
	var re, rs string
	if c.recend != nil {
		re = *c.recend
	}
	if c.recstart != nil {
		rs = *c.recstart
	}
	end, start, err := Separators(re, rs, c.recend != nil, c.recstart != nil, c.regexp)
	if err != nil {
		t.Fatal(err)
	}
	return Options{BlockSize: bs, PerSlot: perSlot, RecEnd: end, RecStart: start, Regexp: c.regexp,
		RemoveSeps: c.rrs, Records: c.records, Lines: c.lines, Header: c.header, SkipBlank: c.skipBlank,
		Slots: c.slots}
}

// TestGNUCases checks the blocks of GNU parallel's runs: a pipe and a file
// with --pipe, a file with --pipepart.
func TestGNUCases(t *testing.T) {
	for _, c := range gnuCases {
		t.Run(c.name, func(t *testing.T) {
			o := c.options(t)
			check := func(how string, g got) {
				t.Helper()
				if !eqStrings(g.blocks, c.want) {
					t.Errorf("%s: got blocks %q, want %q", how, g.blocks, c.want)
				}
				if !eqStrings(g.warns, c.warns) {
					t.Errorf("%s: got warnings %q, want %q", how, g.warns, c.warns)
				}
			}
			if c.part {
				check("--pipepart", splitFile(t, c.in, o, true))
				return
			}
			check("pipe", splitStream(t, c.in, o))
			if !c.rrs && !c.skipBlank {
				check("file", splitFile(t, c.in, o, false))
			}
			for _, w := range []int{1, 2, 3, 5} { // windows smaller than records
				o := o
				o.window = w
				if !c.rrs && !c.skipBlank {
					check("file, small window", splitFile(t, c.in, o, false))
				}
			}
		})
	}
}

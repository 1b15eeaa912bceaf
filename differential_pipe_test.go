//go:build unix

package main

import (
	"strconv"
	"strings"
)

// pipeDiffCases are pipe mode's differential cases (--pipe, --pipepart
// and their options), to run like differentialCases once pipe mode is
// wired into cmd. GNU parallel 20221122 printed, for each, what its blocks
// make of the template: the block number, the block and "<eof>". They
// leave out gopool's deliberate differences (docs/differences.md): -N
// counting an empty record, -0/-d setting the record end, an empty
// --recend with -N, \xHH escapes, and the exit status of a job that stops
// reading early.
// One case has -n, which GNU parallel takes as -N under --pipe.
func pipeDiffCases() []diffCase {
	const tmpl = `echo =={#}; cat; echo "<eof>"`
	cases := []diffCase{
		{name: "pipe: seq 10 --block 6", args: []string{"--pipe", "--block", "6", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: no final newline --block 3", args: []string{"--pipe", "--block", "3", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: header :", args: []string{"--pipe", "--block", "4", "--header", ":", tmpl}, stdin: "H\n1\n2\n3\n4\n"},
		{name: "pipe: empty input", args: []string{"--pipe", tmpl}},
		{name: "pipe: header alone", args: []string{"--pipe", "--header", ":", tmpl}, stdin: "H\n"},
		{name: "pipe: long record grows the block", args: []string{"--pipe", "--block", "10", tmpl}, stdin: strings.Repeat("x", 25) + "\ny\nz\n"},
		{name: "pipe: -N3", args: []string{"--pipe", "-N", "3", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -L 4", args: []string{"--pipe", "-L", "4", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -N1 --recstart >", args: []string{"--pipe", "--recstart", ">", "-N", "1", tmpl}, stdin: ">a\nAA\n>b\nBB\nB2\n>c\nCC\n"},
		{name: "pipe: --pipepart --block 6", args: []string{"--pipepart", "-a", "in", "--block", "6", tmpl}, files: map[string]string{"in": pipeSeq(10)}},
		{name: "pipe: --pipepart --header :", args: []string{"--pipepart", "-a", "in", "--block", "6", "--header", ":", tmpl}, files: map[string]string{"in": "H\n" + pipeSeq(10)}},
		{name: "pipe: --recend + -N1", args: []string{"--pipe", "--recend", "+", "-N", "1", tmpl}, stdin: "a,b+c,d+e"},
		{name: "pipe: --rrs -N1", args: []string{"--pipe", "--recend", "+", "--rrs", "-N", "1", tmpl}, stdin: "a+b+c+"},
		{name: "pipe: --regexp --recstart", args: []string{"--pipe", "--recstart", `S\d`, "--regexp", "-N", "1", tmpl}, stdin: "S1\nx\nS2\ny\nS3\n"},
		{name: "pipe: junk before the first recstart", args: []string{"--pipe", "--recstart", ">", "-N", "1", tmpl}, stdin: "junk\n>a\nAA\n>b\nBB\n"},
		{name: "pipe: end of input is one block", args: []string{"--pipe", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: a full block is cut", args: []string{"--pipe", "--block", "5", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: a full block is cut 4", args: []string{"--pipe", "--block", "4", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: a full block at a record end", args: []string{"--pipe", "--block", "6", tmpl}, stdin: "a\nb\nc\n"},
		{name: "pipe: -L 4 seq 30", args: []string{"--pipe", "-L", "4", tmpl}, stdin: pipeSeq(30)},
		{name: "pipe: -L 3", args: []string{"--pipe", "-L", "3", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -L 5", args: []string{"--pipe", "-L", "5", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -L 4 whole", args: []string{"--pipe", "-L", "4", tmpl}, stdin: pipeSeq(12)},
		{name: "pipe: -L 1 cuts the last line", args: []string{"--pipe", "-L", "1", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: -L 2 partial line", args: []string{"--pipe", "-L", "2", tmpl}, stdin: "a\nb\nc\nd"},
		{name: "pipe: -L 2 --block 6", args: []string{"--pipe", "--block", "6", "-L", "2", tmpl}, stdin: "a\nb\nc\nd\ne\n"},
		{name: "pipe: -L counts newlines, not recend", args: []string{"--pipe", "--recend", "+", "-L", "2", tmpl}, stdin: "a+b+c+d+e"},
		{name: "pipe: -L 2 --block 5", args: []string{"--pipe", "--block", "5", "-L", "2", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -L 4 -N 1", args: []string{"--pipe", "-N", "1", "-L", "4", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -L 4 --block 3", args: []string{"--pipe", "--block", "3", "-L", "4", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -N3 --block 3 grows", args: []string{"--pipe", "--block", "3", "-N", "3", tmpl}, stdin: pipeSeq(10)},
		{name: "pipe: -N1 long record", args: []string{"--pipe", "--block", "5", "-N", "1", tmpl}, stdin: strings.Repeat("a", 15) + "\nb\n"},
		{name: "pipe: -N2 --block 20", args: []string{"--pipe", "--block", "20", "-N", "2", tmpl}, stdin: pipeSeq(30)},
		{name: "pipe: --recstart cuts by size", args: []string{"--pipe", "--block", "8", "--recstart", ">", tmpl}, stdin: "junk\n>a\nAA\n>b\nBB\n"},
		{name: `pipe: --recstart > --recend \n`, args: []string{"--pipe", "--recend", `\n`, "--recstart", ">", "-N", "1", tmpl}, stdin: ">a\nx>y\n>b\nBB\n"},
		{name: "pipe: --recstart > --recend ''", args: []string{"--pipe", "--recend", "", "--recstart", ">", "-N", "1", tmpl}, stdin: ">a\nx>y\n>b\nBB\n"},
		{name: "pipe: --recstart alone splits lines", args: []string{"--pipe", "--recstart", ">", "-N", "1", tmpl}, stdin: "a>b\n>c\n"},
		{name: "pipe: --recstart at the end of input", args: []string{"--pipe", "--recstart", ">", tmpl}, stdin: ">a\n>b\n"},
		{name: "pipe: --rrs -N2", args: []string{"--pipe", "--recend", "+", "--rrs", "-N", "2", tmpl}, stdin: "a+b+c+"},
		{name: "pipe: --rrs recstart and recend", args: []string{"--pipe", "--recend", `\n`, "--recstart", ">", "--rrs", "-N", "2", tmpl}, stdin: ">a\n>b\n>c\n"},
		{name: "pipe: --rrs --regexp", args: []string{"--pipe", "--recend", "[0-9]+", "--regexp", "--rrs", "-N", "1", tmpl}, stdin: "a12b3c"},
		{name: "pipe: --rrs whole block", args: []string{"--pipe", "--rrs", tmpl}, stdin: "a\nb\nc\n"},
		{name: "pipe: -r -N1", args: []string{"--pipe", "-N", "1", "-r", tmpl}, stdin: "a\n\n\nb\n"},
		{name: "pipe: -r white space lines", args: []string{"--pipe", "-r", tmpl}, stdin: "a\n\n  \n\nb\n"},
		{name: "pipe: -r all blank", args: []string{"--pipe", "-r", tmpl}, stdin: "\n\n  \n\n"},
		{name: "pipe: -r blank blocks", args: []string{"--pipe", "--block", "3", "-r", tmpl}, stdin: "a\n\n\n\n\n\nb\n"},
		{name: "pipe: -r after the cut", args: []string{"--pipe", "--block", "4", "-r", tmpl}, stdin: "a\n\n\nb\nc\n"},
		{name: "pipe: -r keeps a last line without newline", args: []string{"--pipe", "-r", tmpl}, stdin: "a\n  "},
		{name: "pipe: -r spaces only", args: []string{"--pipe", "-r", tmpl}, stdin: "  "},
		{name: "pipe: -r tab and cr", args: []string{"--pipe", "-r", tmpl}, stdin: "a\n \t\r\nb\n"},
		{name: "pipe: -r keeps spaces in lines", args: []string{"--pipe", "-r", tmpl}, stdin: "a  \n  b\n"},
		{name: "pipe: -r without newlines", args: []string{"--pipe", "--recend", "+", "-N", "1", "-r", tmpl}, stdin: "a+ + +b"},
		{name: "pipe: --regexp end of input", args: []string{"--pipe", "--recend", `\n`, "--regexp", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: --regexp --recstart end of input", args: []string{"--pipe", "--recstart", ">", "--regexp", tmpl}, stdin: ">a\n>b\n"},
		{name: "pipe: --regexp full block", args: []string{"--pipe", "--block", "5", "--recend", `\n`, "--regexp", tmpl}, stdin: "a\nb\nc"},
		{name: "pipe: --recend '' fixed size", args: []string{"--pipe", "--block", "3", "--recend", "", tmpl}, stdin: "abcdefg"},
		{name: `pipe: --recend \0`, args: []string{"--pipe", "--recend", `\0`, "-N", "1", tmpl}, stdin: "a\x00b\x00c"},
		{name: `pipe: --recend \t`, args: []string{"--pipe", "--recend", `\t`, "-N", "1", tmpl}, stdin: "a\tb\tc"},
		{name: "pipe: --header 2", args: []string{"--pipe", "--block", "2", "--header", "2", tmpl}, stdin: "H\nI\n1\n2\n3\n"},
		{name: "pipe: --header regexp", args: []string{"--pipe", "--block", "2", "--header", `[A-Z]+\n`, tmpl}, stdin: "HH\nI\n1\n2\n3\n"},
		{name: "pipe: --header regexp read on", args: []string{"--pipe", "--block", "2", "--header", `([A-Z]+\n)+`, tmpl}, stdin: "HH\nI\n1\n2\n3\n"},
		{name: "pipe: --header : without newline", args: []string{"--pipe", "--header", ":", tmpl}, stdin: "H"},
		{name: "pipe: --header no match", args: []string{"--pipe", "--header", `X\n`, tmpl}, stdin: "1\n2\n"},
		{name: "pipe: --header -N1", args: []string{"--pipe", "-N", "1", "--header", ":", tmpl}, stdin: "H\n1\n2\n3\n"},
		{name: "pipe: --header 0", args: []string{"--pipe", "--header", "0", tmpl}, stdin: "H\n1\n2\n3\n"},
		{name: "pipe: --header is anchored", args: []string{"--pipe", "--header", `H\n`, tmpl}, stdin: "1\nH\n2\n"},
		{name: "pipe: --header with --recstart", args: []string{"--pipe", "--recstart", ">", "-N", "1", "--header", ":", tmpl}, stdin: "H\n>a\n>b\n"},
		{name: "pipe: --header greedy", args: []string{"--pipe", "-N", "1", "--header", `A\n(B\n)?`, tmpl}, stdin: "A\nB\n1\n2\n"},
		{name: "pipe: --header a prefix", args: []string{"--pipe", "-N", "1", "--header", "A", tmpl}, stdin: "AB\n1\n2\n"},
		{name: "pipe: --header two lines by regexp", args: []string{"--pipe", "-N", "1", "--header", `.*\n.*\n`, tmpl}, stdin: "A\nB\nC\n1\n2\n"},
		{name: "pipe: --header takes all", args: []string{"--pipe", "-N", "1", "--header", `(.*\n)*`, tmpl}, stdin: "A\nB\nC\n1\n2\n"},
		{name: "pipe: --pipepart --recend +", args: []string{"--pipepart", "-a", "in", "--block", "3", "--recend", "+", tmpl}, files: map[string]string{"in": "1+2+3+4+"}},
		{name: "pipe: --pipepart --block -1", args: []string{"--pipepart", "-a", "in", "--block", "-1", "-j", "2", tmpl}, files: map[string]string{"in": pipeSeq(10)}},
		{name: "pipe: --pipepart --block -2", args: []string{"--pipepart", "-a", "in", "--block", "-2", "-j", "2", tmpl}, files: map[string]string{"in": pipeSeq(10)}},
		{name: "pipe: --pipepart default block", args: []string{"--pipepart", "-a", "in", "--block", "-10", "-j", "2", tmpl}, files: map[string]string{"in": pipeSeq(10)}},
		{name: "pipe: --pipepart --block -1 rounds up", args: []string{"--pipepart", "-a", "in", "--block", "-1", "-j", "2", tmpl}, files: map[string]string{"in": "abcdefghij\nklmnopqr\n"}},
		{name: "pipe: --pipepart --block -1 with header", args: []string{"--pipepart", "-a", "in", "--block", "-1", "-j", "2", "--header", ":", tmpl}, files: map[string]string{"in": "H\n" + pipeSeq(10)}},
		{name: "pipe: seq 1000 --block 100", args: []string{"--pipe", "--block", "100", tmpl}, stdin: pipeSeq(1000)},
		{name: "pipe: seq 1000 --block 1k", args: []string{"--pipe", "--block", "1k", tmpl}, stdin: pipeSeq(1000)},
		{name: "pipe: seq 1000 --block 0.1K", args: []string{"--pipe", "--block", "0.1K", tmpl}, stdin: pipeSeq(1000)},
		{name: "pipe: seq 1000 -N 7", args: []string{"--pipe", "-N", "7", tmpl}, stdin: pipeSeq(1000)},
		{name: "pipe: seq 1000 -n 7", args: []string{"--pipe", "-n", "7", tmpl}, stdin: pipeSeq(1000)},
		{name: "pipe: seq 1000 -L 3 --block 50", args: []string{"--pipe", "-L", "3", "--block", "50", tmpl}, stdin: pipeSeq(1000)},
		{name: "pipe: fasta --recstart > --block 64", args: []string{"--pipe", "--recstart", ">", "--block", "64", tmpl}, stdin: pipeFasta()},
		{name: "pipe: fasta --recstart > -N 3", args: []string{"--pipe", "--recstart", ">", "-N", "3", tmpl}, stdin: pipeFasta()},
		{name: "pipe: csv --header : --block 50", args: []string{"--pipe", "--header", ":", "--block", "50", tmpl}, stdin: pipeCSV()},
		{name: "pipe: csv --header : -N 8", args: []string{"--pipe", "--header", ":", "-N", "8", tmpl}, stdin: pipeCSV()},
		{name: "pipe: records longer than the block", args: []string{"--pipe", "--block", "20", tmpl}, stdin: pipeGrowing()},
		{name: `pipe: --recend \0 -N 3`, args: []string{"--pipe", "--recend", `\0`, "-N", "3", tmpl}, stdin: pipeNul()},
		{name: "pipe: paragraphs --regexp -N1", args: []string{"--pipe", "--regexp", "--recend", `\n\n+`, "-N", "1", tmpl}, stdin: "a\nb\n\nc\n\n\nd\ne\n\nf\n"},
		{name: "pipe: --rrs -N 3 lines", args: []string{"--pipe", "--rrs", "-N", "3", tmpl}, stdin: pipeSeq(1000)[:60]},
		{name: "pipe: --header 2 -N 3", args: []string{"--pipe", "--header", "2", "-N", "3", tmpl}, stdin: pipeCSV()},
		{name: "pipe: --pipepart seq 1000 --block 100", args: []string{"--pipepart", "-a", "in", "--block", "100", tmpl}, files: map[string]string{"in": pipeSeq(1000)}},
		{name: "pipe: --pipepart seq 1000 --block -3 -j2", args: []string{"--pipepart", "-a", "in", "--block", "-3", "-j", "2", tmpl}, files: map[string]string{"in": pipeSeq(1000)}},
		{name: "pipe: --pipepart seq 1000 -j3 default block", args: []string{"--pipepart", "-a", "in", "-j", "3", tmpl}, files: map[string]string{"in": pipeSeq(1000)}},
		{name: "pipe: --pipepart fasta --recstart >", args: []string{"--pipepart", "-a", "in", "--recstart", ">", "--block", "64", tmpl}, files: map[string]string{"in": pipeFasta()}},
		{name: "pipe: --pipepart csv --header :", args: []string{"--pipepart", "-a", "in", "--header", ":", "--block", "50", tmpl}, files: map[string]string{"in": pipeCSV()}},
		{name: "pipe: --pipepart --recend '' --block 100", args: []string{"--pipepart", "-a", "in", "--recend", "", "--block", "100", tmpl}, files: map[string]string{"in": pipeSeq(1000)}},
		{name: "pipe: seq 1000 --recend '' --block 100", args: []string{"--pipe", "--recend", "", "--block", "100", tmpl}, stdin: pipeSeq(1000)},
	}
	return cases
}

// pipeSeq returns the output of seq n.
func pipeSeq(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strconv.Itoa(i) + "\n")
	}
	return b.String()
}

// pipeFasta returns 40 FASTA records of 1 to 5 lines.
func pipeFasta() string {
	var b strings.Builder
	for i := range 40 {
		b.WriteString(">seq" + strconv.Itoa(i) + "\n")
		for range i%5 + 1 {
			b.WriteString("ACGTACGTAC"[:i%10+1] + "\n")
		}
	}
	return b.String()
}

// pipeCSV returns a CSV file of 60 rows with a header line.
func pipeCSV() string {
	var b strings.Builder
	b.WriteString("id,name\n")
	for i := range 60 {
		b.WriteString(strconv.Itoa(i) + ",name" + strconv.Itoa(i*7) + "\n")
	}
	return b.String()
}

// pipeGrowing returns lines of 1, 5, 9, ... 57 x's: records that outgrow
// --block 20.
func pipeGrowing() string {
	var b strings.Builder
	for i := 1; i < 60; i += 4 {
		b.WriteString(strings.Repeat("x", i) + "\n")
	}
	return b.String()
}

// pipeNul returns 20 NUL-ended records.
func pipeNul() string {
	var b strings.Builder
	for i := range 20 {
		b.WriteString("rec" + strconv.Itoa(i) + "\x00")
	}
	return b.String()
}

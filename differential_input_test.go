//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// inputDiffCases are the differential cases of the input side of GNU
// parallel parity (issue 13): -d on ::: values, --colsep and --trim, empty
// sources, -N, -n 0, -L, -l, -E, --header, :::+ and ::::+, --arg-sep,
// --arg-file-sep, --shuf, -X, -m and --xargs. Many come from GNU parallel's
// own test suite (unittest/tests-to-run/test25.sh and test29.sh,
// parallel-local-0.3s: par_test_E and the :::: tests); the rest from its
// man page, each checked against GNU parallel 20221122.
//
// Like differentialCases, their templates hold no word that a shell would
// read differently from the word itself, and no bare replacement string
// that may be empty (GNU parallel's shell line can drop it).
func inputDiffCases() []diffCase {
	lines := func(vals ...string) string { return strings.Join(vals, "\n") + "\n" }
	seq := func(from, to int) []string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, strconv.Itoa(i))
		}
		return out
	}
	cmd := func(words ...any) []string {
		var out []string
		for _, w := range words {
			switch w := w.(type) {
			case string:
				out = append(out, w)
			case []string:
				out = append(out, w...)
			}
		}
		return out
	}
	hcsv := map[string]string{"h.csv": "a,b\n1,2\n3,4\n"}
	htsv := map[string]string{"h.tsv": "a\tb\n1\t2\n3\t4\n"}
	f12pqr := map[string]string{"f12": "1\n2\n", "fpqr": "p\nq\nr\n"}
	fe := map[string]string{"fe": "a\nb\nEND\nc\n"}
	endInput := lines("include this", "END", "not this")
	trailing := lines("foo", "", "ole ", "bar", "quux")
	return []diffCase{
		// -d cuts ::: values too (joined, each followed by the delimiter,
		// then cut again); so does the default newline, and -0 at NUL.
		{name: "input: -d space cuts ::: values", args: cmd("-d", " ", "echo", ":::", "1 done")},
		{name: "input: -d tab cuts ::: values", args: cmd("-d", `\t`, "echo", ":::", "1\tdone", "x")},
		{name: "input: -d quote cuts ::: values", args: cmd("-d", `"`, "echo", ":::", `a"b`, "c")},
		{name: "input: newline cuts ::: values", args: cmd("echo", "[{}]", ":::", "a\nb", "c")},
		{name: "input: -0 keeps a newline in ::: values", args: cmd("-0", "echo", "[{}]", ":::", "a\nb", "c")},
		{name: "input: -d , empty ::: values", args: cmd("-d", ",", "echo", "[{}]", ":::", "a,b,", ",c", ",", "")},
		{name: "input: -d multi-byte across ::: values", args: cmd("-d", "aa", "echo", "[{}]", ":::", "a", "a")},
		{name: "input: -d , cross product", args: cmd("-d", ",", "echo", "{1}-{2}", ":::", "a,b", ":::", "x,y")},
		{name: "input: -d , -n 2 over ::: values", args: cmd("-d", ",", "-n", "2", "echo", ":::", "a,b,c", "d")},

		// --colsep trims columns (it implies --trim lr); --trim.
		{name: "input: colsep trims (issue 13)", args: cmd("--colsep", "%+", "echo", "{1}_{3}_{2}_{4}", ":::", "a% c %%b", "a%c% b %d")},
		{name: "input: -C trims stdin (test29)", args: cmd("-C", "%+", "echo", "{1}_{3}_{2}_{4}"), stdin: lines("a% c %%b", "a%c% b %d")},
		{name: "input: colsep regexp (test29)", args: cmd("--colsep", "%+", "echo", "{1}", "{3}", "{2}"), stdin: lines("a%c%%b", "a%c%b%d")},
		{name: "input: trim n keeps spaces (test29)", args: cmd("--trim", "n", "--colsep", "%+", "echo", "{1}_{3}_{2}_{4}"), stdin: lines("a% c %%b", "a%c% b %d")},
		{name: "input: trim l with colsep", args: cmd("--colsep", ",", "--trim", "l", "echo", "[{1}][{2}]", ":::", " a , b ")},
		{name: "input: trim r with colsep", args: cmd("--colsep", ",", "--trim", "r", "echo", "[{1}][{2}]", ":::", " a , b ")},
		{name: "input: trim rl without colsep", args: cmd("--trim", "rl", "echo", "[{}]", ":::", "  a  ", " \tb\t ")},
		{name: "input: trim lr on stdin", args: cmd("--trim", "lr", "echo", "[{}]"), stdin: " a \n\t\v\fb\r\n  \n"},
		{name: "input: colsep trims VT FF CR", args: cmd("--colsep", ",", "echo", "[{1}][{2}]"), stdin: "\va\r,\fb\n"},
		{name: "input: colsep keeps empty columns", args: cmd("--colsep", ",", "echo", "[{1}][{2}][{3}][{4}]", ":::", "a,b,,", ",,")},
		{name: "input: colsep tab (test29)", args: cmd("--colsep", `\t`, "echo", "{2}", "{1}"), stdin: "def\tabc\njkl\tghi"},
		{name: "input: colsep tab from -a (test29)", args: cmd("-a", "in", "--colsep", `\t`, "echo", "{2}", "{1}"),
			files: map[string]string{"in": "def\tabc\njkl\tghi"}},
		{name: "input: several -a with colsep (test29)", args: cmd("-a", "one", "-a", "two", "--colsep", `\t`, "echo", "{2}", "{1}"),
			files: map[string]string{"one": "def\njkl\n", "two": "abc\tghi\nmno\tpqr"}},
		{name: "input: several -a without colsep (test29)", args: cmd("-a", "one", "-a", "two", "echo", "{2}", "{1}"),
			files: map[string]string{"one": "ghi\npqr\n", "two": "abc\tdef\njkl\tmno"}},
		{name: "input: no run if empty with colsep", args: cmd("-r", "--colsep", ",", "echo", "[{1}]"), stdin: ",,\n\n \n"},

		// An empty source stands for one empty value unless all are empty.
		{name: "input: empty file source (issue 13)", args: cmd("echo", ":::", "a", "b", "::::", "/dev/null")},
		{name: "input: -a - -a - (issue 13)", args: cmd("-a", "-", "-a", "-", "echo"), stdin: lines(seq(1, 3)...)},
		{name: "input: stdin twice around values", args: cmd("echo", "::::", "-", ":::", "a", "::::", "-"), stdin: lines(seq(1, 3)...)},
		{name: "input: empty middle group", args: cmd("echo", "[{1}][{2}][{3}]", ":::", "a", "b", ":::", ":::", "c", "d")},
		{name: "input: empty first and last group", args: cmd("echo", "[{1}][{2}][{3}]", ":::", ":::", "a", ":::")},
		{name: "input: all groups empty", args: cmd("echo", "x", ":::", ":::")},
		{name: "input: empty -a file first", args: cmd("-a", "/dev/null", "echo", "[{1}][{2}]", ":::", "a")},
		{name: "input: -n 2 with an empty group", args: cmd("-n", "2", "echo", "[{1}][{2}][{3}][{4}]", ":::", "a", "b", ":::")},
		{name: "input: -E 5 cross (par_test_E)", args: cmd("-E", "5", "echo", "::::", "-", ":::", seq(2, 10), "::::", "f"),
			stdin: lines(seq(1, 100)...), files: map[string]string{"f": lines(seq(3, 11)...)}},
		{name: "input: -E one empty (par_test_E)", args: cmd("-E", "3", "echo", "[{1}][{2}][{3}]", "::::", "-", ":::", seq(2, 10), "::::", "f"),
			stdin: lines(seq(1, 100)...), files: map[string]string{"f": lines(seq(3, 11)...)}},
		{name: "input: -E two empty (par_test_E)", args: cmd("-E", "3", "echo", "[{1}][{2}][{3}]", "::::", "-", ":::", seq(3, 10), "::::", "f"),
			stdin: lines(seq(1, 100)...), files: map[string]string{"f": lines(seq(3, 11)...)}},
		{name: "input: -E all empty (par_test_E)", args: cmd("-E", "3", "echo", "::::", "-", ":::", seq(3, 10), "::::", "f"),
			stdin: lines(seq(3, 100)...), files: map[string]string{"f": lines(seq(3, 11)...)}},

		// Sources crossed and read in GNU parallel's order (parallel-local).
		{name: "input: files and values crossed", args: cmd("echo", "{1}", "{2}", "{3}", "::::", "f67", ":::", "4", "5", ":::", "1", "2", "3"),
			files: map[string]string{"f67": "6\n7\n"}},
		{name: "input: -a - -a file values", args: cmd("-a", "-", "-a", "f45", "echo", "{1}", "{2}", "{3}", ":::", "1", "2", "3"),
			stdin: "6\n7\n", files: map[string]string{"f45": "4\n5\n"}},
		{name: "input: file, stdin, values", args: cmd("echo", "{1}", "{2}", "{3}", "::::", "f67", "-", ":::", "1", "2", "3"),
			stdin: "4\n5\n", files: map[string]string{"f67": "6\n7\n"}},

		// -N, -n 0, -N 0.
		{name: "input: -N 2 columns", args: cmd("-N", "2", "echo", "[{1}][{2}][{3}]", ":::", "a", "b", "c", "d", "e")},
		{name: "input: -N 3 with empty values", args: cmd("-N", "3", "echo", "[{1}][{2}][{3}]", ":::", "a", "", "c", "d", "")},
		{name: "input: -N 2 over two sources", args: cmd("-N", "2", "echo", ":::", "a", "b", ":::", "x", "y")},
		{name: "input: -N 2 repeats {} (test -N2)", args: cmd("-N", "2", "echo", "[{}]", ":::", "a", "b", "c", "d", "e")},
		{name: "input: -kN2 arg1 arg2 (test -N2 {2})", args: cmd("-N2", "echo", "arg1:{1}", "arg2:{2}"), stdin: lines(seq(1, 4)...)},
		{name: "input: -n 0", args: cmd("-n", "0", "echo", "x", ":::", "a", "b", "c")},
		{name: "input: -N 0 over two sources", args: cmd("-N", "0", "echo", "x", ":::", "a", "b", ":::", "1", "2")},
		{name: "input: -N0 with replacement strings", args: cmd("-N0", "echo", "x[{}][{1}]", ":::", "a", "b", "c")},
		{name: "input: -N0 job numbers", args: cmd("-N0", "echo", "{#}", ":::", "a", "b", "c")},
		{name: "input: -r -N0", args: cmd("-r", "-N0", "echo", "x"), stdin: "a\n\n\n"},
		{name: "input: -N0 from stdin", args: cmd("-N0", "echo", "x"), stdin: "a\n\nb\n"},

		// -L, -l, --max-lines: n lines a job; white space at the end of a
		// line continues it.
		{name: "input: -L 1 continues a line", args: cmd("-L", "1", "echo", "[{}]"), stdin: "a \nb\nc\nd\n"},
		{name: "input: -L 2 columns", args: cmd("-L", "2", "echo", "[{1}][{2}][{3}]"), stdin: "a \nb\nc\nd\n"},
		{name: "input: -L 2 repeats {}", args: cmd("-L", "2", "echo", "[{}]"), stdin: lines("a b", "c", "d e f", "g")},
		{name: "input: -L 2 counts blank lines", args: cmd("-L", "2", "echo", "[{}]"), stdin: "a\n\nb\n\n\nc\n"},
		{name: "input: -L 1 continues on tab", args: cmd("-L", "1", "echo", "[{}]"), stdin: "a\t\nb\nc\n"},
		{name: "input: -L1 white space at the end", args: cmd("-L1", "echo", "[{}]"), stdin: "a \nb \n"},
		{name: "input: -L 1 over ::: values", args: cmd("-L", "1", "echo", "[{}]", ":::", "a ", "b", "c")},
		{name: "input: -kr -L2 (test29)", args: cmd("-r", "-L2", "echo"), stdin: trailing},
		{name: "input: -kr -L2 ::: (test29)", args: cmd("-r", "-L2", "echo", ":::", "foo", "", "ole ", "bar", "quux")},
		{name: "input: -kr -L2 -E bar (test29)", args: cmd("-r", "-L2", "-E", "bar", "echo"), stdin: trailing},
		{name: "input: -kr -L2 -E bar ::: (test29)", args: cmd("-r", "-L2", "-E", "bar", "echo", ":::", "foo", "", "ole ", "bar", "quux")},
		{name: "input: --max-lines 3 continuation (test29)", args: cmd("--max-lines", "3", "echo"), stdin: lines("> ", "> ", ">")},
		{name: "input: --max-lines 3", args: cmd("--max-lines", "3", "echo", "[{}]"), stdin: lines("a b", "c", "d e f", "g")},
		{name: "input: --max-lines=2", args: cmd("--max-lines=2", "echo", "[{}]"), stdin: lines("a", "b", "c")},
		{name: "input: -l", args: cmd("-l", "echo", "[{}]"), stdin: lines("a b", "c", "d e f", "g")},
		{name: "input: -l1 continues", args: cmd("-l1", "echo", "[{}]"), stdin: "a \nb\nc\n"},
		{name: "input: -l2", args: cmd("-l2", "echo", "[{}]"), stdin: lines("a", "b", "c")},
		{name: "input: -L 0", args: cmd("-L", "0", "echo", "x[{}]"), stdin: lines("a", "b", "c")},

		// -E, -e, --eof: a line equal to the string ends its source.
		{name: "input: -E END (test01)", args: cmd("-E", "END", "echo"), stdin: endInput},
		{name: "input: -EEND (test01)", args: cmd("-EEND", "echo"), stdin: endInput},
		{name: "input: -e END (test01)", args: cmd("-e", "END", "echo"), stdin: endInput},
		{name: "input: -eEND (test01)", args: cmd("-eEND", "echo"), stdin: endInput},
		{name: "input: --eof=END (test01)", args: cmd("--eof=END", "echo"), stdin: endInput},
		{name: "input: --eof END (test01)", args: cmd("--eof", "END", "echo"), stdin: endInput},
		{name: "input: -E after ::: (test29)", args: cmd("-E", "ole", "echo", ":::", "foo", "ole", "bar")},
		{name: "input: -E ends each source", args: cmd("-E", "END", "echo", "::::", "fe", "::::", "fe"), files: fe},
		{name: "input: -E with values crossed", args: cmd("-E", "END", "echo", ":::", "a", "END", "b", ":::", "x")},
		{name: "input: -E matches whole lines", args: cmd("-E", "END", "echo", "[{}]"), stdin: "a\nEND \n END\nc\n"},
		{name: "input: -E before trim", args: cmd("-E", "END", "--trim", "lr", "echo", "[{}]"), stdin: "a\n END\nc\n"},
		{name: "input: -E with colsep", args: cmd("-E", "END", "--colsep", ",", "echo"), stdin: "a,END\nEND\nc\n"},
		{name: "input: -0 -E", args: cmd("-0", "-E", "END", "echo", "[{}]"), stdin: "a\x00END\x00b"},
		{name: "input: -E with -n 2", args: cmd("-n", "2", "-E", "END", "echo", "[{}]"), stdin: "a\nEND\nb\n"},

		// --header: the first line of each source names its columns.
		{name: "input: header colsep", args: cmd("--header", ":", "--colsep", ",", "echo", "{a}-{b}-{1}", "::::", "h.csv"), files: hcsv},
		{name: "input: header of values", args: cmd("--header", ":", "echo", "{x}-{y}", ":::", "x", "1", "2", ":::", "y", "3", "4")},
		{name: "input: header over sources", args: cmd("--header", ":", "--colsep", ",", "echo", "{a}-{b}-{c}", "::::", "h.csv", ":::", "c", "5", "6"), files: hcsv},
		{name: "input: header splits at tab", args: cmd("--header", ":", "echo", "{a}-{b}-{1}-{2}", "::::", "h.tsv"), files: htsv},
		{name: "input: header from stdin", args: cmd("--header", ":", "--colsep", ",", "echo", "{a}-{b}"), stdin: "a,b\n1,2\n"},
		{name: "input: header name with a space", args: cmd("--header", ":", "--colsep", ",", "echo", "{a b}-{c}"), stdin: "a b,c\nx,y\n"},
		{name: "input: header only", args: cmd("--header", ":", "--colsep", ",", "echo", "{a}"), stdin: "a\n"},
		{name: "input: header with a repeated name", args: cmd("--header", ":", "--colsep", ",", "echo", "{a}"), stdin: "a,a\n1,2\n"},
		{name: "input: header regexp is a line", args: cmd("--header", ".*", "--colsep", ",", "echo", "{a}-{b}", "::::", "h.csv"), files: hcsv},
		{name: "input: header without tab or colsep", args: cmd("--header", ":", "echo", "{1}", "::::", "h.csv"), files: hcsv},

		// :::+ and ::::+ pair a source up with the one before it.
		{name: "input: :::+ then cross", args: cmd("echo", ":::", "a", "b", "c", ":::+", "1", "2", "3", ":::", "x", "y")},
		{name: "input: :::+ stops at the shorter", args: cmd("echo", ":::", "a", "b", "c", ":::+", "1", "2")},
		{name: "input: :::+ stops at the shorter first", args: cmd("echo", ":::", "a", "b", ":::+", "1", "2", "3")},
		{name: "input: :::+ on a later source", args: cmd("echo", ":::", "a", "b", ":::", "x", "y", ":::+", "1", "2")},
		{name: "input: :::+ chain of three", args: cmd("echo", ":::", "a", "b", "c", ":::+", "1", "2", "3", ":::+", "x", "y")},
		{name: "input: ::::+ files", args: cmd("echo", ":::", "a", "b", "c", "::::+", "f12", "fpqr"), files: f12pqr},
		{name: "input: :::+ after a file", args: cmd("echo", "::::", "f12", ":::+", "a", "b", "c"), files: f12pqr},
		{name: "input: ::::+ then :::+", args: cmd("echo", ":::", "a", "b", "c", "::::+", "fpqr", ":::+", "1", "2"), files: f12pqr},
		{name: "input: --link with :::+", args: cmd("--link", "echo", ":::", "a", "b", "c", ":::+", "1", "2", ":::", "x")},
		{name: "input: ::::+ empty file", args: cmd("echo", "[{1}][{2}]", ":::", "a", "b", "::::+", "/dev/null")},
		{name: "input: -a then :::+ is a cross product", args: cmd("-a", "f12", "echo", ":::+", "x", "y", "z"), files: f12pqr},
		{name: "input: --arg-sep", args: cmd("--arg-sep", ",,", "echo", ",,", "a", "b", ",,+", "1", "2")},
		{name: "input: --arg-sep leaves :::", args: cmd("--arg-sep", ",,", "echo", ":::", ",,", "a", "b")},
		{name: "input: --arg-sep commands (test25)", args: cmd("--arg-sep", ".---", ".---", "echo a", "echo b")},
		{name: "input: --arg-sep ::: (test25)", args: cmd("--arg-sep", ":::", ":::", "echo a", "echo b")},
		{name: "input: --arg-file-sep", args: cmd("--arg-file-sep", "//", "echo", "//", "f12", "//+", "fpqr"), files: f12pqr},
		{name: "input: --arg-file-sep leaves ::::", args: cmd("--arg-file-sep", "//", "echo", "::::", "//", "f12"), files: f12pqr},
		{name: "input: --arg-file-sep :::", args: cmd("--arg-file-sep", ":::", "echo", ":::", "f12"), files: f12pqr},

		// --shuf (one record, or no output, so that the order cannot show).
		{name: "input: --shuf one record", args: cmd("--shuf", "echo", ":::", "a")},
		{name: "input: --shuf exit status", args: cmd("--shuf", "false", ":::", "1", "2", "3")},
		{name: "input: --shuf with -n", args: cmd("--shuf", "-n", "2", "true", ":::", "1", "2", "3")},

		// -X, -m, --xargs: as many records as fit, spread over the slots.
		{name: "input: -X -j4 spreads", args: cmd("-X", "-j4", "echo", ":::", seq(1, 10))},
		{name: "input: -X -j3 spreads", args: cmd("-X", "-j3", "echo", ":::", seq(1, 10))},
		{name: "input: -m -j4 spreads", args: cmd("-m", "-j4", "echo", ":::", seq(1, 10))},
		{name: "input: --xargs does not spread", args: cmd("--xargs", "-j4", "echo", ":::", seq(1, 10))},
		{name: "input: -X from stdin", args: cmd("-X", "-j4", "echo"), stdin: lines(seq(1, 10)...)},
		{name: "input: -X -s 13", args: cmd("-X", "-j4", "-s", "13", "echo", ":::", seq(1, 10))},
		{name: "input: -X -s 20 spreads the end", args: cmd("-X", "-j4", "-s", "20", "echo", ":::", seq(1, 30))},
		{name: "input: -X -s 17 -j2", args: cmd("-X", "-j2", "-s", "17", "echo", ":::", seq(1, 12))},
		{name: "input: -X -n 5", args: cmd("-X", "-j4", "-n", "5", "echo", ":::", seq(1, 10))},
		{name: "input: -X -n 4", args: cmd("-X", "-j4", "-n", "4", "echo", ":::", seq(1, 8))},
		{name: "input: -m -s 12", args: cmd("-m", "-j1", "-s", "12", "echo", ":::", seq(1, 10))},
		{name: "input: -X repeats the word", args: cmd("-X", "-j2", "echo", "x{}y", ":::", "a", "b", "c")},
		{name: "input: -m joins in the word", args: cmd("-m", "-j2", "echo", "x{}y", ":::", "a", "b", "c")},
		{name: "input: -X over two sources", args: cmd("-X", "-j4", "echo", ":::", "a", "b", ":::", "1", "2")},
		{name: "input: -X -s 14 over two sources", args: cmd("-X", "-j1", "-s", "14", "echo", ":::", "a", "b", ":::", "1", "2")},
		{name: "input: -X with colsep", args: cmd("-X", "-j1", "--colsep", ",", "echo", "[{}]", ":::", "a,b", "c,d")},
		{name: "input: -m -j1 (test -m)", args: cmd("-m", "-j1", "echo"), stdin: "1\n2\n"},
		{name: "input: -m -I -s15 (test respect -s)", args: cmd("-m", "-j1", "-IARG", "-s15", "echo", "ARG", ":::",
			"1", "22", "333", "4444", "55555", "666666", "7777777", "88888888", "999999999")},
		{name: "input: -X 20000 numbers -s 4000", args: cmd("-X", "-j4", "-s", "4000", "echo"), stdin: lines(seq(1, 20000)...)},
		{name: "input: -m 20000 numbers -s 4000", args: cmd("-m", "-j3", "-s", "4000", "echo"), stdin: lines(seq(1, 20000)...)},
	}
}

// TestInputDiffCasesWellFormed checks the cases themselves: unique names,
// and each a command line that GNU parallel accepts (exit status below 255)
// when it is installed. TestDifferentialGNUParallel runs them against gopool
// once the command line takes their options.
func TestInputDiffCasesWellFormed(t *testing.T) {
	cases := inputDiffCases()
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Errorf("case %q: the name is used twice", c.name)
		}
		seen[c.name] = true
	}
	if testing.Short() {
		t.Skip("runs GNU parallel")
	}
	out, err := exec.Command("parallel", "--version").Output()
	if err != nil || !bytes.Contains(out, []byte("GNU parallel")) {
		t.Skip("GNU parallel is not installed")
	}
	home := filepath.Join(t.TempDir(), "parallel-home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PARALLEL_HOME="+home, "PARALLEL=")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			work := t.TempDir()
			for name, data := range c.files {
				if err := os.WriteFile(filepath.Join(work, name), []byte(data), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, code := runDiff(t, work, env, "parallel", append([]string{"-k", "--will-cite"}, c.args...), c.stdin)
			if code >= 255 {
				t.Errorf("parallel -k %q: got exit %d, want a command line GNU parallel accepts", c.args, code)
			}
		})
	}
}

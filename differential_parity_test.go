//go:build unix

package main

import (
	"strconv"
	"strings"
	"testing"
)

// parityDiffCases are the differential cases of the command line and
// template side of GNU parallel parity (issue 13): the --halt exit codes,
// --retries, --tagstring escapes, GNU parallel's aliases and no-ops, -X, -m,
// --xargs, -s, -N, -q, -t, --plus, --header names, --results. They come from
// GNU parallel's manuals (parallel_tutorial: "More pre-defined replacement
// strings with --plus", "Dynamic replacement strings", "More than one
// argument", "Quoting", "Saving output into files"; parallel_examples;
// parallel: --results, --tagstring), from its test suite
// (testsuite/tests-to-run: par_negative_replacement, par_maxchar_s,
// par_halt_one_job, par_tagstring_with_d, par_colsep_default, the {/} {.}
// -X tests of parallel-local1, par_result), and from the issue; each was
// checked against GNU parallel 20221122.
//
// As in differentialCases, their templates hold no word that a shell would
// read differently from the word itself.
func parityDiffCases() []diffCase {
	seq := func(from, to int) []string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, strconv.Itoa(i))
		}
		return out
	}
	lines := func(vals ...string) string { return strings.Join(vals, "\n") + "\n" }
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
	myvar := "abcAaAdef"
	tsv := map[string]string{"t.tsv": "f1\tf2\nA\tB\nC\tD\n"}
	cases := []diffCase{
		// --tagstring expands \t, \n, \r and octal escapes as GNU parallel's
		// unquote_printf does, one after the other.
		{name: "parity: tagstring \\t (issue 13)", args: cmd("--tagstring", `a\tb`, "echo", ":::", "c")},
		{name: "parity: tagstring \\\\t", args: cmd("--tagstring", `a\\tb`, "echo", ":::", "c")},
		{name: "parity: tagstring octal", args: cmd("--tagstring", `x\101{}\7`, "echo", ":::", "c", "d")},
		{name: "parity: tagstring \\n", args: cmd("--tagstring", `{#}\n`, "echo", "x", ":::", "c")},
		{name: "parity: tagstring with -d (par_tagstring_with_d)", args: cmd("-d", `\n\n`, "--tagstring", "{#}", "echo", "ABC"),
			stdin: "1\n2\n3\n\n1\n2\n3\n4\n"},

		// --retries N is N attempts in all: each job prints its attempt
		// number, counted in a file of each tool's own.
		{name: "parity: --retries 3 is three attempts (issue 13)", args: cmd("-j1", "--retries", "3", retryScript, ":::", "a", "b")},
		{name: "parity: --retries 2 is not enough", args: cmd("-j1", "--retries", "2", retryScript, ":::", "a")},
		{name: "parity: --retries 1 is one attempt", args: cmd("-j1", "--retries", "1", retryScript, ":::", "a")},

		// GNU parallel's other names of gopool's flags, and no-ops.
		{name: "parity: -k in submit", sub: "submit", args: cmd("-k", "-j4", "sleep 0.{}; echo {}", ":::", "3", "2", "1", "0")},
		{name: "parity: --keep-order", args: cmd("--keep-order", "echo", ":::", "a", "b")},
		{name: "parity: --lb", args: cmd("-j1", "--lb", "echo", ":::", "a", "b")},
		{name: "parity: --jl", args: cmd("--jl", "log", "echo", ":::", "a")},
		{name: "parity: -P", args: cmd("-P", "2", "echo", ":::", "a", "b")},
		{name: "parity: --max-procs +0 (par_maxproc)", args: cmd("--max-procs", "+0", "echo", "max", "proc"), stdin: lines(seq(1, 3)...)},
		{name: "parity: -P 200% (par_maxproc)", args: cmd("-P", "200%", "echo", "200%", "proc"), stdin: lines(seq(1, 3)...)},
		{name: "parity: -j +1", args: cmd("-j", "+1", "echo", ":::", "a", "b")},
		{name: "parity: -j -1", args: cmd("-j", "-1", "echo", ":::", "a", "b")},
		{name: "parity: -C", args: cmd("-C", ",", "echo", "{2}", "{1}", ":::", "a,b")},
		{name: "parity: --xapply", args: cmd("--xapply", "echo", ":::", "a", "b", ":::", "1", "2")},
		{name: "parity: --dryrun", args: cmd("--dryrun", "echo", "{}", ":::", "a", "b")},
		{name: "parity: --dr", args: cmd("--dr", "echo", ":::", "a")},
		{name: "parity: --halt-on-error", args: cmd("-j1", "--halt-on-error", "1", "exit {}", ":::", "0", "4", "0")},
		{name: "parity: --will-cite", args: cmd("--will-cite", "echo", ":::", "a")},
		{name: "parity: --group", args: cmd("--group", "echo", ":::", "a")},
		{name: "parity: --bar", args: cmd("--bar", "echo", ":::", "a", "b")},
		{name: "parity: --eta", args: cmd("--eta", "echo", ":::", "a", "b")},
		{name: "parity: -u", args: cmd("-j1", "-u", "echo", ":::", "a", "b")},
		{name: "parity: --ungroup", args: cmd("-j1", "--ungroup", "echo", ":::", "a", "b")},
		{name: "parity: -t prints on stderr", args: cmd("-t", "echo", ":::", "a", "b")},
		{name: "parity: --verbose", args: cmd("--verbose", "echo", ":::", "a")},

		// -X, -m, --xargs (parallel_tutorial: "More than one argument").
		{name: "parity: -m -j4 pre-{}-post (tutorial)", args: cmd("--jobs", "4", "-m", "echo", "pre-{}-post", ":::", "A", "B", "C", "D", "E", "F", "G")},
		{name: "parity: -X -j4 pre-{}-post (tutorial)", args: cmd("--jobs", "4", "-X", "echo", "pre-{}-post", ":::", "A", "B", "C", "D", "E", "F", "G")},
		{name: "parity: -m -j4 1..10 (tutorial)", args: cmd("--jobs", "4", "-m", "echo", ":::", seq(1, 10))},
		{name: "parity: --xargs -s 10000 (tutorial)", args: cmd("--xargs", "-s", "10000", "echo"), stdin: lines(seq(1, 30000)...)},
		{name: "parity: -N3 (tutorial)", args: cmd("-N3", "echo", ":::", "A", "B", "C", "D", "E", "F", "G", "H")},
		{name: "parity: -N3 1={1} (tutorial)", args: cmd("-N3", "echo", "1={1}", "2={2}", "3={3}", ":::", "A", "B", "C", "D", "E", "F", "G", "H")},
		{name: "parity: -N0 (tutorial)", args: cmd("-N0", "echo", "foo", ":::", "1", "2", "3")},
		{name: "parity: -X -N 6 {-1} (par_negative_replacement)", args: cmd("-X", "-j1", "-N", "6", "echo", "{-1}orrec{1}", ":::", "t", "B", "X", "D", "E", "c")},
		{name: "parity: -N 6 {-1} (par_negative_replacement)", args: cmd("-N", "6", "echo", "{-1}orrect", ":::", "A", "B", "X", "D", "E", "c")},
		{name: "parity: --colsep {-3} (par_negative_replacement)", args: cmd("--colsep", " ", "echo", "{-3}orrect", ":::", "1 c 3 4")},
		{name: "parity: --max-chars 25 -X (par_maxchar_s)", args: cmd("--max-chars", "25", "-X", "echo"), stdin: lines("line 1", "line 1", "line 2")},
		{name: "parity: -s 25 -X (par_maxchar_s)", args: cmd("-s", "25", "-X", "echo"), stdin: lines("line 1", "line 1", "line 2")},
		{name: "parity: -s alone is -X", args: cmd("-j1", "-s", "20", "echo", "x{}y"), stdin: lines(seq(1, 12)...)},
		{name: "parity: -X {/} (parallel-local1)", args: cmd("-j1", "-X", "echo", "{/}", ":::", "/a/b.c", "a/b.c", "b.c", "/a/b", "a/b", "b")},
		{name: "parity: -X {/.} (parallel-local1)", args: cmd("-j1", "-X", "echo", "{/.}", ":::", "/a/b.c", "a/b.c", "b.c", "/a/b", "a/b", "b")},
		{name: "parity: -X {2/.} (parallel-local1)", args: cmd("-j1", "-X", "echo", "{2/.}", ":::", "/a/number1.c", "a/number2.c", "number3.c", "/a/number4", "a/number5", "number6")},
		{name: "parity: -X {2.} (parallel-local1)", args: cmd("-j1", "-X", "echo", "{2.}", ":::", "/a/number1.c", "a/number2.c", "number3.c", "/a/number4", "a/number5", "number6")},
		{name: "parity: -X -I (par_regexp_chars_in_template)", args: cmd("-j1", "-I", "::", "-X", "echo", "a::b::^c::[.}c"), stdin: lines(seq(1, 6)...)},
		{name: "parity: -m -I in a word", args: cmd("-j1", "-m", "echo", "1{}2{}3", "A{}B{}C"), stdin: lines("foo", "bar")},
		{name: "parity: -X in a word (test10)", args: cmd("-j1", "-X", "echo", "1{}2{}3", "A{}B{}C"), stdin: lines("foo", "bar")},
		{name: "parity: -X with a shell word", args: cmd("-j1", "-X", "printf '<%s>' x{}y | cat", ":::", "a b", "c")},
		{name: "parity: -X touch pict{}.jpg (parallel_examples)", args: cmd("-X", "-j2", "echo", "pict{}.jpg"), stdin: lines(seq(1, 20)...)},
		{name: "parity: -x within -s", args: cmd("-x", "-s", "100", "echo", ":::", "a", "b")},

		// -q (parallel_tutorial: "Quoting").
		{name: "parity: -q perl (tutorial)", args: cmd("-q", "perl", "-e", `print "@ARGV\n"`, ":::", "This", "works")},
		{name: "parity: -q echo (parallel_examples)", args: cmd("-q", "echo", "FOO BAR", "{}", ":::", "!")},

		// --plus (parallel_tutorial).
		{name: "parity: --plus {+/}/{/} (tutorial)", args: cmd("--plus", "echo", "{+/}/{/}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {.}.{+.} (tutorial)", args: cmd("--plus", "echo", "{.}.{+.}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {+/}/{/.}.{+.} (tutorial)", args: cmd("--plus", "echo", "{+/}/{/.}.{+.}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {..}.{+..} (tutorial)", args: cmd("--plus", "echo", "{..}.{+..}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {+/}/{/..}.{+..} (tutorial)", args: cmd("--plus", "echo", "{+/}/{/..}.{+..}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {...}.{+...} (tutorial)", args: cmd("--plus", "echo", "{...}.{+...}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {+/}/{/...}.{+...} (tutorial)", args: cmd("--plus", "echo", "{+/}/{/...}.{+...}", ":::", "dir/sub/file.ex1.ex2.ex3")},
		{name: "parity: --plus {##} (tutorial)", args: cmd("--plus", "echo", "Job", "{#}", "of", "{##}", ":::", seq(1, 5))},
		{name: "parity: --plus {##} from stdin", args: cmd("--plus", "echo", "{#}/{##}"), stdin: lines(seq(1, 12)...)},
		{name: "parity: --plus {0#}", args: cmd("--plus", "echo", "{0#}"), stdin: lines(seq(1, 11)...)},
		{name: "parity: --plus {:-myval} (tutorial)", args: cmd("--plus", "echo", "{:-myval}", ":::", "")},
		{name: "parity: --plus {:2} (tutorial)", args: cmd("--plus", "echo", "{:2}", ":::", myvar)},
		{name: "parity: --plus {:2:3} (tutorial)", args: cmd("--plus", "echo", "{:2:3}", ":::", myvar)},
		{name: "parity: --plus {#bc} (tutorial)", args: cmd("--plus", "echo", "{#bc}", ":::", myvar)},
		{name: "parity: --plus {#abc} (tutorial)", args: cmd("--plus", "echo", "{#abc}", ":::", myvar)},
		{name: "parity: --plus {%de} (tutorial)", args: cmd("--plus", "echo", "{%de}", ":::", myvar)},
		{name: "parity: --plus {%def} (tutorial)", args: cmd("--plus", "echo", "{%def}", ":::", myvar)},
		{name: "parity: --plus {/def/ghi} (tutorial)", args: cmd("--plus", "echo", "{/def/ghi}", ":::", myvar)},
		{name: "parity: --plus {^a} (tutorial)", args: cmd("--plus", "echo", "{^a}", ":::", myvar)},
		{name: "parity: --plus {^^a} (tutorial)", args: cmd("--plus", "echo", "{^^a}", ":::", myvar)},
		{name: "parity: --plus {,A} (tutorial)", args: cmd("--plus", "echo", "{,A}", ":::", "AbcAaAdef")},
		{name: "parity: --plus {,,A} (tutorial)", args: cmd("--plus", "echo", "{,,A}", ":::", "AbcAaAdef")},
		{name: "parity: --plus {##re} {%%re}", args: cmd("--plus", "echo", "{##z.*z.}", "{%%.z.*z}", ":::", "z.z.z.foo", "foo.z.z.z")},
		{name: "parity: --plus {//re/str} {/#re/str} {/%re/str}", args: cmd("--plus", "echo", "{//b/Y}", "{/#a/Y}", "{/%c/Y}", ":::", "abcABCabc")},
		{name: "parity: --plus positional", args: cmd("--plus", "echo", "{2+.}", "{1..}", "{1:-x}", "{2^^d}", ":::", "a.b.c", "", ":::", "c.d")},
		{name: "parity: --plus {%_demo} (parallel_examples)", args: cmd("--plus", "echo", "{%_demo}", ":::", "mycode_demo", "keep_demo_here")},
		{name: "parity: --plus {#demo_} (parallel_examples)", args: cmd("--plus", "echo", "{#demo_}", ":::", "demo_mycode", "keep_demo_here")},
		{name: "parity: --plus {/demo_/} (parallel_examples)", args: cmd("--plus", "echo", "{/demo_/}", ":::", "demo_mycode", "remove_demo_here")},
		{name: "parity: --plus {choose_k} (parallel_examples)", exitDiffers: skipped, args: cmd("--plus", "echo", "{choose_k}", ":::", "A", "B", "C", "D", ":::", "A", "B", "C", "D")},
		{name: "parity: --plus 2{2choose_k} 1{1choose_k} (parallel_examples)", exitDiffers: skipped, args: cmd("--plus", "echo", "2{2choose_k}", "1{1choose_k}", ":::", "A", "B", "C", "D", ":::", "A", "B", "C", "D")},
		{name: "parity: --plus {choose_k} of three (parallel_examples)", exitDiffers: skipped, args: cmd("--plus", "echo", "{choose_k}", ":::", "A", "B", "C", ":::", "A", "B", "C", ":::", "A", "B", "C")},
		{name: "parity: --plus {uniq} (parallel_examples)", exitDiffers: skipped, args: cmd("--plus", "echo", "{uniq}", ":::", "A", "B", "C", ":::", "A", "B", "C", ":::", "A", "B", "C")},
		{name: "parity: --plus {#} keeps counting over skipped jobs", exitDiffers: skipped, args: cmd("--plus", "echo", "{#}", "{choose_k}", ":::", "a", "b", "c", ":::", "a", "b", "c")},
		{name: "parity: --plus {1uniq} (parallel_examples)", exitDiffers: skipped, args: cmd("--plus", "echo", "{1uniq}+{2uniq}+{3uniq}", ":::", "A", "B", "C", ":::", "A", "B", "C", ":::", "A", "B", "C")},
		{name: "parity: --plus in a shell template", args: cmd("--plus", "echo {/..} {+..} | tr a-z A-Z", ":::", "d/x.tar.gz")},

		// --header names (parallel_tutorial: "Header defined replacement
		// strings"; par_colsep_default; the test of --header with :::).
		{name: "parity: --header f1={f1} (tutorial)", args: cmd("--header", ":", "echo", "f1={f1}", "f2={f2}", ":::", "f1", "A", "B", ":::", "f2", "C", "D")},
		{name: "parity: --header --colsep tsv (tutorial)", args: cmd("--header", ":", "--colsep", `\t`, "echo", "f1={f1}", "f2={f2}", "::::", "t.tsv"), files: tsv},
		{name: "parity: --header splits at tab (par_colsep_default)", args: cmd("--header", ":", "echo", "{B}", "{A}"), stdin: "A\tB\n1\tone"},
		{name: "parity: --header with several ::: (parallel-local)", args: cmd("--header", ":", "echo", "{a}", "{b}", "{1}", "{2}", ":::", "b", "b1", ":::", "a", "a2")},
		{name: "parity: --header names with modifiers", args: cmd("--header", ":", "echo", "{f.}", "{f/}", "{f//}", "{f/.}", ":::", "f", "d/x.y")},
		{name: "parity: --header names in --tagstring", args: cmd("--header", ":", "--tagstring", "<{f}>", "echo", ":::", "f", "a")},
		{name: "parity: --header 0 names the files", args: cmd("--header", "0", "echo", "{f12}", "::::", "f12"), files: map[string]string{"f12": "1\n2\n"}},

		// --results (parallel: --results; parallel_tutorial: "Saving output
		// into files"; par_result): the files and what is printed.
		{name: "parity: --results dir (tutorial)", args: cmd("--results", "outdir", "echo", ":::", "A", "B", "C"), outFiles: []string{"outdir/**"}},
		{name: "parity: --results dir of two sources (par_result)", args: cmd("--results", "testA", "echo", "{1}", "{2}", ":::", "I", "II", ":::", "III", "IIII"), outFiles: []string{"testA/**"}},
		{name: "parity: --results --header (tutorial)", args: cmd("--header", ":", "--results", "outdir", "echo", ":::", "f1", "A", "B", ":::", "f2", "C", "D"), outFiles: []string{"outdir/**"}},
		{name: "parity: --results quotes / and \\", args: cmd("--results", "o", "echo", ":::", "a/b", `c\d`, "e\tf"), outFiles: []string{"o/**"}},
		{name: "parity: --results stderr and exit", args: cmd("--results", "o", "echo out; echo err >&2; exit {}", ":::", "0", "3"), outFiles: []string{"o/**"}},
		{name: "parity: --results my_{} (parallel)", args: cmd("--results", "my_{}", "echo", ":::", "foo", "bar", "baz"), outFiles: []string{"my_*"}},
		{name: "parity: --results my_{}/ (parallel)", args: cmd("--results", "my_{}/", "echo", ":::", "foo", "bar", "baz"), outFiles: []string{"my_**"}},
	}
	return append(cases, haltCases()...)
}

// skipped: GNU parallel 20221122 counts the jobs that {uniq} and
// {choose_k} skip as failed jobs in its exit status.
const skipped = "a skipped job is no failure"

// retryScript prints its attempt number, counted in a file of its tool's
// own (GOPOOL_SEQ is gopool's, PARALLEL_SEQ GNU parallel's), and fails
// until its third attempt.
const retryScript = `f=n.${GOPOOL_SEQ:+g}${PARALLEL_SEQ:+p}.{}; echo x >> $f; n=$(wc -l < $f); echo {} $n; [ $n -ge 3 ]`

// haltCases run each --halt form over the jobs and others, with
// -j1, for GNU parallel's exit status (docs/exit-codes.md lists them).
// GNU parallel 20221122 exits 101 when done=N (N > 1) halts the run and
// no job failed, where gopool exits 0: those are left out.
func haltCases() []diffCase {
	policies := []string{"never", "0", "1", "2", "-1", "-2", "10%",
		"soon,fail=1", "now,fail=1", "soon,fail=2", "now,fail=2", "soon,fail=3", "soon,fail=50%", "now,fail=50%",
		"soon,fail=20%", "soon,fail=100%",
		"soon,success=1", "now,success=1", "soon,success=2", "soon,success=50%", "now,success=100%",
		"soon,done=1", "now,done=1", "soon,done=2", "now,done=2", "now,done=3", "soon,done=50%", "now,done=40%"}
	inputs := [][]string{{"0", "3", "5", "0", "7"}, {"3", "0", "0"}, {"1", "1", "1", "1"}}
	var out []diffCase
	for _, h := range policies {
		for _, in := range inputs {
			args := append([]string{"-j1", "--halt", h, "exit {}", ":::"}, in...)
			out = append(out, diffCase{name: "parity: --halt " + h + " " + strings.Join(in, ""), args: args})
		}
	}
	out = append(out,
		diffCase{name: "parity: --halt now,fail=1 echo (par_halt_one_job)", args: []string{"-j1", "--halt", "now,fail=1", "echo {#};exit {}", ":::", "0", "1", "0"}},
		diffCase{name: "parity: --halt soon,fail=1 echo (par_halt_one_job)", args: []string{"-j1", "--halt", "soon,fail=1", "echo {#};exit {}", ":::", "1", "0", "1"}},
		diffCase{name: "parity: --halt now,fail=1 true (bug #45619)", args: []string{"--halt", "now,fail=1", "true"}, stdin: "1\n2\n3\n"},
		diffCase{name: "parity: --halt soon,fail=100% no input", args: []string{"--halt-on-error", "soon,fail=100%", "echo"}},
		diffCase{name: "parity: --halt now,fail=1 signal", args: []string{"-j1", "--halt", "now,fail=1", "kill -9 $$", ":::", "1"}},
	)
	return out
}

// TestDiffCaseNames checks that the names of all the differential cases
// are unique, so that a failure names one case.
func TestDiffCaseNames(t *testing.T) {
	seen := map[string]bool{}
	all := append(append(differentialCases(), inputDiffCases()...), parityDiffCases()...)
	for _, c := range all {
		if seen[c.name] {
			t.Errorf("case %q: the name is used twice", c.name)
		}
		seen[c.name] = true
	}
	if len(all) < 360 {
		t.Errorf("got %d differential cases, want at least 360", len(all))
	}
}

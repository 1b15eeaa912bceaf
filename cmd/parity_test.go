package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/internal/input"
	"github.com/gopool/gopool/runner"
)

// TestHaltExitCodes feeds the tally the jobs of GNU parallel's measured
// table (docs/exit-codes.md): -j1 --halt FORM 'exit {}' ::: JOBS, the jobs
// finishing in order, and checks the exit code and where the run stops.
func TestHaltExitCodes(t *testing.T) {
	tests := []struct {
		halt string
		jobs []int
		want ExitCode
		ran  int // jobs run before the halt (all when never reached)
	}{
		{"never", []int{0, 3, 5, 0, 7}, 3, 5},
		{"1", []int{0, 3, 5, 0, 7}, 3, 2},
		{"soon,fail=2", []int{0, 3, 5, 0, 7}, 2, 3},
		{"soon,fail=2", []int{3, 0, 0}, 1, 3},
		{"soon,fail=3", []int{1, 1, 1, 1}, 3, 3},
		{"soon,fail=50%", []int{0, 3, 5, 0, 7}, 60, 5},
		{"soon,fail=50%", []int{3, 0, 0}, 34, 3},
		{"soon,fail=50%", []int{1, 1, 1, 1}, 50, 2},
		{"10%", []int{0, 3, 5, 0, 7}, 20, 2},
		{"soon,fail=20%", []int{0, 3, 5, 0, 7}, 3, 2}, // 20% of 5 is one job: its code
		{"soon,fail=100%", []int{1, 1, 1, 1}, 100, 4},
		{"soon,success=1", []int{3, 0, 0}, 0, 2},
		{"soon,success=2", []int{1, 1, 1, 1}, 4, 4},
		{"soon,success=50%", []int{0, 3, 5, 0, 7}, 60, 5},
		{"soon,success=50%", []int{3, 0, 0}, 0, 3},
		{"now,success=100%", []int{3, 0, 0}, 34, 3},
		{"soon,done=1", []int{0, 3, 5, 0, 7}, 0, 1},
		{"soon,done=1", []int{3, 0, 0}, 3, 1},
		{"now,done=2", []int{0, 3, 5, 0, 7}, 1, 2},
		{"now,done=3", []int{0, 3, 5, 0, 7}, 2, 3},
		{"now,done=2", []int{0, 0, 0}, 0, 2}, // GNU parallel 20221122: 101
		{"soon,done=50%", []int{0, 3, 5, 0, 7}, 40, 3},
		{"now,done=40%", []int{0, 3, 5, 0, 7}, 20, 2},
		{"soon,fail=50%", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %v", tt.halt, tt.jobs), func(t *testing.T) {
			h, err := parseHalt(tt.halt)
			if err != nil {
				t.Fatal(err)
			}
			tl := tally{halt: h}
			if h.pct {
				tl.total = int64(len(tt.jobs))
			}
			ran := 0
			for i, code := range tt.jobs {
				ran++
				j := &job{seq: int64(i + 1), res: runner.Result{ExitCode: code}}
				if tl.add(j, int64(i+1)) != haltNever {
					break
				}
			}
			if got := tl.exitCode(); got != tt.want || ran != tt.ran {
				t.Errorf("got exit %d after %d jobs, want %d after %d (GNU parallel's)", got, ran, tt.want, tt.ran)
			}
		})
	}
}

// TestHaltSignalCode: a job that signal N ended halts with 128+N.
func TestHaltSignalCode(t *testing.T) {
	h, _ := parseHalt("now,fail=1")
	tl := tally{halt: h}
	tl.add(&job{seq: 1, res: runner.Result{ExitCode: -1, Signal: syscall.SIGKILL}}, 1)
	if got := tl.exitCode(); got != 137 {
		t.Errorf("got exit %d, want 137", got)
	}
}

func TestUnquotePrintf(t *testing.T) {
	// GNU parallel 20221122: parallel --tagstring STR echo ::: c | od -c.
	tests := []struct{ in, want string }{
		{`a\tb`, "a\tb"},
		{`a\\tb`, "a\\\tb"},
		{`x\101y`, "xAy"},
		{`x\0y`, "x\x00y"},
		{`x\8y`, "x8y"},
		{`x\089y`, "x\x0089y"},
		{`x\7`, "x\a"},
		{`a\n\r`, "a\n\r"},
		{`{}\x`, `{}\x`},
		{`plain`, "plain"},
	}
	for _, tt := range tests {
		if got := unquotePrintf(tt.in); got != tt.want {
			t.Errorf("unquotePrintf(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeOptional(t *testing.T) {
	c := newRunCmd(&Streams{}, modeMap)
	tests := []struct {
		in, want []string
	}{
		{[]string{"-l", "echo"}, []string{"--max-lines=1", "echo"}},
		{[]string{"-l", "3", "echo"}, []string{"--max-lines=3", "echo"}},
		{[]string{"-l3", "echo"}, []string{"--max-lines=3", "echo"}},
		{[]string{"-l0", "echo"}, []string{"--max-lines=1", "echo"}},
		{[]string{"--max-lines", "2", "echo"}, []string{"--max-lines=2", "echo"}},
		{[]string{"--max-lines=0", "echo"}, []string{"--max-lines=1", "echo"}},
		{[]string{"--max-lines"}, []string{"--max-lines=1"}},
		// The value of a flag, and the template, are left alone.
		{[]string{"-d", "-l", "echo", "-l"}, []string{"-d", "-l", "echo", "-l"}},
		{[]string{"--tagstring", "-l", "-j", "2", "-l"}, []string{"--tagstring", "-l", "-j", "2", "--max-lines=1"}},
		{[]string{"--", "-l"}, []string{"--", "-l"}},
		{[]string{"-L", "0", "-k", "echo"}, []string{"-L", "0", "-k", "echo"}},
	}
	for _, tt := range tests {
		if got := normalizeOptional(c, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("normalizeOptional(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseJobsRelative(t *testing.T) {
	t.Setenv("GOPOOL_JOBS", "")
	n := runtime.NumCPU()
	tests := []struct {
		in   string
		want int
		err  bool
	}{
		{"+0", n, false},
		{"+2", n + 2, false},
		{"-1", max(1, n-1), false},
		{"-1000", 1, false},
		{"+x", 0, true},
		{"--1", 0, true},
		{"+", 0, true},
	}
	for _, tt := range tests {
		got, err := parseJobs(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseJobs(%q): got %d, %v; want %d (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// TestParityFlags checks GNU parallel's options against the settings they
// give.
func TestParityFlags(t *testing.T) {
	t.Setenv("GOPOOL_JOBS", "")
	tests := []struct {
		name  string
		mode  mode
		args  []string
		check func(s *settings) string // "" when right
	}{
		{"-k makes submit map", modeSubmit, []string{"-k"}, func(s *settings) string {
			return want(s.mode == modeMap, "mode map")
		}},
		{"-n 0", modeMap, []string{"-n", "0"}, func(s *settings) string {
			return want(s.input.NoArgs && s.input.MaxArgs == 1, "NoArgs")
		}},
		{"-N 3", modeMap, []string{"-N", "3", "echo", "{}"}, func(s *settings) string {
			return want(s.input.MaxArgs == 3 && s.tmplOpt.Context, "MaxArgs 3 and Context")
		}},
		{"-n 3 joins", modeMap, []string{"-n", "3", "echo", "{}"}, func(s *settings) string {
			return want(s.input.MaxArgs == 3 && !s.tmplOpt.Context, "MaxArgs 3, no Context")
		}},
		{"-L 2", modeMap, []string{"-L", "2"}, func(s *settings) string {
			return want(s.input.MaxArgs == 2 && s.input.Continue && s.tmplOpt.Context, "-L 2: Continue, Context")
		}},
		{"--max-lines 2", modeMap, []string{"--max-lines=2"}, func(s *settings) string {
			return want(s.input.MaxArgs == 2 && s.input.Continue && !s.tmplOpt.Context, "--max-lines: Continue, no Context")
		}},
		{"-E, --header, --shuf, --trim", modeMap, []string{"-E", "END", "--header", ":", "--shuf", "--trim", "l"}, func(s *settings) string {
			return want(s.input.EOF == "END" && s.input.Header && s.input.Shuffle && s.input.Trim == input.TrimLeft, "EOF, Header, Shuffle, TrimLeft")
		}},
		{"--header 0", modeMap, []string{"--header", "0", "echo", "::::", "f", ":::", "a"}, func(s *settings) string {
			return want(!s.input.Header && reflect.DeepEqual(s.tmplOpt.Columns, map[string]int{"f": 1}), "columns named after files")
		}},
		{"-X", modeMap, []string{"-X", "-j", "3", "echo", "x{}y"}, func(s *settings) string {
			b := s.input.Batch
			return want(b != nil && b.Slots == 3 && b.Max == 0 && s.tmplOpt.Context && b.Cost([]string{"ab"}) == 2+3+8, "a batch over 3 slots, the word repeated")
		}},
		{"--xargs -s", modeMap, []string{"--xargs", "-s", "100", "-n", "7", "echo"}, func(s *settings) string {
			b := s.input.Batch
			return want(b != nil && b.Slots == 1 && b.Max == 7 && b.Budget == 95 && b.Cost([]string{"ab"}) == 3 && !s.tmplOpt.Context, "--xargs: one slot, -s less echo")
		}},
		{"-s alone", modeMap, []string{"-s", "100", "echo"}, func(s *settings) string {
			return want(s.input.Batch == nil && s.batch != nil && s.batch.Budget == 95, "no batch, a limit")
		}},
		{"-m in a shell", modeMap, []string{"-m", "echo {} | cat"}, func(s *settings) string {
			b := s.input.Batch
			return want(b != nil && b.Max > 1000 && b.Max < 6000, "a shell script refers to at most a few thousand values")
		}},
		{"--plus slots", modeMap, []string{"--plus", "-j", "12"}, func(s *settings) string {
			return want(s.tmplOpt.Plus && s.tmplOpt.Slots == 12, "Plus, Slots 12")
		}},
		{"-q", modeMap, []string{"-q", "echo a"}, func(s *settings) string {
			return want(s.tmplOpt.Quote && !s.tmpl.Shell(), "Quote")
		}},
		{"-t, -u, --files", modeMap, []string{"-t", "-u"}, func(s *settings) string {
			return want(s.verbose && s.ungroup, "verbose, ungroup")
		}},
		{"--bar", modeMap, []string{"--bar"}, func(s *settings) string {
			return want(s.progress == progressAlways, "progress always")
		}},
		{"--bar and --progress", modeMap, []string{"--bar", "--progress=never"}, func(s *settings) string {
			return want(s.progress == progressNever, "--progress wins")
		}},
		{"--halt N% needs the total", modeMap, []string{"--halt", "10%"}, func(s *settings) string {
			return want(s.needTotal, "needTotal")
		}},
		{"{##} needs the total", modeMap, []string{"--plus", "echo", "{##}"}, func(s *settings) string {
			return want(s.needTotal, "needTotal")
		}},
		{"--results csv", modeMap, []string{"--results", "-.csv"}, func(s *settings) string {
			return want(s.results != nil && s.results.table == "-" && s.results.format == "csv", "the CSV table on stdout")
		}},
		{"--results template", modeMap, []string{"--results", "o_{}", "echo"}, func(s *settings) string {
			return want(s.results != nil && s.results.name != nil && s.results.dir == "", "a template")
		}},
		{"aliases", modeMap, []string{"-P", "3", "--dr", "--xapply", "--halt-on-error", "2", "-C", ",", "--jl", "x"}, func(s *settings) string {
			return want(s.workers == 3 && s.dryRun && s.input.Link && s.halt.when == haltNow && s.input.ColSep != nil && s.joblog == "x", "-j 3, dry run, link, halt now, colsep, joblog")
		}},
		{":::+ and --arg-sep", modeMap, []string{"--arg-sep", ",,", "echo", ",,", "a", ",,+", "b"}, func(s *settings) string {
			return want(len(s.input.Sources) == 2 && s.input.Sources[1].Linked, "a linked source")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := parseRun(t, tt.mode, tt.args...)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if msg := tt.check(s); msg != "" {
				t.Errorf("%q: want %s, got %+v", tt.args, msg, s)
			}
		})
	}
}

// want returns "" when ok, else what was wanted.
func want(ok bool, what string) string {
	if ok {
		return ""
	}
	return what
}

func TestParityFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-X", "--xargs", "echo"}, "-X, -m and --xargs cannot be used together"},
		{[]string{"-X", "-n", "0", "echo"}, "-X, -m and --xargs put many records in one job: not with -n 0"},
		{[]string{"-X"}, "-X, -m, --xargs and -s need a command template"},
		{[]string{"-L", "1", "-N", "2"}, "-L or -l (--max-lines) and -n or -N cannot be used together"},
		{[]string{"-L", "1", "--max-lines=1"}, "-L and -l (--max-lines) cannot be used together"},
		{[]string{"-N", "-2"}, "bad -n -2: must be 0 or more"},
		{[]string{"--trim", "x"}, `bad --trim: trim "x": must be one of n, l, r, lr, rl`},
		{[]string{"-q", "--shell", "echo"}, "-q runs the words as they are and --shell under a shell: give one of them"},
		{[]string{"-u", "--json"}, "-u (--ungroup) passes output straight through: not with --json"},
		{[]string{"--results", "r", "--files"}, "-u (--ungroup) passes output straight through: not with --results"},
		{[]string{"--files", "--line-buffer"}, "--files cannot be used with --json or --line-buffer"},
		{[]string{"-X", "-s", "2", "echo"}, "-s 2 leaves no room for the values: the template alone takes 5 bytes"},
		{[]string{"echo", "{= 1 =}"}, `bad template: "{= 1 =}": Perl expressions {= ... =} are not supported`},
		{[]string{"--plus", "echo", "{%(}"}, `bad template: {%(}: bad regular expression "(": error parsing regexp`},
		{[]string{"echo", ":::+", "a", "::::"}, ":::: needs at least one file"},
	}
	for _, tt := range tests {
		args := tt.args
		if slices.Contains(args, "--files") && slices.Contains(args, "--results") {
			args = append([]string{"-u"}, args...)
		}
		_, err := parseRunFlags(t, args...)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: got error %v, want %q", args, err, tt.want)
		}
	}
}

func TestEmptyWarning(t *testing.T) {
	srcs := []input.SourceSpec{{Values: []string{"a"}, IsValues: true}, {Path: "/dev/null"}, {Path: "-"}}
	tests := []struct {
		srcs  []input.SourceSpec
		empty []int
		want  string
	}{
		{srcs, nil, ""},
		{srcs[:1], []int{0}, ""},
		{srcs, []int{1}, "gopool: warning: empty input: /dev/null (it stands for one empty value)"},
		{srcs, []int{1, 2}, "gopool: warning: empty input: /dev/null, stdin (each stands for one empty value)"},
		{srcs, []int{0, 1, 2}, "gopool: warning: empty input: ::: group 1, /dev/null, stdin (no job runs)"},
	}
	for _, tt := range tests {
		if got := emptyWarning(tt.srcs, tt.empty); got != tt.want {
			t.Errorf("emptyWarning(%v): got %q, want %q", tt.empty, got, tt.want)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	root := NewRootCmd(&Streams{}, BuildInfo{})
	tests := []struct {
		args []string
		want string // "" for no error
	}{
		{[]string{"map"}, ""},
		{[]string{"help"}, ""},
		{[]string{"--version"}, ""},
		{[]string{"__complete", "map"}, ""},
		{nil, ""},
		{[]string{"mapp"}, `unknown command "mapp": did you mean map?`},
		{[]string{"sumbit"}, `unknown command "sumbit": did you mean submit?`},
		{[]string{"zzz"}, `unknown command "zzz" (see gopool --help: map, submit, version, completion)`},
	}
	for _, tt := range tests {
		err := unknownCommand(root, tt.args)
		got := ""
		if err != nil {
			got = err.Error()
			if exitCodeOf(err) != ExitCannotRun {
				t.Errorf("%q: got exit %d, want 255", tt.args, exitCodeOf(err))
			}
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestResultsPaths(t *testing.T) {
	r := &resultsSpec{dir: "out"}
	tests := []struct {
		args  []string
		names []string
		want  string
	}{
		{[]string{"a"}, nil, "out/1/a"},
		{[]string{"I", "III"}, nil, "out/1/I/2/III"},
		{[]string{"a/b", `c\d`, "e\tf", "g\x00h"}, nil, `out/1/a\_b/2/c\\d/3/e\tf/4/g\0h`},
		{[]string{".", ".."}, nil, `out/1/\./2/\.\.`},
		{[]string{"", "x"}, nil, "out/1/2/x"},
		{[]string{strings.Repeat("x", 300)}, nil, "out/1/" + strings.Repeat("x", 255)},
		{[]string{"A", "C"}, []string{"f2", "f1"}, "out/f1/C/f2/A"},
		{[]string{"a", "b", "c"}, []string{"10", "9", ""}, "out/3/c/9/b/10/a"},
	}
	for _, tt := range tests {
		r.names = tt.names
		got := r.paths(&job{seq: 1, args: tt.args})
		want := filepath.FromSlash(tt.want)
		if got[0] != filepath.Join(want, "stdout") || got[2] != filepath.Join(want, "seq") {
			t.Errorf("paths(%q): got %q, want %s/...", tt.args, got, want)
		}
	}
}

func TestCSVAndJSON(t *testing.T) {
	tests := []struct{ in, csv, tsv, json string }{
		{"a", "a", "a", "a"},
		{"b,c", `"b,c"`, "b,c", "b,c"},
		{`d"e`, `"d""e"`, `"d""e"`, `d\"e`},
		{"x y", `"x y"`, `"x y"`, "x y"},
		{"t\tu", "\"t\tu\"", "\"t\tu\"", `t\u0009u`},
		{"n\n", "\"n\n\"", "\"n\n\"", `n\u000a`},
		{`\`, `\`, `\`, `\\`},
	}
	for _, tt := range tests {
		if got := csvField(tt.in, ","); got != tt.csv {
			t.Errorf("csvField(%q, ,): got %q, want %q", tt.in, got, tt.csv)
		}
		if got := csvField(tt.in, "\t"); got != tt.tsv {
			t.Errorf("csvField(%q, TAB): got %q, want %q", tt.in, got, tt.tsv)
		}
		if got := jsonQuote(tt.in); got != tt.json {
			t.Errorf("jsonQuote(%q): got %q, want %q", tt.in, got, tt.json)
		}
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"10", 10, false}, {"1k", 1000, false}, {"2K", 2048, false}, {"1M", 1 << 20, false},
		{"1m", 1000000, false}, {"x", 0, true}, {"-1", 0, true}, {"", 0, true}, {"99999999999T", 0, true},
	}
	for _, tt := range tests {
		got, err := parseCount(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseCount(%q): got %d, %v; want %d (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// TestOrchestrationParity runs the fake launcher with GNU parallel's
// options that change what runs: a NUL record fails its job without
// starting it, -t prints each command before it starts, {uniq} skips jobs
// and keeps their numbers, and --retries 2 is two attempts.
func TestOrchestrationParity(t *testing.T) {
	t.Run("NUL record", func(t *testing.T) {
		f := newFake(func(argv []string, attempt int) fakeRun { return fakeRun{stdout: argv[len(argv)-1] + "\n"} })
		stdout, stderr, code := runFake(t, modeMap, f, "-j", "1", "-d", ",", "--", "job", ":::", "a\x00b,c")
		if stdout != "c\n" || code != 1 || !strings.Contains(stderr, "gopool: job 1: argument 1: NUL byte in the input") {
			t.Errorf("got stdout %q, stderr %q, exit %d; want job 2's output, job 1 failed, exit 1", stdout, stderr, code)
		}
		if !reflect.DeepEqual(f.started, []string{"c"}) {
			t.Errorf("got started %q, want only c", f.started)
		}
	})
	t.Run("-t", func(t *testing.T) {
		f := newFake(func(argv []string, attempt int) fakeRun { return fakeRun{stdout: "out\n"} })
		stdout, stderr, _ := runFake(t, modeMap, f, "-t", "-j", "1", "--", "job", ":::", "a", "b c")
		if stdout != "out\nout\n" || stderr != "job a\njob 'b c'\n" {
			t.Errorf("got stdout %q, stderr %q; want the commands on stderr", stdout, stderr)
		}
	})
	t.Run("{uniq}", func(t *testing.T) {
		f := newFake(func(argv []string, attempt int) fakeRun { return fakeRun{stdout: strings.Join(argv[1:], " ") + "\n"} })
		stdout, _, code := runFake(t, modeMap, f, "--plus", "-j", "1", "--", "job", "{#}", "{uniq}", ":::", "a", "b", ":::", "a", "b")
		if stdout != "2 a b\n3 b a\n" || code != 0 {
			t.Errorf("got stdout %q, exit %d; want jobs 2 and 3, exit 0", stdout, code)
		}
	})
	t.Run("--retries 2", func(t *testing.T) {
		f := newFake(func(argv []string, attempt int) fakeRun { return fakeRun{exit: 1} })
		_, _, code := runFake(t, modeMap, f, "--retries", "2", "--", "job", ":::", "a")
		if code != 1 || f.attempts["a"] != 2 {
			t.Errorf("got exit %d after %d attempts, want 1 after 2", code, f.attempts["a"])
		}
	})
	t.Run("{##} and --halt N% read ahead", func(t *testing.T) {
		f := newFake(func(argv []string, attempt int) fakeRun { return fakeRun{stdout: strings.Join(argv[1:], " ") + "\n"} })
		stdout, _, _ := runFake(t, modeMap, f, "--plus", "-j", "2", "--", "job", "{0#}/{##}", "{}", ":::", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
		if !strings.HasPrefix(stdout, "01/10 a\n02/10 b\n") || !strings.HasSuffix(stdout, "10/10 j\n") {
			t.Errorf("got stdout %q, want 01/10 a ... 10/10 j", stdout)
		}
	})
	t.Run("--results", func(t *testing.T) {
		dir := t.TempDir()
		f := newFake(func(argv []string, attempt int) fakeRun {
			return fakeRun{stdout: "out " + argv[len(argv)-1] + "\n", stderr: "err\n", exit: 2}
		})
		stdout, stderr, code := runFake(t, modeMap, f, "--retries", "2", "--results", filepath.Join(dir, "r"), "--", "job", ":::", "x")
		if stdout != "" || code != 1 || !strings.HasPrefix(stderr, "gopool: 1 of 1 jobs failed") {
			t.Errorf("got stdout %q, stderr %q, exit %d; want nothing on stdout, exit 1", stdout, stderr, code)
		}
		for name, want := range map[string]string{"stdout": "out x\n", "stderr": "err\n", "seq": "1"} {
			b, err := os.ReadFile(filepath.Join(dir, "r", "1", "x", name))
			if err != nil || string(b) != want {
				t.Errorf("%s: got %q (%v), want %q: the last attempt only", name, b, err, want)
			}
		}
	})
	t.Run("-u", func(t *testing.T) {
		release := make(chan struct{})
		f := newFake(func(argv []string, attempt int) fakeRun {
			if argv[len(argv)-1] == "a" {
				return fakeRun{stdout: "a1\n", release: release}
			}
			return fakeRun{stdout: "b\n"}
		})
		out := newLineWatcher()
		done := make(chan ExitCode, 1)
		go func() {
			done <- runFakeTo(t, modeMap, f, out, io.Discard, "-u", "-j", "2", "--", "job", ":::", "a", "b")
		}()
		// Ungrouped: b's output comes out while a still runs.
		select {
		case <-out.printed("b"):
		case <-time.After(20 * time.Second):
			t.Fatal("b's output did not pass through while a ran")
		}
		close(release)
		<-done
	})
}

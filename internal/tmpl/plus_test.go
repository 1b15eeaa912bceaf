package tmpl

import (
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// expandPlus expands a direct template with --plus for one value.
func expandPlus(t *testing.T, words []string, opt Options, args []string) []string {
	t.Helper()
	opt.Plus = true
	tp, err := Parse(words, opt)
	if err != nil {
		t.Fatalf("Parse(%q): %v", words, err)
	}
	return tp.Expand(args, 7, 2)
}

// TestPlusPathModifiers compares the fixed --plus modifiers with GNU
// parallel 20221122: parallel --plus "printf '%s|' {+/} {+.} ..." ::: V.
func TestPlusPathModifiers(t *testing.T) {
	words := []string{"{+/}", "{+.}", "{+..}", "{+...}", "{..}", "{...}", "{/..}", "{/...}"}
	tests := []struct {
		in   string
		want string // the values joined with |
	}{
		{"a", "||||a|a|a|a"},
		{"a.b", "|b|||a.b|a.b|a.b|a.b"},
		{"a.b.c.d", "|d|c.d|b.c.d|a.b|a|a.b|a"},
		{"dir/a.b.c", "dir|c|b.c||dir/a|dir/a.b.c|a|a.b.c"},
		{"d.x/f", "d.x|x/f|||d.x/f|d.x/f|f|f"},
		{".bashrc", "|bashrc|||.bashrc|.bashrc|.bashrc|.bashrc"},
		{"a/", "a||||a/|a/||"},
		{"/", "||||/|/||"},
		{"", "|||||||"},
		{"x.tar.gz", "|gz|tar.gz||x|x.tar.gz|x|x.tar.gz"},
		{"a..b", "|b|.b||a|a..b|a|a..b"},
		{"p.q/r.s.t", "p.q|t|s.t||p.q/r|p.q/r.s.t|r|r.s.t"},
	}
	for _, tc := range tests {
		got := expandPlus(t, append([]string{"printf"}, words...), Options{}, []string{tc.in})[1:]
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("%q: got %q, want %q (GNU parallel's)", tc.in, g, tc.want)
		}
	}
}

// TestPlusDynamicModifiers compares the --plus modifiers with parameters
// with GNU parallel 20221122.
func TestPlusDynamicModifiers(t *testing.T) {
	words := []string{"{:-def}", "{:2}", "{:1:3}", "{#z.*z.}", "{##z.*z.}", "{%.z.*z}", "{%%.z.*z}",
		"{/b/Y}", "{//b/Y}", "{/#a/Y}", "{/%c/Y}", "{^a}", "{^^b}", "{,A}", "{,,B}", "{#a}", "{%c}"}
	tests := []struct {
		in   string
		want string
	}{
		{"z.z.z.foo", "z.z.z.foo|z.z.foo|.z.|z.foo|foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo|z.z.z.foo"},
		{"foo.z.z.z", "foo.z.z.z|o.z.z.z|oo.|foo.z.z.z|foo.z.z.z|foo.z|foo|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z|foo.z.z.z"},
		{"abcABCabc", "abcABCabc|cABCabc|bcA|abcABCabc|abcABCabc|abcABCabc|abcABCabc|aYcABCabc|aYcABCaYc|YbcABCabc|abcABCabY|AbcABCabc|aBcABCaBc|abcABCabc|abcAbCabc|bcABCabc|abcABCab"},
		{"hello world", "hello world|llo world|ell|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world|hello world"},
		{"", "def||||||||||||||||"},
		{"aXbXc", "aXbXc|bXc|XbX|aXbXc|aXbXc|aXbXc|aXbXc|aXYXc|aXYXc|YXbXc|aXbXY|AXbXc|aXBXc|aXbXc|aXbXc|XbXc|aXbX"},
	}
	for _, tc := range tests {
		got := expandPlus(t, append([]string{"printf"}, words...), Options{}, []string{tc.in})[1:]
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("%q:\ngot  %q\nwant %q (GNU parallel's)", tc.in, g, tc.want)
		}
	}
}

func TestPlusStrings(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		opt   Options
		args  []string
		want  []string
	}{
		{"positional plus", []string{"echo", "{2+.}", "{1..}", "{1:-x}"}, Options{}, []string{"a.b.c", "c.d"}, []string{"echo", "d", "a", "a.b.c"}},
		{"positional dynamic", []string{"echo", "{1^^b}", "{-1%.d}"}, Options{}, []string{"abab", "c.d"}, []string{"echo", "aBaB", "c"}},
		{"total", []string{"echo", "{##}"}, Options{Total: 12}, []string{"a"}, []string{"echo", "12"}},
		{"padded job number", []string{"echo", "{0#}", "x{0#}"}, Options{Total: 120}, []string{"a"}, []string{"echo", "007", "x007"}},
		{"padded slot", []string{"echo", "{0%}"}, Options{Slots: 16}, []string{"a"}, []string{"echo", "02"}},
		{"slot", []string{"echo", "{slot}"}, Options{}, []string{"a"}, []string{"echo", "2"}},
		{"uniq is the record", []string{"echo", "{uniq}"}, Options{}, []string{"a", "b"}, []string{"echo", "a", "b"}},
		{"choose_k is the record", []string{"echo", "{choose_k}"}, Options{}, []string{"a", "b"}, []string{"echo", "a", "b"}},
		{"positional choose_k", []string{"echo", "2{2choose_k}", "1{1uniq}"}, Options{}, []string{"a", "b"}, []string{"echo", "2b", "1a"}},
		{"replacement with a group", []string{"echo", "{/(a)(b)/$2$1}"}, Options{}, []string{"xaby"}, []string{"echo", "xbay"}},
		{"unknown stays", []string{"echo", "{+x}", "{:a}", "{###}"}, Options{}, []string{"v"}, []string{"echo", "{+x}", "{:a}", "{###}", "v"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := expandPlus(t, tc.words, tc.opt, tc.args); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlusOff(t *testing.T) {
	tp, err := Parse([]string{"echo", "{+.}", "{##}", "{:-x}", "{0#}"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := tp.Expand([]string{"a.b"}, 1, 1)
	want := []string{"echo", "{+.}", "{##}", "{:-x}", "{0#}", "a.b"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("without --plus: got %q, want %q", got, want)
	}
	if tp.NeedsTotal() {
		t.Errorf("without --plus: NeedsTotal: got true, want false")
	}
}

func TestPlusBadRegexp(t *testing.T) {
	for _, words := range [][]string{{"echo", "{/a(/b}"}, {"echo {%(}"}} {
		_, err := Parse(words, Options{Plus: true})
		if err == nil || !strings.Contains(err.Error(), "bad regular expression") {
			t.Errorf("Parse(%q): got %v, want a bad regular expression error", words, err)
		}
	}
	if _, err := ParseString("{#[}", Options{Plus: true}); err == nil {
		t.Errorf("ParseString({#[}): got no error, want one")
	}
}

func TestNeedsTotal(t *testing.T) {
	tests := []struct {
		words []string
		want  bool
	}{
		{[]string{"echo", "{##}"}, true},
		{[]string{"echo {0#} | cat"}, true},
		{[]string{"echo", "{#}", "{0%}"}, false},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, Options{Plus: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.NeedsTotal(); got != tc.want {
			t.Errorf("Parse(%q).NeedsTotal(): got %v, want %v", tc.words, got, tc.want)
		}
	}
}

// TestSkip: GNU parallel 20221122, parallel --plus echo {#} {choose_k}
// ::: a b c ::: a b c runs jobs 2, 3 and 6; {uniq} skips equal values.
func TestSkip(t *testing.T) {
	tests := []struct {
		word string
		args []string
		want bool
	}{
		{"{choose_k}", []string{"a", "b"}, false},
		{"{choose_k}", []string{"a", "a"}, true},
		{"{choose_k}", []string{"b", "a"}, true},
		{"{choose_k}", []string{"a", "b", "c"}, false},
		{"{choose_k}", []string{"a", "c", "b"}, true},
		{"{uniq}", []string{"a", "b"}, false},
		{"{uniq}", []string{"b", "a"}, false},
		{"{uniq}", []string{"a", "b", "a"}, true},
		{"{}", []string{"a", "a"}, false},
	}
	for _, tc := range tests {
		tp, err := Parse([]string{"echo", tc.word}, Options{Plus: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.Skip(tc.args); got != tc.want {
			t.Errorf("%s: Skip(%q): got %v, want %v", tc.word, tc.args, got, tc.want)
		}
	}
}

func TestColumns(t *testing.T) {
	cols := map[string]int{"a": 1, "file": 2, "a b": 3}
	tests := []struct {
		words []string
		want  []string
	}{
		{[]string{"echo", "{a}-{file}", "{a b}"}, []string{"echo", "x-d/f.c", "z"}},
		{[]string{"echo", "{file.}", "{file/}", "{file//}", "{file/.}"}, []string{"echo", "d/f", "f.c", "d", "f"}},
		{[]string{"echo", "{b}", "{1}"}, []string{"echo", "{b}", "x"}},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, Options{Columns: cols})
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.Expand([]string{"x", "d/f.c", "z"}, 1, 1); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q).Expand: got %q, want %q", tc.words, got, tc.want)
		}
	}
	ts, err := ParseString("{a}:{file/}", Options{Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ts.ExpandString([]string{"x", "d/f.c"}, 1, 1), "x:f.c"; got != want {
		t.Errorf("ParseString: got %q, want %q", got, want)
	}
}

// TestContextDirect: GNU parallel 20221122, -X and -N 2 repeat the word
// around {} for each argument; -m and -n join the arguments in it.
func TestContextDirect(t *testing.T) {
	tests := []struct {
		name    string
		words   []string
		context bool
		args    []string
		want    []string
	}{
		{"-X word", []string{"echo", "[{}]"}, true, []string{"a", "b", "c"}, []string{"echo", "[a]", "[b]", "[c]"}},
		{"-m word", []string{"echo", "[{}]"}, false, []string{"a", "b", "c"}, []string{"echo", "[a b c]"}},
		{"-N 2 with {1}", []string{"echo", "x{1}y{}z"}, true, []string{"a", "b"}, []string{"echo", "xayaz", "xaybz"}},
		{"-n 2 with {1}", []string{"echo", "x{1}y{}z"}, false, []string{"a", "b"}, []string{"echo", "xaya bz"}},
		{"modifier", []string{"mv", "{}", "d/{/.}.txt"}, true, []string{"p/a.c", "q/b.c"}, []string{"mv", "p/a.c", "q/b.c", "d/a.txt", "d/b.txt"}},
		{"one word template", []string{"echo x{}y"}, true, []string{"a", "b"}, []string{"echo", "xay", "xby"}},
		{"no arguments", []string{"echo", "x{}y"}, true, nil, []string{"echo", "xy"}},
		{"appended", []string{"echo"}, true, []string{"a", "b"}, []string{"echo", "a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.words, Options{Context: tc.context})
			if err != nil {
				t.Fatal(err)
			}
			if got := tp.Expand(tc.args, 1, 1); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestContextShell: in a shell script, -X repeats the unquoted shell word
// around {}; a word with quotes joins the values as -m does.
func TestContextShell(t *testing.T) {
	needSh(t)
	tests := []struct {
		name   string
		script string
		args   []string
		want   string
	}{
		{"word", `printf '<%s>' x{}y | cat`, []string{"a b", "c"}, "<xa by><xcy>"},
		{"two words", `printf '<%s>' {}.in {}.out | cat`, []string{"a", "b"}, "<a.in><b.in><a.out><b.out>"},
		{"with {1}", `printf '<%s>' {1}:{} | cat`, []string{"a", "b"}, "<a:a><a:b>"},
		{"after an operator", `true;printf '<%s>' x{}y;true`, []string{"a", "b"}, "<xay><xby>"},
		{"quoted: joined", `printf '<%s>' "x{}y" | cat`, []string{"a", "b"}, "<xa by>"},
		{"bare", `printf '<%s>' {} | cat`, []string{"a", "b"}, "<a><b>"},
		{"hostile", `printf '<%s>' =={}== | cat`, []string{"$(touch pwned)", "'\""}, "<==$(touch pwned)==><=='\"==>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse([]string{tc.script}, Options{Context: true})
			if err != nil {
				t.Fatal(err)
			}
			if !tp.Shell() {
				t.Fatalf("Parse(%q): want shell mode", tc.script)
			}
			argv := tp.Expand(tc.args, 1, 1)
			if other := tp.Expand([]string{"x", "y"}, 1, 1); other[2] != argv[2] {
				t.Fatalf("the script depends on the values: %q, %q", argv[2], other[2])
			}
			if got := runShEnv(t, argv, tp.AppendEnv(nil, tc.args)); got != tc.want {
				t.Errorf("script %q: got %q, want %q", argv[2], got, tc.want)
			}
			// --dry-run shows the same command.
			dry := tp.DryRun(tc.args, 1, 1)
			if got := runShEnv(t, []string{"/bin/sh", "-c", dry}, nil); got != tc.want {
				t.Errorf("dry run %q: got %q, want %q", dry, got, tc.want)
			}
		})
	}
}

func TestQuoteOption(t *testing.T) {
	tests := []struct {
		words []string
		want  []string
	}{
		{[]string{"echo a|b {}"}, []string{"echo a|b v"}},
		{[]string{"printf", "%s\n", "{}"}, []string{"printf", "%s\n", "v"}},
		{[]string{"echo"}, []string{"echo", "v"}},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, Options{Quote: true})
		if err != nil {
			t.Fatal(err)
		}
		if tp.Shell() {
			t.Errorf("Parse(%q, Quote): got shell mode, want direct", tc.words)
		}
		if got := tp.Expand([]string{"v"}, 1, 1); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q, Quote).Expand: got %q, want %q", tc.words, got, tc.want)
		}
	}
	if _, err := Parse([]string{"echo"}, Options{Quote: true, Shell: true}); err == nil {
		t.Errorf("Quote and Shell: got no error, want one")
	}
}

func TestPerlExpressions(t *testing.T) {
	for _, words := range [][]string{
		{"echo", "{= s/a/b/ =}"},
		{"echo {=1 $_++ =} | cat"},
		{"echo", "x{=uq=}y"},
		// GNU parallel joins the words first: one expression in three words.
		{"echo", "{=", "1", "=}"},
		{"echo", "{=", "=}"},
	} {
		_, err := Parse(words, Options{})
		if err == nil || !strings.Contains(err.Error(), "Perl expressions {= ... =} are not supported") || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q): got %v, want one line about Perl expressions", words, err)
		}
	}
	if _, err := ParseString("{= $_ =}", Options{}); err == nil {
		t.Errorf("ParseString({= $_ =}): got no error, want one")
	}
	for _, words := range [][]string{{"echo", "{="}, {"echo", "a=}{="}, {"echo", "=}", "{="}} {
		if _, err := Parse(words, Options{}); err != nil {
			t.Errorf("Parse(%q): %v, want no error", words, err)
		}
	}
}

func TestSize(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		opt   Options
		want  Size
	}{
		{"appended", []string{"echo"}, Options{}, Size{Fixed: 5, PerValue: 1}},
		{"bare", []string{"echo", "{}"}, Options{}, Size{Fixed: 5, PerValue: 1}},
		{"-m word", []string{"echo", "x{}y"}, Options{}, Size{Fixed: 8, PerValue: 1, Joined: true}},
		{"-X word", []string{"echo", "x{}y"}, Options{Context: true}, Size{Fixed: 5, PerValue: 3}},
		{"two words", []string{"cp", "{}", "{}.bak"}, Options{Context: true}, Size{Fixed: 3, PerValue: 6}},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.Size(); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	tp, err := Parse([]string{"echo {} | cat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tp.Size(); !got.Script || got.ScriptFixed != int64(len("echo  | cat")) {
		t.Errorf("shell: got %+v, want Script with ScriptFixed %d", got, len("echo  | cat"))
	}
}

// runShEnv runs argv with env (added to a minimal environment) in an empty
// directory and returns its stdout; no file may appear.
func runShEnv(t *testing.T, argv, env []string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run %q: %v", argv, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) > 0 {
		t.Fatalf("%q: a value ran as code: %s appeared", argv, ents[0].Name())
	}
	return string(out)
}

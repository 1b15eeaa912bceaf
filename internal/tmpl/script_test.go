package tmpl

import (
	"reflect"
	"strings"
	"testing"
)

// TestPlaces checks where the scanner places each replacement string of a
// script: its quoting and whether the shell evaluates it as arithmetic.
func TestPlaces(t *testing.T) {
	u, d, s, a, h := place{q: qUnquoted}, place{q: qDouble}, place{q: qSingle}, place{q: qArith, arith: true}, place{q: qHeredoc}
	ua := place{q: qUnquoted, arith: true}
	tests := []struct {
		script string
		want   []place
	}{
		{"echo {} \"{}\" '{}' # {}", []place{u, d, s, {q: qComment}}},
		{"echo $'a{}\\'{}' $\"{}\"", []place{{q: qAnsi}, {q: qAnsi}, d}},
		{"echo $'\\{}'", []place{{q: qEscaped}}},
		{"echo \"$(echo {} \"{}\")\" `echo {}` ${x:-{}} ${x:-'{}'}", []place{u, d, {q: qBacktick}, {q: qBrace}, s}},
		{"echo $(( {} + $(echo {}) )) $(({}))", []place{a, u, a}},
		{"echo $(( \"{}\" ))", []place{{q: qDouble, arith: true}}},
		{"(( {} )); ( ({}) ); for ((;{};)); do echo {}; done", []place{a, u, a, u}},
		{"x=$[{}]; a[{}]=1; b[1]={}; echo a[{}]", []place{a, a, u, u}},
		{"let x={} \"y={}\"; echo {}", []place{ua, {q: qDouble, arith: true}, u}},
		{"declare -i x={}; declare y={}; local -ri z={}; typeset +x w={}", []place{ua, u, ua, u}},
		{"builtin let x={}; command let y={}", []place{ua, ua}},
		{"echo let {}; let={}; x=1 let {}", []place{u, u, ua}},
		{"[[ {} -eq 1 && {} == {} || 1 -lt {} ]]; [[ -n {} ]]; [ {} -eq 1 ]", []place{ua, u, u, ua, u, u}},
		{"[[ \"{}\" -ge $(echo {}) ]]", []place{{q: qDouble, arith: true}, u}},
		{"case {} in ({}|{}) let x={};; *) echo {};& esac; let y={}", []place{u, u, u, ua, u, ua}},
		{"echo $(case x in x) echo \"{}\";; esac) \"$(case x in x) echo {};; esac)\"", []place{d, u}},
		{"f() { let x={}; }; function g { let y={}; }", []place{ua, ua}},
		{"cat <<EOF; echo {}\n{} \"{}\" '{}' $(echo {}) $(( {} ))\nEOF\necho {}", []place{u, h, h, h, u, a, u}},
		{"cat <<-'E' <<\"F\" <<G\n\t{}\n\tE\n{}\nF\n{}\nG", []place{{q: qHereQuoted}, {q: qHereQuoted}, h}},
		{"cat <<E\\OF\n{}\nEOF\ncat <<{}", []place{{q: qHereQuoted}, {q: qHereDelim}}},
		{"cat <<<{}; echo {}>{} 2>&1 {}", []place{u, u, u, u}},
		{"echo \\{} ${} \"${}\" $", []place{{q: qEscaped}, {q: qDollar}, {q: qDollar}}},
		{"$((echo {}) | cat)", []place{a}},
	}
	for _, tc := range tests {
		line := strings.ReplaceAll(tc.script, "{}", "\x00")
		r := scanShell(line, true)
		if r.err != nil {
			t.Errorf("%q: got error %v", tc.script, r.err)
			continue
		}
		got := r.places
		for i := range got {
			got[i].plain = false
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %+v, want %+v", tc.script, got, tc.want)
		}
	}
}

func TestIsNumber(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"0", true}, {"42", true}, {" -1 ", true}, {"2 * (3 + 4)", true}, {"1 << 2 | 3 ^ ~4", true},
		{"0x1F", true}, {"16#ff", true}, {"64#@_", true}, {"1.5", true}, {"1e3", true}, {"2.5E-3", true},
		{"x ? 1 : 2", false}, {"1 ? 2 : 3", true}, {"1,2", true}, {"!0 && 1 || 0", true},
		{"", false}, {" ", false}, {"+", false}, {"()", false},
		{"a", false}, {"a[0]", false}, {"a[$(touch x)]", false}, {"$(touch x)", false}, {"`x`", false},
		{"1a", false}, {"1_", false}, {"0x", false}, {"0xg", false}, {"16#", false}, {"1.", false}, {".5", false},
		{"1e", false}, {"1ex", false}, {"1#2#3", false}, {"x=1", false}, {"1'", false}, {"\"1\"", false},
		{"1\\", false}, {"[1]", false}, {"1;2", false}, {"GOPOOL_ARG_1", false}, {"1 a", false},
	}
	for _, tc := range tests {
		if got := isNumber(tc.s); got != tc.want {
			t.Errorf("isNumber(%q): got %v, want %v", tc.s, got, tc.want)
		}
	}
}

// TestScriptWord checks which direct-mode templates have a shell script
// word whose values are passed as data.
func TestScriptWord(t *testing.T) {
	tests := []struct {
		words []string
		want  []string // argv of Expand with the value "v"; nil: not a script
		env   []string
	}{
		{[]string{"sh", "-c", "echo {}"}, []string{"sh", "-c", `echo "${GOPOOL_ARG_1}"`}, []string{"GOPOOL_ARG_1=v"}},
		{[]string{"/bin/bash", "-ec", "echo {}", "_", "{}"}, []string{"/bin/bash", "-ec", `echo "${GOPOOL_ARG_1}"`, "_", "v"}, []string{"GOPOOL_ARG_1=v"}},
		{[]string{"bash", "-o", "pipefail", "+x", "--norc", "-c", "echo '{}'"}, []string{"bash", "-o", "pipefail", "+x", "--norc", "-c", `echo ''"${GOPOOL_ARG_1}"''`}, []string{"GOPOOL_ARG_1=v"}},
		{[]string{"bash", "--rcfile", "f", "-O", "extglob", "-c", "--", "x {}"}, []string{"bash", "--rcfile", "f", "-O", "extglob", "-c", "--", `x "${GOPOOL_ARG_1}"`}, []string{"GOPOOL_ARG_1=v"}},
		{[]string{"busybox", "sh", "-c", "echo {.}"}, []string{"busybox", "sh", "-c", `echo "${GOPOOL_ARG_1_NOEXT}"`}, []string{"GOPOOL_ARG_1_NOEXT=v"}},
		{[]string{"sh -c 'echo {}; exit 0'"}, []string{"sh", "-c", `echo "${GOPOOL_ARG_1}"; exit 0`}, []string{"GOPOOL_ARG_1=v"}},
		{[]string{"zsh", "-c", "echo $(( {} ))"}, []string{"zsh", "-c", `echo $(( ${GOPOOL_NUM_1:?not a number} ))`}, []string{"GOPOOL_NUM_1="}},
		{[]string{"sh", "-c", "{}"}, nil, nil},
		{[]string{"sh", "-c", "echo x", "{}"}, nil, nil},
		{[]string{"sh", "{}", "-c", "echo {}"}, nil, nil},
		{[]string{"sh", "-e", "echo {}"}, nil, nil},
		{[]string{"python", "-c", "print('{}')"}, nil, nil},
		{[]string{"busybox", "-c", "echo {}"}, nil, nil},
		{[]string{"{}", "-c", "echo {}"}, nil, nil},
		{[]string{"sh", "-c"}, nil, nil},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, Options{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.words, err)
		}
		got := tp.Expand([]string{"v"}, 1, 1)
		env := tp.AppendEnv(nil, []string{"v"})
		if tc.want == nil {
			if env != nil {
				t.Errorf("%q: got env %q, want none (argv %q)", tc.words, env, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(env, tc.env) {
			t.Errorf("%q: got %q with env %q, want %q with env %q", tc.words, got, env, tc.want, tc.env)
		}
	}
}

func TestScriptWordErrors(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"sh", "-c", "echo '{}"}, `unbalanced quote in the script of -c in template "sh -c echo '{}"`},
		{[]string{"sh", "-c", "echo `{}`"}, "{} inside `...` cannot be passed safely"},
		{[]string{"sh -c 'echo \\{}'"}, "right after a backslash"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.words, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q): got error %v, want %q", tc.words, err, tc.want)
		}
	}
}

// TestDryRun checks --dry-run lines: inline where exactly equivalent, the
// variables before the command elsewhere.
func TestDryRun(t *testing.T) {
	tests := []struct {
		words []string
		opt   Options
		args  []string
		want  string
	}{
		{[]string{"echo", "{}"}, Options{}, []string{"a b"}, "echo 'a b'"},
		{[]string{"echo {} | cat"}, Options{}, []string{"a b"}, "echo 'a b' | cat"},
		{[]string{"sh", "-c", "echo {} \"{}\" '{}'; [[ {} =~ x ]]; {} x", "_", "{}"}, Options{}, []string{"a.b"},
			`sh -c 'echo a.b "a.b" '\''a.b'\''; [[ '\''a.b'\'' =~ x ]]; '\''a.b'\'' x' _ a.b`},
		{[]string{"sh", "-c", "echo {}"}, Options{}, []string{"a b", "c"}, `sh -c 'echo '\''a b'\'' c'`},
		{[]string{"echo $(( {} ))"}, Options{ShellPath: "/bin/bash"}, []string{"1", "x"},
			`GOPOOL_NUM_1='1' GOPOOL_NUM_2='' /bin/bash -c 'echo $(( ${GOPOOL_NUM_1:?not a number} ${GOPOOL_NUM_2:?not a number} ))'`},
		{[]string{"sh", "-c", "echo $'{}'", "{#}"}, Options{}, []string{"it's"}, `GOPOOL_ARG_1='it'\''s' sh -c 'echo $'\'''\''"${GOPOOL_ARG_1}"$'\'''\''' 7`},
		{[]string{"echo {#} | cat"}, Options{}, []string{"a"}, "echo 7 | cat"},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, tc.opt)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.words, err)
		}
		if got := tp.DryRun(tc.args, 7, 2); got != tc.want {
			t.Errorf("%q with %q: got %q, want %q", tc.words, tc.args, got, tc.want)
		}
	}
}

// TestRenderingCache checks that a script is rendered once per number of
// arguments and is the same for every job.
func TestRenderingCache(t *testing.T) {
	tp, err := Parse([]string{"echo {} | cat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := tp.Expand([]string{"x"}, 1, 1)[2]
	b := tp.Expand([]string{"y"}, 2, 2)[2]
	if a != b || tp.sc.rendering(1) != tp.sc.one {
		t.Errorf("one argument: got scripts %q and %q, want the built one", a, b)
	}
	if r3 := tp.sc.rendering(3); tp.sc.rendering(3) != r3 {
		t.Errorf("three arguments: got two renderings, want one cached")
	}
	if r := tp.sc.rendering(maxCached + 1); len(r.vars) != maxCached+1 {
		t.Errorf("%d arguments: got %d variables", maxCached+1, len(r.vars))
	}
	fixed, err := Parse([]string{"echo {1} | cat"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fixed.sc.rendering(5) != fixed.sc.one {
		t.Errorf("{1} with five arguments: got a new rendering, want the one of one argument")
	}
}

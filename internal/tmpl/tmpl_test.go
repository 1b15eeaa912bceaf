package tmpl

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestExpandDirect(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		opt   Options
		args  []string
		want  []string
	}{
		{"record", []string{"echo", "{}"}, Options{}, []string{"a.b/c.d"}, []string{"echo", "a.b/c.d"}},
		{"no extension", []string{"echo", "{.}"}, Options{}, []string{"a.b/c.d"}, []string{"echo", "a.b/c"}},
		{"basename", []string{"echo", "{/}"}, Options{}, []string{"a.b/c.d"}, []string{"echo", "c.d"}},
		{"dirname", []string{"echo", "{//}"}, Options{}, []string{"a.b/c.d"}, []string{"echo", "a.b"}},
		{"basename no extension", []string{"echo", "{/.}"}, Options{}, []string{"a.b/c.d"}, []string{"echo", "c"}},
		{"job number and slot", []string{"echo", "{#}", "{%}", "{#}-{%}"}, Options{}, []string{"x"}, []string{"echo", "42", "3", "42-3"}},
		{"alias <>", []string{"echo", "<>", "x<>y"}, Options{}, []string{"v"}, []string{"echo", "v", "xvy"}},
		{"in a longer word", []string{"cp", "{}", "{}.bak"}, Options{}, []string{"f"}, []string{"cp", "f", "f.bak"}},
		{"argument N", []string{"echo", "{2}", "{1}"}, Options{}, []string{"a", "b"}, []string{"echo", "b", "a"}},
		{"argument N with modifiers", []string{"echo", "{1.}", "{2/}", "{2//}", "{2/.}"}, Options{}, []string{"x.tar.gz", "/d/e.f"}, []string{"echo", "x.tar", "e.f", "/d", "e"}},
		{"argument from the end", []string{"echo", "{-1}"}, Options{}, []string{"a", "b", "c"}, []string{"echo", "c"}},
		{"argument N beyond the arguments", []string{"echo", "{3}", "x{3}y"}, Options{}, []string{"a"}, []string{"echo", "", "xy"}},
		{"zero is not a replacement", []string{"echo", "{0}"}, Options{}, []string{"a"}, []string{"echo", "{0}", "a"}},
		{"multi args one word each", []string{"echo", "{}"}, Options{}, []string{"a", "b", "c"}, []string{"echo", "a", "b", "c"}},
		{"multi args modifier per argument", []string{"echo", "{.}"}, Options{}, []string{"a.x", "b.y"}, []string{"echo", "a", "b"}},
		{"multi args joined in a longer word", []string{"echo", "<{.}>"}, Options{}, []string{"a.x", "b.y"}, []string{"echo", "<a b>"}},
		{"no args", []string{"echo", "{}", "x{}"}, Options{}, nil, []string{"echo", "", "x"}},
		{"append without replacement", []string{"gzip", "-k"}, Options{}, []string{"a", "b c"}, []string{"gzip", "-k", "a", "b c"}},
		{"job number only: no append", []string{"echo", "{#}"}, Options{}, []string{"a"}, []string{"echo", "42"}},
		{"-I string", []string{"mv", "XX", "XX.{}", "<>"}, Options{Replace: "XX"}, []string{"f"}, []string{"mv", "f", "f.{}", "<>"}},
		{"-I keeps other strings", []string{"echo", "XX", "{.}", "{#}"}, Options{Replace: "XX"}, []string{"f.c"}, []string{"echo", "f.c", "f", "42"}},
		{"-I {}", []string{"echo", "{}"}, Options{Replace: "{}"}, []string{"f"}, []string{"echo", "f"}},
		{"unknown braces are literal", []string{"echo", "{a}", "{", "}", "{1x}", "{}"}, Options{}, []string{"v"}, []string{"echo", "{a}", "{", "}", "{1x}", "v"}},
		{"one word split", []string{"gzip -k {}"}, Options{}, []string{"a b"}, []string{"gzip", "-k", "a b"}},
		{"one word quoted word kept", []string{"echo 'a b' \"c d\" {}"}, Options{}, []string{"v"}, []string{"echo", "a b", "c d", "v"}},
		{"one word quoted replacement", []string{"echo '{}' \"x{}\""}, Options{}, []string{"a", "b"}, []string{"echo", "a", "b", "xa b"}},
		{"one word empty quoted word", []string{"echo '' {}"}, Options{}, []string{"v"}, []string{"echo", "", "v"}},
		{"one word append", []string{"echo -n"}, Options{}, []string{"v w"}, []string{"echo", "-n", "v w"}},
		{"one word alias", []string{"echo <>"}, Options{}, []string{"v"}, []string{"echo", "v"}},
		{"one word dollar at the end", []string{"echo a$"}, Options{}, []string{"v"}, []string{"echo", "a$", "v"}},
		{"one word single quotes keep syntax", []string{"echo '|;&$(x)*'"}, Options{}, []string{"v"}, []string{"echo", "|;&$(x)*", "v"}},
		{"several words keep syntax", []string{"echo", "|", "$(x)", ";"}, Options{}, []string{"v"}, []string{"echo", "|", "$(x)", ";", "v"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.words, tc.opt)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.words, err)
			}
			if tp.Shell() {
				t.Fatalf("Parse(%q).Shell(): got true, want false", tc.words)
			}
			got := tp.Expand(tc.args, 42, 3)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Expand(%q): got %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

func TestShellDetection(t *testing.T) {
	tests := []struct {
		tmpl  string
		shell bool
	}{
		{"gzip -k {}", false},
		{"echo 'a b' {}", false},
		{`echo "a b" {}`, false},
		{"echo '$HOME|;' {}", false},
		{"echo a$ {}", false},
		{"echo a#b", false},
		{"echo a~b", false},
		{"echo {#} {%}", false},
		{"echo <>", false},
		{"echo {} | wc -c", true},
		{"a && b", true},
		{"a || b", true},
		{"a; b", true},
		{"a & b", true},
		{"a > f", true},
		{"a < f", true},
		{"a 2>&1", true},
		{"echo $(date) {}", true},
		{"echo `date`", true},
		{"echo $HOME", true},
		{`echo "$HOME"`, true},
		{"echo ${HOME}", true},
		{"echo $1", true},
		{"echo $?", true},
		{"ls *.go", true},
		{"ls a?", true},
		{"ls [ab]", true},
		{"ls ~", true},
		{"ls ~/x", true},
		{"echo a\nb", true},
		{"echo {} # comment", true},
		{`echo a\ b`, true},
		{"(cd /tmp)", true},
		{"FOO=1 cmd {}", true},
		{"cd /tmp", true},
		{"exit 3", true},
		{"if true", true},
		{"! false", true},
	}
	for _, tc := range tests {
		t.Run(tc.tmpl, func(t *testing.T) {
			tp, err := Parse([]string{tc.tmpl}, Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := tp.Shell(); got != tc.shell {
				t.Errorf("Shell(): got %v, want %v", got, tc.shell)
			}
			argv := tp.Expand([]string{"v"}, 1, 1)
			if tc.shell {
				want := []string{"/bin/sh", "-c"}
				if len(argv) != 3 || !reflect.DeepEqual(argv[:2], want) {
					t.Errorf("Expand: got %q, want /bin/sh -c SCRIPT", argv)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		opt   Options
		want  string
	}{
		{"no words", nil, Options{}, "empty template"},
		{"blank", []string{"  \t "}, Options{}, "empty template"},
		{"blank shell", []string{" "}, Options{Shell: true}, "empty template"},
		{"unbalanced single", []string{"echo 'a {}"}, Options{}, `unbalanced quote in template "echo 'a {}"`},
		{"unbalanced double", []string{`echo "a {}`}, Options{}, "unbalanced quote in template"},
		{"unbalanced after shell syntax", []string{"echo {} | 'wc"}, Options{}, "unbalanced quote in template"},
		{"unbalanced forced shell", []string{"echo", "'{}"}, Options{Shell: true}, "unbalanced quote in template"},
		{"unbalanced backquote", []string{"echo `date"}, Options{}, "unbalanced backquote"},
		{"unbalanced paren", []string{"echo $(date"}, Options{}, "unbalanced parenthesis"},
		{"trailing backslash", []string{`echo \`}, Options{}, "trailing backslash"},
		{"NUL", []string{"echo", "a\x00b"}, Options{}, "NUL byte"},
		{"NUL in -I", []string{"echo"}, Options{Replace: "\x00"}, "NUL byte"},
		{"in backquotes", []string{"echo `basename {}`"}, Options{}, "inside `...`"},
		{"after backslash", []string{`echo \{} | cat`}, Options{}, "after a backslash"},
		{"after dollar", []string{`echo ${} | cat`}, Options{}, "after $"},
		{"after dollar in double quotes", []string{`echo "${}" | cat`}, Options{}, "after $"},
		{"inside ${...}", []string{`echo ${x:-{}}`}, Options{}, "inside ${...}"},
		{"append into a comment", []string{"echo a # note"}, Options{}, "ends in a comment"},
		{"in a quoted here-document", []string{"cat <<'EOF'\n{}\nEOF"}, Options{}, "{} inside a quoted here-document (<<'EOF') cannot be passed"},
		{"in a here-document delimiter", []string{"cat <<x{}\nx\n"}, Options{}, "{} in a here-document delimiter"},
		{"unbalanced arithmetic", []string{"echo $(( {} + 1"}, Options{}, "unbalanced parenthesis"},
		{"unbalanced ansi-c quote", []string{"echo $'{}\\'"}, Options{}, "unbalanced quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.words, tc.opt)
			if err == nil {
				t.Fatalf("Parse(%q): got %+v, want error %q", tc.words, tp, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q): got error %q, want it to contain %q", tc.words, err, tc.want)
			}
		})
	}
}

func TestUnbalancedIsErrQuote(t *testing.T) {
	_, err := Parse([]string{"echo 'x"}, Options{})
	if !errors.Is(err, errQuote) {
		t.Errorf("got %v, want an error wrapping %v", err, errQuote)
	}
}

// TestDryRunShell checks the --dry-run line of shell templates whose
// values are quoted inline, exactly as gopool ran them before values were
// passed as data.
func TestDryRunShell(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		opt   Options
		args  []string
		want  string
	}{
		{"pipe", []string{"echo {} | wc -c"}, Options{}, []string{"a b"}, "echo 'a b' | wc -c"},
		{"single quote in value", []string{"echo {} | cat"}, Options{}, []string{"it's"}, `echo 'it'\''s' | cat`},
		{"multi args quoted one by one", []string{"echo {} | cat"}, Options{}, []string{"a", "b c"}, "echo 'a' 'b c' | cat"},
		{"modifier per argument", []string{"echo {.} | cat"}, Options{}, []string{"a.x", "b.y"}, "echo 'a' 'b' | cat"},
		{"append quoted", []string{"echo x | cat"}, Options{}, []string{"a b", "c"}, "echo x | cat 'a b' 'c'"},
		{"job number and slot", []string{"echo {#} {%}; true"}, Options{}, []string{"a"}, "echo 42 3; true"},
		{"inside double quotes", []string{`echo "<{}>" | cat`}, Options{}, []string{"$x `y` \"z\" \\"}, "echo \"<\\$x \\`y\\` \\\"z\\\" \\\\>\" | cat"},
		{"inside single quotes", []string{`echo '<{}>' | cat`}, Options{}, []string{"it's"}, `echo '<it'\''s>' | cat`},
		{"inside $(...)", []string{`echo $(basename {})`}, Options{}, []string{"a b"}, `echo $(basename 'a b')`},
		{"double quotes in $(...) in double quotes", []string{`echo "$(basename "{}")"`}, Options{}, []string{"$(x)"}, `echo "$(basename "\$(x)")"`},
		{"comment drops the value", []string{"echo {} # {}"}, Options{}, []string{"a\nrm -rf x"}, "echo 'a\nrm -rf x' # "},
		{"forced shell joins words", []string{"echo", "{}", "|", "cat"}, Options{Shell: true}, []string{"v"}, "echo 'v' | cat"},
		{"forced shell simple", []string{"gzip -k {}"}, Options{Shell: true}, []string{"v"}, "gzip -k 'v'"},
		{"-I", []string{"echo XX {} | cat"}, Options{Replace: "XX"}, []string{"v"}, "echo 'v' {} | cat"},
		{"argument beyond", []string{"echo {2} | cat"}, Options{}, []string{"v"}, "echo '' | cat"},
		{"no args", []string{"echo {} | cat"}, Options{}, nil, "echo '' | cat"},
		{"alias", []string{"echo <> >/dev/null"}, Options{}, []string{"v"}, "echo 'v' >/dev/null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.words, tc.opt)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.words, err)
			}
			if !tp.Shell() {
				t.Fatalf("Shell(): got false, want true")
			}
			if got := tp.DryRun(tc.args, 42, 3); got != tc.want {
				t.Errorf("DryRun(%q): got %q, want %q", tc.args, got, tc.want)
			}
		})
	}
}

// TestExpandShell checks the script and the environment of shell
// templates: the script refers to the values, which the environment holds.
func TestExpandShell(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		opt   Options
		args  []string
		want  string
		env   []string
	}{
		{"unquoted", []string{"echo {} | wc -c"}, Options{}, []string{"a b"}, `echo "${GOPOOL_ARG_1}" | wc -c`, []string{"GOPOOL_ARG_1=a b"}},
		{"multi args one by one", []string{"echo {} | cat"}, Options{}, []string{"a", "b c"},
			`echo "${GOPOOL_ARG_1}" "${GOPOOL_ARG_2}" | cat`, []string{"GOPOOL_ARG_1=a", "GOPOOL_ARG_2=b c"}},
		{"modifiers computed in Go", []string{"echo {.} {/} {//} {/.} {2/} | cat"}, Options{}, []string{"d/a.x", "e/b.y"},
			`echo "${GOPOOL_ARG_1_NOEXT}" "${GOPOOL_ARG_2_NOEXT}" "${GOPOOL_ARG_1_BASE}" "${GOPOOL_ARG_2_BASE}" "${GOPOOL_ARG_1_DIR}" "${GOPOOL_ARG_2_DIR}" "${GOPOOL_ARG_1_BASE_NOEXT}" "${GOPOOL_ARG_2_BASE_NOEXT}" "${GOPOOL_ARG_2_BASE}" | cat`,
			[]string{"GOPOOL_ARG_1_NOEXT=d/a", "GOPOOL_ARG_2_NOEXT=e/b", "GOPOOL_ARG_1_BASE=a.x", "GOPOOL_ARG_2_BASE=b.y",
				"GOPOOL_ARG_1_DIR=d", "GOPOOL_ARG_2_DIR=e", "GOPOOL_ARG_1_BASE_NOEXT=a", "GOPOOL_ARG_2_BASE_NOEXT=b"}},
		{"one variable per value", []string{"cp {} {}.bak; echo {1}"}, Options{}, []string{"f"},
			`cp "${GOPOOL_ARG_1}" "${GOPOOL_ARG_1}".bak; echo "${GOPOOL_ARG_1}"`, []string{"GOPOOL_ARG_1=f"}},
		{"append", []string{"echo x | cat"}, Options{}, []string{"a b", "c"}, `echo x | cat "${GOPOOL_ARG_1}" "${GOPOOL_ARG_2}"`,
			[]string{"GOPOOL_ARG_1=a b", "GOPOOL_ARG_2=c"}},
		{"double quotes", []string{`echo "<{}>" | cat`}, Options{}, []string{"$x"}, `echo "<${GOPOOL_ARG_1}>" | cat`, []string{"GOPOOL_ARG_1=$x"}},
		{"single quotes", []string{`echo '<{}>' | cat`}, Options{}, []string{"it's"}, `echo '<'"${GOPOOL_ARG_1}"'>' | cat`, []string{"GOPOOL_ARG_1=it's"}},
		{"single quotes multi", []string{`echo '<{}>' | cat`}, Options{}, []string{"a", "b"}, `echo '<'"${GOPOOL_ARG_1} ${GOPOOL_ARG_2}"'>' | cat`,
			[]string{"GOPOOL_ARG_1=a", "GOPOOL_ARG_2=b"}},
		{"ansi-c quotes", []string{`echo $'<{}>\n' | cat`}, Options{}, []string{"a"}, `echo $'<'"${GOPOOL_ARG_1}"$'>\n' | cat`, []string{"GOPOOL_ARG_1=a"}},
		{"here-document", []string{"cat <<EOF\n<{}>\nEOF"}, Options{}, []string{"a"}, "cat <<EOF\n<${GOPOOL_ARG_1}>\nEOF", []string{"GOPOOL_ARG_1=a"}},
		{"here-document strip tabs", []string{"cat <<-EOF\n\t{}\n\tEOF\necho {}"}, Options{}, []string{"a"},
			"cat <<-EOF\n\t${GOPOOL_ARG_1}\n\tEOF\necho \"${GOPOOL_ARG_1}\"", []string{"GOPOOL_ARG_1=a"}},
		{"here-document then more", []string{"cat <<A <<'B'; echo {}\n{}\nA\n{#}\nB\necho {}"}, Options{}, []string{"a"},
			"cat <<A <<'B'; echo \"${GOPOOL_ARG_1}\"\n${GOPOOL_ARG_1}\nA\n42\nB\necho \"${GOPOOL_ARG_1}\"", []string{"GOPOOL_ARG_1=a"}},
		{"comment", []string{"echo {} # {}"}, Options{}, []string{"a"}, `echo "${GOPOOL_ARG_1}" # `, []string{"GOPOOL_ARG_1=a"}},
		{"arithmetic", []string{"echo $(( {} + 1 ))"}, Options{}, []string{"41"}, `echo $(( ${GOPOOL_NUM_1:?not a number} + 1 ))`, []string{"GOPOOL_NUM_1=41"}},
		{"arithmetic refuses a name", []string{"echo $(( {} + 1 ))"}, Options{}, []string{"a[$(touch x)]"},
			`echo $(( ${GOPOOL_NUM_1:?not a number} + 1 ))`, []string{"GOPOOL_NUM_1="}},
		{"arithmetic command and for", []string{"(( {} )) && for ((i=0; i<{}; i++)); do echo {}; done"}, Options{}, []string{"2"},
			`(( ${GOPOOL_NUM_1:?not a number} )) && for ((i=0; i<${GOPOOL_NUM_1:?not a number}; i++)); do echo "${GOPOOL_ARG_1}"; done`,
			[]string{"GOPOOL_NUM_1=2", "GOPOOL_ARG_1=2"}},
		{"$[...]", []string{"echo $[{}]"}, Options{}, []string{"2"}, `echo $[${GOPOOL_NUM_1:?not a number}]`, []string{"GOPOOL_NUM_1=2"}},
		{"let and declare -i", []string{"let x={} 'y = {}'; declare -ri z={}; declare w={}"}, Options{}, []string{"2"},
			`let x="${GOPOOL_NUM_1:?not a number}" 'y = '"${GOPOOL_NUM_1:?not a number}"''; declare -ri z="${GOPOOL_NUM_1:?not a number}"; declare w="${GOPOOL_ARG_1}"`,
			[]string{"GOPOOL_NUM_1=2", "GOPOOL_ARG_1=2"}},
		{"[[ ]] arithmetic operands only", []string{"[[ {} -eq 1 || {} == x ]] && [ {} -eq 1 ]"}, Options{}, []string{"1"},
			`[[ "${GOPOOL_NUM_1:?not a number}" -eq 1 || "${GOPOOL_ARG_1}" == x ]] && [ "${GOPOOL_ARG_1}" -eq 1 ]`,
			[]string{"GOPOOL_NUM_1=1", "GOPOOL_ARG_1=1"}},
		{"array subscript", []string{"a[{}]=x; b={}"}, Options{}, []string{"1"}, `a[${GOPOOL_NUM_1:?not a number}]=x; b="${GOPOOL_ARG_1}"`,
			[]string{"GOPOOL_NUM_1=1", "GOPOOL_ARG_1=1"}},
		{"case", []string{"case {} in {}) echo {};; esac"}, Options{}, []string{"a"},
			`case "${GOPOOL_ARG_1}" in "${GOPOOL_ARG_1}") echo "${GOPOOL_ARG_1}";; esac`, []string{"GOPOOL_ARG_1=a"}},
		{"case in $(...)", []string{`echo "$(case x in x) let y={};; esac)"`}, Options{}, []string{"1"},
			`echo "$(case x in x) let y="${GOPOOL_NUM_1:?not a number}";; esac)"`, []string{"GOPOOL_NUM_1=1"}},
		{"function", []string{"f() { echo {}; }; function g { let x={}; }; f"}, Options{}, []string{"1"},
			`f() { echo "${GOPOOL_ARG_1}"; }; function g { let x="${GOPOOL_NUM_1:?not a number}"; }; f`,
			[]string{"GOPOOL_ARG_1=1", "GOPOOL_NUM_1=1"}},
		{"job number and slot inline", []string{"echo {#} {%} '{#}' $(( {#} )); true"}, Options{}, []string{"a"}, "echo 42 3 '42' $(( 42 )); true", nil},
		{"no args", []string{"echo {} '{}' | cat"}, Options{}, nil, `echo '' '' | cat`, nil},
		{"argument beyond", []string{"echo {2} | cat"}, Options{}, []string{"v"}, "echo '' | cat", nil},
		{"argument from the end", []string{"echo {-1} | cat"}, Options{}, []string{"a", "b"}, `echo "${GOPOOL_ARG_2}" | cat`, []string{"GOPOOL_ARG_2=b"}},
		{"-I", []string{"echo XX {} | cat"}, Options{Replace: "XX"}, []string{"v"}, `echo "${GOPOOL_ARG_1}" {} | cat`, []string{"GOPOOL_ARG_1=v"}},
		{"forced shell", []string{"gzip", "-k", "{}"}, Options{Shell: true}, []string{"v"}, `gzip -k "${GOPOOL_ARG_1}"`, []string{"GOPOOL_ARG_1=v"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := Parse(tc.words, tc.opt)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.words, err)
			}
			if !tp.Shell() {
				t.Fatalf("Shell(): got false, want true")
			}
			got := tp.Expand(tc.args, 42, 3)
			want := []string{"/bin/sh", "-c", tc.want}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Expand(%q): got %q, want %q", tc.args, got, want)
			}
			if env := tp.AppendEnv(nil, tc.args); !reflect.DeepEqual(env, tc.env) {
				t.Errorf("AppendEnv(%q): got %q, want %q", tc.args, env, tc.env)
			}
		})
	}
}

func TestShellPath(t *testing.T) {
	tp, err := Parse([]string{"echo {}"}, Options{Shell: true, ShellPath: "/bin/bash"})
	if err != nil {
		t.Fatal(err)
	}
	if got := tp.Expand([]string{"v"}, 1, 1)[0]; got != "/bin/bash" {
		t.Errorf("got shell %q, want /bin/bash", got)
	}
}

// injections are values that would run a command if a shell read them
// unquoted.
var injections = []string{
	"plain",
	"a b",
	"; touch pwned",
	"| touch pwned",
	"$(touch pwned)",
	"`touch pwned`",
	"' ; touch pwned ; '",
	`" ; touch pwned ; "`,
	`\'; touch pwned #`,
	"it's",
	"$HOME ${HOME} $1 $? $$",
	"*",
	"~",
	"a\nb\ntouch pwned",
	"tab\there",
	"& touch pwned &",
	"> pwned",
	"\\",
	"\\\\'\"",
	"!x !!",
	"",
	"  ",
	"-n",
	"é ü 日本",
}

func TestInjectionDirect(t *testing.T) {
	for _, tmpl := range [][]string{{"printf", "%s", "{}"}, {"printf %s {}"}, {"printf %s '{}'"}, {"printf %s"}} {
		tp, err := Parse(tmpl, Options{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", tmpl, err)
		}
		for _, v := range injections {
			want := []string{"printf", "%s", v}
			if got := tp.Expand([]string{v}, 1, 1); !reflect.DeepEqual(got, want) {
				t.Errorf("%q with %q: got %q, want %q", tmpl, v, got, want)
			}
		}
	}
}

// runSh runs argv (a shell-mode expansion) and returns its stdout.
func runSh(t *testing.T, argv []string) string {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run %q: %v", argv, err)
	}
	return string(out)
}

func needSh(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX shell")
	}
	if _, err := exec.LookPath("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
}

// TestShellRoundTrip runs the scripts under the real /bin/sh with their
// environment: each value must arrive unchanged, and no injected command
// may run. The --dry-run line, run by sh, must print the same.
func TestShellRoundTrip(t *testing.T) {
	needSh(t)
	tests := []struct {
		tmpl string
		want func(vs []string) string
	}{
		{`printf '<%s>' {} | cat`, func(vs []string) string { return "<" + strings.Join(vs, "><") + ">" }},
		{`printf '<%s>' x{}y | cat`, func(vs []string) string {
			return "<x" + strings.Join(vs, "><") + "y>"
		}},
		{`printf '<%s>' "x{}y" | cat`, func(vs []string) string { return "<x" + strings.Join(vs, " ") + "y>" }},
		{`printf '<%s>' 'x{}y' | cat`, func(vs []string) string { return "<x" + strings.Join(vs, " ") + "y>" }},
		{`printf '<%s>' "$(printf '%s' "{}")" | cat`, func(vs []string) string { return "<" + strings.Join(vs, " ") + ">" }},
		{`printf '<%s>' $(printf '[%s]' {}) | cat`, nil},
		{`printf '<%s>' | cat # {}`, func([]string) string { return "<>" }},
		{`printf '<%s>' | cat`, nil}, // appended to cat: a file name, checked below
	}
	for _, tc := range tests {
		tp, err := Parse([]string{tc.tmpl}, Options{})
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.tmpl, err)
		}
		for _, v := range injections {
			for _, vs := range [][]string{{v}, {v, "second"}} {
				argv := tp.Expand(vs, 1, 1)
				dir := t.TempDir()
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Dir = dir
				cmd.Env = tp.AppendEnv(os.Environ(), vs)
				out, err := cmd.Output()
				dry := tp.DryRun(vs, 1, 1)
				dcmd := exec.Command("/bin/sh", "-c", dry)
				dcmd.Dir = dir
				dout, derr := dcmd.Output()
				if tc.want != nil {
					if err != nil {
						t.Fatalf("%q with %q: run %q: %v", tc.tmpl, vs, argv, err)
					}
					if got, want := string(out), tc.want(vs); got != want {
						t.Errorf("%q with %q: got %q, want %q (script %q)", tc.tmpl, vs, got, want, argv[2])
					}
					if derr != nil || string(dout) != string(out) {
						t.Errorf("%q with %q: dry run %q printed %q (%v), the job %q", tc.tmpl, vs, dry, dout, derr, out)
					}
				}
				if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
					t.Errorf("%q with %q: an injected command ran (script %q, dry run %q)", tc.tmpl, vs, argv[2], dry)
				}
			}
		}
	}
}

// TestQuoteRoundTrip runs Quote's output under the real /bin/sh.
func TestQuoteRoundTrip(t *testing.T) {
	needSh(t)
	argv := append([]string{"printf", `%s\0`}, injections...)
	out := runSh(t, []string{"/bin/sh", "-c", Quote(argv)})
	got := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	if !reflect.DeepEqual(got, injections) {
		t.Errorf("got %q, want %q", got, injections)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		argv []string
		want string
	}{
		{[]string{"gzip", "-k", "a.txt"}, "gzip -k a.txt"},
		{[]string{"echo", "a b"}, "echo 'a b'"},
		{[]string{"echo", ""}, "echo ''"},
		{[]string{"echo", "it's"}, `echo 'it'\''s'`},
		{[]string{"echo", "-_./=:,+@%"}, "echo -_./=:,+@%"},
		{[]string{"echo", "$x", "*", "~", "a;b", "é"}, `echo '$x' '*' '~' 'a;b' 'é'`},
		{[]string{"FOO=1", "A=b"}, "'FOO=1' A=b"},
		{[]string{"if", "if"}, "'if' if"},
		{[]string{"/bin/sh", "-c", "echo 'a' | wc"}, `/bin/sh -c 'echo '\''a'\'' | wc'`},
		{nil, ""},
	}
	for _, tc := range tests {
		if got := Quote(tc.argv); got != tc.want {
			t.Errorf("Quote(%q): got %q, want %q", tc.argv, got, tc.want)
		}
	}
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		line    string
		opt     Options
		want    []string
		wantErr string
	}{
		{line: "gzip -k a.txt", want: []string{"gzip", "-k", "a.txt"}},
		{line: "  echo   'a  b' \"c\"  ", want: []string{"echo", "a  b", "c"}},
		{line: "echo {} {.} {#}", want: []string{"echo", "{}", "{.}", "{#}"}},
		{line: "echo {} <>", want: []string{"/bin/sh", "-c", "echo {} <>"}},
		{line: "echo a | wc -c", want: []string{"/bin/sh", "-c", "echo a | wc -c"}},
		{line: "echo $HOME", want: []string{"/bin/sh", "-c", "echo $HOME"}},
		{line: "ls *.go", opt: Options{ShellPath: "/bin/bash"}, want: []string{"/bin/bash", "-c", "ls *.go"}},
		{line: "echo a", opt: Options{Shell: true}, want: []string{"/bin/sh", "-c", "echo a"}},
		{line: "echo a\x00b", want: []string{"echo", "a\x00b"}},
		{line: "echo 'a", wantErr: `unbalanced quote in command line "echo 'a"`},
		{line: "echo a | 'b", wantErr: "unbalanced quote"},
		{line: "", wantErr: "empty command line"},
		{line: " \t ", wantErr: "empty command line"},
		{line: "''", want: []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			got, err := CommandLine(tc.line, tc.opt)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %q, %v, want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %q", err, tc.want)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseString(t *testing.T) {
	tests := []struct {
		s    string
		opt  Options
		args []string
		want string
	}{
		{"{}", Options{}, []string{"a b"}, "a b"},
		{"{#}:{%}:{/.}", Options{}, []string{"d/f.x"}, "7:2:f"},
		{"[{}]", Options{}, []string{"a", "b"}, "[a b]"},
		{"{1}-{2}", Options{}, []string{"a", "b"}, "a-b"},
		{"it's $x | y", Options{}, []string{"a"}, "it's $x | y"},
		{"XX {}", Options{Replace: "XX"}, []string{"a"}, "a {}"},
		{"", Options{}, []string{"a"}, ""},
	}
	for _, tc := range tests {
		tp, err := ParseString(tc.s, tc.opt)
		if err != nil {
			t.Fatalf("ParseString(%q): %v", tc.s, err)
		}
		if got := tp.ExpandString(tc.args, 7, 2); got != tc.want {
			t.Errorf("ParseString(%q).ExpandString(%q): got %q, want %q", tc.s, tc.args, got, tc.want)
		}
	}
}

func TestExpandStringCommand(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"echo", "{}"}, "echo 'a b'"},
		{[]string{"echo {} | cat"}, "echo 'a b' | cat"},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tp.ExpandString([]string{"a b"}, 1, 1); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.words, got, tc.want)
		}
	}
}

// TestConcurrentExpand shares one template between goroutines (run with
// -race).
func TestConcurrentExpand(t *testing.T) {
	for _, words := range [][]string{{"echo", "x{}y", "{#}"}, {"echo {} | cat"}, {"cat <<EOF\n{}\nEOF"}, {"sh", "-c", "echo {}"}} {
		tp, err := Parse(words, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 200 {
					v := fmt.Sprintf("v%d-%d", g, i)
					// 1 to 4 arguments: renderings are built and cached
					// concurrently.
					args := append([]string{v}, []string{"a", "b", "c"}[:i%4]...)
					want := append(tp.Expand(args, int64(i), g), tp.AppendEnv(nil, args)...)
					got := append(tp.Expand(args, int64(i), g), tp.AppendEnv(nil, args)...)
					// The value is in argv (direct) or in the environment.
					if !reflect.DeepEqual(got, want) || !strings.Contains(strings.Join(got, " "), v) {
						errs <- fmt.Sprintf("got %q, want %q holding %q", got, want, v)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

func TestExpandAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("allocation counts differ under coverage or race")
	}
	tests := []struct {
		name  string
		words []string
		args  []string
		max   float64
	}{
		{"direct whole word", []string{"gzip", "-k", "{}"}, []string{"a.txt"}, 1},
		{"direct modifiers", []string{"echo", "{.}", "{/}", "{//}", "{/.}"}, []string{"d/a.txt"}, 1},
		{"direct append", []string{"gzip", "-k"}, []string{"a.txt", "b"}, 1},
		{"direct longer word", []string{"cp", "{}", "{}.bak"}, []string{"a.txt"}, 2},
		{"shell", []string{"gzip -c {} > {}.gz"}, []string{"a.txt"}, 2},
	}
	for _, tc := range tests {
		tp, err := Parse(tc.words, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := testing.AllocsPerRun(100, func() { tp.Expand(tc.args, 12345, 3) })
		if got > tc.max {
			t.Errorf("%s: got %v allocations per Expand, want at most %v", tc.name, got, tc.max)
		}
	}
}

func BenchmarkExpand(b *testing.B) {
	benchmarks := []struct {
		name  string
		words []string
		args  []string
	}{
		{"direct", []string{"gzip", "-k", "{}"}, []string{"some/dir/file.txt"}},
		{"direct-words", []string{"convert", "{}", "-resize", "50%", "out/{/.}.png"}, []string{"some/dir/file.jpg"}},
		{"direct-append", []string{"gzip", "-k"}, []string{"some/dir/file.txt"}},
		{"one-word", []string{"gzip -k {}"}, []string{"some/dir/file.txt"}},
		{"shell", []string{"gzip -c {} > {}.gz"}, []string{"some/dir/it's a file.txt"}},
		{"shell-multi", []string{"cat {} | wc -l"}, []string{"a", "b", "c", "d"}},
	}
	for _, bm := range benchmarks {
		tp, err := Parse(bm.words, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				tp.Expand(bm.args, int64(i), 1)
			}
		})
	}
}

// BenchmarkExpandEnv measures what a shell-mode job costs now that values
// travel in the environment: Expand and AppendEnv onto a copy of a
// 30-variable environment, as cmd builds it.
func BenchmarkExpandEnv(b *testing.B) {
	base := make([]string, 30)
	for i := range base {
		base[i] = fmt.Sprintf("VAR%d=value%d", i, i)
	}
	benchmarks := []struct {
		name  string
		words []string
		args  []string
	}{
		{"shell", []string{"gzip -c {} > {}.gz"}, []string{"some/dir/it's a file.txt"}},
		{"shell-multi", []string{"cat {} | wc -l"}, []string{"a", "b", "c", "d"}},
		{"shell-seq", []string{"echo {#} {} | cat"}, []string{"some/dir/file.txt"}},
		{"sh-c", []string{"sh", "-c", "gzip -c {} > {}.gz"}, []string{"some/dir/file.txt"}},
	}
	for _, bm := range benchmarks {
		tp, err := Parse(bm.words, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				env := make([]string, len(base), len(base)+2+len(bm.args))
				copy(env, base)
				tp.Expand(bm.args, int64(i), 1)
				tp.AppendEnv(env, bm.args)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse([]string{`gzip -c "{}" > {.}.gz && echo {#}`}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

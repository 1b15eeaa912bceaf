package tmpl

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// shWords splits a shell line the way a POSIX shell does, for the small
// part of the language that quoting produces: blanks, '...', "..." and
// backslashes. Any other shell syntax outside quotes, or an expansion
// inside double quotes, is an error: a quoted value must never produce it.
func shWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated '")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			inWord = true
			for i++; ; i++ {
				if i >= len(s) {
					return nil, errors.New(`unterminated "`)
				}
				d := s[i]
				if d == '"' {
					break
				}
				if d == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
					if s[i+1] != '\n' {
						cur.WriteByte(s[i+1])
					}
					i++
					continue
				}
				if d == '$' && dollarSyntax(s[i+1:]) && s[i+1] != '\'' && s[i+1] != '"' || d == '`' {
					return nil, fmt.Errorf("expansion %q inside double quotes at %d", d, i)
				}
				cur.WriteByte(d)
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("trailing backslash")
			}
			if s[i+1] != '\n' {
				cur.WriteByte(s[i+1])
				inWord = true
			}
			i++
		case c == '$' && !dollarSyntax(s[i+1:]):
			cur.WriteByte(c) // a lone $ is itself
			inWord = true
		case (c == '#' || c == '~') && inWord:
			cur.WriteByte(c) // special only at the start of a word
		case strings.IndexByte("$`|;&<>()*?[#~", c) >= 0:
			return nil, fmt.Errorf("shell syntax %q at %d", c, i)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// dollarSyntax reports whether a $ followed by s starts an expansion (or
// bash's $'...' and $"...").
func dollarSyntax(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("{(?#@*$!-'\"", c) >= 0
}

func TestShWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{in: `a 'b c' "d\"e\$" f\ g 'it'\''s'`, want: []string{"a", "b c", `d"e$`, "f g", "it's"}},
		{in: `''`, want: []string{""}},
		{in: `"a\b"`, want: []string{`a\b`}},
		{in: "a | b", err: true},
		{in: `"$x"`, err: true},
		{in: `"$ " "a$" "$'" "${x}"`, err: true},
		{in: `"$ " "a$" "$'"`, want: []string{"$ ", "a$", "$'"}},
		{in: "'a", err: true},
	}
	for _, tc := range tests {
		got, err := shWords(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("shWords(%q): got error %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if !tc.err && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("shWords(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// roundTrips are shell templates and the words that sh must see when one
// value v is substituted.
var roundTrips = []struct {
	tmpl string
	want func(v string) []string
}{
	{"printf %s {}", func(v string) []string { return []string{"printf", "%s", v} }},
	{"printf %s x{}y", func(v string) []string { return []string{"printf", "%s", "x" + v + "y"} }},
	{`printf %s "x{}y" {#}`, func(v string) []string { return []string{"printf", "%s", "x" + v + "y", "3"} }},
	{`printf %s 'x{}y'`, func(v string) []string { return []string{"printf", "%s", "x" + v + "y"} }},
	{`printf %s {/} {//} {.}`, func(v string) []string {
		return []string{"printf", "%s", base(v), dir(v), noExt(v)}
	}},
	{"printf %s", func(v string) []string { return []string{"printf", "%s", v} }},
}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"echo {}", "echo {} | wc", `echo "{}" '{}' $(x {}) # {}`, "a {1} {2.} {-1//}", "echo 'a", "<> {#} {%}", "x=1 {}"} {
		f.Add(s, "a b", false)
		f.Add(s, "it's $(rm -rf /)", true)
	}
	f.Fuzz(func(t *testing.T, template, value string, shell bool) {
		for _, opt := range []Options{{Shell: shell}, {Shell: shell, Replace: value}, {Shell: shell, Context: true, Plus: true, Total: 3}} {
			for _, words := range [][]string{{template}, strings.Fields(template)} {
				tp, err := Parse(words, opt)
				if err != nil {
					continue
				}
				argv := tp.Expand([]string{value, "x"}, 3, 2)
				if len(argv) == 0 {
					t.Fatalf("Parse(%q).Expand: got an empty argv", words)
				}
				if tp.Shell() && (len(argv) != 3 || argv[0] != DefaultShell || argv[1] != "-c") {
					t.Fatalf("Parse(%q).Expand: got %q, want /bin/sh -c SCRIPT", words, argv)
				}
				_ = tp.ExpandString([]string{value}, 1, 1)
				_ = tp.DryRun([]string{value, "x"}, 1, 1)
				// A script never holds a value: it is the same for any.
				if tp.sc != nil {
					other := tp.Expand([]string{"other", "x"}, 3, 2)
					i := 2
					if !tp.Shell() {
						i = tp.shWord
					}
					if other[i] != argv[i] {
						t.Fatalf("Parse(%q): the script depends on the value: %q, %q", words, argv[i], other[i])
					}
				}
			}
		}
		// The value must come through the quoting of --dry-run unchanged.
		for _, rt := range roundTrips {
			tp, err := Parse([]string{rt.tmpl}, Options{Shell: true})
			if err != nil {
				t.Fatalf("Parse(%q): %v", rt.tmpl, err)
			}
			script := tp.DryRun([]string{value}, 3, 1)
			got, err := shWords(script)
			if err != nil {
				t.Fatalf("%q with %q: script %q: %v", rt.tmpl, value, script, err)
			}
			if want := rt.want(value); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q with %q: script %q: got words %q, want %q", rt.tmpl, value, script, got, want)
			}
		}
		// In direct mode it is one argument as it is.
		tp, err := Parse([]string{"printf %s {}"}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tp.Expand([]string{value}, 1, 1), []string{"printf", "%s", value}; !reflect.DeepEqual(got, want) {
			t.Fatalf("direct: got %q, want %q", got, want)
		}
	})
}

func FuzzQuote(f *testing.F) {
	for _, s := range injections {
		f.Add(s, "b")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, argv := range [][]string{{a, b}, {"cmd", a, b}} {
			line := Quote(argv)
			got, err := shWords(line)
			if err != nil {
				t.Fatalf("Quote(%q) = %q: %v", argv, line, err)
			}
			if !reflect.DeepEqual(got, argv) {
				t.Fatalf("Quote(%q) = %q: got words %q", argv, line, got)
			}
		}
	})
}

func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{"gzip -k a", "echo 'a b' \"c\"", "echo a | wc", "echo 'a", "", " ", "FOO=1 x", "echo $(x)"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, line string, shell bool) {
		argv, err := CommandLine(line, Options{Shell: shell})
		if err != nil {
			return
		}
		if len(argv) == 0 {
			t.Fatalf("CommandLine(%q): got an empty argv", line)
		}
		if len(argv) == 3 && argv[0] == DefaultShell && argv[1] == "-c" && argv[2] == line {
			return
		}
		if shell {
			t.Fatalf("CommandLine(%q) with --shell: got %q, want /bin/sh -c LINE", line, argv)
		}
		// Split directly: a shell must read the line as the same words.
		if strings.ContainsAny(line, "\r\x00") {
			return // go-shellwords reads \r as a blank; NUL cannot reach a shell
		}
		want, err := shWords(line)
		if err != nil {
			t.Fatalf("CommandLine(%q) = %q, but a shell reads it as syntax: %v", line, argv, err)
		}
		if !reflect.DeepEqual(argv, want) {
			t.Fatalf("CommandLine(%q): got %q, a shell reads %q", line, argv, want)
		}
	})
}

// shellContext is a template that puts values in one shell context, and
// what it prints for them.
type shellContext struct {
	name  string
	words []string // SH stands for the shell's path (direct mode)
	bash  bool     // bash syntax: run under bash only
	// opt: options of the template (ShellPath is set); a context with
	// options runs alone.
	opt Options
	// arith: the values are arithmetic; the job runs only with numbers
	// and its output is not checked.
	arith bool
	want  func(vs []string) string
}

// shellContexts are the contexts FuzzShellContexts runs values in.
func shellContexts() []shellContext {
	each := func(f func(string) string) func([]string) string {
		return func(vs []string) string {
			var b strings.Builder
			for _, v := range vs {
				b.WriteString("<" + f(v) + ">")
			}
			return b.String()
		}
	}
	same := func(v string) string { return v }
	joined := func(vs []string) string { return "<" + strings.Join(vs, " ") + ">" }
	first := func(f func(string) string) func([]string) string {
		return func(vs []string) string { return f(vs[0]) }
	}
	return []shellContext{
		{name: "unquoted", words: []string{`printf '<%s>' {};`}, want: each(same)},
		{name: "in a word", words: []string{`printf '<%s>' x{}y;`}, want: func(vs []string) string {
			return "<x" + strings.Join(vs, "><") + "y>"
		}},
		{name: "double quotes", words: []string{`printf '<%s>' "x{}y";`}, want: func(vs []string) string { return "<x" + strings.Join(vs, " ") + "y>" }},
		{name: "single quotes", words: []string{`printf '<%s>' 'x{}y';`}, want: func(vs []string) string { return "<x" + strings.Join(vs, " ") + "y>" }},
		{name: "command substitution", words: []string{`printf '<%s>' "$(printf '%s' "{}")";`}, want: func(vs []string) string {
			return "<" + strings.TrimRight(strings.Join(vs, " "), "\n") + ">"
		}},
		{name: "quotes in ${...}", words: []string{`printf '<%s>' "${unset_var:-"{}"}";`}, want: joined},
		{name: "assignment", words: []string{`x={1}; printf '<%s>' "$x"`}, want: first(func(v string) string { return "<" + v + ">" })},
		{name: "for list", words: []string{`for w in {}; do printf '<%s>' "$w"; done`}, want: each(same)},
		{name: "modifiers", words: []string{`printf '<%s>' {/} {//} {.} {/.};`}, want: func(vs []string) string {
			return each(base)(vs) + each(dir)(vs) + each(noExt)(vs) + each(func(v string) string { return noExt(base(v)) })(vs)
		}},
		{name: "function after set and shift", words: []string{`f() { printf '<%s>' {}; }; set -- a b; shift; f; printf '%s' "$#"`}, want: func(vs []string) string {
			return each(same)(vs) + "1"
		}},
		{name: "case pattern", words: []string{`case {1} in {1}) printf '<%s>' {1};; *) printf NOMATCH;; esac`}, want: first(func(v string) string { return "<" + v + ">" })},
		{name: "subshell and pipeline", words: []string{`(printf '<%s>' {});`}, want: each(same)},
		{name: "comment", words: []string{"printf '<%s>' {1}; # {} `x` $(y) '"}, want: first(func(v string) string { return "<" + v + ">" })},
		{name: "here-document", words: []string{"cat <<EOF\n<{}>\nEOF"}, want: func(vs []string) string { return joined(vs) + "\n" }},
		{name: "here-document <<-", words: []string{"cat <<-EOF\n\t<{}>\n\tEOF"}, want: func(vs []string) string { return joined(vs) + "\n" }},
		{name: "here-document in $(...)", words: []string{"printf '%s' \"$(cat <<EOF\n<{}>\nEOF\n)\""}, want: joined},
		{name: "arithmetic expansion", words: []string{`printf '<%s>' $(( {1} ))`}, arith: true},
		{name: "direct sh -c", words: []string{"SH", "-c", `printf '<%s>' {} "$1"; printf '%s' "$#"`, "_", "{1}"}, want: func(vs []string) string {
			return each(same)(vs) + "<" + vs[0] + ">1"
		}},
		{name: "direct sh -c here-document", words: []string{"SH", "-c", "cat <<EOF\n<{}>\nEOF"}, want: func(vs []string) string { return joined(vs) + "\n" }},
		{name: "direct sh -c arithmetic", words: []string{"SH", "-c", `printf '<%s>' $(( {1} ))`}, arith: true},
		{name: "ansi-c quotes", bash: true, words: []string{`printf '<%s>' $'{}';`}, want: joined},
		{name: "ansi-c quotes with escapes", bash: true, words: []string{`printf '<%s>' $'\t{}\n\''`}, want: func(vs []string) string {
			return "<\t" + strings.Join(vs, " ") + "\n'>"
		}},
		{name: "[[ == ]]", bash: true, words: []string{`[[ x{1} == x{1} ]] && printf '<%s>' {1}`}, want: first(func(v string) string { return "<" + v + ">" })},
		{name: "[[ =~ ]]", bash: true, words: []string{`[[ {1} =~ ^{1}$ ]] && printf '<%s>' {1}`}, want: first(func(v string) string { return "<" + v + ">" })},
		{name: "here-string", bash: true, words: []string{`cat <<<{1}`}, want: first(func(v string) string { return v + "\n" })},
		{name: "arithmetic command", bash: true, words: []string{`(( {1} )); printf ok`}, arith: true},
		{name: "[[ -eq ]]", bash: true, words: []string{`[[ {1} -eq {1} ]]; printf ok`}, arith: true},
		{name: "let", bash: true, words: []string{`let x={1} "y = {1}"; printf ok`}, arith: true},
		{name: "declare -i", bash: true, words: []string{`declare -i x={1}; printf ok`}, arith: true},
		{name: "$[...]", bash: true, words: []string{`printf '<%s>' $[{1}]`}, arith: true},
		{name: "for ((...))", bash: true, words: []string{`for ((i=0; i<{1} && i<3; i++)); do :; done; printf ok`}, arith: true},
		{name: "array subscript", bash: true, words: []string{`a[{1}]=1; printf ok`}, arith: true},
		{name: "direct bash -c", bash: true, words: []string{"SH", "-ec", `[[ {1} == {1} ]] && printf '<%s>' $'{}'`}, want: joined},
		{name: "-X context", words: []string{`printf '<%s>' x{}y {1}.{#} | cat`}, opt: Options{Context: true}, want: func(vs []string) string {
			return each(func(v string) string { return "x" + v + "y" })(vs) + "<" + vs[0] + ".7>"
		}},
		{name: "-X context direct sh -c", words: []string{"SH", "-c", `printf '<%s>' x{}y`}, opt: Options{Context: true}, want: each(func(v string) string { return "x" + v + "y" })},
		{name: "--plus modifiers", words: []string{`printf '<%s>' {+.} {..} {:1:2} {/a/b} {%.x} {^^a}`}, opt: Options{Plus: true}, want: func(vs []string) string {
			var b strings.Builder
			for _, m := range []string{"+.", "..", ":1:2", "/a/b", "%.x", "^^a"} {
				d, _, _ := parseMod(m, true, map[string]*dynMod{})
				b.WriteString(each(func(v string) string { return apply(d, v) })(vs))
			}
			return b.String()
		}},
	}
}

// fuzzShells are the shells FuzzShellContexts runs: dash (or /bin/sh) and
// bash, those installed.
func fuzzShells(t testing.TB) (dash, bash string) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX shell")
	}
	if p, err := exec.LookPath("dash"); err == nil {
		dash = p
	} else if _, err := os.Stat("/bin/sh"); err == nil {
		dash = "/bin/sh"
	}
	bash, _ = exec.LookPath("bash")
	if dash == "" && bash == "" {
		t.Skip("no shell")
	}
	return dash, bash
}

// FuzzShellContexts expands hostile values in every shell context of
// shellContexts and runs the jobs under dash and bash in an empty
// directory: no file may appear (the values hold commands that would make
// one), and each value arrives byte for byte where the template prints it.
// In arithmetic contexts only numbers are passed: any other value stops
// the job with "not a number".
//
// The shell-mode contexts of one shell run as one script, each in a
// subshell followed by a separator and its exit status: one process per
// shell, not one per context.
func FuzzShellContexts(f *testing.F) {
	dash, bash := fuzzShells(f)
	for _, v := range []string{"plain", "$(touch pwned)"} {
		f.Add(v, "second", false)
	}
	var nonce [8]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		f.Fatal(err)
	}
	sep := fmt.Sprintf("@sep-%x@", nonce) // no value can guess it
	contexts := shellContexts()
	f.Fuzz(func(t *testing.T, v1, v2 string, two bool) {
		if strings.IndexByte(v1+v2, 0) >= 0 {
			return // no NUL reaches an argv or an environment
		}
		vs := []string{v1}
		if two {
			vs = append(vs, v2)
		}
		for _, sh := range []string{dash, bash} {
			if sh == "" {
				continue
			}
			var batch []shellContext
			for _, c := range contexts {
				switch {
				case c.bash && sh != bash:
				case c.words[0] == "SH" || c.opt.Context || c.opt.Plus:
					runContexts(t, []shellContext{c}, sh, vs, "")
				default:
					batch = append(batch, c)
				}
			}
			runContexts(t, batch, sh, vs, sep)
		}
	})
}

// runContexts runs contexts under sh with the values vs: one direct-mode
// context, or shell-mode contexts as one script, each followed by sep and
// its exit status.
func runContexts(t *testing.T, cs []shellContext, sh string, vs []string, sep string) {
	words := slices.Clone(cs[0].words)
	for i, w := range words {
		if w == "SH" {
			words[i] = sh
		}
	}
	if sep != "" {
		var b strings.Builder
		for _, c := range cs {
			fmt.Fprintf(&b, "(\n%s\n) 2>&1\nprintf '%s%%s%s' \"$?\"\n", c.words[0], sep, sep)
		}
		words = []string{b.String()}
	}
	opt := cs[0].opt
	opt.ShellPath = sh
	tp, err := Parse(words, opt)
	if err != nil {
		t.Fatalf("Parse(%q): %v", words, err)
	}
	argv := tp.Expand(vs, 7, 1)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = tp.AppendEnv([]string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C"}, vs)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("under %s with %q: timed out (argv %q)", sh, vs, argv)
	}
	if ents, _ := os.ReadDir(dir); len(ents) > 0 {
		t.Fatalf("under %s with %q: a value ran as code: %s appeared (argv %q)", sh, vs, ents[0].Name(), argv)
	}
	type result struct {
		out    string
		status string
	}
	var results []result
	if sep == "" {
		status := "0"
		if err != nil {
			status = err.Error()
		}
		results = []result{{stdout.String() + stderr.String(), status}}
	} else {
		if err != nil {
			t.Fatalf("under %s with %q: run %q: %v\n%s", sh, vs, argv, err, stderr.String())
		}
		fields := strings.Split(stdout.String(), sep)
		if len(fields) != 2*len(cs)+1 {
			t.Fatalf("under %s with %q: got %d outputs, want %d: %q (argv %q)", sh, vs, (len(fields)-1)/2, len(cs), stdout.String(), argv)
		}
		for i := range cs {
			results = append(results, result{fields[2*i], fields[2*i+1]})
		}
	}
	for i, c := range cs {
		got := results[i]
		if c.arith {
			if !isNumber(vs[0]) && (got.status == "0" || !strings.Contains(got.out, "not a number")) {
				t.Fatalf("%s under %s with %q: got status %s, output %q, want the job stopped with \"not a number\" (argv %q)", c.name, sh, vs, got.status, got.out, argv)
			}
			continue
		}
		if want := c.want(vs); got.status != "0" || got.out != want {
			t.Fatalf("%s under %s with %q: got %q (status %s), want %q (argv %q)", c.name, sh, vs, got.out, got.status, want, argv)
		}
	}
}

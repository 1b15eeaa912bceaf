package tmpl

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
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
				if d == '$' || d == '`' {
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
		for _, opt := range []Options{{Shell: shell}, {Shell: shell, Replace: value}} {
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

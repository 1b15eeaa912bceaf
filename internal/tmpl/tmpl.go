// Package tmpl parses gopool's command template and expands it for a job.
//
// The replacement strings are GNU parallel's: {} the record, {.} without
// extension, {/} basename, {//} dirname, {/.} basename without extension,
// {#} job number, {%} job slot, {N} argument N with the same modifiers
// ({2}, {2.}, {2/}, {2//}, {2/.}), {host} the machine that runs the job
// (WithHost; a shell script refers to it as ${GOPOOL_HOST}, as it does to
// a value). <> is an alias of {}. Options.Replace picks another string for
// {} (-I).
//
// With Options.Plus, GNU parallel's --plus strings too: {+/} {+.} {+..}
// {+...} {..} {...} {/..} {/...}, {##} the number of jobs (Options.Total),
// {0#} and {0%} zero-padded, {slot}, {uniq} and {choose_k} (Skip), and the
// ones with parameters, after bash: {:-str} {:num} {:pos:len} {#re} {##re}
// {%re} {%%re} {/re/str} {/#re/str} {/%re/str} {//re/str} {^re} {^^re}
// {,re} {,,re}, whose patterns are Go regular expressions. Each has a
// positional form ({2+.}, {1:-x}). Options.Columns adds {name} for the
// columns of --header. GNU parallel's Perl expressions ({= ... =}) are an
// error: there is no Perl to run them.
//
// Options.Context (-X) repeats the word around {} once for each argument;
// without it several arguments in one word are joined with spaces (-m).
// Options.Quote (-q) takes each word as one argument, never split.
//
// Several words run directly (no shell): a value is always one argument, so
// input can never inject a command. One word with spaces is split like a
// shell would (go-shellwords); if it holds shell syntax (pipes,
// redirections, &&, ;, $(...), `...`, $VAR, globs, ~) it runs under
// "SHELL -c" (shell mode).
//
// # Values are data
//
// A value is never parsed as shell code by gopool. In shell mode the
// script holds no value: each replacement string becomes a reference to a
// variable of the job's environment, GOPOOL_ARG_1 for argument 1 (and
// GOPOOL_ARG_1_NOEXT, _BASE, _DIR, _BASE_NOEXT for {1.} {1/} {1//} {1/.},
// _PLUS_DIR, _EXT, _NOEXT2 ... for --plus's, _M1, _M2 ... for its modifiers
// with parameters, all computed in Go), written for the quoting it sits in.
// With Context, an unquoted word around {} is written once per argument
// (x"${GOPOOL_ARG_1}"y x"${GOPOOL_ARG_2}"y):
//
//	unquoted            echo {}        echo "${GOPOOL_ARG_1}"
//	"..."               echo "<{}>"    echo "<${GOPOOL_ARG_1}>"
//	'...'               echo '<{}>'    echo '<'"${GOPOOL_ARG_1}"'>'
//	$'...' (bash)       echo $'<{}>'   echo $'<'"${GOPOOL_ARG_1}"$'>'
//	here-document       cat <<EOF      ${GOPOOL_ARG_1} in the body
//	comment             # {}           left out
//
// The shell expands a reference once and never reads the result as
// syntax, so quotes, $(...), backquotes, newlines or a here-document's
// delimiter in a value are only text, in every context. {#} and {%} are
// digits, written inline.
//
// Arithmetic evaluates text: bash reads a[$(cmd)] in $((...)), ((...)),
// let, declare -i, $[...], for ((...)), an array subscript a[...]= and the
// operands of -eq -ne -lt -le -gt -ge in [[ ]] as an array element whose
// subscript it expands, and so runs cmd. There the reference is
// ${GOPOOL_NUM_1:?not a number}: GOPOOL_NUM_1 holds the value only if it is
// a number (digits, 0x.., BASE#.., decimals, operators, parentheses, no
// name), and is empty otherwise, so the shell stops the job with
// "GOPOOL_NUM_1: not a number" before evaluating anything.
//
// A replacement string right after $ or a backslash, inside `...` or
// ${...}, in a quoted here-document (<<'EOF', which expands nothing) or in
// a here-document delimiter cannot be referred to: it is a template error.
//
// Several words that run a known shell with -c (sh, bash, dash, zsh, ksh,
// mksh, ash, yash, posh, busybox sh, by basename: sh -c 'echo {}') get the
// same treatment for the script word, the word after the options; the
// other words are plain arguments. A script word that is exactly one
// replacement string (sh -c {}) is left as it is: the template asks for the
// value to run, as a record with no template is a command line
// (CommandLine).
//
// Why the environment and not positional parameters (sh -c SCRIPT NAME
// v1 v2): a function body sees its own $1, "set --" and shift change them,
// $# and "$@" of the template would count gopool's values, and a user's own
// parameters (sh -c '... $1 ...' _ foo) would need renumbering. Variables
// are the same in functions, subshells and after shift, and leave the
// user's parameters alone. They also stay out of the world-readable
// /proc/PID/cmdline. The cost: the job's child processes inherit them, and
// a bash from before the 2014 Shellshock fixes runs an environment value
// that starts with "() {".
//
// What still runs a value is a script that evaluates its own data: eval,
// a nested shell whose script text is built from the value (sh -c '...{}...'
// or ssh host '...{}...' inside a shell template, trap '...{}...', a shell
// behind another command such as sudo sh -c '...{}...' or timeout 9 sh -c
// '...{}...', which gopool does not recognise), bash
// arithmetic on a variable that holds the value (x={}; echo $((x)), or
// declare -i x earlier, then x={}), and a value used as a variable name
// (printf -v {}, read {}, test -v {}, [[ -v {} ]], ${!x}), where bash
// expands a subscript. In direct mode the same holds for any program that
// takes code as an argument (awk, perl -e, find -exec sh -c). Pass a value
// to such a program as data: sh -c '... "$1" ...' sh {}.
//
// Expand gives the argv, AppendEnv the variables, and DryRun the command
// line --dry-run shows: the value quoted inline where that is exactly what
// the shell would see, the variables before the command elsewhere.
package tmpl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mattn/go-shellwords"
)

// DefaultShell is the shell of shell mode when Options.ShellPath is empty.
const DefaultShell = "/bin/sh"

// Options changes how a template is read.
type Options struct {
	// Replace is the string for the whole record; empty means "{}".
	Replace string
	// Shell forces running under a shell (--shell).
	Shell bool
	// ShellPath is the shell for shell mode; empty means "/bin/sh".
	ShellPath string
	// Quote runs the words as they are (-q): each word is one argument,
	// never split, never run under a shell but by a known shell's -c.
	Quote bool
	// Plus adds GNU parallel's --plus replacement strings (see the
	// package doc).
	Plus bool
	// Columns names the columns of --header: {name} is {N} for
	// Columns[name] = N, with the modifiers of {N}.
	Columns map[string]int
	// Context repeats the word around {} once for each argument (-X, and
	// GNU parallel's -N and -L): "x{}y" with a and b gives "xay" "xby"
	// instead of "xa by".
	Context bool
	// Total is the number of jobs, for {##} and the width of {0#}; 0 when
	// unknown (NeedsTotal says whether the template needs it).
	Total int64
	// Slots is the number of job slots, for the width of {0%}.
	Slots int
}

// Template is a parsed command template. It is immutable (its scripts
// cache their renderings) and safe for concurrent use.
type Template struct {
	shellPath string
	shell     bool
	text      bool   // from ParseString: a plain string, no argv
	words     []word // direct mode and text mode (one word)
	hasRepl   bool   // any replacement string: do not append the args
	litLen    int    // bytes of literal text, to size buffers
	// sc is the script of shell mode, or in direct mode the script word
	// (words[shWord]) of a known shell's -c; nil when values go in argv.
	sc     *script
	shWord int

	context    bool     // Options.Context
	needsTotal bool     // {##} or {0#}
	skip       skipRule // {uniq}, {choose_k}

	src []string // the words given to Parse, or ParseString's string

	hostWord bool   // a direct word or a text template holds {host}
	host     string // what {host} stands for (WithHost); "" is LocalHost
}

// word is one argv entry of a direct template.
type word struct {
	parts []part
	all   bool // holds a replacement string of all the arguments ({}, {.})
}

// skipRule says which jobs a template skips (--plus).
type skipRule uint8

const (
	skipUniq   skipRule = 1 << iota // {uniq}: two arguments are the same
	skipChoose                      // {choose_k}: the arguments are not in increasing order
)

// kind says what a part of a template stands for.
type kind uint8

const (
	kLit   kind = iota // literal text
	kArg               // an argument (n == 0: all of them)
	kSeq               // {#}
	kSlot              // {%}
	kConst             // digits known when parsed: {##}
	kCtx               // a context repeated for each argument (sub), -X in a script
	kHost              // {host}
)

// part is literal text or one replacement string.
type part struct {
	lit   string
	kind  kind
	mod   mod
	n     int   // argument number: 1-based, negative from the end, 0 all
	pad   int   // kSeq, kSlot: zero-padded to this width ({0#}, {0%})
	place place // in a script: where the value sits
	raw   string
	sub   []part // kCtx: the context, with the replacement strings of all arguments
}

// Parse reads a template from the command-line words after the flags. An
// unbalanced quote in a one-word template is an error ("unbalanced quote
// in template ..."). Parse never panics on any input.
//
// With opt.Shell, several words are joined with spaces into one script,
// as GNU parallel does, so that "|" or ">" given as words act as shell
// syntax.
func Parse(words []string, opt Options) (*Template, error) {
	if len(words) == 0 {
		return nil, errors.New("empty template")
	}
	repl := opt.Replace
	if repl == "" {
		repl = "{}"
	}
	for _, w := range words {
		if strings.IndexByte(w, 0) >= 0 {
			return nil, fmt.Errorf("template %q holds a NUL byte", strings.Join(words, " "))
		}
	}
	if strings.IndexByte(repl, 0) >= 0 {
		return nil, fmt.Errorf("replacement string %q holds a NUL byte", repl)
	}
	if err := checkPerl(words...); err != nil {
		return nil, err
	}
	if opt.Quote && opt.Shell {
		return nil, errors.New("-q runs the words as they are, --shell under a shell: give one of them")
	}
	pr := newParser(opt)
	t := &Template{shellPath: opt.ShellPath, context: opt.Context, src: words}
	if t.shellPath == "" {
		t.shellPath = DefaultShell
	}
	defer pr.finish(t)
	if (len(words) > 1 || opt.Quote) && !opt.Shell {
		for _, w := range words {
			ps := pr.tokenize(w)
			t.addWord(ps)
		}
		if pr.err != nil {
			return nil, fmt.Errorf("%w in template %q", pr.err, strings.Join(words, " "))
		}
		if err := t.setScriptWord(); err != nil {
			return nil, fmt.Errorf("%w in template %q", err, strings.Join(words, " "))
		}
		return t, nil
	}
	src := strings.Join(words, " ")
	if isBlank(src) {
		return nil, fmt.Errorf("empty template %q", src)
	}
	ps := pr.tokenize(src)
	if pr.err != nil {
		return nil, fmt.Errorf("%w in template %q", pr.err, src)
	}
	line, refs := placeholders(ps)
	sc := scanShell(line, len(refs) > 0)
	if sc.err != nil {
		return nil, fmt.Errorf("%w in template %q", sc.err, src)
	}
	if !opt.Shell && !sc.shell {
		fields, err := split(line)
		if err != nil {
			return nil, fmt.Errorf("split template %q: %w", src, err)
		}
		if fields != nil {
			if len(fields) == 0 {
				return nil, fmt.Errorf("empty template %q", src)
			}
			k := 0
			for _, f := range fields {
				var wp []part
				wp, k = fill(f, refs, k)
				t.addWord(wp)
			}
			if err := t.setScriptWord(); err != nil {
				return nil, fmt.Errorf("%w in template %q", err, src)
			}
			return t, nil
		}
		// The parser stopped at shell syntax that the scan missed: run
		// under the shell rather than truncate.
	}
	parts, err := scriptParts(line, refs, sc.places)
	if err != nil {
		return nil, fmt.Errorf("%w in template %q", err, src)
	}
	if opt.Context {
		parts = groupContexts(parts)
	}
	t.shell = true
	t.hasRepl = len(refs) > 0
	t.litLen = len(line) - len(refs)
	t.sc = newScript(parts, !t.hasRepl)
	if !t.hasRepl && sc.endComment {
		return nil, fmt.Errorf("template %q ends in a comment, which would hide the appended arguments: use {}", src)
	}
	return t, nil
}

// ParseString reads a text template such as --tagstring: the replacement
// strings of opt.Replace are recognised, nothing is split or quoted, and
// ExpandString inserts the values as they are.
func ParseString(s string, opt Options) (*Template, error) {
	if err := checkPerl(s); err != nil {
		return nil, err
	}
	pr := newParser(opt)
	t := &Template{shellPath: opt.ShellPath, text: true, src: []string{s}}
	if t.shellPath == "" {
		t.shellPath = DefaultShell
	}
	t.addWord(pr.tokenize(s))
	if pr.err != nil {
		return nil, fmt.Errorf("%w in %q", pr.err, s)
	}
	pr.finish(t)
	return t, nil
}

// checkPerl rejects GNU parallel's Perl expressions, {= ... =}: gopool has
// no Perl, and passing one through as text would run the command with it.
// GNU parallel joins the words of a command with spaces before it looks
// for them, so `echo {= 1 =}` in three words is one expression too.
func checkPerl(words ...string) error {
	for _, w := range words {
		if hasPerl(w) {
			return perlError(w)
		}
	}
	if s := strings.Join(words, " "); hasPerl(s) {
		i := strings.Index(s, "{=")
		return perlError(s[i : i+2+strings.Index(s[i+2:], "=}")+2])
	}
	return nil
}

func hasPerl(s string) bool {
	i := strings.Index(s, "{=")
	return i >= 0 && strings.Contains(s[i+2:], "=}")
}

func perlError(w string) error {
	return fmt.Errorf("%s: Perl expressions {= ... =} are not supported: use a --plus replacement string ({%%suffix}, {/re/str}, {:-default}...) or sh -c '...' _ {} with the shell's own expansions", clipWord(w))
}

// clipWord shortens a word for an error message.
func clipWord(w string) string {
	if len(w) > 60 {
		return strconv.Quote(w[:60] + "...")
	}
	return strconv.Quote(w)
}

// addWord appends one direct-mode word.
func (t *Template) addWord(ps []part) {
	w := word{parts: ps}
	for _, p := range ps {
		switch {
		case p.kind == kLit:
			t.litLen += len(p.lit)
		case p.kind == kArg && p.n == 0:
			w.all = true
			t.hasRepl = true
		default:
			t.hasRepl = true
		}
		if p.kind == kHost {
			t.hostWord = true
		}
	}
	t.words = append(t.words, w)
}

// scriptParts turns a scanned script, with a NUL for each replacement
// string of refs, into parts that know their place. A place where no value
// can be passed safely is an error.
func scriptParts(line string, refs []part, places []place) ([]part, error) {
	var ps []part
	k := 0
	start := 0
	for i := 0; i < len(line); i++ {
		if line[i] != 0 || k >= len(refs) {
			continue
		}
		if i > start {
			ps = append(ps, part{lit: line[start:i]})
		}
		p := refs[k]
		p.place = places[k]
		err := p.place.q.err()
		if err == nil && p.kind == kArg && p.place.q == qHereQuoted {
			err = errHereQuoted
		}
		if err != nil {
			return nil, fmt.Errorf("%s %w", p.raw, err)
		}
		ps = append(ps, p)
		k++
		start = i + 1
	}
	if start < len(line) {
		ps = append(ps, part{lit: line[start:]})
	}
	return ps, nil
}

// setScriptWord finds, in a direct-mode template, the script word of a
// known shell's -c (sh -c 'echo {}') and makes it a script whose values
// are passed as data. A script word that is exactly one replacement string
// (sh -c {}) is left alone: the template asks for the value to be run.
func (t *Template) setScriptWord() error {
	t.shWord = -1
	i := scriptWord(t.words)
	if i < 0 {
		return nil
	}
	ps := t.words[i].parts
	if len(ps) == 1 {
		return nil
	}
	line, refs := placeholders(ps)
	if len(refs) == 0 {
		return nil
	}
	sc := scanShell(line, true)
	if sc.err != nil {
		return fmt.Errorf("%w in the script of -c", sc.err)
	}
	parts, err := scriptParts(line, refs, sc.places)
	if err != nil {
		return fmt.Errorf("%w in the script of -c", err)
	}
	if t.context {
		parts = groupContexts(parts)
	}
	t.sc, t.shWord = newScript(parts, false), i
	t.sc.bare = true
	return nil
}

// split splits a line with go-shellwords. A nil result with a nil error
// means the parser stopped at shell syntax.
func split(line string) ([]string, error) {
	p := shellwords.NewParser()
	p.ParseEnv = false
	p.ParseBacktick = false
	p.ParseComment = false
	fields, err := p.Parse(line)
	if err != nil {
		return nil, err
	}
	if p.Position >= 0 {
		return nil, nil
	}
	if fields == nil {
		fields = []string{}
	}
	return fields, nil
}

// fill turns a split field holding NUL placeholders back into parts, the
// placeholders taken in order from refs starting at k.
func fill(f string, refs []part, k int) ([]part, int) {
	var ps []part
	start := 0
	for i := 0; i < len(f); i++ {
		if f[i] != 0 || k >= len(refs) {
			continue
		}
		if i > start {
			ps = append(ps, part{lit: f[start:i]})
		}
		ps = append(ps, refs[k])
		k++
		start = i + 1
	}
	if start < len(f) || len(ps) == 0 {
		ps = append(ps, part{lit: f[start:]})
	}
	return ps, k
}

// placeholders renders parts as one line with a NUL byte for each
// replacement string, and returns those replacement strings in order.
func placeholders(ps []part) (string, []part) {
	var b strings.Builder
	var refs []part
	for _, p := range ps {
		if p.kind == kLit {
			b.WriteString(p.lit)
			continue
		}
		b.WriteByte(0)
		refs = append(refs, p)
	}
	return b.String(), refs
}

// parser reads the replacement strings of a template.
type parser struct {
	repl string
	opt  Options
	dyns map[string]*dynMod // the --plus modifiers with parameters, by text
	err  error              // the first bad --plus modifier

	needsTotal bool
	skip       skipRule
}

func newParser(opt Options) *parser {
	repl := opt.Replace
	if repl == "" {
		repl = "{}"
	}
	return &parser{repl: repl, opt: opt, dyns: map[string]*dynMod{}}
}

// finish tells t what the replacement strings read need.
func (pr *parser) finish(t *Template) {
	t.needsTotal = t.needsTotal || pr.needsTotal
	t.skip |= pr.skip
}

// tokenize cuts s into literal text and replacement strings.
func (pr *parser) tokenize(s string) []part {
	repl := pr.repl
	var ps []part
	lit := 0
	for i := 0; i < len(s); {
		var p part
		n := 0
		switch {
		case strings.HasPrefix(s[i:], repl):
			p, n = part{kind: kArg}, len(repl)
		case repl == "{}" && strings.HasPrefix(s[i:], "<>"):
			p, n = part{kind: kArg}, 2
		case s[i] == '{':
			p, n = pr.brace(s[i:])
		}
		if n == 0 {
			i++
			continue
		}
		if i > lit {
			ps = append(ps, part{lit: s[lit:i]})
		}
		p.raw = s[i : i+n]
		ps = append(ps, p)
		i += n
		lit = i
	}
	if lit < len(s) || len(ps) == 0 {
		ps = append(ps, part{lit: s[lit:]})
	}
	return ps
}

// maxBrace bounds the length of a replacement string such as {name} or
// {/re/str}, so that a template full of { reads in linear time.
const maxBrace = 256

// brace reads a {...} replacement string at the start of s (other than
// the one of Replace, which tokenize handles) and returns it with its
// length, or n == 0.
func (pr *parser) brace(s string) (p part, n int) {
	end := strings.IndexByte(s[:min(len(s), maxBrace)], '}')
	if end < 0 {
		return part{}, 0
	}
	body := s[1:end]
	n = end + 1
	if p, ok := pr.column(body); ok {
		return p, n
	}
	switch body {
	case "#":
		return part{kind: kSeq}, n
	case "%":
		return part{kind: kSlot}, n
	case "host":
		return part{kind: kHost}, n
	}
	if pr.opt.Plus {
		switch body {
		case "##":
			pr.needsTotal = true
			return part{kind: kConst, lit: strconv.FormatInt(pr.opt.Total, 10)}, n
		case "0#":
			pr.needsTotal = true
			return part{kind: kSeq, pad: numWidth(pr.opt.Total)}, n
		case "0%":
			return part{kind: kSlot, pad: numWidth(int64(pr.opt.Slots))}, n
		case "slot":
			return part{kind: kSlot}, n
		case "uniq":
			pr.skip |= skipUniq
			return part{kind: kArg}, n
		case "choose_k":
			pr.skip |= skipChoose
			return part{kind: kArg}, n
		}
	}
	digits := 0
	if strings.HasPrefix(body, "-") {
		digits = 1
	}
	for digits < len(body) && body[digits] >= '0' && body[digits] <= '9' {
		digits++
	}
	num := 0
	if digits > 0 {
		v, err := strconv.Atoi(body[:digits])
		if err != nil || v == 0 {
			return part{}, 0
		}
		num = v
	}
	if pr.opt.Plus && digits > 0 {
		switch body[digits:] {
		case "uniq":
			pr.skip |= skipUniq
			return part{kind: kArg, n: num}, n
		case "choose_k":
			pr.skip |= skipChoose
			return part{kind: kArg, n: num}, n
		}
	}
	m, ok, err := parseMod(body[digits:], pr.opt.Plus, pr.dyns)
	if err != nil && pr.err == nil {
		pr.err = err
	}
	if !ok || digits == 0 && m.op == opNone {
		return part{}, 0
	}
	return part{kind: kArg, n: num, mod: m}, n
}

// column reads {name} and {name/}, {name//}, {name.}, {name/.} for a
// column named by --header, as GNU parallel does.
func (pr *parser) column(body string) (part, bool) {
	if len(pr.opt.Columns) == 0 {
		return part{}, false
	}
	if n, ok := pr.opt.Columns[body]; ok {
		return part{kind: kArg, n: n}, true
	}
	for _, suffix := range []string{"/.", "//", "/", "."} {
		name, ok := strings.CutSuffix(body, suffix)
		if !ok {
			continue
		}
		if n, ok := pr.opt.Columns[name]; ok {
			op, _ := fixedMod(suffix)
			return part{kind: kArg, n: n, mod: mod{op: op}}, true
		}
	}
	return part{}, false
}

// numWidth is the number of decimal digits of n (1 for n < 10).
func numWidth(n int64) int {
	w := 1
	for n >= 10 {
		n /= 10
		w++
	}
	return w
}

// isBlank reports whether s is empty or only blanks (as go-shellwords sees
// them).
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}

// Expand returns the argv of the job with arguments args, job number seq
// (1-based) and slot (1-based). AppendEnv gives the variables the argv
// needs in the job's environment.
//
// Direct mode: each template word is expanded with the values inserted raw.
// A word that is exactly one replacement string ({}, {.}, {1/} ...) yields
// one argv entry per argument (so -n 3 gives three arguments); in a longer
// word several arguments are joined with a space. With no replacement
// string anywhere in the template, args are appended as separate argv
// entries. The script word of a known shell's -c (sh -c 'echo {}') is
// rendered as in shell mode.
//
// Shell mode: argv is [ShellPath, "-c", script], where script is the
// template with each replacement string turned into a reference to a
// variable of the environment ("${GOPOOL_ARG_1}", quoted for its place);
// several arguments are referred to one by one and joined by spaces; with
// no replacement string, references to the args are appended to the
// script. The script holds no value: for a given number of arguments it is
// the same for every job but for {#} and {%}, which are digits.
func (t *Template) Expand(args []string, seq int64, slot int) []string {
	if t.shell {
		return []string{t.shellPath, "-c", t.sc.rendering(len(args)).script(seq, slot)}
	}
	if t.text {
		return []string{t.ExpandString(args, seq, slot)}
	}
	n := len(t.words)
	if !t.hasRepl {
		n += len(args)
	}
	argv := make([]string, 0, n)
	for i, w := range t.words {
		if t.sc != nil && i == t.shWord {
			argv = append(argv, t.sc.rendering(len(args)).script(seq, slot))
			continue
		}
		if t.context && w.all && len(args) > 0 {
			for k := range args {
				argv = append(argv, t.expandWord(w.parts, args, k, seq, slot))
			}
			continue
		}
		if len(w.parts) != 1 {
			argv = append(argv, t.joinWord(w.parts, args, seq, slot))
			continue
		}
		p := w.parts[0]
		switch {
		case p.kind == kLit:
			argv = append(argv, p.lit)
		case p.kind == kArg && p.n == 0 && len(args) > 0:
			for _, a := range args {
				argv = append(argv, apply(p.mod, a))
			}
		default:
			argv = append(argv, t.joinWord(w.parts, args, seq, slot))
		}
	}
	if !t.hasRepl {
		argv = append(argv, args...)
	}
	return argv
}

// AppendEnv appends to env the variables that carry the values of the job
// with arguments args to its shell, as NAME=value entries, and returns it.
// A template that passes no value through the environment (direct mode
// but for sh -c) returns env as it is. The variables go after the
// inherited ones: os/exec keeps the last of duplicate names.
func (t *Template) AppendEnv(env []string, args []string) []string {
	if t.sc == nil {
		return env
	}
	return t.appendHostEnv(t.sc.rendering(len(args)).appendEnv(env, args))
}

// DryRun renders the command of a job as one line that a POSIX shell runs
// the same way, for --dry-run and the joblog's Command column.
//
// Direct mode: the argv quoted (Quote). Shell mode: the script with each
// value quoted inline, as GNU parallel shows it, where that is exactly
// what the shell would see (values unquoted, in "...", in '...' or in a
// comment). Elsewhere (arithmetic, here-documents, $'...') inline quoting
// would not mean the same, and the line passes the variables as the job
// does: GOPOOL_ARG_1='value' /bin/sh -c 'script'. A direct-mode sh -c
// script word follows the same rule.
func (t *Template) DryRun(args []string, seq int64, slot int) string {
	switch {
	case t.text:
		return t.ExpandString(args, seq, slot)
	case t.sc == nil:
		return Quote(t.Expand(args, seq, slot))
	case t.sc.inline && t.shell:
		return t.sc.inlineScript(args, seq, slot, t.hostName())
	case t.sc.inline:
		argv := t.Expand(args, seq, slot)
		argv[t.shWord] = t.sc.inlineScript(args, seq, slot, t.hostName())
		return Quote(argv)
	}
	var b strings.Builder
	t.sc.rendering(len(args)).envLine(&b, args)
	t.hostEnvLine(&b)
	b.WriteString(Quote(t.Expand(args, seq, slot)))
	return b.String()
}

// ExpandString expands a text template (ParseString) with the values
// inserted as they are. For a command template it returns DryRun.
func (t *Template) ExpandString(args []string, seq int64, slot int) string {
	if !t.text {
		return t.DryRun(args, seq, slot)
	}
	if len(t.words) == 0 {
		return ""
	}
	return t.joinWord(t.words[0].parts, args, seq, slot)
}

// joinWord expands one word into one string, several arguments joined with
// a space.
func (t *Template) joinWord(ps []part, args []string, seq int64, slot int) string {
	return t.expandWord(ps, args, -1, seq, slot)
}

// expandWord expands one word into one string: the replacement strings of
// all the arguments ({}, {.}) take argument each (0-based), or with each
// < 0 all of them joined with a space.
func (t *Template) expandWord(ps []part, args []string, each int, seq int64, slot int) string {
	all := args
	if each >= 0 {
		all = args[each : each+1]
	}
	if len(ps) == 1 {
		switch p := ps[0]; {
		case p.kind == kLit:
			return p.lit
		case p.kind == kArg && p.n == 0 && len(all) == 1:
			return apply(p.mod, all[0])
		case p.kind == kArg && p.n != 0:
			return apply(p.mod, nth(args, p.n))
		}
	}
	var b strings.Builder
	b.Grow(wordSize(ps, args))
	var num [20]byte
	for _, p := range ps {
		switch p.kind {
		case kLit, kConst:
			b.WriteString(p.lit)
		case kSeq:
			b.Write(appendNum(num[:0], seq, p.pad))
		case kSlot:
			b.Write(appendNum(num[:0], int64(slot), p.pad))
		case kHost:
			b.WriteString(t.hostName())
		case kArg:
			if p.n != 0 {
				b.WriteString(apply(p.mod, nth(args, p.n)))
				continue
			}
			for i, a := range all {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(apply(p.mod, a))
			}
		}
	}
	return b.String()
}

// appendNum appends v in decimal to b, zero-padded to width pad.
func appendNum(b []byte, v int64, pad int) []byte {
	for w := numWidth(v); w < pad; w++ {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, v, 10)
}

// wordSize is an upper bound of the expanded size of a word.
func wordSize(ps []part, args []string) int {
	all := 0
	for _, a := range args {
		all += len(a) + 1
	}
	n := 0
	for _, p := range ps {
		switch {
		case p.kind == kLit || p.kind == kConst:
			n += len(p.lit)
		case p.kind == kArg && p.n == 0:
			n += all
		case p.kind == kArg:
			n += len(nth(args, p.n))
		default:
			n += 20
		}
	}
	return n
}

// nth returns argument n (1-based; negative counts from the end), or ""
// beyond the arguments.
func nth(args []string, n int) string {
	if n < 0 {
		n += len(args) + 1
	}
	if n < 1 || n > len(args) {
		return ""
	}
	return args[n-1]
}

// Shell reports whether the template runs under a shell.
func (t *Template) Shell() bool {
	return t.shell
}

// Reparse parses the template again, from the same words, with other
// options (the names of --header columns, the number of jobs, once the
// input told them).
func (t *Template) Reparse(opt Options) (*Template, error) {
	if t.text {
		return ParseString(t.src[0], opt)
	}
	return Parse(t.src, opt)
}

// Literal reports whether the template holds no replacement string.
func (t *Template) Literal() bool {
	return !t.hasRepl
}

// NeedsTotal reports whether the template refers to the number of jobs
// ({##}, {0#} with --plus): the run must know it, and parse the template
// again with Options.Total, before the first job.
func (t *Template) NeedsTotal() bool {
	return t.needsTotal
}

// Skip reports whether the job with arguments args is skipped, as GNU
// parallel's --plus {uniq} (two arguments are the same) and {choose_k}
// (the arguments are not in increasing byte order) ask. A skipped job
// keeps its number: the next job's {#} is one more.
func (t *Template) Skip(args []string) bool {
	if t.skip&skipChoose != 0 {
		for i := 1; i < len(args); i++ {
			if args[i-1] >= args[i] {
				return true
			}
		}
	}
	if t.skip&skipUniq != 0 {
		seen := make(map[string]bool, len(args))
		for _, a := range args {
			if seen[a] {
				return true
			}
			seen[a] = true
		}
	}
	return false
}

// CommandLine turns a record that is itself a command line (no template
// given) into argv: split like a one-word template, under the shell when it
// holds shell syntax. No replacement strings are expanded.
func CommandLine(line string, opt Options) ([]string, error) {
	if isBlank(line) {
		return nil, fmt.Errorf("empty command line %q", line)
	}
	shellPath := opt.ShellPath
	if shellPath == "" {
		shellPath = DefaultShell
	}
	sc := scanShell(line, false)
	if sc.err != nil {
		return nil, fmt.Errorf("%w in command line %q", sc.err, line)
	}
	if !opt.Shell && !sc.shell {
		fields, err := split(line)
		if err != nil {
			return nil, fmt.Errorf("split command line %q: %w", line, err)
		}
		if fields != nil {
			if len(fields) == 0 {
				return nil, fmt.Errorf("empty command line %q", line)
			}
			return fields, nil
		}
	}
	return []string{shellPath, "-c", line}, nil
}

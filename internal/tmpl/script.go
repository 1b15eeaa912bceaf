package tmpl

import (
	"strconv"
	"strings"
	"sync"
)

// varPrefix starts the names of the environment variables that carry a
// job's values to its shell: GOPOOL_ARG_1 is argument 1, GOPOOL_ARG_1_BASE
// its {1/}, GOPOOL_NUM_1 the same value checked to be a number.
const varPrefix = "GOPOOL_"

// maxCached is the largest number of arguments whose rendering a script
// keeps; larger ones are rendered for each job.
const maxCached = 64

// script is a shell script with replacement strings: the whole script of
// shell mode, or the script word of sh -c in direct mode. Its rendering
// for a number of arguments refers to environment variables, so the text
// never holds a value; it is built once per number of arguments.
type script struct {
	parts []part // literal text and replacement strings with their place
	// appendArgs: the template has no replacement string, the arguments
	// follow the script as words.
	appendArgs bool
	// inline: every argument sits where quoting the value inline is
	// exactly equivalent (unquoted, "...", '...', a comment), so DryRun
	// shows today's form, the value quoted in the script.
	inline bool
	// bare: inlineScript writes a safe value bare where that reads the same
	// (p.place.plain), as the value was inserted raw into sh -c scripts.
	bare bool
	// varies: the rendering depends on the number of arguments ({}, {-1},
	// {2}..., appended arguments).
	varies bool
	one    *rendering // for one argument, built by newScript
	more   sync.Map   // int -> *rendering, other numbers of arguments
	litLen int
}

// rendering is a script for a given number of arguments.
type rendering struct {
	text   string  // the script when it holds no {#} or {%}
	chunks []chunk // otherwise: literal text, {#} and {%}
	size   int     // bytes of literal text in chunks
	vars   []envVar
}

// chunk is literal text or the job number or slot.
type chunk struct {
	lit  string
	kind kind // kLit, kSeq or kSlot
	pad  int  // kSeq, kSlot: the width to zero-pad to
}

// envVar is one variable of the job's environment that carries a value.
type envVar struct {
	prefix string // "NAME="
	arg    int    // index in the arguments
	mod    mod
	num    bool // passed only if it is a number
}

// newScript makes a script of parts whose places are set.
func newScript(parts []part, appendArgs bool) *script {
	s := &script{parts: parts, appendArgs: appendArgs, inline: true, varies: appendArgs}
	var scan func(ps []part)
	scan = func(ps []part) {
		for _, p := range ps {
			switch p.kind {
			case kLit, kConst:
				s.litLen += len(p.lit)
				continue
			case kCtx:
				s.varies = true
				scan(p.sub)
				continue
			case kArg:
			default:
				continue
			}
			if p.n != 1 {
				s.varies = true
			}
			switch p.place.q {
			case qUnquoted, qDouble, qSingle, qComment:
				if p.place.arith {
					s.inline = false
				}
			default:
				s.inline = false
			}
		}
	}
	scan(parts)
	s.one = s.render(1)
	return s
}

// rendering returns the script for k arguments.
func (s *script) rendering(k int) *rendering {
	if k == 1 || !s.varies && k > 1 {
		return s.one
	}
	if k > maxCached {
		return s.render(k)
	}
	if r, ok := s.more.Load(k); ok {
		return r.(*rendering)
	}
	r, _ := s.more.LoadOrStore(k, s.render(k))
	return r.(*rendering)
}

// render builds the script for k arguments.
func (s *script) render(k int) *rendering {
	r := &rendering{}
	var b strings.Builder
	b.Grow(s.litLen + 32)
	seen := map[envVar]string{}
	name := func(arg int, m mod, num bool) string {
		key := envVar{arg: arg, mod: m, num: num}
		if n, ok := seen[key]; ok {
			return n
		}
		n := varName(arg, m, num)
		seen[key] = n
		key.prefix = n + "="
		r.vars = append(r.vars, key)
		return n
	}
	flush := func() {
		if b.Len() > 0 {
			r.chunks = append(r.chunks, chunk{lit: b.String()})
			r.size += b.Len()
			b.Reset()
		}
	}
	var names []string
	// each is the argument that the replacement strings of all the
	// arguments stand for in one repetition of a context, or -1.
	var write func(ps []part, each int)
	write = func(ps []part, each int) {
		for _, p := range ps {
			switch p.kind {
			case kLit:
				b.WriteString(p.lit)
			case kConst:
				if p.place.q != qComment {
					b.WriteString(p.lit)
				}
			case kSeq, kSlot:
				if p.place.q != qComment {
					flush()
					r.chunks = append(r.chunks, chunk{kind: p.kind, pad: p.pad})
				}
			case kCtx:
				for i := range max(k, 1) {
					if i > 0 {
						b.WriteByte(' ')
					}
					e := i
					if k == 0 {
						e = -2 // no argument: the value is empty
					}
					write(p.sub, e)
				}
			case kArg:
				if p.place.q == qComment {
					continue
				}
				names = names[:0]
				switch {
				case p.n == 0 && each >= 0:
					names = append(names, name(each, p.mod, p.place.arith))
				case p.n == 0 && each == -1:
					for i := range k {
						names = append(names, name(i, p.mod, p.place.arith))
					}
				case p.n != 0:
					if i := index(p.n, k); i >= 0 {
						names = append(names, name(i, p.mod, p.place.arith))
					}
				}
				writeRefs(&b, p.place, names)
			}
		}
	}
	write(s.parts, -1)
	if s.appendArgs {
		for i := range k {
			b.WriteByte(' ')
			writeRefs(&b, place{q: qUnquoted}, []string{name(i, mod{}, false)})
		}
	}
	flush()
	if len(r.chunks) == 1 && r.chunks[0].kind == kLit {
		r.text, r.chunks, r.size = r.chunks[0].lit, nil, 0
	} else if len(r.chunks) == 0 {
		r.text = ""
	}
	return r
}

// script returns the script for job seq on slot.
func (r *rendering) script(seq int64, slot int) string {
	if r.chunks == nil {
		return r.text
	}
	var b strings.Builder
	b.Grow(r.size + 20)
	var num [20]byte
	for _, c := range r.chunks {
		switch c.kind {
		case kLit:
			b.WriteString(c.lit)
		case kSeq:
			b.Write(appendNum(num[:0], seq, c.pad))
		case kSlot:
			b.Write(appendNum(num[:0], int64(slot), c.pad))
		}
	}
	return b.String()
}

// appendEnv appends NAME=value for each variable of the rendering.
func (r *rendering) appendEnv(env []string, args []string) []string {
	for _, v := range r.vars {
		env = append(env, v.prefix+v.value(args))
	}
	return env
}

// value is the variable's value for args: the argument changed by the
// modifier, and for a number variable "" unless it is a number.
func (v envVar) value(args []string) string {
	s := ""
	if v.arg < len(args) {
		s = apply(v.mod, args[v.arg])
	}
	if v.num && !isNumber(s) {
		return ""
	}
	return s
}

// index turns argument n (1-based, negative from the end) into an index
// into k arguments, or -1 beyond them.
func index(n, k int) int {
	if n < 0 {
		n += k + 1
	}
	if n < 1 || n > k {
		return -1
	}
	return n - 1
}

// varName names the variable of argument arg (0-based) with modifier m.
func varName(arg int, m mod, num bool) string {
	kind := "ARG_"
	if num {
		kind = "NUM_"
	}
	return varPrefix + kind + strconv.Itoa(arg+1) + m.suffix()
}

// writeRefs writes the references to the variables names, as one string
// joined by spaces (or one word each, unquoted), for the place p.
//
// A number variable is empty when the value is not a number, and
// ${NAME:?...} then stops the script before any arithmetic: bash evaluates
// the text of a value in arithmetic, a[$(cmd)] included.
func writeRefs(b *strings.Builder, p place, names []string) {
	if len(names) == 0 {
		if p.q == qUnquoted || p.q == qArith {
			b.WriteString("''") // an empty word, as the empty value
		}
		return
	}
	ref := func(n string) {
		b.WriteString("${")
		b.WriteString(n)
		if p.arith {
			b.WriteString(":?not a number}")
			return
		}
		b.WriteByte('}')
	}
	refs := func() {
		for i, n := range names {
			if i > 0 {
				b.WriteByte(' ')
			}
			ref(n)
		}
	}
	switch p.q {
	case qUnquoted:
		for i, n := range names {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteByte('"')
			ref(n)
			b.WriteByte('"')
		}
	case qDouble, qHeredoc, qArith:
		refs()
	case qSingle:
		b.WriteString(`'"`)
		refs()
		b.WriteString(`"'`)
	case qAnsi:
		b.WriteString(`'"`)
		refs()
		b.WriteString(`"$'`)
	}
}

// isNumber reports whether s is safe for a shell to evaluate as
// arithmetic: numbers (decimal, 0x hex, bash's BASE#DIGITS, decimals with
// an exponent for ksh and zsh), operators, parentheses and blanks, at
// least one number, and no name, quote, $, ` or bracket. With no name
// there is nothing to look up, so no a[$(cmd)] to evaluate.
func isNumber(s string) bool {
	digits := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			n := numberLen(s[i:])
			if n == 0 {
				return false
			}
			i += n
			digits = true
		case strings.IndexByte(" \t\n+-*/%<>=!&|^~?:,()", c) >= 0:
			i++
		default:
			return false
		}
	}
	return digits
}

// numberLen is the length of the number at the start of s (which starts
// with a digit), or 0 when letters or a . follow it in a way no shell
// reads as a number.
func numberLen(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	switch {
	case i == 1 && s[0] == '0' && i < len(s) && (s[i] == 'x' || s[i] == 'X'):
		j := i + 1
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j == i+1 {
			return 0
		}
		i = j
	case i < len(s) && s[i] == '#':
		j := i + 1
		for j < len(s) && (isAlnum(s[j]) || s[j] == '@' || s[j] == '_') {
			j++
		}
		if j == i+1 {
			return 0
		}
		i = j
	default:
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i+1 {
				return 0
			}
			i = j
		}
		if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
			j := i + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			k := j
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k == j {
				return 0
			}
			i = k
		}
	}
	if i < len(s) && (isAlnum(s[i]) || s[i] == '_' || s[i] == '@' || s[i] == '#' || s[i] == '.') {
		return 0
	}
	return i
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// inlineScript renders a script with each value quoted inline, as gopool
// did before it passed values as data; DryRun shows it when s.inline says
// it is exactly equivalent.
func (s *script) inlineScript(args []string, seq int64, slot int) string {
	all := 0
	for _, a := range args {
		all += len(a) + 3 // two quotes and a space
	}
	size := s.litLen
	for _, p := range s.parts {
		if p.kind == kArg && p.n == 0 || p.kind == kCtx {
			size += all
		} else if p.kind != kLit {
			size += 22
		}
	}
	if s.appendArgs {
		size += all
	}
	var b strings.Builder
	b.Grow(size + size/8)
	var num [20]byte
	var write func(ps []part, each int)
	write = func(ps []part, each int) {
		for _, p := range ps {
			switch p.kind {
			case kLit:
				b.WriteString(p.lit)
			case kConst:
				if p.place.q != qComment {
					b.WriteString(p.lit)
				}
			case kSeq, kSlot:
				// Digits need no quoting anywhere; a comment drops them.
				if p.place.q != qComment {
					v := seq
					if p.kind == kSlot {
						v = int64(slot)
					}
					b.Write(appendNum(num[:0], v, p.pad))
				}
			case kCtx:
				for i := range max(len(args), 1) {
					if i > 0 {
						b.WriteByte(' ')
					}
					e := i
					if len(args) == 0 {
						e = -2
					}
					write(p.sub, e)
				}
			case kArg:
				q := p.place.q
				put := func(v string) {
					if s.bare && p.place.plain && isSafe(v) {
						b.WriteString(v)
						return
					}
					writeQuoted(&b, q, v)
				}
				switch {
				case p.n != 0:
					put(apply(p.mod, nth(args, p.n)))
					continue
				case each >= 0:
					put(apply(p.mod, args[each]))
					continue
				case each == -2 || len(args) == 0:
					put("")
					continue
				}
				for i, a := range args {
					if i > 0 && q != qComment {
						// A space separates words unquoted and is itself
						// inside quotes.
						b.WriteByte(' ')
					}
					put(apply(p.mod, a))
				}
			}
		}
	}
	write(s.parts, -1)
	if s.appendArgs {
		for _, a := range args {
			b.WriteByte(' ')
			writeQuoted(&b, qUnquoted, a)
		}
	}
	return b.String()
}

// envLine renders "NAME='value' ... " for the variables of k = len(args)
// arguments, the prefix of a command line that passes them.
func (r *rendering) envLine(b *strings.Builder, args []string) {
	for _, v := range r.vars {
		b.WriteString(v.prefix)
		writeQuoted(b, qUnquoted, v.value(args))
		b.WriteByte(' ')
	}
}

// scriptWord returns the index of the script word of a direct-mode
// template that runs a known shell with -c (sh -c SCRIPT, bash -ec SCRIPT,
// busybox sh -c SCRIPT), or -1. Only literal words are read as the shell
// and its options.
func scriptWord(words []word) int {
	lit := func(i int) (string, bool) {
		if i >= len(words) || len(words[i].parts) != 1 || words[i].parts[0].kind != kLit {
			return "", false
		}
		return words[i].parts[0].lit, true
	}
	name, ok := lit(0)
	if !ok {
		return -1
	}
	i := 1
	if name = base(name); name == "busybox" {
		if name, ok = lit(1); !ok {
			return -1
		}
		i = 2
	}
	if !isShell(name) {
		return -1
	}
	hasC := false
	for ; i < len(words); i++ {
		s, ok := lit(i)
		if !ok {
			break
		}
		if s == "--" || s == "-" {
			i++
			break
		}
		if len(s) < 2 || s[0] != '-' && s[0] != '+' {
			break
		}
		if strings.HasPrefix(s, "--") {
			if s == "--rcfile" || s == "--init-file" {
				i++
			}
			continue
		}
		if s[0] == '-' && strings.IndexByte(s[1:], 'c') >= 0 {
			hasC = true
		}
		if last := s[len(s)-1]; last == 'o' || last == 'O' {
			i++ // -o NAME
		}
	}
	if !hasC || i >= len(words) {
		return -1
	}
	return i
}

// isShell reports whether name is a POSIX-like shell that takes -c.
func isShell(name string) bool {
	switch name {
	case "sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh", "lksh", "oksh",
		"pdksh", "ash", "yash", "posh", "rbash":
		return true
	}
	return false
}

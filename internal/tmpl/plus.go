package tmpl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// modOp is what a modifier of an argument replacement string does.
type modOp uint8

const (
	opNone      modOp = iota
	opNoExt           // {.}
	opBase            // {/}
	opDir             // {//}
	opBaseNoExt       // {/.}

	// --plus
	opPlusDir      // {+/}: the directory part, "" without a /
	opExt          // {+.}: the extension, "" without a .
	opExt2         // {+..}: the last two extensions
	opExt3         // {+...}: the last three extensions
	opNoExt2       // {..}: without the last two extensions
	opNoExt3       // {...}: without the last three extensions
	opBaseNoExt2   // {/..}
	opBaseNoExt3   // {/...}
	opDefault      // {:-str}: str if the value is empty
	opSkip         // {:num}: without the first num bytes
	opSubstr       // {:pos:len}: len bytes from pos
	opTrimPrefix   // {#re}: without the shortest prefix matching re
	opTrimPrefixLg // {##re}: without the longest prefix matching re
	opTrimSuffix   // {%re}: without the shortest suffix matching re
	opTrimSuffixLg // {%%re}: without the longest suffix matching re
	opSubst        // {/re/str}: the first match of re replaced with str
	opSubstPrefix  // {/#re/str}: a match at the start replaced
	opSubstSuffix  // {/%re/str}: a match at the end replaced
	opSubstAll     // {//re/str}: every match replaced
	opUpperFirst   // {^re}: a match at the start in upper case
	opUpperAll     // {^^re}: every match in upper case
	opLowerFirst   // {,re}: a match at the start in lower case
	opLowerAll     // {,,re}: every match in lower case
)

// mod is a modifier of an argument replacement string: a fixed one, or a
// --plus one with parameters (dyn). Two equal mods give the same value, so
// a script passes it in one variable.
type mod struct {
	op  modOp
	dyn *dynMod // the parameters of a dynamic --plus modifier; nil otherwise
}

// dynMod holds the parameters of a --plus modifier such as {%.gz} or
// {/a/b}. A template shares one dynMod between equal modifiers.
type dynMod struct {
	id       int // numbers the modifier in its template: GOPOOL_ARG_1_M<id>
	re       *regexp.Regexp
	str      string // the default of {:-str}, the replacement of {/re/str}
	pos, len int    // {:pos:len}, {:num} (pos)
}

// fixedMod is the modifier without parameters written s after the
// argument number ({2/.}), and whether there is one.
func fixedMod(s string) (modOp, bool) {
	switch s {
	case "":
		return opNone, true
	case ".":
		return opNoExt, true
	case "/":
		return opBase, true
	case "//":
		return opDir, true
	case "/.":
		return opBaseNoExt, true
	}
	return opNone, false
}

// plusMod is fixedMod for the modifiers without parameters of --plus.
func plusMod(s string) (modOp, bool) {
	switch s {
	case "+/":
		return opPlusDir, true
	case "+.":
		return opExt, true
	case "+..":
		return opExt2, true
	case "+...":
		return opExt3, true
	case "..":
		return opNoExt2, true
	case "...":
		return opNoExt3, true
	case "/..":
		return opBaseNoExt2, true
	case "/...":
		return opBaseNoExt3, true
	}
	return opNone, false
}

// suffix names the variable of a modifier: GOPOOL_ARG_1 + suffix.
func (m mod) suffix() string {
	switch m.op {
	case opNone:
		return ""
	case opNoExt:
		return "_NOEXT"
	case opBase:
		return "_BASE"
	case opDir:
		return "_DIR"
	case opBaseNoExt:
		return "_BASE_NOEXT"
	case opPlusDir:
		return "_PLUS_DIR"
	case opExt:
		return "_EXT"
	case opExt2:
		return "_EXT2"
	case opExt3:
		return "_EXT3"
	case opNoExt2:
		return "_NOEXT2"
	case opNoExt3:
		return "_NOEXT3"
	case opBaseNoExt2:
		return "_BASE_NOEXT2"
	case opBaseNoExt3:
		return "_BASE_NOEXT3"
	}
	return "_M" + strconv.Itoa(m.dyn.id)
}

// parseMod reads the modifier text after a replacement string's argument
// number: a fixed modifier, or with plus one of --plus. dyns holds the
// dynamic modifiers read so far, by text, so that equal ones are shared.
// ok is false when the text is no modifier; err is set for a --plus
// modifier whose regular expression does not compile.
func parseMod(s string, plus bool, dyns map[string]*dynMod) (m mod, ok bool, err error) {
	if op, ok := fixedMod(s); ok {
		return mod{op: op}, true, nil
	}
	if !plus || s == "" {
		return mod{}, false, nil
	}
	if op, ok := plusMod(s); ok {
		return mod{op: op}, true, nil
	}
	if d, ok := dyns[s]; ok {
		return mod{op: dynOp(s), dyn: d}, true, nil
	}
	op, d, err := parseDyn(s)
	if err != nil || op == opNone {
		return mod{}, false, err
	}
	d.id = len(dyns) + 1
	dyns[s] = d
	return mod{op: op, dyn: d}, true, nil
}

// dynOp is the op of a dynamic modifier already parsed (parseDyn's first
// result), without compiling it again.
func dynOp(s string) modOp {
	op, _, _ := splitDyn(s)
	return op
}

// splitDyn tells which dynamic modifier s is, GNU parallel's --plus
// patterns, and returns its parameters as text: a (the pattern, the number
// or the default) and b (the replacement or the length). op is opNone when
// s is none.
func splitDyn(s string) (op modOp, a, b string) {
	digits := func(x string) bool {
		if x == "" {
			return false
		}
		for i := 0; i < len(x); i++ {
			if x[i] < '0' || x[i] > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case strings.HasPrefix(s, ":-") && len(s) > 2:
		return opDefault, s[2:], ""
	case strings.HasPrefix(s, ":"):
		p, l, two := strings.Cut(s[1:], ":")
		switch {
		case !two && digits(p):
			return opSkip, p, ""
		case two && digits(p) && digits(l):
			return opSubstr, p, l
		}
	case strings.HasPrefix(s, "##") && len(s) > 2 && s[2] != '#':
		return opTrimPrefixLg, s[2:], ""
	case strings.HasPrefix(s, "#") && len(s) > 1 && s[1] != '#':
		return opTrimPrefix, s[1:], ""
	case strings.HasPrefix(s, "%%") && len(s) > 2:
		return opTrimSuffixLg, s[2:], ""
	case strings.HasPrefix(s, "%") && len(s) > 1:
		return opTrimSuffix, s[1:], ""
	case strings.HasPrefix(s, "//"):
		if re, str, ok := strings.Cut(s[2:], "/"); ok && re != "" {
			return opSubstAll, re, str
		}
	case strings.HasPrefix(s, "/#"):
		if re, str, ok := strings.Cut(s[2:], "/"); ok && re != "" {
			return opSubstPrefix, re, str
		}
	case strings.HasPrefix(s, "/%"):
		if re, str, ok := strings.Cut(s[2:], "/"); ok && re != "" {
			return opSubstSuffix, re, str
		}
	case strings.HasPrefix(s, "/"):
		if re, str, ok := strings.Cut(s[1:], "/"); ok && re != "" {
			return opSubst, re, str
		}
	case strings.HasPrefix(s, "^^") && len(s) > 2:
		return opUpperAll, s[2:], ""
	case strings.HasPrefix(s, "^") && len(s) > 1:
		return opUpperFirst, s[1:], ""
	case strings.HasPrefix(s, ",,") && len(s) > 2:
		return opLowerAll, s[2:], ""
	case strings.HasPrefix(s, ",") && len(s) > 1:
		return opLowerFirst, s[1:], ""
	}
	return opNone, "", ""
}

// parseDyn parses a dynamic --plus modifier. Its patterns are Go regular
// expressions (RE2), matched against bytes, with . matching a newline too.
func parseDyn(s string) (modOp, *dynMod, error) {
	op, a, b := splitDyn(s)
	d := &dynMod{}
	compile := func(expr string) error {
		if _, err := regexp.Compile(a); err != nil {
			return fmt.Errorf("{%s}: bad regular expression %q: %w", s, a, err)
		}
		re, err := regexp.Compile("(?s)" + expr)
		if err != nil {
			return fmt.Errorf("{%s}: bad regular expression %q: %w", s, a, err)
		}
		d.re = re
		return nil
	}
	var err error
	switch op {
	case opNone:
		return opNone, nil, nil
	case opDefault:
		d.str = a
	case opSkip:
		d.pos, err = strconv.Atoi(a)
	case opSubstr:
		if d.pos, err = strconv.Atoi(a); err == nil {
			d.len, err = strconv.Atoi(b)
		}
	case opTrimPrefix:
		err = compile(`^(?U:` + a + `)`)
	case opTrimPrefixLg:
		err = compile(`^(?:` + a + `)`)
	case opTrimSuffix:
		err = compile(`^(.*)(?U:` + a + `)$`)
	case opTrimSuffixLg:
		err = compile(`(?:` + a + `)$`)
	case opSubst, opSubstAll:
		d.str = b
		err = compile(a)
	case opSubstPrefix:
		d.str = b
		err = compile(`^(?:` + a + `)`)
	case opSubstSuffix:
		d.str = b
		err = compile(`(?:` + a + `)$`)
	case opUpperFirst, opLowerFirst:
		err = compile(`^(?:` + a + `)`)
	case opUpperAll, opLowerAll:
		err = compile(a)
	}
	if err != nil {
		if _, ok := err.(*strconv.NumError); ok {
			return opNone, nil, fmt.Errorf("{%s}: number out of range", s)
		}
		return opNone, nil, err
	}
	return op, d, nil
}

// applyPlus computes a --plus modifier, the way GNU parallel 20221122 does
// (its Perl substitutions, with Go regular expressions).
func applyPlus(m mod, s string) string {
	d := m.dyn
	switch m.op {
	case opPlusDir:
		if i := strings.LastIndexByte(s, '/'); i >= 0 {
			return s[:i]
		}
		return ""
	case opExt:
		if i := strings.LastIndexByte(s, '.'); i >= 0 {
			return s[i+1:]
		}
		return ""
	case opExt2, opExt3:
		if i := lastExts(s, int(m.op-opExt)+1); i >= 0 {
			return s[i+1:]
		}
		return ""
	case opNoExt2, opNoExt3:
		if i := lastExts(s, int(m.op-opNoExt2)+2); i >= 0 {
			return s[:i]
		}
		return s
	case opBaseNoExt2, opBaseNoExt3:
		s = base(s)
		if i := lastExts(s, int(m.op-opBaseNoExt2)+2); i >= 0 {
			return s[:i]
		}
		return s
	case opDefault:
		if s == "" {
			return d.str
		}
		return s
	case opSkip:
		if d.pos >= len(s) {
			return ""
		}
		return s[d.pos:]
	case opSubstr:
		if d.pos >= len(s) {
			return ""
		}
		return s[d.pos:min(len(s), d.pos+d.len)]
	case opTrimPrefix, opTrimPrefixLg, opTrimSuffixLg:
		if loc := d.re.FindStringIndex(s); loc != nil {
			return s[:loc[0]] + s[loc[1]:]
		}
		return s
	case opTrimSuffix:
		if m := d.re.FindStringSubmatchIndex(s); m != nil {
			return s[:m[3]]
		}
		return s
	case opSubst, opSubstPrefix, opSubstSuffix:
		m := d.re.FindStringSubmatchIndex(s)
		if m == nil {
			return s
		}
		return s[:m[0]] + string(d.re.ExpandString(nil, d.str, s, m)) + s[m[1]:]
	case opSubstAll:
		return d.re.ReplaceAllString(s, d.str)
	case opUpperFirst, opLowerFirst:
		loc := d.re.FindStringIndex(s)
		if loc == nil {
			return s
		}
		f := upperASCII
		if m.op == opLowerFirst {
			f = lowerASCII
		}
		return f(s[:loc[1]]) + s[loc[1]:]
	case opUpperAll:
		return d.re.ReplaceAllStringFunc(s, upperASCII)
	case opLowerAll:
		return d.re.ReplaceAllStringFunc(s, lowerASCII)
	}
	return s
}

// lastExts returns the index of the '.' that starts the last n extensions
// of s (n dot-separated parts with no '/' or '.' in them, at the end), or
// -1 when s has fewer: GNU parallel's \.[^/.]*\.[^/.]*$ for n = 2.
func lastExts(s string, n int) int {
	end := len(s)
	for range n {
		i := strings.LastIndexByte(s[:end], '.')
		if i < 0 || strings.IndexByte(s[i:end], '/') >= 0 {
			return -1
		}
		end = i
	}
	return end
}

// upperASCII changes a-z to A-Z and leaves every other byte: GNU parallel
// changes the case of bytes, not of UTF-8 characters.
func upperASCII(s string) string {
	return mapASCII(s, 'a', 'z', 'A'-'a')
}

// lowerASCII changes A-Z to a-z and leaves every other byte.
func lowerASCII(s string) string {
	return mapASCII(s, 'A', 'Z', 'a'-'A')
}

func mapASCII(s string, lo, hi byte, delta int) string {
	i := 0
	for i < len(s) && (s[i] < lo || s[i] > hi) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if b[i] >= lo && b[i] <= hi {
			b[i] = byte(int(b[i]) + delta)
		}
	}
	return string(b)
}

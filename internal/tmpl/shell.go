package tmpl

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// qctx is the quoting that surrounds a replacement string in a shell
// script, which decides how the script refers to its value.
type qctx uint8

const (
	qUnquoted   qctx = iota // a word of its own or part of one: "${V}"
	qDouble                 // inside "...": ${V}
	qSingle                 // inside '...': close, "${V}", reopen
	qAnsi                   // inside $'...': close, "${V}", reopen with $'
	qHeredoc                // in the body of an unquoted here-document: ${V}
	qArith                  // inside $((...)), ((...)), $[...], a[...]=: ${V}
	qComment                // inside a comment: left out
	qHereQuoted             // in the body of a quoted here-document: {#} {%} only
	qEscaped                // right after a backslash: unsafe
	qDollar                 // right after $: unsafe
	qBacktick               // inside `...`: unsafe
	qBrace                  // inside ${...}: unsafe
	qHereDelim              // in a here-document delimiter: unsafe
)

// place is where a replacement string sits in a shell script.
type place struct {
	q qctx
	// arith: the shell evaluates the value as an arithmetic expression
	// (bash re-evaluates a[$(cmd)] there), so only a number is passed.
	arith bool
	// plain: unquoted in an argument word outside [[ ]], where a value of
	// safe bytes (isSafe) reads the same bare as quoted.
	plain bool
}

// err says why a value cannot be referred to safely in this place, or nil.
// Only the argument replacement strings are checked against qHereQuoted:
// {#} and {%} are digits, which need no quoting anywhere.
func (c qctx) err() error {
	switch c {
	case qEscaped:
		return errors.New("right after a backslash cannot be passed safely")
	case qDollar:
		return errors.New("right after $ cannot be passed safely")
	case qBacktick:
		return errors.New("inside `...` cannot be passed safely (use $(...))")
	case qBrace:
		return errors.New("inside ${...} cannot be passed safely (assign it to a variable first)")
	case qHereDelim:
		return errors.New("in a here-document delimiter cannot be passed safely")
	}
	return nil
}

// errHereQuoted is the error of an argument inside a quoted here-document.
var errHereQuoted = errors.New("inside a quoted here-document (<<'EOF') cannot be passed: the shell expands nothing there (use <<EOF)")

// frameKind is one level of nesting in a shell script.
type frameKind uint8

const (
	fTop        frameKind = iota // the script: commands
	fParen                       // $(...) or (...): commands
	fCase                        // case ... esac: patterns, then commands
	fCond                        // [[ ... ]]: words of a conditional
	fDouble                      // "..."
	fBacktick                    // `...`
	fBrace                       // ${...}
	fArith                       // $((...)) or ((...))
	fArithParen                  // (...) inside arithmetic
	fBracket                     // $[...]
	fSubscript                   // the [...] of an array assignment a[...]=
	fHeredoc                     // the body of a here-document
)

// commands reports whether a frame reads words as commands (or as the
// words of [[ ]] and of case).
func (k frameKind) commands() bool {
	return k == fTop || k == fParen || k == fCase || k == fCond
}

// arithmetic reports whether a frame is an arithmetic expression.
func (k frameKind) arithmetic() bool {
	return k == fArith || k == fArithParen || k == fBracket || k == fSubscript
}

// token is the word being read in a command frame.
type token struct {
	active   bool   // a word has started
	text     []byte // its literal bytes, quotes removed
	quoted   bool   // part of it was quoted or escaped
	expanded bool   // part of it was an expansion or a replacement string
	sub      bool   // it holds NAME[...] (an array assignment)
	phs      []int  // replacement strings in it (in [[ ]] only)
}

// states of a case frame.
const (
	caseSubject = iota // the word after case
	caseIn             // waiting for in
	casePattern        // patterns up to )
	caseBody           // commands up to ;; or esac
)

// frame is one level of nesting, with the state of the command being read
// for command frames.
type frame struct {
	kind frameKind
	w    token

	cmdPos   bool // the next word is a command name
	arith    bool // let, declare -i: the arguments are arithmetic
	decl     bool // declare, typeset or local: an -i option makes arith
	redir    bool // the next word is a redirection target
	forArith bool // after for: (( is arithmetic
	skip     bool // after function: the next word is its name

	caseState uint8
	cond      []token // [[ ]]: the words read so far

	doc       heredoc // fHeredoc
	lineStart bool    // fHeredoc: at the start of a body line
}

// heredoc is a here-document waiting for or in its body.
type heredoc struct {
	delim  string
	quoted bool // the delimiter was quoted: the body is not expanded
	strip  bool // <<-: leading tabs are removed
}

// scanResult is what scanShell learned about a script.
type scanResult struct {
	shell  bool    // the line holds shell syntax
	places []place // where each NUL placeholder sits, in order
	err    error   // unbalanced quote, bracket or trailing backslash
	// endComment: the line ends inside a comment, which would swallow
	// appended arguments.
	endComment bool
}

// Errors of scanShell, wrapped with the template by the caller.
var (
	errQuote     = errors.New("unbalanced quote")
	errBackquote = errors.New("unbalanced backquote")
	errParen     = errors.New("unbalanced parenthesis")
	errBrace     = errors.New("unbalanced ${ brace")
	errBackslash = errors.New("trailing backslash")
)

// scanner reads a POSIX shell script (with the bash, ksh and zsh syntax
// that changes how a value is read) far enough to tell whether it holds
// shell syntax, whether its quotes balance and, for each NUL placeholder,
// which quoting surrounds it and whether the shell evaluates it as
// arithmetic.
type scanner struct {
	line  string
	ph    bool
	r     scanResult
	stack []frame
	i     int

	inSingle, inAnsi, ansiEsc, comment, escaped bool
	dollar                                      bool // the previous byte was a lone $
	pending                                     []heredoc
}

// scanShell scans line; ph says whether NUL bytes are placeholders.
func scanShell(line string, ph bool) scanResult {
	s := &scanner{line: line, ph: ph, stack: make([]frame, 1, 8)}
	s.stack[0] = frame{kind: fTop, cmdPos: true}
	// go-shellwords turns bytes that are not UTF-8 into U+FFFD: leave
	// such a line to the shell, which passes bytes through.
	if strings.IndexByte(line, '\n') >= 0 || !utf8.ValidString(line) {
		s.r.shell = true
	}
	for s.i = 0; s.i < len(line); s.i++ {
		s.step(line[s.i])
	}
	s.finish()
	if !s.r.shell && shellFirstWord(line) {
		s.r.shell = true
	}
	return s.r
}

func (s *scanner) top() *frame { return &s.stack[len(s.stack)-1] }

func (s *scanner) push(f frame) { s.stack = append(s.stack, f) }

func (s *scanner) pop() {
	if len(s.stack) > 1 {
		s.stack = s.stack[:len(s.stack)-1]
	}
}

// cmdFrame is the innermost command frame: the one whose word grows.
func (s *scanner) cmdFrame() *frame {
	for i := len(s.stack) - 1; i >= 0; i-- {
		if s.stack[i].kind.commands() {
			return &s.stack[i]
		}
	}
	return &s.stack[0]
}

// inArith reports whether the innermost frame other than quotes is
// arithmetic, or a command whose arguments are (let, declare -i).
func (s *scanner) inArith() bool {
	for i := len(s.stack) - 1; i >= 0; i-- {
		f := &s.stack[i]
		switch {
		case f.kind == fDouble:
			continue
		case f.kind.arithmetic():
			return true
		case f.kind == fTop || f.kind == fParen || f.kind == fCase:
			return f.arith
		}
		return false
	}
	return false
}

// add records a placeholder at q and returns its index.
func (s *scanner) add(q qctx) int {
	p := place{q: q}
	switch q {
	case qUnquoted, qDouble, qSingle, qAnsi:
		p.arith = s.inArith()
	case qArith:
		p.arith = true
	}
	s.r.places = append(s.r.places, p)
	return len(s.r.places) - 1
}

// addWord records a placeholder in the current word of a command frame.
func (s *scanner) addWord(q qctx) {
	n := s.add(q)
	cf := s.cmdFrame()
	if q == qUnquoted && !cf.cmdPos && cf.kind != fCond && s.top() == cf {
		s.r.places[n].plain = true
	}
	cf.w.active, cf.w.expanded = true, true
	if cf.kind == fCond {
		cf.w.phs = append(cf.w.phs, n)
	}
}

// lit adds a literal byte to the current word.
func (s *scanner) lit(c byte, quoted bool) {
	cf := s.cmdFrame()
	cf.w.active = true
	cf.w.text = append(cf.w.text, c)
	if quoted {
		cf.w.quoted = true
	}
}

// mark notes quoting or an expansion in the current word.
func (s *scanner) mark(quoted, expanded bool) {
	cf := s.cmdFrame()
	cf.w.active = true
	cf.w.quoted = cf.w.quoted || quoted
	cf.w.expanded = cf.w.expanded || expanded
}

func (s *scanner) step(c byte) {
	isPH := s.ph && c == 0
	afterDollar := s.dollar
	s.dollar = false
	switch {
	case s.comment:
		if c != '\n' {
			if isPH {
				s.add(qComment)
			}
			return
		}
		s.comment = false
	case s.inSingle:
		switch {
		case c == '\'':
			s.inSingle = false
		case isPH:
			s.addWord(qSingle)
		default:
			s.lit(c, true)
		}
		return
	case s.inAnsi:
		switch {
		case s.ansiEsc:
			s.ansiEsc = false
			if isPH {
				s.add(qEscaped)
			}
		case c == '\\':
			s.ansiEsc = true
		case c == '\'':
			s.inAnsi = false
		case isPH:
			s.addWord(qAnsi)
		}
		return
	case s.escaped:
		s.escaped = false
		if isPH {
			s.add(qEscaped)
		} else if c != '\n' {
			s.lit(c, true)
		}
		return
	}
	top := s.top()
	switch top.kind {
	case fHeredoc:
		s.heredocByte(c, isPH, afterDollar)
	case fBacktick:
		switch {
		case isPH:
			s.add(qBacktick)
		case c == '`':
			s.pop()
		case c == '\\':
			s.escaped = true
		}
	case fDouble:
		switch {
		case isPH && afterDollar:
			s.add(qDollar)
		case isPH:
			s.addWord(qDouble)
		case c == '"':
			s.pop()
		case c == '\\':
			s.escaped, s.r.shell = true, true
		case c == '`':
			s.r.shell = true
			s.push(frame{kind: fBacktick})
		case c == '$':
			s.dollarAt(false)
		default:
			s.lit(c, true)
		}
	case fBrace, fArith, fArithParen, fBracket, fSubscript:
		s.exprByte(c, isPH, afterDollar)
	default:
		s.commandByte(c, isPH, afterDollar)
	}
}

// heredocByte reads a byte of a here-document body.
func (s *scanner) heredocByte(c byte, isPH, afterDollar bool) {
	top := s.top()
	if top.lineStart {
		top.lineStart = false
		end := strings.IndexByte(s.line[s.i:], '\n')
		if end < 0 {
			end = len(s.line) - s.i
		}
		l := s.line[s.i : s.i+end]
		if top.doc.strip {
			l = strings.TrimLeft(l, "\t")
		}
		if l == top.doc.delim {
			s.i += end // the loop steps over the newline
			s.pop()
			if t := s.top(); t.kind.commands() {
				t.w = token{} // the body is no word
			}
			s.startHeredoc()
			return
		}
	}
	switch {
	case c == '\n':
		top.lineStart = true
	case top.doc.quoted:
		if isPH {
			s.add(qHereQuoted)
		}
	case isPH && afterDollar:
		s.add(qDollar)
	case isPH:
		s.add(qHeredoc)
	case c == '\\':
		s.escaped = true
	case c == '`':
		s.push(frame{kind: fBacktick})
	case c == '$':
		s.dollarAt(false)
	}
}

// startHeredoc starts the body of the next pending here-document, if any.
func (s *scanner) startHeredoc() {
	if len(s.pending) == 0 {
		return
	}
	d := s.pending[0]
	s.pending = s.pending[1:]
	s.push(frame{kind: fHeredoc, doc: d, lineStart: true})
}

// exprByte reads a byte inside ${...} or an arithmetic expression.
func (s *scanner) exprByte(c byte, isPH, afterDollar bool) {
	top := s.top()
	if isPH {
		switch {
		case afterDollar:
			s.add(qDollar)
		case top.kind == fBrace:
			s.add(qBrace)
		default:
			s.add(qArith)
		}
		return
	}
	switch c {
	case '\'':
		s.inSingle = true
	case '"':
		s.push(frame{kind: fDouble})
	case '\\':
		s.escaped, s.r.shell = true, true
	case '`':
		s.r.shell = true
		s.push(frame{kind: fBacktick})
	case '$':
		s.dollarAt(false)
	case '}':
		if top.kind == fBrace {
			s.pop()
		}
	case '(':
		if top.kind != fBrace {
			s.push(frame{kind: fArithParen})
		}
	case ')':
		switch top.kind {
		case fArithParen:
			s.pop()
		case fArith:
			if s.i+1 < len(s.line) && s.line[s.i+1] == ')' {
				s.i++
				s.pop()
			} else {
				// $((cmd) ...) is a command substitution of a subshell,
				// as bash reads it: what follows is commands.
				*top = frame{kind: fParen}
			}
		}
	case '[':
		if top.kind == fBracket || top.kind == fSubscript {
			s.push(frame{kind: fSubscript})
		}
	case ']':
		if top.kind == fBracket || top.kind == fSubscript {
			s.pop()
			if t := s.top(); t.kind.commands() {
				t.w.sub = true
			}
		}
	}
}

// dollarAt handles an unescaped $ at line[s.i]: $NAME, $1, $?, ${...},
// $(...), $((...)), $[...], $'...' and $"..." are shell syntax.
func (s *scanner) dollarAt(unquoted bool) {
	line, i := s.line, s.i
	if i+1 >= len(line) {
		s.lit('$', false)
		return
	}
	switch c := line[i+1]; {
	case c == '(':
		s.r.shell = true
		s.mark(false, true)
		if i+2 < len(line) && line[i+2] == '(' {
			s.push(frame{kind: fArith})
			s.i += 2
			return
		}
		s.push(frame{kind: fParen, cmdPos: true})
		s.i++
		return
	case c == '{':
		s.r.shell = true
		s.mark(false, true)
		s.push(frame{kind: fBrace})
		s.i++
		return
	case c == '[':
		s.r.shell = true
		s.mark(false, true)
		s.push(frame{kind: fBracket})
		s.i++
		return
	case c == '\'' && unquoted:
		// $'...': bash, zsh, ksh and POSIX 2024.
		s.r.shell = true
		s.mark(true, false)
		s.inAnsi = true
		s.i++
		return
	case c == '"' && unquoted:
		// $"...": bash's translated string, read as "...".
		s.r.shell = true
		return
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9',
		strings.IndexByte("?#@*$!-", c) >= 0:
		s.r.shell = true
		s.mark(false, true)
	default:
		s.lit('$', false)
	}
	s.dollar = true
}

// commandByte reads an unquoted byte in a command frame: the script,
// $(...), a case or [[ ]].
func (s *scanner) commandByte(c byte, isPH, afterDollar bool) {
	cf := s.top()
	start := !cf.w.active
	if isPH {
		if afterDollar {
			s.add(qDollar)
			cf.w.active, cf.w.expanded = true, true
			return
		}
		s.addWord(qUnquoted)
		return
	}
	switch c {
	case ' ', '\t', '\r':
		s.endWord()
	case '\n':
		s.endWord()
		s.r.shell = true
		s.cmdEnd()
		s.startHeredoc()
	case ';':
		s.r.shell = true
		s.endWord()
		if cf = s.top(); cf.kind == fCase && cf.caseState == caseBody && s.i+1 < len(s.line) &&
			(s.line[s.i+1] == ';' || s.line[s.i+1] == '&') {
			s.i++
			if s.i+1 < len(s.line) && s.line[s.i] == ';' && s.line[s.i+1] == '&' {
				s.i++ // ;;&
			}
			cf.caseState = casePattern
			return
		}
		s.cmdEnd()
	case '&', '|':
		s.r.shell = true
		s.endWord()
		if cf = s.top(); cf.kind == fCond || cf.kind == fCase && cf.caseState < caseBody {
			return
		}
		s.cmdEnd()
	case '<', '>':
		s.r.shell = true
		s.endWord()
		if cf = s.top(); cf.kind == fCond {
			return
		}
		if c == '<' && s.i+1 < len(s.line) && s.line[s.i+1] == '<' {
			if s.i+2 < len(s.line) && s.line[s.i+2] == '<' {
				s.i += 2 // <<< here-string: a word follows
				cf.redir = true
				return
			}
			s.i++
			s.heredocStart()
			return
		}
		for s.i+1 < len(s.line) && strings.IndexByte("<>&|", s.line[s.i+1]) >= 0 {
			s.i++
		}
		cf.redir = true
	case '(':
		s.r.shell = true
		s.endWord()
		cf = s.top()
		switch {
		case cf.kind == fCond:
		case cf.kind == fCase && cf.caseState < caseBody:
		case (cf.cmdPos || cf.forArith) && s.i+1 < len(s.line) && s.line[s.i+1] == '(':
			cf.forArith, cf.cmdPos = false, false
			s.i++
			s.push(frame{kind: fArith})
		default:
			s.push(frame{kind: fParen, cmdPos: true})
		}
	case ')':
		s.r.shell = true
		s.endWord()
		cf = s.top()
		switch {
		case cf.kind == fCond:
		case cf.kind == fCase && cf.caseState < caseBody:
			cf.caseState = caseBody
			s.cmdEnd()
		case cf.kind == fParen:
			s.pop()
			// After f() comes the body of a function.
			t := s.top()
			if t.kind.commands() {
				t.cmdPos = true
			}
		}
	case '\'':
		s.inSingle = true
		s.mark(true, false)
	case '"':
		s.mark(true, false)
		s.push(frame{kind: fDouble})
	case '\\':
		s.escaped, s.r.shell = true, true
		s.mark(true, false)
	case '`':
		s.r.shell = true
		s.mark(false, true)
		s.push(frame{kind: fBacktick})
	case '$':
		s.dollarAt(true)
	case '[':
		s.r.shell = true
		if w := &cf.w; w.active && !w.quoted && !w.expanded && !w.sub && isName(string(w.text)) && (cf.cmdPos || cf.decl) {
			s.push(frame{kind: fSubscript})
			return
		}
		s.lit(c, false)
	case '*', '?':
		s.r.shell = true
		s.lit(c, false)
	case '#':
		if start {
			s.comment, s.r.shell = true, true
			return
		}
		s.lit(c, false)
	case '~':
		if start {
			s.r.shell = true
		}
		s.lit(c, false)
	default:
		s.lit(c, false)
	}
}

// heredocStart reads the delimiter after << (s.i at the second <).
func (s *scanner) heredocStart() {
	line := s.line
	d := heredoc{}
	if s.i+1 < len(line) && line[s.i+1] == '-' {
		d.strip = true
		s.i++
	}
	for s.i+1 < len(line) && (line[s.i+1] == ' ' || line[s.i+1] == '\t') {
		s.i++
	}
	var b []byte
	for s.i+1 < len(line) {
		c := line[s.i+1]
		if strings.IndexByte(" \t\r\n;&|<>()", c) >= 0 {
			break
		}
		s.i++
		switch {
		case s.ph && c == 0:
			s.add(qHereDelim)
		case c == '\'' || c == '"':
			d.quoted = true
			end := strings.IndexByte(line[s.i+1:], c)
			if end < 0 {
				s.r.err = errQuote
				s.i = len(line)
				return
			}
			for _, q := range []byte(line[s.i+1 : s.i+1+end]) {
				if s.ph && q == 0 {
					s.add(qHereDelim)
					continue
				}
				b = append(b, q)
			}
			s.i += end + 1
		case c == '\\':
			d.quoted = true
			if s.i+1 < len(line) {
				s.i++
				if s.ph && line[s.i] == 0 {
					s.add(qHereDelim)
				} else {
					b = append(b, line[s.i])
				}
			}
		default:
			b = append(b, c)
		}
	}
	if len(b) > 0 {
		d.delim = string(b)
		s.pending = append(s.pending, d)
	}
}

// endWord ends the word of the top frame (a command frame) and reads it.
func (s *scanner) endWord() {
	cf := s.top()
	w := cf.w
	if !w.active {
		return
	}
	cf.w = token{}
	text := string(w.text)
	plain := !w.quoted && !w.expanded
	switch {
	case cf.kind == fCond:
		if plain && text == "]]" {
			s.endCond(cf.cond)
			s.pop()
			return
		}
		cf.cond = append(cf.cond, w)
		return
	case cf.kind == fCase && cf.caseState < caseBody:
		switch {
		case cf.caseState == caseSubject:
			cf.caseState = caseIn
		case cf.caseState == caseIn && plain && text == "in":
			cf.caseState = casePattern
		case cf.caseState == casePattern && plain && text == "esac":
			s.pop()
		}
		return
	case cf.redir:
		cf.redir = false
		return
	case !cf.cmdPos:
		if cf.decl && plain && len(text) > 1 && text[0] == '-' && strings.IndexByte(text, 'i') >= 0 {
			cf.arith = true
		}
		cf.forArith = false
		return
	}
	// A command word. NAME[...]=x reads as NAME=x: the brackets are not
	// in text.
	if cf.skip {
		cf.skip = false
		return
	}
	if isAssignment(text) {
		return
	}
	if plain {
		switch text {
		case "[[":
			cf.cmdPos = false
			s.push(frame{kind: fCond})
			return
		case "case":
			cf.cmdPos = false
			s.push(frame{kind: fCase, caseState: caseSubject})
			return
		case "esac":
			if cf.kind == fCase {
				s.pop()
				s.top().cmdPos = false
				return
			}
		case "for", "select":
			cf.cmdPos, cf.forArith = false, true
			return
		case "function":
			cf.skip = true
			return
		case "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "builtin", "command":
			return
		}
	}
	cf.cmdPos = false
	if !w.expanded {
		switch text {
		case "let":
			cf.arith = true
		case "declare", "typeset", "local":
			cf.decl = true
		}
	}
}

// endCond marks the operands of the arithmetic operators of [[ ]].
func (s *scanner) endCond(words []token) {
	for i, w := range words {
		if w.quoted || w.expanded {
			continue
		}
		switch string(w.text) {
		case "-eq", "-ne", "-lt", "-le", "-gt", "-ge":
			for _, j := range []int{i - 1, i + 1} {
				if j < 0 || j >= len(words) {
					continue
				}
				for _, n := range words[j].phs {
					s.r.places[n].arith = true
				}
			}
		}
	}
}

// cmdEnd ends a command in the top frame: the next word is a command name.
func (s *scanner) cmdEnd() {
	cf := s.top()
	if cf.kind == fCond || cf.kind == fCase && cf.caseState < caseBody {
		return
	}
	cf.cmdPos, cf.arith, cf.decl, cf.redir, cf.forArith, cf.skip = true, false, false, false, false, false
}

// finish ends the scan: unbalanced quotes and brackets are errors.
func (s *scanner) finish() {
	if s.top().kind.commands() {
		s.endWord()
	}
	s.r.endComment = s.comment
	if s.r.err != nil {
		return
	}
	switch {
	case s.inSingle, s.inAnsi:
		s.r.err = errQuote
		return
	case s.escaped:
		s.r.err = errBackslash
		return
	}
	for i := len(s.stack) - 1; i > 0; i-- {
		switch s.stack[i].kind {
		case fDouble:
			s.r.err = errQuote
		case fBacktick:
			s.r.err = errBackquote
		case fParen, fArith, fArithParen:
			s.r.err = errParen
		case fBrace:
			s.r.err = errBrace
		}
		if s.r.err != nil {
			return
		}
	}
}

// isName reports whether s is a shell variable name.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shellFirstWord reports whether the first word of line makes it shell
// code: a variable assignment, a reserved word or a builtin with no
// program of its own.
func shellFirstWord(line string) bool {
	s := strings.TrimLeft(line, " \t\r")
	if i := strings.IndexAny(s, " \t\r"); i >= 0 {
		s = s[:i]
	}
	if isAssignment(s) {
		return true
	}
	switch s {
	case "!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done",
		"case", "esac", "while", "until", "for", "in", "function", "select",
		".", ":", "alias", "break", "cd", "continue", "eval", "exec", "exit",
		"export", "getopts", "hash", "local", "read", "readonly", "return",
		"set", "shift", "source", "trap", "type", "ulimit", "umask",
		"unalias", "unset", "wait":
		return true
	}
	return false
}

// isReserved reports whether a shell reads s as a reserved word when it
// starts a command.
func isReserved(s string) bool {
	switch s {
	case "if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
		"while", "until", "for", "in", "function", "select", "time":
		return true
	}
	return false
}

// isAssignment reports whether s starts with NAME=.
func isAssignment(s string) bool {
	eq := strings.IndexByte(s, '=')
	return eq > 0 && isName(s[:eq])
}

// writeQuoted writes s quoted for the place c in a shell script, as the
// value itself (for --dry-run): single-quoted unquoted, escaped for the
// double or single quotes around it, left out in a comment.
func writeQuoted(b *strings.Builder, c qctx, s string) {
	switch c {
	case qUnquoted:
		b.WriteByte('\'')
		writeSingle(b, s)
		b.WriteByte('\'')
	case qSingle:
		writeSingle(b, s)
	case qDouble:
		for {
			i := strings.IndexAny(s, "$`\"\\")
			if i < 0 {
				b.WriteString(s)
				return
			}
			b.WriteString(s[:i])
			b.WriteByte('\\')
			b.WriteByte(s[i])
			s = s[i+1:]
		}
	}
}

// writeSingle writes the inside of a single-quoted string: each ' closes
// the quotes, is escaped and reopens them.
func writeSingle(b *strings.Builder, s string) {
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			b.WriteString(s)
			return
		}
		b.WriteString(s[:i])
		b.WriteString(`'\''`)
		s = s[i+1:]
	}
}

// Quote renders argv as one line that a POSIX shell would run as the same
// argv (for --dry-run): words that need it are single-quoted.
func Quote(argv []string) string {
	var b strings.Builder
	for i, w := range argv {
		if i > 0 {
			b.WriteByte(' ')
		}
		if isSafe(w) && !(i == 0 && (isReserved(w) || isAssignment(w))) {
			b.WriteString(w)
			continue
		}
		writeQuoted(&b, qUnquoted, w)
	}
	return b.String()
}

// isSafe reports whether s is a non-empty word a shell reads as itself:
// letters, digits and -_./=:,+@%.
func isSafe(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-_./=:,+@%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

package tmpl

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// qctx is the quoting that surrounds a replacement string in a shell
// template, which decides how its value is quoted.
type qctx uint8

const (
	qUnquoted qctx = iota // single-quote the value
	qSingle               // inside '...': escape ' as '\''
	qDouble               // inside "...": backslash $ ` " \
	qComment              // inside a comment: leave the value out
	qEscaped              // right after a backslash: unsafe
	qDollar               // right after $: unsafe
	qBacktick             // inside `...`: unsafe
	qBrace                // inside ${...}: unsafe
)

// err says why a value cannot be quoted safely in this place, or nil.
func (c qctx) err() error {
	switch c {
	case qEscaped:
		return errors.New("right after a backslash cannot be quoted safely")
	case qDollar:
		return errors.New("right after $ cannot be quoted safely")
	case qBacktick:
		return errors.New("inside `...` cannot be quoted safely (use $(...))")
	case qBrace:
		return errors.New("inside ${...} cannot be quoted safely")
	}
	return nil
}

// frame is one level of nesting in a shell line.
type frame uint8

const (
	fTop      frame = iota // unquoted
	fDouble                // "..."
	fBacktick              // `...`
	fParen                 // $(...) or (...)
	fBrace                 // ${...}
)

// scanResult is what scanShell learned about a line.
type scanResult struct {
	shell bool   // the line holds shell syntax
	ctxs  []qctx // the quoting of each placeholder, in order
	err   error  // unbalanced quote, bracket or trailing backslash
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

// scanShell reads line as a POSIX shell would, far enough to tell whether
// it holds shell syntax, whether its quotes balance and, when ph is true,
// which quoting surrounds each NUL placeholder.
func scanShell(line string, ph bool) scanResult {
	var r scanResult
	stack := make([]frame, 1, 8)
	stack[0] = fTop
	inSingle, comment, escaped, dollar := false, false, false, false
	wordStart := true
	// go-shellwords turns bytes that are not UTF-8 into U+FFFD: leave
	// such a line to the shell, which passes bytes through.
	if strings.IndexByte(line, '\n') >= 0 || !utf8.ValidString(line) {
		r.shell = true
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		isPH := ph && c == 0
		afterDollar := dollar
		dollar = false
		top := stack[len(stack)-1]
		switch {
		case comment:
			if c == '\n' {
				comment, wordStart = false, true
			} else if isPH {
				r.ctxs = append(r.ctxs, qComment)
			}
			continue
		case inSingle:
			if c == '\'' {
				inSingle = false
			} else if isPH {
				r.ctxs = append(r.ctxs, qSingle)
			}
			continue
		case escaped:
			escaped, wordStart = false, false
			if isPH {
				r.ctxs = append(r.ctxs, qEscaped)
			}
			continue
		case isPH:
			q := qUnquoted
			switch {
			case afterDollar:
				q = qDollar
			case top == fDouble:
				q = qDouble
			case top == fBacktick:
				q = qBacktick
			case top == fBrace:
				q = qBrace
			}
			r.ctxs = append(r.ctxs, q)
			wordStart = false
			continue
		}
		if top == fBacktick {
			switch c {
			case '`':
				stack = stack[:len(stack)-1]
			case '\\':
				escaped = true
			}
			continue
		}
		if top == fDouble {
			switch c {
			case '"':
				stack = stack[:len(stack)-1]
			case '\\':
				escaped, r.shell = true, true
			case '`':
				stack, r.shell = append(stack, fBacktick), true
			case '$':
				stack, i, dollar = dollarAt(line, i, stack, &r)
			}
			continue
		}
		// Unquoted: the top level, $(...) and ${...}.
		start := wordStart
		wordStart = false
		switch c {
		case ' ', '\t', '\r':
			wordStart = true
		case '\n', ';', '&', '|', '<', '>':
			wordStart, r.shell = true, true
		case '\'':
			inSingle = true
		case '"':
			stack = append(stack, fDouble)
		case '\\':
			escaped, r.shell = true, true
		case '`':
			stack, r.shell = append(stack, fBacktick), true
		case '$':
			stack, i, dollar = dollarAt(line, i, stack, &r)
		case '(':
			stack, r.shell, wordStart = append(stack, fParen), true, true
		case ')':
			if top == fParen {
				stack = stack[:len(stack)-1]
			}
			r.shell, wordStart = true, true
		case '}':
			if top == fBrace {
				stack = stack[:len(stack)-1]
			}
		case '*', '?', '[':
			r.shell = true
		case '#':
			if start {
				comment, r.shell = true, true
			}
		case '~':
			if start {
				r.shell = true
			}
		}
	}
	r.endComment = comment
	switch {
	case inSingle:
		r.err = errQuote
	case escaped:
		r.err = errBackslash
	}
	for i := len(stack) - 1; i > 0 && r.err == nil; i-- {
		switch stack[i] {
		case fDouble:
			r.err = errQuote
		case fBacktick:
			r.err = errBackquote
		case fParen:
			r.err = errParen
		case fBrace:
			r.err = errBrace
		}
	}
	if !r.shell && shellFirstWord(line) {
		r.shell = true
	}
	return r
}

// dollarAt handles an unescaped $ at line[i]: $NAME, $1, $?, ${...} and
// $(...) are shell syntax. It returns the new stack, the index of the last
// byte consumed and whether the $ stands alone before the next byte.
func dollarAt(line string, i int, stack []frame, r *scanResult) ([]frame, int, bool) {
	if i+1 >= len(line) {
		return stack, i, false
	}
	switch c := line[i+1]; {
	case c == '(':
		r.shell = true
		return append(stack, fParen), i + 1, false
	case c == '{':
		r.shell = true
		return append(stack, fBrace), i + 1, false
	case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9',
		strings.IndexByte("?#@*$!-", c) >= 0:
		r.shell = true
	case (c == '\'' || c == '"') && stack[len(stack)-1] != fDouble:
		// $'...' and $"..." are bash quoting: leave them to the shell.
		r.shell = true
	}
	return stack, i, true
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
	if eq <= 0 {
		return false
	}
	for i := 0; i < eq; i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// writeQuoted writes s quoted for the place c in a shell script.
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

package input

import (
	"fmt"
	"regexp"
	"strings"
)

// Trim says which white space is removed around each value, or each column
// with ColSep (--trim). White space is the bytes space, \t, \n, \v, \f and
// \r, as GNU parallel's.
type Trim uint8

// The ways to trim. The zero value is GNU parallel's default.
const (
	// TrimAuto trims both sides of each column when ColSep is set (GNU
	// parallel: --colsep implies --trim lr) and nothing otherwise.
	TrimAuto Trim = iota
	// TrimNone keeps white space (--trim n).
	TrimNone
	// TrimLeft removes white space at the start (--trim l).
	TrimLeft
	// TrimRight removes white space at the end (--trim r).
	TrimRight
	// TrimBoth removes white space at both ends (--trim lr or rl).
	TrimBoth
)

// ParseTrim turns the argument of --trim into a Trim: n, l, r, lr or rl.
func ParseTrim(s string) (Trim, error) {
	switch s {
	case "n":
		return TrimNone, nil
	case "l":
		return TrimLeft, nil
	case "r":
		return TrimRight, nil
	case "lr", "rl":
		return TrimBoth, nil
	}
	return TrimAuto, fmt.Errorf("trim %q: must be one of n, l, r, lr, rl", s)
}

// resolve turns TrimAuto into what it means with or without a ColSep.
func (t Trim) resolve(colSep bool) Trim {
	if t != TrimAuto {
		return t
	}
	if colSep {
		return TrimBoth
	}
	return TrimNone
}

// apply trims v.
func (t Trim) apply(v string) string {
	if t == TrimLeft || t == TrimBoth {
		i := 0
		for i < len(v) && isBlank(v[i]) {
			i++
		}
		v = v[i:]
	}
	if t == TrimRight || t == TrimBoth {
		j := len(v)
		for j > 0 && isBlank(v[j-1]) {
			j--
		}
		v = v[:j]
	}
	return v
}

// isBlank reports whether c is white space: space, \t, \n, \v, \f or \r.
func isBlank(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// columns splits values into columns at a regular expression. A literal
// expression (the common --colsep , or \t) is split without the regexp
// engine, which is several times faster.
type columns struct {
	re  *regexp.Regexp
	lit string // the literal the expression matches, if it is one
}

// newColumns returns the splitter for re, or nil for nil.
func newColumns(re *regexp.Regexp) *columns {
	if re == nil {
		return nil
	}
	c := &columns{re: re}
	if lit, complete := re.LiteralPrefix(); complete && lit != "" {
		c.lit = lit
	}
	return c
}

// appendSplit appends the columns of v to dst, as regexp.Split(v, -1).
func (c *columns) appendSplit(dst []string, v string) []string {
	if c.lit == "" {
		return append(dst, c.re.Split(v, -1)...)
	}
	for {
		i := strings.Index(v, c.lit)
		if i < 0 {
			return append(dst, v)
		}
		dst = append(dst, v[:i])
		v = v[i+len(c.lit):]
	}
}
